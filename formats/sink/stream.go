package sink

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/netflightrecorder/nfr/formats/alert"
	"github.com/netflightrecorder/nfr/scoring"
)

// Stats counts what a syslog sink did.
type Stats struct {
	Sent       uint64 // messages written (replays included)
	Replayed   uint64 // messages written again after a reconnect
	Reconnects uint64 // connections opened after the first
	Truncated  uint64 // UDP messages cut to max_message
}

// SyslogSink sends alerts to a syslog receiver over UDP, TCP or TLS.
//
// Over TCP and TLS, messages of batches already acknowledged to the caller
// are kept in a replay ring (syslog.buffer messages). When the connection
// fails they are sent again on the next connection, except those the
// receiver provably read: when it closed the connection cleanly (FIN or
// TLS close_notify), every byte its kernel acknowledged had been read, so
// only messages past the acknowledged byte count (Linux TCP_INFO) are
// replayed. README.md states the resulting guarantee.
type SyslogSink struct {
	mu      sync.Mutex
	network string // udp, tcp or tls
	addr    string
	tlsConf *tls.Config
	opts    SyslogOptions
	enc     alert.Encoder
	json    bool
	hdr     header
	logf    func(string, ...any)

	conn    *conn
	backoff time.Duration
	nextTry time.Time
	lastErr error
	everUp  bool

	ring      ring // messages already acknowledged, kept for replay
	scratch   []byte
	msg       []byte
	batch     []byte // the framed messages of the batch being sent
	ends      []int  // end offset in batch of each message
	replayBuf []byte
	// unconfirmed is set when a connection failed and the ring has not
	// been replayed since.
	unconfirmed bool
	stats       Stats
	closed      bool
}

// conn is one connection with a reader that notices the receiver leaving.
type conn struct {
	net.Conn               // what we write to (the TLS conn for TLS)
	raw      *countingConn // the TCP connection underneath
	done     chan struct{} // closed when the reader stops
	readErr  error         // why it stopped; valid once done is closed
}

// countingConn counts the bytes written to the TCP connection.
type countingConn struct {
	net.Conn
	written atomic.Uint64
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(uint64(n))
	return n, err
}

func openSyslog(o Output, u Target, enc alert.Encoder, opts Options) (*SyslogSink, error) {
	so := withDefaults(o.Syslog)
	s := &SyslogSink{network: u.Network, addr: u.Addr, opts: so, enc: enc, json: o.Format == "json", logf: opts.Logf, backoff: minBackoff}
	if s.network == "tls" {
		var err error
		if s.tlsConf, err = tlsConfig(so, u.Host); err != nil {
			return nil, err
		}
	}
	fac, ok := Facilities[so.Facility]
	if !ok {
		return nil, fmt.Errorf("sink: unknown syslog facility %q", so.Facility)
	}
	host := so.Hostname
	if host == "" {
		host = opts.Hostname
	}
	if host == "" {
		host, _ = os.Hostname()
	}
	s.hdr = header{rfc3164: so.Protocol == "rfc3164", facility: fac,
		hostname: string(appendPrintable(nil, host, 255)), procID: strconv.Itoa(os.Getpid())}
	s.ring.max = so.Buffer
	return s, nil
}

// withDefaults fills the zero values of options built by hand (config's
// loader already fills them).
func withDefaults(so SyslogOptions) SyslogOptions {
	d := DefaultSyslog()
	if so.Facility == "" {
		so.Facility = d.Facility
	}
	if so.Timeout <= 0 {
		so.Timeout = d.Timeout
	}
	if so.MaxMessage <= 0 {
		so.MaxMessage = d.MaxMessage
	}
	if so.Buffer <= 0 {
		so.Buffer = d.Buffer
	}
	return so
}

func tlsConfig(so SyslogOptions, host string) (*tls.Config, error) {
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: host}
	if so.ServerName != "" {
		c.ServerName = so.ServerName
	}
	if so.CAFile != "" {
		pem, err := os.ReadFile(so.CAFile)
		if err != nil {
			return nil, fmt.Errorf("sink: syslog ca_file: %w", err)
		}
		c.RootCAs = x509.NewCertPool()
		if !c.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("sink: syslog ca_file %s: no PEM certificate in it", so.CAFile)
		}
	}
	if so.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(so.CertFile, so.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("sink: syslog cert_file/key_file: %w", err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c, nil
}

// Stats returns the counters.
func (s *SyslogSink) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Send frames and writes the batch. Over TCP and TLS it first reconnects
// if needed (with backoff: while waiting it fails at once) and replays what
// the receiver may have missed.
func (s *SyslogSink) Send(alerts []*scoring.Alert) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.frameBatch(alerts)
	if s.network == "udp" {
		return s.sendUDP()
	}
	if s.conn != nil && s.conn.gone() {
		s.drop(nil)
	}
	if s.conn == nil {
		if err := s.connect(); err != nil {
			return err
		}
	}
	if err := s.write(s.batch); err != nil {
		s.drop(err)
		return fmt.Errorf("sink: syslog %s://%s: %w", s.network, s.addr, err)
	}
	s.stats.Sent += uint64(len(s.ends))
	s.remember()
	return nil
}

// frameBatch builds the framed messages of alerts into s.batch.
func (s *SyslogSink) frameBatch(alerts []*scoring.Alert) {
	s.batch, s.ends = s.batch[:0], s.ends[:0]
	for _, a := range alerts {
		t := a.Time
		if t.IsZero() {
			t = a.Event.Time
		}
		s.scratch = eachMessage(s.scratch, s.enc, s.json, a, func(body []byte, msgID string, sev int) {
			s.msg = s.hdr.appendMessage(s.msg[:0], t, sev, msgID, body)
			s.batch = s.appendFramed(s.batch, s.msg)
			s.ends = append(s.ends, len(s.batch))
		})
	}
}

// appendFramed frames one message for the transport: UDP sends it bare,
// TCP and TLS with octet counting (RFC 6587 3.4.1, RFC 5425) or a
// trailing LF.
func (s *SyslogSink) appendFramed(dst, msg []byte) []byte {
	switch {
	case s.network == "udp":
		return append(dst, msg...)
	case s.opts.Framing == "lf":
		dst = append(dst, msg...)
		return append(dst, '\n')
	}
	dst = strconv.AppendInt(dst, int64(len(msg)), 10)
	dst = append(dst, ' ')
	return append(dst, msg...)
}

// remember adds the batch's messages to the replay ring, dropping the oldest.
func (s *SyslogSink) remember() {
	// The batch went out in one Write, so its messages share one raw end:
	// a batch counts as read only once all of it was acknowledged.
	end := s.conn.raw.written.Load()
	start := 0
	for _, e := range s.ends {
		s.ring.push(s.batch[start:e], end)
		start = e
	}
}

// write writes b with the write timeout.
func (s *SyslogSink) write(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	s.conn.SetWriteDeadline(time.Now().Add(s.opts.Timeout))
	_, err := s.conn.Write(b)
	return err
}

// connect dials the receiver unless the backoff says to wait, then
// replays the ring.
func (s *SyslogSink) connect() error {
	if wait := time.Until(s.nextTry); wait > 0 {
		return fmt.Errorf("sink: syslog %s://%s unavailable, next attempt in %s: %w",
			s.network, s.addr, wait.Round(time.Millisecond), s.lastErr)
	}
	c, err := s.dial()
	if err != nil {
		s.lastErr = err
		s.nextTry = time.Now().Add(s.backoff)
		s.backoff = min(2*s.backoff, maxBackoff)
		return fmt.Errorf("sink: syslog %s://%s: %w", s.network, s.addr, err)
	}
	s.conn, s.backoff = c, minBackoff
	if s.everUp {
		s.stats.Reconnects++
		s.logf("syslog %s://%s: reconnected, replaying %d messages", s.network, s.addr, s.ring.len())
	}
	s.everUp = true
	return s.replay()
}

// replay writes the ring on the new connection and records where each
// message now ends.
func (s *SyslogSink) replay() error {
	if s.ring.len() == 0 {
		s.unconfirmed = false
		return nil
	}
	s.replayBuf = s.ring.appendAll(s.replayBuf[:0])
	if err := s.write(s.replayBuf); err != nil {
		s.drop(err)
		return fmt.Errorf("sink: syslog %s://%s: replay: %w", s.network, s.addr, err)
	}
	s.ring.setRawEnd(s.conn.raw.written.Load())
	s.unconfirmed = false
	s.stats.Sent += uint64(s.ring.len())
	s.stats.Replayed += uint64(s.ring.len())
	return nil
}

func (s *SyslogSink) dial() (*conn, error) {
	d := net.Dialer{Timeout: s.opts.Timeout}
	tcp, err := d.Dial("tcp", s.addr)
	if err != nil {
		return nil, err
	}
	raw := &countingConn{Conn: tcp}
	c := &conn{Conn: raw, raw: raw, done: make(chan struct{})}
	if s.network == "tls" {
		tc := tls.Client(raw, s.tlsConf)
		ctx, cancel := context.WithTimeout(context.Background(), s.opts.Timeout)
		err := tc.HandshakeContext(ctx)
		cancel()
		if err != nil {
			tcp.Close()
			return nil, fmt.Errorf("TLS handshake: %w", err)
		}
		c.Conn = tc
	}
	go c.watch()
	return c, nil
}

// watch reads until the receiver closes or resets the connection. Syslog
// receivers never send, so any end of the read is the receiver leaving.
func (c *conn) watch() {
	_, err := io.Copy(io.Discard, c.Conn)
	if err == nil {
		err = io.EOF
	}
	c.readErr = err
	close(c.done)
}

// gone reports whether the receiver has left.
func (c *conn) gone() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// clean reports whether the receiver closed without losing data it had
// received: a FIN (or TLS close_notify) rather than a reset. Linux resets
// a connection closed with unread data, so after a clean close every byte
// the receiver's kernel acknowledged had been read.
func (c *conn) clean() bool {
	if !c.gone() {
		return false
	}
	return errors.Is(c.readErr, io.EOF) || errors.Is(c.readErr, io.ErrUnexpectedEOF)
}

// drop closes a failed connection, trims from the ring what the receiver
// provably read, and schedules the next attempt.
func (s *SyslogSink) drop(cause error) {
	c := s.conn
	s.conn = nil
	if c.clean() {
		if acked, ok := bytesAcked(c.raw.Conn); ok {
			i := 0
			for i < s.ring.len() && s.ring.at(i).rawEnd <= acked {
				i++
			}
			s.ring.dropOldest(i)
		}
	}
	c.Conn.Close()
	s.unconfirmed = true
	if cause == nil {
		cause = c.readErr
	}
	s.lastErr = cause
	s.logf("syslog %s://%s: connection lost (%v); %d messages to replay", s.network, s.addr, cause, s.ring.len())
}

// Close flushes: over TCP and TLS it first replays what a failed
// connection may have lost (one connection attempt, ignoring the backoff),
// then ends the stream and waits (up to the timeout) for the receiver to
// close its side, which it does once it has read everything. It returns
// an error if that confirmation does not come.
func (s *SyslogSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.network == "udp" {
		if s.conn != nil {
			return s.conn.Close()
		}
		return nil
	}
	if s.conn != nil && s.conn.gone() {
		s.drop(nil)
	}
	if s.conn == nil {
		if !s.unconfirmed {
			return nil
		}
		s.nextTry = time.Time{}
		if err := s.connect(); err != nil {
			return fmt.Errorf("%w (%d messages may not have reached the receiver)", err, s.ring.len())
		}
	}
	c := s.conn
	s.conn = nil
	defer c.Conn.Close()
	var err error
	switch cw := c.Conn.(type) {
	case *tls.Conn:
		err = cw.CloseWrite()
	case *countingConn:
		err = cw.Conn.(*net.TCPConn).CloseWrite()
	}
	if err != nil {
		return fmt.Errorf("sink: syslog %s://%s: close: %w", s.network, s.addr, err)
	}
	select {
	case <-c.done:
		if !c.clean() {
			return fmt.Errorf("sink: syslog %s://%s: close: %w", s.network, s.addr, c.readErr)
		}
		return nil
	case <-time.After(s.opts.Timeout):
		return fmt.Errorf("sink: syslog %s://%s: close: receiver did not confirm within %s", s.network, s.addr, s.opts.Timeout)
	}
}
