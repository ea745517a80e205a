// Package forward sends msgpack records to Fluent Bit's in_forward or
// Vector's fluent source over the Forward protocol v1: PackedForward
// batches per tag (optionally gzip), EventTime, the chunk option with ack
// wait and resend, the shared_key handshake, TLS, reconnect with backoff
// and a bounded disk spool (sniffer/spool) while the receiver is away.
// It does not build records: callers pass msgpack maps.
package forward

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/tinylib/msgp/msgp"

	"github.com/netflightrecorder/nfr/sniffer/spool"
)

// Config says where and how to send.
type Config struct {
	Address string      // host:port
	TLS     *tls.Config // nil for plain TCP
	// SharedKey enables the HELO/PING/PONG handshake; Hostname is the
	// name sent in PING. Username and Password answer user auth.
	SharedKey, Hostname, Username, Password string
	Gzip                                    bool
	// Ack asks for an ack per chunk and resends chunks not acked within
	// AckTimeout (on a new connection).
	Ack          bool
	AckTimeout   time.Duration
	DialTimeout  time.Duration
	BatchRecords int           // seal a batch at this many records
	BatchBytes   int           // or at this many bytes
	FlushEvery   time.Duration // or this long after its first record
	BackoffMin   time.Duration
	BackoffMax   time.Duration
	// SpoolDir holds chunks while the receiver is away ("" keeps only
	// MemChunks in memory and drops the oldest beyond them).
	SpoolDir      string
	SpoolMaxBytes int64
	MemChunks     int
}

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.AckTimeout, 10*time.Second)
	set(&c.DialTimeout, 5*time.Second)
	set(&c.FlushEvery, time.Second)
	set(&c.BackoffMin, 500*time.Millisecond)
	set(&c.BackoffMax, 30*time.Second)
	if c.BatchRecords <= 0 {
		c.BatchRecords = 1000
	}
	if c.BatchBytes <= 0 {
		c.BatchBytes = 1 << 20
	}
	if c.MemChunks <= 0 {
		c.MemChunks = 16
	}
	if c.SpoolMaxBytes <= 0 {
		c.SpoolMaxBytes = 256 << 20
	}
}

// Stats are the client's counters.
type Stats struct {
	Records      uint64 // records appended
	AckedRecords uint64 // records delivered (acked, or written when Ack is off)
	Chunks       uint64 // chunks delivered
	BytesSent    uint64
	Connects     uint64
	Failures     uint64 // failed dials, handshakes, writes and ack waits
	Spool        spool.Stats
}

// Client batches records and sends them from a goroutine of its own.
type Client struct {
	cfg   Config
	queue *spool.Queue

	mu      sync.Mutex
	batches map[string]*batch

	records, acked, chunks, sent, connects, failures atomic.Uint64

	quit    chan struct{}
	stopped chan struct{}
	connMu  sync.Mutex
	conn    net.Conn
	reader  *msgp.Reader
}

type batch struct {
	entries []byte
	count   int
	first   time.Time
}

// New starts a client. It does not connect until there is something to send.
func New(cfg Config) (*Client, error) {
	cfg.defaults()
	if cfg.Address == "" {
		return nil, errors.New("forward: no address")
	}
	q, err := spool.Open(cfg.SpoolDir, cfg.MemChunks, cfg.SpoolMaxBytes)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, queue: q, batches: map[string]*batch{},
		quit: make(chan struct{}), stopped: make(chan struct{})}
	go c.sendLoop()
	go c.flushLoop()
	return c, nil
}

// Append adds one record (a msgpack map) with its event time to tag's batch.
func (c *Client) Append(tag string, t time.Time, record []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.batches[tag]
	if b == nil {
		b = &batch{}
		c.batches[tag] = b
	}
	if b.count == 0 {
		b.first = time.Now()
	}
	b.entries = append(b.entries, 0x92)
	b.entries = AppendEventTime(b.entries, t)
	b.entries = append(b.entries, record...)
	b.count++
	c.records.Add(1)
	if b.count >= c.cfg.BatchRecords || len(b.entries) >= c.cfg.BatchBytes {
		return c.seal(tag, b)
	}
	return nil
}

// AppendEventTime appends t as Forward's EventTime (ext type 0, fixext8).
func AppendEventTime(dst []byte, t time.Time) []byte {
	dst = append(dst, 0xd7, 0x00)
	dst = binary.BigEndian.AppendUint32(dst, uint32(t.Unix()))
	return binary.BigEndian.AppendUint32(dst, uint32(t.Nanosecond()))
}

// Flush seals every batch that holds records.
func (c *Client) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for tag, b := range c.batches {
		if b.count > 0 {
			errs = append(errs, c.seal(tag, b))
		}
	}
	return errors.Join(errs...)
}

// seal turns a batch into a PackedForward message and queues it.
func (c *Client) seal(tag string, b *batch) error {
	var id [16]byte
	rand.Read(id[:])
	chunkID := base64.StdEncoding.EncodeToString(id[:])
	payload := b.entries
	if c.cfg.Gzip {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(payload)
		zw.Close()
		payload = z.Bytes()
	}
	msg := make([]byte, 0, len(payload)+len(tag)+96)
	msg = msgp.AppendArrayHeader(msg, 3)
	msg = msgp.AppendString(msg, tag)
	msg = msgp.AppendBytes(msg, payload)
	opts := uint32(1)
	if c.cfg.Ack {
		opts++
	}
	if c.cfg.Gzip {
		opts++
	}
	msg = msgp.AppendMapHeader(msg, opts)
	msg = msgp.AppendString(msg, "size")
	msg = msgp.AppendInt(msg, b.count)
	if c.cfg.Ack {
		msg = msgp.AppendString(msg, "chunk")
		msg = msgp.AppendString(msg, chunkID)
	}
	if c.cfg.Gzip {
		msg = msgp.AppendString(msg, "compressed")
		msg = msgp.AppendString(msg, "gzip")
	}
	n := b.count
	b.entries, b.count = b.entries[:0], 0
	return c.queue.Push(n, chunkID, msg)
}

func (c *Client) flushLoop() {
	t := time.NewTicker(c.cfg.FlushEvery / 4)
	defer t.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
		}
		c.mu.Lock()
		for tag, b := range c.batches {
			if b.count > 0 && time.Since(b.first) >= c.cfg.FlushEvery {
				c.seal(tag, b)
			}
		}
		c.mu.Unlock()
	}
}

// sendLoop sends the oldest queued chunk until it is delivered, reconnecting
// with exponential backoff.
func (c *Client) sendLoop() {
	defer close(c.stopped)
	backoff := c.cfg.BackoffMin
	for {
		ch, ok := c.queue.Peek()
		if !ok {
			return
		}
		err := c.deliver(ch)
		if err == nil {
			c.queue.Pop(ch.Seq)
			c.acked.Add(uint64(ch.Records))
			c.chunks.Add(1)
			backoff = c.cfg.BackoffMin
			continue
		}
		c.failures.Add(1)
		c.dropConn()
		select {
		case <-c.quit:
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, c.cfg.BackoffMax)
	}
}

// deliver writes one chunk on the current connection (dialling first if
// needed) and waits for its ack.
func (c *Client) deliver(ch spool.Chunk) error {
	conn, r, err := c.connection()
	if err != nil {
		return err
	}
	conn.SetWriteDeadline(time.Now().Add(c.cfg.AckTimeout))
	if _, err := conn.Write(ch.Data); err != nil {
		return fmt.Errorf("forward: write: %w", err)
	}
	c.sent.Add(uint64(len(ch.Data)))
	if !c.cfg.Ack {
		return nil
	}
	conn.SetReadDeadline(time.Now().Add(c.cfg.AckTimeout))
	got, err := readAck(r)
	if err != nil {
		return fmt.Errorf("forward: ack: %w", err)
	}
	if got != ch.ID {
		return fmt.Errorf("forward: ack for %q, want %q", got, ch.ID)
	}
	return nil
}

// readAck reads the server's {"ack": id} response.
func readAck(r *msgp.Reader) (string, error) {
	n, err := r.ReadMapHeader()
	if err != nil {
		return "", err
	}
	ack := ""
	for range n {
		k, err := r.ReadString()
		if err != nil {
			return "", err
		}
		if k != "ack" {
			if err := r.Skip(); err != nil {
				return "", err
			}
			continue
		}
		if ack, err = readText(r); err != nil {
			return "", err
		}
	}
	return ack, nil
}

// readText reads a str or bin value as text.
func readText(r *msgp.Reader) (string, error) {
	t, err := r.NextType()
	if err != nil {
		return "", err
	}
	if t == msgp.BinType {
		b, err := r.ReadBytes(nil)
		return string(b), err
	}
	return r.ReadString()
}

func (c *Client) connection() (net.Conn, *msgp.Reader, error) {
	c.connMu.Lock()
	defer c.connMu.Unlock()
	if c.conn != nil {
		return c.conn, c.reader, nil
	}
	conn, err := c.dial()
	if err != nil {
		return nil, nil, err
	}
	r := msgp.NewReader(conn)
	if c.cfg.SharedKey != "" {
		conn.SetDeadline(time.Now().Add(c.cfg.AckTimeout))
		if err := handshake(conn, r, c.cfg); err != nil {
			conn.Close()
			return nil, nil, err
		}
		conn.SetDeadline(time.Time{})
	}
	c.conn, c.reader = conn, r
	c.connects.Add(1)
	return conn, r, nil
}

func (c *Client) dial() (net.Conn, error) {
	d := &net.Dialer{Timeout: c.cfg.DialTimeout, KeepAlive: 30 * time.Second}
	if c.cfg.TLS != nil {
		conn, err := tls.DialWithDialer(d, "tcp", c.cfg.Address, c.cfg.TLS)
		if err != nil {
			return nil, fmt.Errorf("forward: dial %s: %w", c.cfg.Address, err)
		}
		return conn, nil
	}
	conn, err := d.Dial("tcp", c.cfg.Address)
	if err != nil {
		return nil, fmt.Errorf("forward: dial %s: %w", c.cfg.Address, err)
	}
	return conn, nil
}

func (c *Client) dropConn() {
	c.connMu.Lock()
	defer c.connMu.Unlock()
	if c.conn != nil {
		c.conn.Close()
		c.conn, c.reader = nil, nil
	}
}

// Stats returns a snapshot of the counters.
func (c *Client) Stats() Stats {
	return Stats{Records: c.records.Load(), AckedRecords: c.acked.Load(), Chunks: c.chunks.Load(),
		BytesSent: c.sent.Load(), Connects: c.connects.Load(), Failures: c.failures.Load(),
		Spool: c.queue.Stats()}
}

// Close seals the open batches, waits up to drain for the queue to empty,
// then stops; chunks still queued stay in the spool directory for the next run.
func (c *Client) Close(drain time.Duration) error {
	err := c.Flush()
	deadline := time.Now().Add(drain)
	for c.queue.Len() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	close(c.quit)
	c.dropConn()
	qerr := c.queue.Close()
	<-c.stopped
	return errors.Join(err, qerr)
}
