// Package sink is nfr's one delivery path. It delivers encoded alerts to
// stdout, a file, a syslog receiver (RFC 5424 or RFC 3164 over UDP, TCP or
// TLS) or an HTTP endpoint, and tells its caller whether they arrived.
// Outputs sends a Batch to every configured sink, retries only the sinks
// that failed, and retries with backoff for as long as the caller says:
// nfr score, the Fluent Bit plugin, nfr serve and nfr-sniffer all deliver
// through it (via formats/pipeline). The kinds of sink are the scheme
// registry in schemes.go (one line each), and the outputs section of
// config.yml is declared here (output.go) beside the code that uses it.
// README.md states the delivery guarantee of each sink and how files are
// reopened for logrotate.
//
// A sink encodes with formats/alert and does I/O; it never scores, never
// drops an alert silently, never catches signals itself (the process
// calls Reopen), and holds a bounded amount of memory.
package sink

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/netflightrecorder/nfr/formats/alert"
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
// long-running processes call Reopen on SIGHUP (file sinks also reopen by
// themselves when their path no longer names the open file).
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

// Open opens the sink an output describes, through the scheme registry
// (schemes.go). The output should have passed Validate; Open still
// reports what it cannot use.
func Open(o Output, opts Options) (Sink, error) {
	enc, err := alert.EncoderFor(o.Format)
	if err != nil {
		return nil, err
	}
	sc, t, err := parse(o.Sink)
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	return sc.Open(o, t, enc, opts)
}

// backoff is the delay before reconnecting: doubled after each failed
// attempt from minBackoff to maxBackoff, reset by a successful connect.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)
