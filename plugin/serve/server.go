// Package serve is nfr's sidecar: an HTTP and socket service that accepts
// records from Vector (http and socket sinks), Fluent Bit's http output or
// any client posting JSON, scores them through the same pipeline as every
// other entry point, and delivers alerts to the configured sinks.
//
// Guarantees: a record is either rejected in the reply (and counted by
// reason) or accepted; an accepted record is scored exactly once, even when
// the queue is full (the whole request is then refused with 503 before
// anything is accepted, so a client's retry cannot double-count) or the
// service shuts down (the queue is drained first). Alerts reach each sink at
// least once: a failing sink is retried with backoff until it takes them.
// It must not decode formats itself: record mapping is formats/record's.
package serve

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// Server is a running sidecar.
type Server struct {
	cfg     config.Serve
	pipe    *pipeline.Pipeline
	logf    func(string, ...any)
	metrics *metrics
	poster  *alertPoster

	queue   chan []scoring.Event
	queued  atomic.Int64 // events accepted and not yet scored
	closing atomic.Bool
	inputs  sync.WaitGroup // producers (HTTP handlers, socket readers)
	scorer  sync.WaitGroup

	// hold, when set (tests only), is received from before each batch is scored.
	hold chan struct{}

	http      *http.Server
	listeners []net.Listener
	connsMu   sync.Mutex
	conns     map[net.Conn]struct{}
}

// New returns a Server scoring through p. It does not listen yet.
func New(cfg config.Serve, p *pipeline.Pipeline, logf func(string, ...any)) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	s := &Server{cfg: cfg, pipe: p, logf: logf, conns: map[net.Conn]struct{}{},
		queue: make(chan []scoring.Event, cfg.Queue)}
	s.metrics = newMetrics(func() float64 { return float64(s.queued.Load()) })
	if cfg.AlertURL != "" {
		s.poster = newAlertPoster(cfg.AlertURL)
	}
	s.scorer.Add(1)
	go s.score()
	return s, nil
}

// Handler returns the HTTP handler (for tests and embedding).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/events", s.auth(s.handleEvents))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", s.auth(s.metrics.handler().ServeHTTP))
	return mux
}

// Start listens on every configured address and serves in the background.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return err
	}
	s.listeners = append(s.listeners, ln)
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: nil}
	go func() {
		var err error
		if s.cfg.TLSCert != "" {
			err = s.http.ServeTLS(ln, s.cfg.TLSCert, s.cfg.TLSKey)
		} else {
			err = s.http.Serve(ln)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("http: %v", err)
		}
	}()
	if s.cfg.TCPListen != "" {
		if err := s.listenStream("tcp", s.cfg.TCPListen); err != nil {
			return err
		}
	}
	if s.cfg.UnixSocket != "" {
		os.Remove(s.cfg.UnixSocket)
		if err := s.listenStream("unix", s.cfg.UnixSocket); err != nil {
			return err
		}
	}
	return nil
}

// Addr returns the HTTP listener's address once started.
func (s *Server) Addr() string {
	if len(s.listeners) == 0 {
		return ""
	}
	return s.listeners[0].Addr().String()
}

// StreamAddrs returns the socket listeners' addresses once started.
func (s *Server) StreamAddrs() []string {
	var out []string
	for _, ln := range s.listeners[1:] {
		out = append(out, ln.Addr().String())
	}
	return out
}

// Shutdown stops accepting, drains the queue (bounded by drain_timeout or
// ctx), and closes the pipeline's sinks.
func (s *Server) Shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.DrainTimeout)
	defer cancel()
	s.closing.Store(true)
	if s.http != nil {
		s.http.Shutdown(ctx)
	}
	for _, ln := range s.listeners[min(1, len(s.listeners)):] {
		ln.Close()
	}
	s.connsMu.Lock()
	for c := range s.conns {
		c.SetReadDeadline(time.Now()) // stop reading; lines already read are kept
	}
	s.connsMu.Unlock()
	s.inputs.Wait()
	close(s.queue)
	done := make(chan struct{})
	go func() { s.scorer.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("serve: shutdown: %d events still queued: %w", s.queued.Load(), ctx.Err())
	}
	if s.cfg.UnixSocket != "" {
		os.Remove(s.cfg.UnixSocket)
	}
	return s.pipe.Close()
}

// reply is the body of a 200 answer to POST /v1/events.
type reply struct {
	Received int              `json:"received"`
	Accepted int              `json:"accepted"`
	Rejected map[string]int64 `json:"rejected"`
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		s.fail(w, http.StatusServiceUnavailable, "shutting down")
		return
	}
	defer s.inputs.Done()
	in, err := requestInput(r)
	if err != nil {
		s.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	body, closeBody, err := decompress(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody), r.Header.Get("Content-Encoding"))
	if err != nil {
		code := http.StatusBadRequest
		if errors.Is(err, errEncoding) {
			code = http.StatusUnsupportedMediaType
		}
		s.fail(w, code, err.Error())
		return
	}
	defer closeBody()
	b := newBatcher(in)
	err = decodeBody(&limitReader{r: body, n: s.cfg.MaxBody}, b.add)
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errTooLarge) || errors.As(err, &mbe):
		s.fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body exceeds %d bytes", s.cfg.MaxBody))
		return
	case err != nil:
		s.fail(w, http.StatusBadRequest, "unparsable body: "+err.Error())
		return
	}
	if !s.admit(b.events, false) {
		w.Header().Set("Retry-After", "1")
		s.fail(w, http.StatusServiceUnavailable, "queue full")
		return
	}
	s.metrics.count(len(b.events)+int(b.rejectedCount()), len(b.events), b.rejected)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(reply{Received: len(b.events) + int(b.rejectedCount()), Accepted: len(b.events), Rejected: b.rejected})
	s.metrics.requests.WithLabelValues("200").Inc()
}

// enter registers a producer unless the server is shutting down.
func (s *Server) enter() bool {
	s.inputs.Add(1)
	if s.closing.Load() {
		s.inputs.Done()
		return false
	}
	return true
}

func (s *Server) fail(w http.ResponseWriter, code int, msg string) {
	s.metrics.requests.WithLabelValues(fmt.Sprint(code)).Inc()
	http.Error(w, msg, code)
}

// requestInput reads the record format from ?format= or X-NFR-Format.
func requestInput(r *http.Request) (record.Input, error) {
	name := r.URL.Query().Get("format")
	if name == "" {
		name = r.Header.Get("X-NFR-Format")
	}
	if name == "" {
		return record.InputAuto, nil
	}
	return record.ParseInput(strings.ToLower(name))
}

// admit queues events as one unit. With wait false it refuses (returns
// false) when they do not all fit; with wait true it blocks until they do.
func (s *Server) admit(events []scoring.Event, wait bool) bool {
	if len(events) == 0 {
		return true
	}
	n := int64(len(events))
	for {
		cur := s.queued.Load()
		if cur+n <= int64(s.cfg.Queue) || cur == 0 {
			if s.queued.CompareAndSwap(cur, cur+n) {
				s.queue <- events
				return true
			}
			continue
		}
		if !wait {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// score is the single consumer: it scores queued events in arrival order
// and delivers their alerts before taking the next batch.
func (s *Server) score() {
	defer s.scorer.Done()
	var alerts []*scoring.Alert
	emit := func(a *scoring.Alert) { alerts = append(alerts, a) }
	for events := range s.queue {
		if s.hold != nil {
			<-s.hold
		}
		alerts = alerts[:0]
		for i := range events {
			s.pipe.Score(&events[i], emit)
		}
		s.deliver(alerts)
		s.queued.Add(-int64(len(events)))
		s.metrics.scored.Add(float64(len(events)))
	}
}

// deliver hands alerts to every sink, retrying failures with backoff; an
// accepted event's alerts are never dropped.
func (s *Server) deliver(alerts []*scoring.Alert) {
	if len(alerts) == 0 {
		return
	}
	for _, a := range alerts {
		for _, t := range a.Threats {
			s.metrics.alerts.WithLabelValues(string(t.ID)).Inc()
		}
	}
	batch := s.pipe.NewBatch(append([]*scoring.Alert(nil), alerts...))
	posted := s.poster == nil
	for backoff := 100 * time.Millisecond; ; backoff = min(backoff*2, 10*time.Second) {
		err := s.pipe.Deliver(batch)
		if !posted {
			if perr := s.poster.post(batch.Alerts); perr == nil {
				posted = true
			} else {
				err = errors.Join(err, perr)
			}
		}
		if err == nil {
			return
		}
		s.metrics.deliveryErrors.Inc()
		s.logf("delivery failed, retrying in %v: %v", backoff, err)
		time.Sleep(backoff)
	}
}

// auth enforces the bearer token when one is configured.
func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	if s.cfg.Token == "" {
		return next
	}
	want := []byte("Bearer " + s.cfg.Token)
	return func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="nfr"`)
			s.fail(w, http.StatusUnauthorized, "missing or wrong bearer token")
			return
		}
		next(w, r)
	}
}

// batcher maps decoded records to events for one request or stream chunk.
type batcher struct {
	mapper   *record.Mapper
	events   []scoring.Event
	rejected map[string]int64
	n        int64 // record number, for error locations
}

func newBatcher(in record.Input) *batcher {
	return &batcher{mapper: record.NewMapper(in), rejected: map[string]int64{}}
}

func (b *batcher) add(rec map[string]any) {
	b.n++
	if rec == nil {
		b.rejected["not a JSON object"]++
		return
	}
	var ev scoring.Event
	ev.Reset()
	if err := record.MapJSON(b.mapper, rec, transportTime(rec), &ev); err != nil {
		reason := err.Error()
		var le *formats.LineError
		if errors.As(err, &le) {
			reason = le.Reason
		}
		b.rejected[reason]++
		return
	}
	b.events = append(b.events, ev)
}

func (b *batcher) rejectedCount() int64 {
	var n int64
	for _, c := range b.rejected {
		n += c
	}
	return n
}

// transportTime is the time a shipper stamped on the record (Vector's
// "timestamp", Fluent Bit's "date" with json_date_format iso8601), used
// only when the record has no time of its own.
func transportTime(rec map[string]any) time.Time {
	for _, key := range [...]string{"timestamp", "date", "@timestamp"} {
		if s, ok := rec[key].(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}
