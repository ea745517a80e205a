package sink

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/netflightrecorder/nfr/formats/alert"
	"github.com/netflightrecorder/nfr/scoring"
)

// writerSink writes one line per JSON alert (one per threat for CEF) to a
// writer. Each batch is one Write call; a write that fails part way leaves
// the rest of its last line pending, written first on the next Send so no
// line in the output is ever broken.
type writerSink struct {
	mu      sync.Mutex
	w       io.Writer
	enc     alert.Encoder
	buf     []byte
	pending []byte // the unwritten tail of a line cut by a failed write
	closed  bool
}

func newWriterSink(w io.Writer, enc alert.Encoder) *writerSink {
	return &writerSink{w: w, enc: enc}
}

// Send writes the batch.
func (s *writerSink) Send(alerts []*scoring.Alert) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return s.writeLocked(alerts)
}

func (s *writerSink) writeLocked(alerts []*scoring.Alert) error {
	if len(s.pending) > 0 {
		n, err := s.w.Write(s.pending)
		s.pending = s.pending[n:]
		if err != nil {
			return fmt.Errorf("sink: completing a cut line: %w", err)
		}
	}
	s.buf = s.buf[:0]
	for _, a := range alerts {
		s.buf = appendLines(s.buf, s.enc, a)
	}
	n, err := s.w.Write(s.buf)
	if err != nil {
		s.keepCutLine(s.buf[n:])
		return fmt.Errorf("sink: write: %w", err)
	}
	return nil
}

// keepCutLine keeps the remainder of the line a failed write cut, if any.
func (s *writerSink) keepCutLine(rest []byte) {
	if len(rest) == 0 || len(s.buf) == len(rest) || s.buf[len(s.buf)-len(rest)-1] == '\n' {
		return // the write stopped at a line boundary
	}
	end := bytes.IndexByte(rest, '\n')
	s.pending = append(s.pending[:0], rest[:end+1]...)
}

// appendLines appends a's encoding terminated by a newline.
func appendLines(dst []byte, enc alert.Encoder, a *scoring.Alert) []byte {
	n := len(dst)
	dst = enc(dst, a)
	if len(dst) > n && dst[len(dst)-1] != '\n' {
		dst = append(dst, '\n')
	}
	return dst
}

// Close marks the sink closed; stdout itself is left open.
func (s *writerSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// FileSink appends alerts to a file. It reopens it on Reopen (SIGHUP after
// logrotate moved it) and, without being told, on the first Send at least
// reopenCheck after it last looked, when the path no longer names the open
// file (moved or deleted): a stat a second at most, for processes that get
// no signal (the Fluent Bit plugin).
type FileSink struct {
	writerSink
	path      string
	f         *os.File
	info      os.FileInfo // of f, to tell whether path still names it
	lastCheck time.Time
	every     time.Duration // reopenCheck; tests change it
	logf      func(string, ...any)
}

// reopenCheck is how often Send checks whether the file was moved.
const reopenCheck = time.Second

// OpenFile opens path for appending, creating it (mode 0640) if needed.
func OpenFile(path string, enc alert.Encoder) (*FileSink, error) {
	s := &FileSink{path: path, every: reopenCheck, logf: func(string, ...any) {}}
	s.writerSink = writerSink{enc: enc}
	if err := s.openLocked(); err != nil {
		return nil, err
	}
	return s, nil
}

// openLocked opens path and makes it the file written to, closing the
// previous one; on failure the previous file is kept.
func (s *FileSink) openLocked() error {
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("sink: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("sink: %w", err)
	}
	old := s.f
	if old != nil && len(s.pending) > 0 { // finish the cut line where it began
		n, _ := old.Write(s.pending)
		s.pending = s.pending[n:]
	}
	s.f, s.w, s.info, s.lastCheck = f, f, info, time.Now()
	if old != nil {
		return old.Close()
	}
	return nil
}

// Send writes the batch, first reopening the file if it was moved.
func (s *FileSink) Send(alerts []*scoring.Alert) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.reopenIfMoved()
	return s.writeLocked(alerts)
}

// reopenIfMoved reopens the file when path no longer names it, looking
// at most once per reopenCheck. When reopening fails, writing goes on to
// the moved file (nothing is lost) and the next look tries again.
func (s *FileSink) reopenIfMoved() {
	if time.Since(s.lastCheck) < s.every {
		return
	}
	s.lastCheck = time.Now()
	if now, err := os.Stat(s.path); err == nil && os.SameFile(now, s.info) {
		return
	}
	if err := s.openLocked(); err != nil {
		s.logf("file %s was moved or deleted and reopening it failed, writing on to the old file: %v", s.path, err)
	}
}

// Reopen closes the file and opens path again, so writing continues in a
// new file after logrotate renamed the old one. On failure the old file is
// kept.
func (s *FileSink) Reopen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return s.openLocked()
}

// Close closes the file. Writes are unbuffered, so there is nothing left
// to flush; Close syncs the file to disk.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.f.Sync()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}
