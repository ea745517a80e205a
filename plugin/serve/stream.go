package serve

import (
	"bufio"
	"bytes"
	"crypto/subtle"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"

	"github.com/netflightrecorder/nfr/formats/record"
)

// streamBatch is how many records a socket reader maps before queueing them.
const streamBatch = 1000

// listenStream accepts newline-delimited JSON on a TCP address or a Unix
// socket (Vector's socket sink). A full queue slows the sender down (TCP
// backpressure) instead of refusing records.
func (s *Server) listenStream(network, addr string) error {
	ln, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
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

func (s *Server) track(c net.Conn, add bool) {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	if add {
		s.conns[c] = struct{}{}
	} else {
		delete(s.conns, c)
	}
}

// readStream maps one connection's lines into events and queues them.
// Off loopback (a token is configured) the first line must be the token.
func (s *Server) readStream(c net.Conn, needToken bool) {
	br := bufio.NewReaderSize(c, 64<<10)
	if needToken && s.cfg.Token != "" {
		line, err := readLine(br, 4096)
		if err != nil || subtle.ConstantTimeCompare(bytes.TrimSpace(line), []byte(s.cfg.Token)) != 1 {
			s.logf("stream %s: missing or wrong token", c.RemoteAddr())
			return
		}
	}
	b := newBatcher(record.InputAuto)
	flush := func() {
		s.metrics.count(len(b.events)+int(b.rejectedCount()), len(b.events), b.rejected)
		s.admit(b.events, true)
		b.events, b.rejected = nil, map[string]int64{}
	}
	for {
		line, err := readLine(br, s.cfg.MaxBody)
		if len(bytes.TrimSpace(line)) > 0 {
			var rec map[string]any
			if json.Unmarshal(line, &rec) != nil {
				b.rejected["unparsable JSON line"]++
			} else {
				b.add(rec)
			}
		}
		if len(b.events) >= streamBatch || (br.Buffered() == 0 && len(b.events) > 0) || err != nil {
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

// errLineTooLong reports a line over max_body.
var errLineTooLong = errors.New("line exceeds max_body")

// readLine reads one line (without its newline) of at most max bytes.
func readLine(br *bufio.Reader, max int64) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if int64(len(line)) > max {
			return nil, errLineTooLong
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}
