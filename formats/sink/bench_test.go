package sink

import (
	"io"
	"net"
	"testing"
)

// BenchmarkFrame measures encoding plus RFC 5424 framing, per alert.
func BenchmarkFrame(b *testing.B) {
	for _, format := range []string{"json", "cef"} {
		b.Run(format, func(b *testing.B) {
			s, err := Open(syslogOutput("syslog+tcp", "127.0.0.1:1", format), Options{})
			if err != nil {
				b.Fatal(err)
			}
			ss := s.(*SyslogSink)
			batch := seqAlerts(0, 100)
			ss.frameBatch(batch)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += len(batch) {
				ss.frameBatch(batch)
			}
		})
	}
}

// BenchmarkSendTCP measures Send to a loopback receiver that discards,
// per alert (batches of 100).
func BenchmarkSendTCP(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	s, err := Open(syslogOutput("syslog+tcp", ln.Addr().String(), "json"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	batch := seqAlerts(0, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += len(batch) {
		if err := s.Send(batch); err != nil {
			b.Fatal(err)
		}
	}
}
