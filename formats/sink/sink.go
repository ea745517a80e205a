// Package sink delivers encoded alerts to stdout, a file or a syslog
// receiver (RFC 5424 or RFC 3164 over UDP, TCP or TLS), and tells its
// caller whether they arrived so the caller can retry (Fluent Bit RETRY,
// HTTP 503). README.md states the delivery guarantee of each sink.
//
// A sink encodes with formats/alert and does I/O; it never scores, never
// drops an alert silently, and holds a bounded amount of memory.
package sink

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/netflightrecorder/nfr/formats/alert"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/scoring"
)

// Sink delivers alerts.
type Sink interface {
	// Send delivers alerts in order. nil means every alert was handed to
	// the destination; an error means at least one was not, and the caller
	// should retry the same batch later (README.md says how many
	// duplicates a retry can cause).
	Send(alerts []*scoring.Alert) error
	// Close flushes what is pending and releases the destination.
	Close() error
}

// Reopener is implemented by sinks that reopen their file, for logrotate:
// the process calls Reopen on SIGHUP.
type Reopener interface {
	Reopen() error
}

// Options carry what a sink needs from the process.
type Options struct {
	// Stdout is where the stdout sink writes; nil means os.Stdout.
	Stdout io.Writer
	// Hostname for syslog headers when the output does not set one; empty
	// means os.Hostname().
	Hostname string
	// Logf reports connection changes and truncations; nil discards them.
	Logf func(format string, args ...any)
}

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("sink: closed")

// Open opens the sink an output describes. The output should have passed
// config's Validate; Open still reports what it cannot use.
func Open(o config.Output, opts Options) (Sink, error) {
	enc, err := alert.EncoderFor(o.Format)
	if err != nil {
		return nil, err
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	switch {
	case o.Sink == "stdout":
		w := opts.Stdout
		if w == nil {
			w = os.Stdout
		}
		return newWriterSink(w, enc), nil
	case strings.HasPrefix(o.Sink, "file:"):
		return OpenFile(strings.TrimPrefix(o.Sink, "file:"), enc)
	case strings.HasPrefix(o.Sink, "syslog+"):
		return openSyslog(o, enc, opts)
	}
	return nil, fmt.Errorf("sink: %q is not stdout, file:PATH or syslog+PROTO://host:port", o.Sink)
}

// OpenAll opens every output as one sink (see Multi). On error the sinks
// already opened are closed.
func OpenAll(outputs []config.Output, opts Options) (*Multi, error) {
	m := &Multi{}
	for i, o := range outputs {
		s, err := Open(o, opts)
		if err != nil {
			m.Close()
			return nil, fmt.Errorf("outputs[%d]: %w", i, err)
		}
		m.sinks = append(m.sinks, s)
	}
	return m, nil
}

// Multi sends every batch to several sinks, each with its own format. When
// some sinks fail, Send returns their errors and remembers which sinks took
// the batch: a retry of the same batch (the same alert pointers) goes only
// to the sinks that failed, so outputs that succeeded get no duplicates.
type Multi struct {
	sinks   []Sink
	pending []*scoring.Alert // the last failed batch
	done    []bool           // which sinks took pending
}

// Send delivers alerts to every sink that has not already taken them.
func (m *Multi) Send(alerts []*scoring.Alert) error {
	if !m.isRetry(alerts) {
		m.pending = append(m.pending[:0], alerts...)
		m.done = append(m.done[:0], make([]bool, len(m.sinks))...)
	}
	var errs []error
	for i, s := range m.sinks {
		if m.done[i] {
			continue
		}
		if err := s.Send(alerts); err != nil {
			errs = append(errs, err)
			continue
		}
		m.done[i] = true
	}
	if len(errs) == 0 {
		m.pending = m.pending[:0]
		return nil
	}
	return errors.Join(errs...)
}

func (m *Multi) isRetry(alerts []*scoring.Alert) bool {
	if len(m.pending) == 0 || len(alerts) != len(m.pending) {
		return false
	}
	for i := range alerts {
		if alerts[i] != m.pending[i] {
			return false
		}
	}
	return true
}

// Reopen reopens every sink that has a file.
func (m *Multi) Reopen() error {
	var errs []error
	for _, s := range m.sinks {
		if r, ok := s.(Reopener); ok {
			errs = append(errs, r.Reopen())
		}
	}
	return errors.Join(errs...)
}

// Close closes every sink.
func (m *Multi) Close() error {
	var errs []error
	for _, s := range m.sinks {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// backoff is the delay before reconnecting: doubled after each failed
// attempt from minBackoff to maxBackoff, reset by a successful connect.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)
