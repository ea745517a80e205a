package sink

import (
	"fmt"
	"net"
	"unicode/utf8"
)

// sendUDP sends each message of the batch in its own datagram (RFC 5426).
// A message longer than max_message is cut to it at a UTF-8 boundary and
// counted: a receiver would otherwise drop or cut it anyway. UDP has no
// acknowledgement: nil means the kernel accepted every datagram.
func (s *SyslogSink) sendUDP() error {
	if s.conn == nil {
		c, err := net.DialTimeout("udp", s.addr, s.opts.Timeout)
		if err != nil {
			return fmt.Errorf("sink: syslog udp://%s: %w", s.addr, err)
		}
		s.conn = &conn{Conn: c, done: make(chan struct{})}
	}
	start := 0
	for _, end := range s.ends {
		msg := s.batch[start:end]
		start = end
		if len(msg) > s.opts.MaxMessage {
			s.stats.Truncated++
			s.logf("syslog udp://%s: message of %d bytes cut to %d (max_message)", s.addr, len(msg), s.opts.MaxMessage)
			msg = cutUTF8(msg, s.opts.MaxMessage)
		}
		if _, err := s.conn.Write(msg); err != nil {
			return fmt.Errorf("sink: syslog udp://%s: %w", s.addr, err)
		}
		s.stats.Sent++
	}
	return nil
}

// cutUTF8 returns b cut to at most n bytes without splitting a character.
func cutUTF8(b []byte, n int) []byte {
	b = b[:n]
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}
