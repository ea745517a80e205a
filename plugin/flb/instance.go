package flb

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/netflightrecorder/nfr/formats/chunk"
	"github.com/netflightrecorder/nfr/formats/msdns"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// Batch is a set of alerts on its way to the sinks; it remembers which
// sinks took it, so delivering it again only retries the others.
type Batch interface{ Len() int }

// Pipeline is what an instance needs from formats/pipeline.
type Pipeline interface {
	Score(ev *scoring.Event, emit func(*scoring.Alert)) // safe for concurrent use
	NewBatch(alerts []*scoring.Alert) Batch
	Deliver(b Batch) error
	Close() error
}

// Mapper turns one record's fields into an event (formats/record.Mapper).
type Mapper interface {
	chunk.FieldSink
	End(ev *scoring.Event) error
}

// Deps build an instance's pipeline and mappers.
type Deps struct {
	OpenPipeline func(s Settings, log *Logger) (Pipeline, error)
	NewMapper    func(in record.Input) Mapper
}

// pendingCapacity bounds how many undelivered chunks an instance
// remembers (a variable for tests).
var pendingCapacity = 1024

// InjectPanicPrefix makes scoring panic when it raises an alert for a DNS
// query starting with it, in builds with the nfr_inject_panic tag only
// (tests of panic recovery through the real .so); other builds ignore it.
const InjectPanicPrefix = "nfr-inject-panic."

// onAlert, when set (by a test build tag), sees each alert as the engine
// emits it, inside the engine's call: it is how tests inject a panic into
// scoring.
var onAlert func(a *scoring.Alert)

// Stats counts an instance's work.
type Stats struct {
	Chunks, Records, Events, Unmapped, Groups atomic.Int64
	BadChunks, Alerts, Retries, Redelivered   atomic.Int64
	Panics, DroppedAlerts                     atomic.Int64
	// FlushCPU is the CPU time, in nanoseconds, of the threads Flush ran
	// on while it ran: nfr's own share of Fluent Bit's CPU, without the
	// time Fluent Bit spends reading and parsing (0 where the kernel does
	// not tell a thread's CPU time).
	FlushCPU atomic.Int64
}

// Instance is one [OUTPUT] of nfr: its settings, pipeline and retry state.
// Flush is safe for concurrent use (Fluent Bit's workers).
type Instance struct {
	Name     string
	Settings Settings
	Stats    Stats

	log     *Logger
	p       Pipeline
	pending *pendingSet

	// idle holds workers between flushes, most recently used last: with
	// one flush at a time (Fluent Bit's default) the same worker, and so
	// the same Mapper with its state (a Zeek TSV header), serves every flush.
	mu        sync.Mutex
	idle      []*worker
	newWorker func() *worker
}

// worker is the per-goroutine scratch of a flush.
type worker struct {
	dec    chunk.Decoder
	m      Mapper
	rm     *record.Mapper // m, when it is formats/record's (the pull path)
	ev     scoring.Event
	alerts []*scoring.Alert
	emit   func(*scoring.Alert)

	// join holds MS DNS queries until their responses arrive (in this
	// chunk or a later one), as `nfr score` joins them; held is the event
	// handed back.
	join *msdns.Joiner
	held scoring.Event
}

// scoreEvent scores ev, or, for an MS DNS record, passes it through the
// join and scores the events the join hands back.
func (w *worker) scoreEvent(p Pipeline, ev *scoring.Event) {
	if ev.Origin != record.OriginMSDNS {
		p.Score(ev, w.emit)
		return
	}
	w.join.Add(ev)
	w.drain(p, false)
}

// drain scores the joined events that are ready (all of them when final).
func (w *worker) drain(p Pipeline, final bool) {
	for w.join.Ready(final) {
		w.join.Pop(&w.held)
		p.Score(&w.held, w.emit)
	}
}

// next decodes the next record into the worker's mapper: through the
// pull decoder for formats/record's Mapper, through the field visitor for
// any other (tests' fakes).
func (w *worker) next() error {
	if w.rm != nil {
		return w.dec.NextMapped(w.rm)
	}
	return w.dec.Next(w.m)
}

// end maps the record decoded by next: formats/record's Mapper hands out
// its own event (no copy), another Mapper fills the worker's.
func (w *worker) end() (*scoring.Event, error) {
	if w.rm != nil {
		return w.rm.EndEvent()
	}
	w.ev.Reset()
	return &w.ev, w.m.End(&w.ev)
}

// Open builds an instance from validated settings.
func Open(name string, s Settings, deps Deps) (*Instance, error) {
	log := NewLogger(name, s.LogLevel)
	p, err := deps.OpenPipeline(s, log)
	if err != nil {
		return nil, err
	}
	in := &Instance{Name: name, Settings: s, log: log, p: p}
	capacity := pendingCapacity
	in.pending = newPendingSet(capacity, func(alerts int) {
		in.Stats.DroppedAlerts.Add(int64(alerts))
		log.Warnf("forgot an undelivered chunk to stay within %d: its %d alerts are lost", capacity, alerts)
	})
	in.newWorker = func() *worker {
		w := &worker{m: deps.NewMapper(s.Input), join: msdns.NewJoiner(msdns.Options{})}
		w.rm, _ = w.m.(*record.Mapper)
		w.emit = func(a *scoring.Alert) {
			if onAlert != nil {
				onAlert(a)
			}
			w.alerts = append(w.alerts, a)
		}
		return w
	}
	return in, nil
}

func (in *Instance) getWorker() *worker {
	in.mu.Lock()
	defer in.mu.Unlock()
	if n := len(in.idle); n > 0 {
		w := in.idle[n-1]
		in.idle = in.idle[:n-1]
		return w
	}
	return in.newWorker()
}

func (in *Instance) putWorker(w *worker) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.idle = append(in.idle, w)
}

// Log is the instance's logger.
func (in *Instance) Log() *Logger { return in.log }

// Flush scores one chunk and delivers its alerts; it returns OK, Retry or
// Error as Fluent Bit expects. data is only read during the call.
//
// A chunk whose delivery failed is remembered by digest with its alerts;
// when Fluent Bit retries it, the alerts are delivered to the sinks that
// missed them and the records are not scored again.
func (in *Instance) Flush(data []byte, tag string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			in.Stats.Panics.Add(1)
			in.log.Errorf("panic in flush of %d bytes (tag %q), chunk %s: %v; stack: %s",
				len(data), tag, codeName(in.Settings.OnPanic), r, debug.Stack())
			code = in.Settings.OnPanic
		}
	}()
	// Flush runs on the Fluent Bit thread that called it (a call from C
	// is locked to its thread); the lock keeps a Go caller's on one too,
	// so that the thread's CPU time is the flush's.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer in.addFlushCPU(threadCPU())
	in.Stats.Chunks.Add(1)
	if !in.pending.empty() {
		key := digest(data)
		if u, ok := in.pending.take(key); ok {
			return in.redeliver(key, u)
		}
	}
	w := in.getWorker()
	alerts, result := in.score(w, data, tag)
	in.putWorker(w) // not reached after a panic: a worker in an unknown state is dropped
	if len(alerts) == 0 {
		return result
	}
	in.Stats.Alerts.Add(int64(len(alerts)))
	b := in.p.NewBatch(alerts)
	if err := in.p.Deliver(b); err != nil {
		in.pending.put(digest(data), undelivered{batch: b, result: result})
		in.Stats.Retries.Add(1)
		in.log.Warnf("delivery of %d alerts failed, Fluent Bit will retry the chunk: %v", len(alerts), err)
		return Retry
	}
	return result
}

// addFlushCPU adds the calling thread's CPU time since start (a
// threadCPU reading) to Stats.FlushCPU.
func (in *Instance) addFlushCPU(start time.Duration, ok bool) {
	if now, nowOK := threadCPU(); ok && nowOK && now > start {
		in.Stats.FlushCPU.Add(int64(now - start))
	}
}

// redeliver retries a remembered chunk's alerts.
func (in *Instance) redeliver(key chunkKey, u undelivered) int {
	if err := in.p.Deliver(u.batch); err != nil {
		in.pending.put(key, u)
		in.Stats.Retries.Add(1)
		in.log.Warnf("delivery of %d alerts failed again, Fluent Bit will retry the chunk: %v", u.batch.Len(), err)
		return Retry
	}
	in.Stats.Redelivered.Add(int64(u.batch.Len()))
	in.log.Infof("delivered %d alerts of a retried chunk (records not scored again)", u.batch.Len())
	return u.result
}

// score decodes, maps and scores every record of data. It returns the
// alerts raised (a fresh slice) and Error when the chunk is malformed:
// the records before the bad bytes are still scored.
func (in *Instance) score(w *worker, data []byte, tag string) ([]*scoring.Alert, int) {
	w.dec.Reset(data)
	defer w.dec.Release()
	var unmapped int64
	var firstUnmapped error
	result := OK
	for {
		err := w.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			in.Stats.BadChunks.Add(1)
			in.log.Errorf("dropping the rest of a %d-byte chunk (tag %q) after %d records: %v", len(data), tag, w.dec.Records, err)
			result = Error
			break
		}
		ev, err := w.end()
		if err != nil {
			unmapped++
			if firstUnmapped == nil {
				firstUnmapped = err
			}
			continue
		}
		w.scoreEvent(in.p, ev)
	}
	records := int64(w.dec.Records) // complete records: one cut short by an error is not counted
	in.Stats.Records.Add(records)
	in.Stats.Events.Add(records - unmapped)
	in.Stats.Unmapped.Add(unmapped)
	in.Stats.Groups.Add(int64(w.dec.Groups))
	if unmapped > 0 && in.log.Enabled(LevelDebug) {
		in.log.Debugf("%d of %d records were not events (first: %v)", unmapped, records, firstUnmapped)
	}
	if len(w.alerts) == 0 {
		return nil, result
	}
	alerts := append([]*scoring.Alert(nil), w.alerts...)
	clear(w.alerts)
	w.alerts = w.alerts[:0]
	return alerts, result
}

// Close flushes and closes the sinks and reports what the instance did.
func (in *Instance) Close() error {
	in.drainJoins()
	s := &in.Stats
	in.log.Infof("exit: %d chunks, %d records, %d events, %d alerts, %d bad chunks, %d retries, %d panics; flushes took %s",
		s.Chunks.Load(), s.Records.Load(), s.Events.Load(), s.Alerts.Load(), s.BadChunks.Load(), s.Retries.Load(), s.Panics.Load(),
		flushCPUText(time.Duration(s.FlushCPU.Load()), s.Records.Load()))
	if n := in.pending.len(); n > 0 {
		in.log.Warnf("exit with %d chunks whose alerts some sink never took", n)
	}
	return in.p.Close()
}

// flushCPUText is the flushes' CPU time for the exit line: in all, and
// a record.
func flushCPUText(cpu time.Duration, records int64) string {
	text := fmt.Sprintf("%.2f CPU-s", cpu.Seconds())
	if records > 0 {
		text += fmt.Sprintf(", %.2f µs a record", float64(cpu.Microseconds())/float64(records))
	}
	return text
}

// drainJoins scores the MS DNS queries still waiting for a response at
// exit and delivers their alerts.
func (in *Instance) drainJoins() {
	defer func() {
		if r := recover(); r != nil {
			in.Stats.Panics.Add(1)
			in.log.Errorf("panic scoring the MS DNS queries held at exit: %v; stack: %s", r, debug.Stack())
		}
	}()
	in.mu.Lock()
	workers := in.idle
	in.mu.Unlock()
	var alerts []*scoring.Alert
	for _, w := range workers {
		w.drain(in.p, true)
		alerts = append(alerts, w.alerts...)
		clear(w.alerts)
		w.alerts = w.alerts[:0]
	}
	if len(alerts) == 0 {
		return
	}
	in.Stats.Alerts.Add(int64(len(alerts)))
	if err := in.p.Deliver(in.p.NewBatch(alerts)); err != nil {
		in.Stats.DroppedAlerts.Add(int64(len(alerts)))
		in.log.Errorf("at exit, %d alerts of MS DNS queries held for their responses could not be delivered: %v", len(alerts), err)
	}
}

func codeName(code int) string {
	switch code {
	case OK:
		return "ok"
	case Retry:
		return "retried"
	}
	return "dropped"
}

// errUnknownInstance is returned for a context Init never produced.
var errUnknownInstance = errors.New("unknown instance")

// describe renders an error from opening an instance as one clear line.
func describe(err error) string {
	var se *SettingError
	if errors.As(err, &se) {
		return se.Error()
	}
	return fmt.Sprint(err)
}
