// Package serve is nfr's sidecar: an HTTP and socket service that accepts
// records from Vector (http and socket sinks), Fluent Bit's http output or
// any client posting JSON, scores them through the same pipeline as every
// other entry point, and delivers alerts to the configured sinks.
//
// Guarantees: a record is either rejected in the reply (and counted by
// reason, with its line number) or accepted; an accepted record is scored
// exactly once, even when the queue or the memory budget is full (the
// whole request is then refused with 503 before anything is accepted, so a
// client's retry cannot double-count) or the service shuts down (the queue
// is drained first). Alerts reach each output at least once: they go
// through the pipeline's outputs (formats/sink, the one delivery path;
// serve.alert_url is turned into an http output by the serve command), and
// a failing output is retried with backoff until it takes them.
//
// Hostile clients are bounded: connections per listener, requests being
// read, the time to send headers, a body's minimum rate, idle and
// pre-token deadlines on streams, the longest line, and the bytes decoded
// and not yet scored (serve.memory_budget, admitted before decoding).
// Shutdown ends within drain_timeout plus a second, whatever clients do.
// It must not decode formats itself: record mapping is formats/record's.
package serve

import (
	"bufio"
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
	_ "github.com/netflightrecorder/nfr/formats/dialects" // every dialect's keys in the Mapper
	"github.com/netflightrecorder/nfr/formats/msdns"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/formats/sink"
	"github.com/netflightrecorder/nfr/scoring"
)

// Server is a running sidecar.
type Server struct {
	cfg     config.Serve
	pipe    *pipeline.Pipeline
	logf    func(string, ...any)
	metrics *metrics

	queue    chan queued
	queued   atomic.Int64 // events accepted and not yet scored
	closing  atomic.Bool
	enterMu  sync.Mutex     // orders enter with closing
	aborting atomic.Bool    // drain_timeout passed: producers stop waiting
	inputs   sync.WaitGroup // producers (HTTP handlers, socket readers)
	scorer   sync.WaitGroup
	budget   *budget
	shutOnce sync.Once
	shutErr  error
	reading  chan struct{} // one token per request body being read (max_requests)
	batchers sync.Pool     // *batcher of finished requests, for the next ones

	// scoreMu orders the batches scored: one at a time, by the scorer
	// (HTTP requests) or a stream's reader (scoreHere). It guards alerts.
	scoreMu  sync.Mutex
	alerts   []*scoring.Alert     // a batch's alerts, reused
	scoreOne func(*scoring.Event) // scores into alerts (made once: no closure a batch)
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
	cfg.MaxLine = min(cfg.MaxLine, cfg.MaxBody)
	s := &Server{cfg: cfg, pipe: p, logf: logf, conns: map[net.Conn]struct{}{},
		queue: make(chan queued, cfg.Queue), budget: newBudget(cfg.MemoryBudget),
		reading: make(chan struct{}, cfg.MaxRequests)}
	s.metrics = newMetrics(func() float64 { return float64(s.queued.Load()) },
		func() float64 { return float64(s.budget.inUse()) })
	emit := func(a *scoring.Alert) { s.alerts = append(s.alerts, a) }
	s.scoreOne = func(ev *scoring.Event) { s.pipe.Score(ev, emit) }
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
	capMemory(s.cfg, stateBound(s.pipe.Stats()))
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return err
	}
	ln = s.limit(ln, "http")
	s.listeners = append(s.listeners, ln)
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: s.cfg.ReadTimeout,
		IdleTimeout: s.cfg.IdleTimeout}
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

// shutdownGrace is how long Shutdown waits past drain_timeout for
// producers it has cut off to return.
const shutdownGrace = time.Second

// Shutdown stops accepting, lets requests in progress finish and drains
// the queue, all within drain_timeout (or ctx); then it closes the
// pipeline's sinks. Past the deadline it closes every connection and
// returns within shutdownGrace, reporting what was left. Later calls return
// the first one's result.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutOnce.Do(func() { s.shutErr = s.shutdown(ctx) })
	return s.shutErr
}

func (s *Server) shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.DrainTimeout)
	defer cancel()
	s.enterMu.Lock()
	s.closing.Store(true)
	s.enterMu.Unlock()
	if s.http != nil {
		go func() {
			if s.http.Shutdown(ctx) != nil {
				s.http.Close() // requests still reading at the deadline
			}
		}()
	}
	for _, ln := range s.listeners[min(1, len(s.listeners)):] {
		ln.Close()
	}
	s.eachConn(func(c net.Conn) { c.SetReadDeadline(time.Now()) }) // lines already read are kept
	if !waitFor(&s.inputs, ctx.Done()) {
		s.aborting.Store(true)
		s.eachConn(func(c net.Conn) { c.Close() })
		if !waitFor(&s.inputs, time.After(shutdownGrace)) {
			return fmt.Errorf("serve: shutdown: inputs still open after drain_timeout: %w", ctx.Err())
		}
	}
	close(s.queue)
	scored := make(chan struct{})
	go func() { s.scorer.Wait(); close(scored) }()
	select {
	case <-scored:
	case <-ctx.Done():
		return fmt.Errorf("serve: shutdown: %d events still queued: %w", s.queued.Load(), ctx.Err())
	}
	if s.cfg.UnixSocket != "" {
		os.Remove(s.cfg.UnixSocket)
	}
	return s.pipe.Close()
}

// waitFor waits for wg until stop; it reports whether wg finished.
func waitFor[T any](wg *sync.WaitGroup, stop <-chan T) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-stop:
		return false
	}
}

func (s *Server) eachConn(fn func(net.Conn)) {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	for c := range s.conns {
		fn(c)
	}
}

// reply is the body of a 200 answer to POST /v1/events (and of a 400
// when no record of the body could be accepted).
type reply struct {
	Received int              `json:"received"`
	Accepted int              `json:"accepted"`
	Rejected map[string]int64 `json:"rejected"`
	// RejectedLines lists, by reason, the first few rejected lines (NDJSON)
	// or array elements, numbered from 1.
	RejectedLines map[string][]int64 `json:"rejected_lines,omitempty"`
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		s.fail(w, http.StatusServiceUnavailable, "shutting down")
		return
	}
	defer s.inputs.Done()
	select {
	case s.reading <- struct{}{}:
		defer func() { <-s.reading }()
	default:
		s.retryLater(w, fmt.Sprintf("too many requests being read (max_requests %d)", s.cfg.MaxRequests))
		return
	}
	if s.queued.Load() >= int64(s.cfg.Queue) {
		// It cannot take this request (admit's rule): refused before its
		// body is decoded, not after, so that an overloaded scorer does
		// not also cost the decoding of every body retried.
		s.retryLater(w, "queue full")
		return
	}
	in, err := requestInput(r)
	if err != nil {
		s.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	b := s.requestBatcher(in)
	defer s.recycle(b) // after the reply: drops what was not handed to the queue
	if code, msg := s.readBody(w, r, b); code != 0 {
		if code == http.StatusServiceUnavailable {
			s.retryLater(w, msg)
			return
		}
		s.fail(w, code, msg)
		return
	}
	b.release(true) // the end of the request: nothing more will be joined
	b.giveCredit()
	if !s.admit(b.take(), false) {
		s.retryLater(w, "queue full")
		return
	}
	s.answer(w, b)
}

// readBody decodes the body into b; a non-zero code is the failure to answer.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, b *batcher) (int, string) {
	raw := newRateReader(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody), w, s.cfg.ReadTimeout, s.cfg.MinRate)
	body, closeBody, err := decompress(raw, r.Header.Get("Content-Encoding"))
	if err != nil {
		if errors.Is(err, errEncoding) {
			return http.StatusUnsupportedMediaType, err.Error()
		}
		return http.StatusBadRequest, err.Error()
	}
	defer closeBody()
	b.br.Reset(&chargedReader{r: &limitReader{r: body, n: s.cfg.MaxBody}, c: b.charge})
	err = decodeFrom(b.br, s.cfg.MaxLine, b.addPaid)
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case err == nil:
		return 0, ""
	case errors.Is(err, errTooLarge) || errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("body exceeds %d bytes", s.cfg.MaxBody)
	case errors.Is(err, errBudget):
		return http.StatusServiceUnavailable, fmt.Sprintf("memory budget full (memory_budget %d bytes)", s.cfg.MemoryBudget)
	case errors.Is(err, errOverBudget):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("the body's records need more than memory_budget (%d bytes: decoded bytes plus %d an event); send smaller batches",
			s.cfg.MemoryBudget, eventCost)
	case errors.As(err, &ne) && ne.Timeout():
		return http.StatusRequestTimeout, fmt.Sprintf("body slower than %d bytes/s after %v", s.cfg.MinRate, s.cfg.ReadTimeout)
	}
	return http.StatusBadRequest, "unparsable body: " + err.Error()
}

// answer counts a decoded request and replies: 200, or 400 when every
// record was rejected.
func (s *Server) answer(w http.ResponseWriter, b *batcher) {
	received := b.accepted + int(b.rejectedCount())
	s.metrics.count(received, b.accepted, b.rejected)
	code := http.StatusOK
	if b.accepted == 0 && received > 0 {
		code = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(reply{Received: received, Accepted: b.accepted, Rejected: b.rejected, RejectedLines: b.lines})
	s.metrics.requests.WithLabelValues(fmt.Sprint(code)).Inc()
}

// retryLater answers 503 with Retry-After: nothing of the request was accepted.
func (s *Server) retryLater(w http.ResponseWriter, msg string) {
	w.Header().Set("Retry-After", "1")
	s.fail(w, http.StatusServiceUnavailable, msg)
}

// enter registers a producer unless the server is shutting down. The lock
// orders it with Shutdown's closing, so no producer is added once Shutdown
// waits for them.
func (s *Server) enter() bool {
	s.enterMu.Lock()
	defer s.enterMu.Unlock()
	if s.closing.Load() {
		return false
	}
	s.inputs.Add(1)
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

// queued is a batch of accepted events and the memory budget it holds
// until scored.
type queued struct {
	events events
	charge int64
}

// requestBatcher returns a batcher for one request: a finished request's
// (its mapper, MS DNS join, body buffer and maps reused) or a new one.
func (s *Server) requestBatcher(in record.Input) *batcher {
	b, _ := s.batchers.Get().(*batcher)
	if b == nil {
		b = newBatcher(in, s.budget)
		b.br = bufio.NewReaderSize(nil, bodyBuffer)
	} else if b.in != in {
		b.mapper, b.in = record.NewMapper(in), in
	}
	return b
}

// recycle ends a request's batcher: it returns the budget and the events
// that were not queued, and keeps the batcher for the next request unless
// the request ended with MS DNS queries still waiting in its join.
func (s *Server) recycle(b *batcher) {
	b.charge.drop()
	b.events.recycle()
	if b.join.Pending() > 0 {
		return
	}
	b.br.Reset(nil) // no reference to the body
	b.accepted, b.credit = 0, 0
	clear(b.rejected)
	clear(b.lines)
	s.batchers.Put(b)
}

// admit queues a batch as one unit for the scorer. With wait false it
// refuses (returns false) when its events do not all fit; with wait true it
// blocks until they do, or until shutdown gives up waiting. The batch's
// charge is released when it is scored or refused.
func (s *Server) admit(q queued, wait bool) bool {
	if !s.reserve(q, wait) {
		return false
	}
	if q.events.len() > 0 {
		s.queue <- q
	}
	return true
}

// scoreHere scores a stream's batch in its reader's goroutine, once the
// queue can take it (admit's rule, waiting): the batch, decoded on this
// core, is scored from this core's cache, and the reader is held back
// while it is scored or its alerts are delivered, as a full queue holds
// it back. Handing 1,000 events of 656 bytes each to the scorer's
// goroutine cost a tenth of the stream's CPU time (build/bench.d/serve.sh).
// It reports false when shutdown gave up waiting.
func (s *Server) scoreHere(q queued) bool {
	if !s.reserve(q, true) {
		return false
	}
	if q.events.len() > 0 {
		s.scoreBatch(q)
	}
	return true
}

// reserve counts a batch's events as queued if they fit in the queue, or
// if the queue is empty (a batch larger than the queue is taken alone);
// with wait it waits for that. A batch it refuses is released and
// recycled; an empty batch is released at once and reserves nothing.
func (s *Server) reserve(q queued, wait bool) bool {
	n := int64(q.events.len())
	if n == 0 {
		s.budget.release(nil, q.charge, false)
		q.events.recycle()
		return true
	}
	for {
		cur := s.queued.Load()
		if cur+n <= int64(s.cfg.Queue) || cur == 0 {
			if s.queued.CompareAndSwap(cur, cur+n) {
				return true
			}
			continue
		}
		if !wait || s.aborting.Load() {
			s.budget.release(nil, q.charge, false)
			q.events.recycle()
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// score is the queue's single consumer: it scores queued events in
// arrival order.
func (s *Server) score() {
	defer s.scorer.Done()
	for q := range s.queue {
		s.scoreBatch(q)
	}
}

// scoreBatch scores a reserved batch and delivers its alerts, one batch
// at a time whoever calls it (the scorer and the stream readers), then
// releases what the batch held.
func (s *Server) scoreBatch(q queued) {
	s.scoreMu.Lock()
	if s.hold != nil {
		<-s.hold
	}
	q.events.each(s.scoreOne)
	s.deliver(s.alerts) // alerts hold deep copies of their events
	clear(s.alerts)
	s.alerts = s.alerts[:0]
	s.scoreMu.Unlock()
	n := q.events.len()
	q.events.recycle()
	s.queued.Add(-int64(n))
	s.budget.release(nil, q.charge, false)
	s.metrics.scored.Add(float64(n))
}

// deliver hands alerts to every output through formats/sink, retrying
// failures with backoff until they are taken: an accepted event's alerts
// are never dropped.
func (s *Server) deliver(alerts []*scoring.Alert) {
	if len(alerts) == 0 {
		return
	}
	for _, a := range alerts {
		for _, t := range a.Threats {
			s.metrics.alerts.WithLabelValues(string(t.ID)).Inc()
		}
	}
	out := s.pipe.Outputs()
	out.Retry(out.NewBatch(append([]*scoring.Alert(nil), alerts...)), sink.Retry{For: sink.Forever,
		OnFailure: func(err error, wait time.Duration) {
			s.metrics.deliveryErrors.Inc()
			s.logf("delivery failed, retrying in %v: %v", wait, err)
		}})
}

// auth enforces the bearer token when one is configured. The scheme is
// case-insensitive (RFC 9110); the token is compared in constant time.
func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	if s.cfg.Token == "" {
		return next
	}
	want := []byte(s.cfg.Token)
	return func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") ||
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="nfr"`)
			s.fail(w, http.StatusUnauthorized, "missing or wrong bearer token")
			return
		}
		next(w, r)
	}
}

// maxName is the longest DNS name in bytes, without the root's dot (RFC 1035).
const maxName = 253

// firstLines is how many rejected line numbers a reply lists per reason.
const firstLines = 5

// batcher maps decoded records to events for one request or stream
// batch, counts rejections by reason with their first line numbers, and
// pays for what it holds from the memory budget.
type batcher struct {
	mapper   *record.Mapper
	in       record.Input
	events   events
	accepted int
	rejected map[string]int64
	lines    map[string][]int64
	charge   *charge
	join     *msdns.Joiner // MS DNS queries waiting for their responses
	br       *bufio.Reader // a request's body (requestBatcher)
	credit   int64         // budget taken for the events of records to come (addPaid)
}

func newBatcher(in record.Input, b *budget) *batcher {
	return &batcher{mapper: record.NewMapper(in), in: in, rejected: map[string]int64{}, lines: map[string][]int64{},
		charge: &charge{b: b}, join: msdns.NewJoiner(msdns.Options{MaxPending: joinPending})}
}

// addPaid pays for one record's event from the budget (errBudget when it
// cannot) and maps it: the decodeBody callback of a request. The budget
// is taken creditEvents events at a time (one lock for them), or one
// event's worth when that much does not fit, so a request is refused
// exactly when it was before; giveCredit returns what was not used.
func (b *batcher) addPaid(r rawRecord) error {
	if b.credit < eventCost {
		n := int64(creditEvents * eventCost)
		if b.charge.tryTake(n) != nil {
			n = eventCost
			if err := b.charge.tryTake(n); err != nil {
				return err
			}
		}
		b.credit += n
	}
	b.credit -= eventCost
	b.add(r)
	return nil
}

// paid is what the batch holds of the memory budget, credit aside. Only
// the batch's own goroutine changes its charge.
func (b *batcher) paid() int64 { return b.charge.n - b.credit }

// creditEvents is how many events' budget addPaid takes at once.
const creditEvents = 64

// giveCredit returns the budget taken ahead and not used.
func (b *batcher) giveCredit() {
	if b.credit > 0 {
		b.charge.give(b.credit)
		b.credit = 0
	}
}

// add maps one record, or counts its rejection.
func (b *batcher) add(r rawRecord) {
	if r.reason != "" {
		b.reject(r.num, r.reason)
		return
	}
	// Mapped in place, into the batch's next slot (dropped again when
	// the record is rejected): no copy of the event.
	ev := b.events.next(b.paid())
	if err := mapRecord(b.mapper, r.data, ev); err != nil {
		b.events.unnext()
		reason := err.Error()
		var le *formats.LineError
		if errors.As(err, &le) {
			reason = le.Reason
		}
		b.reject(r.num, reason)
		return
	}
	if len(strings.TrimSuffix(ev.DNS.Query, ".")) > maxName {
		b.events.unnext()
		b.reject(r.num, fmt.Sprintf("name longer than %d bytes", maxName))
		return
	}
	b.keep(ev)
	b.accepted++
}

func (b *batcher) reject(num int64, reason string) {
	b.rejected[reason]++
	if len(b.lines[reason]) < firstLines {
		b.lines[reason] = append(b.lines[reason], num)
	}
}

// take hands the events and their charge over for queueing.
func (b *batcher) take() queued {
	q := queued{events: b.events, charge: b.charge.detach()}
	b.events = events{}
	return q
}

func (b *batcher) rejectedCount() int64 {
	var n int64
	for _, c := range b.rejected {
		n += c
	}
	return n
}
