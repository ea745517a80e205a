// Package forwardtest is a Forward protocol v1 receiver for tests: it
// speaks the shared_key handshake (HELO/PING/PONG), accepts Message,
// Forward, PackedForward and gzip CompressedPackedForward, acks chunks and
// keeps the records it received. It can be stopped and restarted on the
// same address to simulate an outage. Not for production use.
package forwardtest

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/tinylib/msgp/msgp"

	"github.com/netflightrecorder/nfr/sniffer/forward"
)

// Record is one received record.
type Record struct {
	Tag     string
	Seconds uint32 // EventTime
	Nanos   uint32
	Fields  map[string]any
}

// Server is a Forward receiver.
type Server struct {
	SharedKey string
	// TLS, when set, makes the server accept TLS connections only.
	TLS *tls.Config

	mu         sync.Mutex
	addr       string
	ln         net.Listener
	conns      map[net.Conn]bool
	records    []Record
	chunks     map[string]bool // chunk ids seen: resent chunks are counted once
	dupes      int
	errs       []error
	handshakes int
}

// Start listens on addr ("127.0.0.1:0" for any port) and serves in the background.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if s.TLS != nil {
		ln = tls.NewListener(ln, s.TLS)
	}
	s.mu.Lock()
	s.ln, s.addr = ln, ln.Addr().String()
	if s.conns == nil {
		s.conns, s.chunks = map[net.Conn]bool{}, map[string]bool{}
	}
	s.mu.Unlock()
	go s.accept(ln)
	return nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Stop closes the listener and every connection (an outage).
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		s.ln.Close()
		s.ln = nil
	}
	for c := range s.conns {
		c.Close()
		delete(s.conns, c)
	}
}

// Restart listens again on the address it had.
func (s *Server) Restart() error { return s.Start(s.Addr()) }

// Records returns a copy of the records received so far.
func (s *Server) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Record(nil), s.records...)
}

// Duplicates counts chunks received again after they had been acked.
func (s *Server) Duplicates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dupes
}

// Handshakes counts successful shared_key handshakes.
func (s *Server) Handshakes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handshakes
}

// Errors returns protocol errors seen (bad handshakes, malformed messages).
func (s *Server) Errors() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.errs...)
}

func (s *Server) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = true
		s.mu.Unlock()
		go s.serve(c)
	}
}

func (s *Server) fail(err error) {
	s.mu.Lock()
	s.errs = append(s.errs, err)
	s.mu.Unlock()
}

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	r := msgp.NewReader(c)
	if s.SharedKey != "" {
		if err := s.handshake(c, r); err != nil {
			s.fail(err)
			return
		}
	}
	for {
		if err := s.message(c, r); err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.fail(err)
			}
			return
		}
	}
}

func (s *Server) handshake(c net.Conn, r *msgp.Reader) error {
	var nb [16]byte
	rand.Read(nb[:])
	nonce := string(nb[:])
	helo := msgp.AppendArrayHeader(nil, 2)
	helo = msgp.AppendString(helo, "HELO")
	helo = msgp.AppendMapHeader(helo, 3)
	helo = msgp.AppendString(helo, "nonce")
	helo = msgp.AppendBytes(helo, nb[:])
	helo = msgp.AppendString(helo, "auth")
	helo = msgp.AppendBytes(helo, nil)
	helo = msgp.AppendString(helo, "keepalive")
	helo = msgp.AppendBool(helo, true)
	if _, err := c.Write(helo); err != nil {
		return err
	}
	v, err := r.ReadIntf()
	if err != nil {
		return err
	}
	ping, ok := v.([]any)
	if !ok || len(ping) != 6 || ping[0] != "PING" {
		return fmt.Errorf("bad PING %v", v)
	}
	host, _ := ping[1].(string)
	salt, _ := ping[2].(string)
	digest, _ := ping[3].(string)
	good := digest == forward.Digest(salt, host, nonce, s.SharedKey)
	const self = "forwardtest"
	pong := msgp.AppendArrayHeader(nil, 5)
	pong = msgp.AppendString(pong, "PONG")
	pong = msgp.AppendBool(pong, good)
	pong = msgp.AppendString(pong, map[bool]string{true: "", false: "shared key mismatch"}[good])
	pong = msgp.AppendString(pong, self)
	pong = msgp.AppendString(pong, forward.Digest(salt, self, nonce, s.SharedKey))
	if _, err := c.Write(pong); err != nil {
		return err
	}
	if !good {
		return errors.New("client failed shared key check")
	}
	s.mu.Lock()
	s.handshakes++
	s.mu.Unlock()
	return nil
}

// message reads one Forward message, stores its records and acks it.
func (s *Server) message(c net.Conn, r *msgp.Reader) error {
	v, err := r.ReadIntf()
	if err != nil {
		return err
	}
	arr, ok := v.([]any)
	if !ok || len(arr) < 2 {
		return fmt.Errorf("not a forward message: %T", v)
	}
	tag, _ := arr[0].(string)
	var opts map[string]any
	var recs []Record
	switch body := arr[1].(type) {
	case []byte, string:
		payload, ok := body.([]byte)
		if !ok {
			payload = []byte(body.(string))
		}
		if len(arr) > 2 {
			opts, _ = arr[2].(map[string]any)
		}
		if opts["compressed"] == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(payload))
			if err != nil {
				return err
			}
			if payload, err = io.ReadAll(zr); err != nil {
				return err
			}
		}
		if recs, err = entries(tag, payload); err != nil {
			return err
		}
	case []any: // Forward mode
		for _, e := range body {
			pair, _ := e.([]any)
			if len(pair) == 2 {
				recs = append(recs, record(tag, pair[0], pair[1]))
			}
		}
		if len(arr) > 2 {
			opts, _ = arr[2].(map[string]any)
		}
	default: // Message mode: [tag, time, record, option?]
		if len(arr) < 3 {
			return errors.New("short message")
		}
		recs = append(recs, record(tag, arr[1], arr[2]))
		if len(arr) > 3 {
			opts, _ = arr[3].(map[string]any)
		}
	}
	chunk, _ := opts["chunk"].(string)
	s.mu.Lock()
	if chunk != "" && s.chunks[chunk] {
		s.dupes++
	} else {
		s.records = append(s.records, recs...)
		if chunk != "" {
			s.chunks[chunk] = true
		}
	}
	s.mu.Unlock()
	if chunk == "" {
		return nil
	}
	ack := msgp.AppendMapHeader(nil, 1)
	ack = msgp.AppendString(ack, "ack")
	ack = msgp.AppendString(ack, chunk)
	_, err = c.Write(ack)
	return err
}

// entries decodes a PackedForward payload: concatenated [time, record].
func entries(tag string, b []byte) ([]Record, error) {
	var out []Record
	for len(b) > 0 {
		var v any
		var err error
		v, b, err = msgp.ReadIntfBytes(b)
		if err != nil {
			return nil, err
		}
		pair, _ := v.([]any)
		if len(pair) != 2 {
			return nil, fmt.Errorf("entry is not [time, record]: %v", v)
		}
		out = append(out, record(tag, pair[0], pair[1]))
	}
	return out, nil
}

func record(tag string, t, rec any) Record {
	r := Record{Tag: tag}
	if ext, ok := t.(*msgp.RawExtension); ok && ext.Type == 0 && len(ext.Data) == 8 {
		r.Seconds = uint32(ext.Data[0])<<24 | uint32(ext.Data[1])<<16 | uint32(ext.Data[2])<<8 | uint32(ext.Data[3])
		r.Nanos = uint32(ext.Data[4])<<24 | uint32(ext.Data[5])<<16 | uint32(ext.Data[6])<<8 | uint32(ext.Data[7])
	}
	r.Fields, _ = rec.(map[string]any)
	return r
}
