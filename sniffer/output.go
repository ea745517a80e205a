package sniffer

import (
	"bufio"
	"io"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer/forward"
)

// Sink consumes the sniffer's events: the NDJSON writer, the Forward
// sender, or the in-process scorer that cmd/nfr-sniffer wires in.
type Sink interface {
	Write(ev *scoring.Event) error
	// Close flushes what the sink holds.
	Close() error
}

// JSONSink writes one NDJSON record per event.
type JSONSink struct {
	w   *bufio.Writer
	buf []byte
}

// NewJSONSink returns a sink writing to w (buffered; Close flushes).
func NewJSONSink(w io.Writer) *JSONSink {
	return &JSONSink{w: bufio.NewWriterSize(w, 256<<10)}
}

// Write encodes ev.
func (s *JSONSink) Write(ev *scoring.Event) error {
	s.buf = AppendJSON(s.buf[:0], ev)
	_, err := s.w.Write(s.buf)
	return err
}

// Close flushes the buffer.
func (s *JSONSink) Close() error { return s.w.Flush() }

// Tags are the Forward tags per record type.
type Tags struct{ DNS, Flow, ICMP, TLS string }

// DefaultTags are nfr.dns, nfr.flow, nfr.icmp and nfr.tls.
func DefaultTags() Tags {
	return Tags{DNS: "nfr.dns", Flow: "nfr.flow", ICMP: "nfr.icmp", TLS: "nfr.tls"}
}

func (t Tags) of(ev *scoring.Event) string {
	switch ev.Type {
	case scoring.TypeDNS:
		return t.DNS
	case scoring.TypeFlow:
		return t.Flow
	case scoring.TypeTLS:
		return t.TLS
	}
	return t.ICMP
}

// ForwardSink sends msgpack records through a forward.Client.
type ForwardSink struct {
	Client *forward.Client
	Tags   Tags
	// Drain bounds how long Close waits for queued chunks to be delivered
	// before leaving them in the spool.
	Drain time.Duration
	buf   []byte
}

// Write encodes ev and queues it under its type's tag.
func (s *ForwardSink) Write(ev *scoring.Event) error {
	s.buf = AppendRecord(s.buf[:0], ev)
	return s.Client.Append(s.Tags.of(ev), ev.Time, s.buf)
}

// Close flushes the batches and waits for delivery up to Drain.
func (s *ForwardSink) Close() error { return s.Client.Close(s.Drain) }
