// Package lines reads text input line by line for nfr's line decoders and
// keeps their bookkeeping uniform: line numbers, over-long lines, and the
// accounting of skipped and malformed records in formats.Stats. It does no
// decoding itself.
package lines

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// MaxLine is the longest line kept; longer lines are reported as bad.
const MaxLine = 1 << 20

// bufSize is the Reader's buffer: lines up to this long are returned
// without a copy. It is twice bufio's default for nfr's inputs (64 KiB):
// reading into a buffer with 64 KiB free, a bufio.Reader holding nothing
// reads straight into it instead of into its own buffer first.
const bufSize = 128 << 10

// Reader yields the lines of r without their line ending. The returned
// slice is valid until the next call. It finds each line in its own
// buffer with one IndexByte, no bufio.Reader in between (ReadSlice's
// bookkeeping cost about 45 instructions a line more).
type Reader struct {
	r          io.Reader
	buf        []byte
	start, end int   // buf[start:end] is read and not yet returned
	err        error // of the last read, returned once the buffer is empty
	num        int64
	long       []byte
}

// NewReader reads lines from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: r, buf: make([]byte, bufSize)}
}

// ErrTooLong is returned (with the line number advanced) for a line longer
// than MaxLine; the rest of that line is discarded.
var ErrTooLong = errors.New("line too long")

// Next returns the next line and its 1-based number, io.EOF at the end.
func (l *Reader) Next() ([]byte, int64, error) {
	if i := bytes.IndexByte(l.buf[l.start:l.end], '\n'); i >= 0 {
		line := l.buf[l.start : l.start+i+1]
		l.start += i + 1
		l.num++
		return trimEOL(line), l.num, nil
	}
	return l.refill()
}

// refill is Next when the buffer holds no whole line: it reads more, and
// handles the last line, lines longer than the buffer and read errors (as
// bufio.Reader does, an error is returned once, and reading resumes at
// the next call).
func (l *Reader) refill() ([]byte, int64, error) {
	for {
		if l.err != nil {
			err := l.err
			l.err = nil
			if l.start < l.end { // the last line, without its line ending
				line := l.buf[l.start:l.end]
				l.start = l.end
				if err == io.EOF {
					l.num++
					return trimEOL(line), l.num, nil
				}
			}
			if err == io.EOF {
				return nil, l.num, io.EOF
			}
			return nil, l.num, fmt.Errorf("line %d: %w", l.num+1, err)
		}
		if l.start == 0 && l.end == len(l.buf) {
			return l.longLine()
		}
		searched := l.end - l.start // holds no '\n'
		l.fill()
		if i := bytes.IndexByte(l.buf[searched:l.end], '\n'); i >= 0 {
			return l.Next()
		}
	}
}

// fill moves the unread bytes to the front of the buffer (start becomes 0)
// and reads after them, until something is read or an error (kept in
// l.err).
func (l *Reader) fill() {
	l.end = copy(l.buf, l.buf[l.start:l.end])
	l.start = 0
	for range 100 {
		n, err := l.r.Read(l.buf[l.end:])
		l.end += n
		if err != nil {
			l.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	l.err = io.ErrNoProgress
}

// longLine reads a line longer than the buffer (which holds its start)
// into l.long, keeping at most MaxLine bytes and more: a longer line is
// read to its end and dropped (ErrTooLong).
func (l *Reader) longLine() ([]byte, int64, error) {
	l.long = append(l.long[:0], l.buf[l.start:l.end]...)
	l.start = l.end
	tooLong := false
	for {
		l.fill()
		chunk := l.buf[l.start:l.end]
		i := bytes.IndexByte(chunk, '\n')
		if i >= 0 {
			chunk = chunk[:i+1]
		}
		l.start += len(chunk)
		if !tooLong {
			l.long = append(l.long, chunk...)
			tooLong = len(l.long) > MaxLine
		}
		if i < 0 && l.err == nil {
			continue
		}
		l.num++
		if i < 0 && l.err != io.EOF {
			err := l.err
			l.err = nil
			return nil, l.num, fmt.Errorf("line %d: %w", l.num, err)
		}
		if tooLong {
			l.long = l.long[:0]
			return nil, l.num, ErrTooLong
		}
		return trimEOL(l.long), l.num, nil
	}
}

// Counted is Next for a decoder keeping st: it counts the line, and a
// line that is too long comes back as st's rejection (a *formats.LineError
// naming file and line).
func (l *Reader) Counted(st *formats.Stats, file string) ([]byte, int64, error) {
	line, num, err := l.Next()
	if err == ErrTooLong {
		st.Lines++
		return nil, num, st.Reject(file, num, "line too long", "")
	}
	if err != nil {
		return nil, num, err
	}
	st.Lines++
	return line, num, nil
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// Account books the outcome of decoding one record: nil counts an event;
// a skip (see record.IsSkip) is counted and reported as skipped=true; a
// *formats.LineError is located at file:line, counted by reason and
// returned. Any other error is returned unchanged.
func Account(st *formats.Stats, file string, line int64, err error) (skipped bool, out error) {
	if err == nil {
		st.Events++
		return false, nil
	}
	if kind, ok := record.IsSkip(err); ok {
		st.Skip(kind)
		return true, nil
	}
	if le, ok := errors.AsType[*formats.LineError](err); ok {
		return false, st.Reject(file, line, le.Reason, le.Detail)
	}
	return false, err
}

// LineDecoder decodes one line into ev; it returns a *formats.LineError
// for bad input and a record skip error for lines that hold no event.
type LineDecoder interface {
	DecodeLine(line []byte, ev *scoring.Event) error
}

// Next is the Next of a line-oriented formats.Source: it reads lines from r
// and decodes them with d until one yields an event or an error worth
// returning, accounting every line in st (file names it in errors).
func Next(r *Reader, st *formats.Stats, file string, d LineDecoder, ev *scoring.Event) error {
	for {
		line, num, err := r.Counted(st, file)
		if err != nil {
			return err
		}
		if skipped, err := Account(st, file, num, d.DecodeLine(line, ev)); !skipped {
			return err
		}
	}
}
