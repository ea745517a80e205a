package simday

import (
	"container/heap"
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Host is a source of events in its own time order: Next returns the next
// one, or false when the host has no more. Run asks each host for one event
// at a time and merges them; an event is emitted before Next is called
// again, so a host may reuse the event it returned.
type Host interface {
	Next() (*scoring.Event, bool)
}

// Config sets up a simulated day. Zero fields take the defaults.
type Config struct {
	// Hosts is the number of benign hosts. Default 200.
	Hosts int
	// Start is when the day begins (event time). Default Monday
	// 2026-01-05 00:00 UTC.
	Start time.Time
	// Duration is how long the simulation runs. Default 24h.
	Duration time.Duration
	// LookupsPerHour is a workstation's lookup activities per hour at full
	// business-hours activity, before its own 0.5x-2x scale (retries,
	// AAAA follow-ups and CDN lookups come on top). Default 300.
	LookupsPerHour float64
	// Seed determines everything random. Same seed and lists, same events.
	Seed uint64
	// SearchSuffix is the site's DNS search suffix. Default corp.example.com.
	SearchSuffix string
	// LongTailShare is the share of browsing drawn from Lists.LongTail
	// instead of by popularity from Lists.Top. Default 0.04; a negative
	// value draws none (the top list alone).
	LongTailShare float64
	// Extra are hosts merged into the stream (planted threats, infected
	// hosts); their events must be in their own time order.
	Extra []Host
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	if c.Hosts == 0 {
		c.Hosts = 200
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	}
	if c.Duration == 0 {
		c.Duration = 24 * time.Hour
	}
	if c.LookupsPerHour == 0 {
		c.LookupsPerHour = 300
	}
	switch {
	case c.LongTailShare == 0:
		c.LongTailShare = defaultLongTail
	case c.LongTailShare < 0:
		c.LongTailShare = 0
	}
	if c.SearchSuffix == "" {
		c.SearchSuffix = "corp.example.com"
	}
	return c
}

// HostAddr is the source address of benign host i (10.20.0.1 onwards;
// extra hosts should use other addresses).
func HostAddr(i int) netip.Addr {
	i++
	return netip.AddrFrom4([4]byte{10, byte(20 + i>>16), byte(i >> 8), byte(i)})
}

// Run simulates the day, calling emit with every event in event-time order
// (benign hosts and cfg.Extra merged). emit must not keep the event after
// it returns. Run stops at the first error emit returns and returns it.
func Run(cfg Config, lists *Lists, emit func(*scoring.Event) error) error {
	cfg = cfg.withDefaults()
	if err := lists.prepare(); err != nil {
		return err
	}
	end := cfg.Start.Add(cfg.Duration)
	q := make(queue, 0, cfg.Hosts+len(cfg.Extra))
	for i := 0; i < cfg.Hosts; i++ {
		q.push(newBenignHost(i, cfg, lists, end))
	}
	for _, h := range cfg.Extra {
		q.push(h)
	}
	heap.Init(&q)
	for len(q) > 0 {
		top := &q[0]
		if top.ev.Time.After(end) {
			heap.Pop(&q)
			continue
		}
		if err := emit(top.ev); err != nil {
			return err
		}
		if ev, ok := top.host.Next(); ok {
			top.ev = ev
			heap.Fix(&q, 0)
		} else {
			heap.Pop(&q)
		}
	}
	return nil
}

// pending is a host and its next event.
type pending struct {
	host Host
	ev   *scoring.Event
	seq  int // tie-break: stable order between hosts
}

// queue is a min-heap of hosts by their next event's time.
type queue []pending

func (q *queue) push(h Host) {
	if ev, ok := h.Next(); ok {
		*q = append(*q, pending{host: h, ev: ev, seq: len(*q)})
	}
}

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].ev.Time.Equal(q[j].ev.Time) {
		return q[i].ev.Time.Before(q[j].ev.Time)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(pending)) }
func (q *queue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
