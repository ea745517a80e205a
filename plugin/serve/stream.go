package serve

import (
	"bufio"
	"bytes"
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"time"
	"unicode/utf8"

	"github.com/netflightrecorder/nfr/formats/record"
)

// streamBatch is how many records a socket reader maps before queueing them.
const streamBatch = 1000

// listenStream accepts newline-delimited JSON on a TCP address or a Unix
// socket (Vector's socket sink). A full queue or memory budget slows the
// sender down (TCP backpressure) instead of refusing records.
func (s *Server) listenStream(network, addr string) error {
	ln, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	ln = s.limit(ln, network)
	if network == "tcp" && s.cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(s.cfg.TLSCert, s.cfg.TLSKey)
		if err != nil {
			ln.Close()
			return err
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	}
	s.listeners = append(s.listeners, ln)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if !s.enter() {
				c.Close()
				return
			}
			s.track(c, true)
			go func() {
				defer s.inputs.Done()
				defer s.track(c, false)
				defer c.Close()
				s.readStream(c, network == "tcp")
			}()
		}
	}()
	return nil
}

// limit caps a listener's open connections at max_connections.
func (s *Server) limit(ln net.Listener, name string) net.Listener {
	return newLimitListener(ln, s.cfg.MaxConnections, func() {
		s.metrics.refused.WithLabelValues(name).Inc()
	})
}

func (s *Server) track(c net.Conn, add bool) {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	if add {
		s.conns[c] = struct{}{}
	} else {
		delete(s.conns, c)
	}
}

// idleConn moves the read deadline forward on every read once armed (the
// token was read): a stream that sends nothing for idle_timeout is closed.
// Shutdown's deadline wins.
type idleConn struct {
	net.Conn
	s     *Server
	armed bool
}

func (c *idleConn) Read(p []byte) (int, error) {
	if c.armed && !c.s.closing.Load() {
		c.Conn.SetReadDeadline(time.Now().Add(c.s.cfg.IdleTimeout))
	}
	return c.Conn.Read(p)
}

// readStream maps one connection's lines into events and scores them
// (scoreHere), a batch of up to streamBatch lines at a time.
// Off loopback (a token is configured) the first line must be the token,
// within auth_timeout. A bad line is skipped and counted, as over HTTP.
func (s *Server) readStream(c net.Conn, needToken bool) {
	ic := &idleConn{Conn: c, s: s}
	br := bufio.NewReaderSize(ic, 64<<10)
	first := int64(1) // line number of the first record
	if needToken && s.cfg.Token != "" {
		if !s.streamAuth(c, br) {
			return
		}
		first = 2
	}
	ic.armed = true
	b := newBatcher(record.InputAuto, s.budget)
	defer b.charge.drop() // a batch shutdown gave up on
	flush := func() {
		s.metrics.count(b.accepted+int(b.rejectedCount()), b.accepted, b.rejected)
		s.logRejections(c, b)
		s.scoreHere(b.take())
		b.accepted = 0
		clear(b.rejected) // counted and logged above
		clear(b.lines)
	}
	var lineBuf []byte
	for num := first; ; num++ {
		line, err := readLine(br, s.cfg.MaxLine, &lineBuf)
		switch {
		case errors.Is(err, errLineTooLong):
			b.reject(num, reasonTooLong)
			err = nil
		case !blank(line):
			if !s.streamLine(b, parseLine(num, line), flush) {
				return
			}
		}
		if err != nil {
			b.release(true) // the end of the stream: nothing more will be joined
		}
		if b.events.len() >= streamBatch || (br.Buffered() == 0 && b.accepted+len(b.rejected) > 0) || err != nil {
			flush()
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && !s.closing.Load() {
				s.logf("stream %s: %v", c.RemoteAddr(), err)
			}
			return
		}
	}
}

// streamAuth reads the token line within auth_timeout.
func (s *Server) streamAuth(c net.Conn, br *bufio.Reader) bool {
	c.SetReadDeadline(time.Now().Add(s.cfg.AuthTimeout))
	line, err := readLine(br, 4096, nil)
	if err != nil || subtle.ConstantTimeCompare(bytes.TrimSpace(line), []byte(s.cfg.Token)) != 1 {
		s.logf("stream %s: missing or wrong token", c.RemoteAddr())
		return false
	}
	return true
}

// streamLine pays for one line from the memory budget, waiting (after
// queueing the batch so far) when it is full, and maps it. It returns
// false when shutdown gave up waiting.
func (s *Server) streamLine(b *batcher, r rawRecord, flush func()) bool {
	need := r.size + eventCost
	if b.charge.tryTake(need) != nil {
		flush()
		if !s.budget.take(b.charge, need, s.aborting.Load) {
			return false
		}
	}
	b.add(r)
	return true
}

// logRejections logs the first rejected line numbers of a stream batch.
func (s *Server) logRejections(c net.Conn, b *batcher) {
	for reason, n := range b.rejected {
		s.logf("stream %s: %d lines rejected (%s), first at lines %v", c.RemoteAddr(), n, reason, b.lines[reason])
	}
}

// errLineTooLong reports a line over max_line.
var errLineTooLong = errors.New("line exceeds max_line")

// readLine reads one line (without its line ending) of at most max bytes.
// A longer line is read to its end and dropped (errLineTooLong), holding
// no more than max bytes of it: the reader stays in sync at the next line.
// The line is read into buf (reused: it is valid until the next call
// with the same buf); pass nil for a line of its own.
func readLine(br *bufio.Reader, max int64, buf *[]byte) ([]byte, error) {
	chunk, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		// The whole line is in br's buffer: returned without a copy.
		line := trimEOL(chunk)
		if int64(len(line)) <= max {
			return line, err
		}
		if err == nil || err == io.EOF {
			return nil, errLineTooLong
		}
		return nil, err
	}
	return readLongLine(br, max, buf, chunk)
}

// readLongLine is readLine for a line longer than br's buffer, whose
// first chunk was read.
func readLongLine(br *bufio.Reader, max int64, buf *[]byte, chunk []byte) ([]byte, error) {
	var line []byte
	if buf != nil {
		line = (*buf)[:0]
		defer func() {
			if cap(line) <= 64<<10 { // a rare long line is not kept
				*buf = line[:0]
			}
		}()
	}
	tooLong := false
	for err := bufio.ErrBufferFull; ; chunk, err = br.ReadSlice('\n') {
		if !tooLong {
			line = append(line, chunk...)
			if int64(len(trimEOL(line))) > max {
				tooLong, line = true, nil
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if tooLong && (err == nil || err == io.EOF) {
			return nil, errLineTooLong
		}
		return trimEOL(line), err
	}
}

// trimEOL is bytes.TrimRight(b, "\r\n") without its general set matching.
func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// blank reports whether b holds nothing but white space (as
// bytes.TrimSpace sees it), deciding at once for a line that starts with
// a printable ASCII byte, as records do.
func blank(b []byte) bool {
	if len(b) > 0 && b[0] > ' ' && b[0] < utf8.RuneSelf {
		return false
	}
	return len(bytes.TrimSpace(b)) == 0
}
