// Package msdns decodes the Windows DNS Server debug log (the text file
// "debug logging" writes) into DNS scoring.Events. Header, key, "Log file
// wrap", EVENT, packet-detail and blank lines are skipped and counted.
// PACKET lines are read in every date form Windows writes, Windows Server
// 2003 lines without packet id included (see
// FeedLine); times are local to the server, so the zone is
// an option. A query and its response (same client, xid and name) are
// joined into one event when the response arrives within Window; the
// events keep the order of their queries. The package is also the MS DNS
// dialect of formats/record (Dialect: the regex group names, the line
// tokenizer for raw lines, the PACKET finish hook). It does no scoring.
package msdns

import (
	"io"
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/input/lines"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// Options tune the decoder. The zero value is usable.
type Options struct {
	// Location is the zone of the log's times (default UTC).
	Location *time.Location
	// NoJoin emits every PACKET line as its own event, as the record
	// mapper does, instead of joining responses to their queries.
	NoJoin bool
	// Window is how long (log time) a query waits for its response
	// (default 10s).
	Window time.Duration
	// MaxPending bounds the queries waiting for a response (default 65536).
	MaxPending int
}

// Reader is a formats.Source over one debug log.
type Reader struct {
	file  string
	opt   Options
	lines *lines.Reader
	m     *record.Mapper
	stats formats.Stats
	eof   bool

	join    *Joiner
	scratch scoring.Event
}

// Joiner joins DNS Server queries to their responses (same client, server,
// xid and name) arriving within a window of log time, and hands the events
// back in the order of their queries. The file decoder and the Fluent Bit
// plugin both use it, so that both see the same events. Its memory is
// bounded by MaxPending. It is not safe for concurrent use.
type Joiner struct {
	window     time.Duration
	maxPending int
	queue      []pending // FIFO in query order; emitted from the head
	head       int
	waiting    map[joinKey]int // key -> index in queue of an unanswered query
	latest     time.Time
}

// NewJoiner returns a Joiner with opt's Window and MaxPending (defaults
// when zero).
func NewJoiner(opt Options) *Joiner {
	if opt.Window <= 0 {
		opt.Window = 10 * time.Second
	}
	if opt.MaxPending <= 0 {
		opt.MaxPending = 65536
	}
	return &Joiner{window: opt.Window, maxPending: opt.MaxPending, waiting: map[joinKey]int{}}
}

// Pending is the number of events held.
func (j *Joiner) Pending() int { return len(j.queue) - j.head }

type pending struct {
	ev   scoring.Event
	key  joinKey
	done bool
}

type joinKey struct {
	src, dst netip.Addr
	xid      uint16
	query    string
}

// NewReader decodes r; file names it in errors.
func NewReader(r io.Reader, file string, opt Options) *Reader {
	m := record.NewMapper(Input)
	m.SetLocation(opt.Location)
	return &Reader{file: file, opt: opt, lines: lines.NewReader(r), m: m,
		stats: formats.Stats{Format: "msdns"}, join: NewJoiner(opt)}
}

// Stats returns the counters.
func (d *Reader) Stats() *formats.Stats { return &d.stats }

// Next fills ev with the next event; see formats.Source.
func (d *Reader) Next(ev *scoring.Event) error {
	for {
		if d.join.Ready(d.eof) {
			d.join.Pop(ev)
			d.stats.Events++
			return nil
		}
		if d.eof {
			return io.EOF
		}
		err := d.readOne(ev)
		if err == errQueued {
			continue
		}
		if err == io.EOF {
			d.eof = true
			continue
		}
		return err
	}
}

// errQueued says the line's event went to the join queue.
var errQueued = &formats.LineError{Reason: "queued"}

// readOne decodes lines until one yields an event (returned directly when
// not joining, queued otherwise) or an error.
func (d *Reader) readOne(ev *scoring.Event) error {
	for {
		line, num, err := d.lines.Counted(&d.stats, d.file)
		if err != nil {
			return err
		}
		if kind := FeedLine(d.m, line); kind != "" {
			d.stats.Skip(kind)
			d.m.Begin(time.Time{})
			continue
		}
		target := ev
		if !d.opt.NoJoin {
			target = &d.scratch
		}
		err = d.m.End(target)
		if kind, ok := record.IsSkip(err); ok {
			d.stats.Skip(kind)
			continue
		}
		if err != nil {
			_, err = lines.Account(&d.stats, d.file, num, err)
			return err
		}
		if d.opt.NoJoin {
			d.stats.Events++
			return nil
		}
		d.join.Add(&d.scratch)
		return errQueued
	}
}

func keyOf(ev *scoring.Event) joinKey {
	return joinKey{src: ev.SrcIP, dst: ev.DstIP, xid: ev.DNS.TransID, query: ev.DNS.Query}
}

// Add takes an MS DNS event (copied): a query waits for its response, a
// response completes its waiting query or stands alone.
func (j *Joiner) Add(ev *scoring.Event) {
	if ev.Time.After(j.latest) {
		j.latest = ev.Time
	}
	k := keyOf(ev)
	if ev.DNS.Response {
		if i, ok := j.waiting[k]; ok {
			delete(j.waiting, k)
			join(&j.queue[i].ev, ev)
			j.queue[i].done = true
			return
		}
		j.queue = append(j.queue, pending{ev: ev.Clone(), key: k, done: true})
		return
	}
	if i, ok := j.waiting[k]; ok {
		j.queue[i].done = true // a retransmission: the first query stands alone
		delete(j.waiting, k)
	}
	j.waiting[k] = len(j.queue)
	j.queue = append(j.queue, pending{ev: ev.Clone(), key: k})
}

// join completes query q with response r.
func join(q, r *scoring.Event) {
	q.DNS.Response = true
	q.DNS.Rcode = r.DNS.Rcode
	q.DNS.AA, q.DNS.TC, q.DNS.RA = r.DNS.AA, r.DNS.TC, r.DNS.RA
	if rtt := r.Time.Sub(q.Time); rtt > 0 {
		q.DNS.RTT = rtt
	}
}

// Ready reports whether the oldest event can be handed back: answered,
// waited long enough, pushed out by the bound, or final (the end of input:
// nothing more will be added).
func (j *Joiner) Ready(final bool) bool {
	if j.head >= len(j.queue) {
		return false
	}
	h := &j.queue[j.head]
	return h.done || final || len(j.queue)-j.head > j.maxPending ||
		j.latest.Sub(h.ev.Time) > j.window
}

// Pop moves the oldest event into ev (keeping ev's slice capacity); call
// it only when Ready.
func (j *Joiner) Pop(ev *scoring.Event) {
	h := &j.queue[j.head]
	if !h.done {
		if i, ok := j.waiting[h.key]; ok && i == j.head {
			delete(j.waiting, h.key)
		}
	}
	ev.CopyFrom(&h.ev)
	h.ev = scoring.Event{}
	j.head++
	if j.head == len(j.queue) {
		j.queue, j.head = j.queue[:0], 0
	} else if j.head > 4096 && j.head*2 > len(j.queue) {
		n := copy(j.queue, j.queue[j.head:])
		for k, i := range j.waiting {
			j.waiting[k] = i - j.head
		}
		j.queue, j.head = j.queue[:n], 0
	}
}
