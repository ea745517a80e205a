// Package lines reads text input line by line for nfr's line decoders and
// keeps their bookkeeping uniform: line numbers, over-long lines, and the
// accounting of skipped and malformed records in formats.Stats. It does no
// decoding itself.
package lines

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// MaxLine is the longest line kept; longer lines are reported as bad.
const MaxLine = 1 << 20

// Reader yields the lines of r without their line ending. The returned
// slice is valid until the next call.
type Reader struct {
	r    *bufio.Reader
	num  int64
	long []byte
}

// NewReader reads lines from r.
func NewReader(r io.Reader) *Reader {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < bufSize {
		br = bufio.NewReaderSize(r, bufSize)
	}
	return &Reader{r: br}
}

// bufSize is the buffer lines are found in: lines up to this long are
// returned without a copy.
const bufSize = 64 << 10

// ErrTooLong is returned (with the line number advanced) for a line longer
// than MaxLine; the rest of that line is discarded.
var ErrTooLong = errors.New("line too long")

// Next returns the next line and its 1-based number, io.EOF at the end.
func (l *Reader) Next() ([]byte, int64, error) {
	return l.next(l.r.ReadSlice('\n'))
}

// next is Next for what ReadSlice returned.
func (l *Reader) next(line []byte, err error) ([]byte, int64, error) {
	if err == bufio.ErrBufferFull {
		return l.longLine(line)
	}
	if err == io.EOF && len(line) == 0 {
		return nil, l.num, io.EOF
	}
	if err != nil && err != io.EOF {
		return nil, l.num, fmt.Errorf("line %d: %w", l.num+1, err)
	}
	l.num++
	return trimEOL(line), l.num, nil
}

// Counted is Next for a decoder keeping st: it counts the line, and a
// line that is too long comes back as st's rejection (a *formats.LineError
// naming file and line).
func (l *Reader) Counted(st *formats.Stats, file string) ([]byte, int64, error) {
	line, err := l.r.ReadSlice('\n')
	if err != nil {
		return l.counted(st, file, line, err)
	}
	// A whole line in the buffer: Next's common case, without its call
	// (with Next's event case below, BenchmarkZeekLookupsTSV: 41
	// instructions a line).
	l.num++
	st.Lines++
	return trimEOL(line), l.num, nil
}

// counted is Counted for a line ReadSlice did not return whole.
func (l *Reader) counted(st *formats.Stats, file string, first []byte, err error) ([]byte, int64, error) {
	line, num, err := l.next(first, err)
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

func (l *Reader) longLine(first []byte) ([]byte, int64, error) {
	l.long = append(l.long[:0], first...)
	tooLong := false
	for {
		more, err := l.r.ReadSlice('\n')
		if !tooLong {
			l.long = append(l.long, more...)
			tooLong = len(l.long) > MaxLine
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		l.num++
		if err != nil && err != io.EOF {
			return nil, l.num, fmt.Errorf("line %d: %w", l.num, err)
		}
		if tooLong {
			l.long = l.long[:0]
			return nil, l.num, ErrTooLong
		}
		return trimEOL(l.long), l.num, nil
	}
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
		err = d.DecodeLine(line, ev)
		if err == nil { // an event: Account's common case, without its call
			st.Events++
			return nil
		}
		if skipped, err := Account(st, file, num, err); !skipped {
			return err
		}
	}
}
