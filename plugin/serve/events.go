package serve

import (
	"slices"
	"sync"

	"github.com/netflightrecorder/nfr/scoring"
)

// events is a batch of events, mapped in place into chunks that are
// recycled once scored: a batch of 1,000 events is 656 KB, and allocating,
// clearing and collecting one per request cost more than the sidecar's
// own work on each record. Events go into pooled chunks of chunkEvents
// once the batch has paid the memory budget for half a chunk (its records'
// bytes and events); before that, into a first chunk that grows as append
// grows it and is not pooled, so a flood of tiny requests holds no more
// than before. A batch thus holds at most about twice what it is charged
// for, as with append, which also copied each event a second time. Reused
// slots keep the capacity of their answer slices: mapping into them
// allocates nothing.
type events struct {
	full [][]scoring.Event // filled chunks, in order
	last []scoring.Event   // the chunk being filled
	n    int               // events in full
}

const (
	smallChunk  = 64
	chunkEvents = 128
	chunkBytes  = chunkEvents * eventCost
)

var chunks = sync.Pool{New: func() any { c := make([]scoring.Event, 0, chunkEvents); return &c }}

// next extends the batch by one slot and returns it, holding whatever it
// held before: the caller fills it wholly (Mapper.BeginInto resets it,
// Joiner.Pop copies over it). paid is what the batch holds of the memory
// budget.
func (e *events) next(paid int64) *scoring.Event {
	n := len(e.last)
	if n == cap(e.last) {
		if n < smallChunk && paid < chunkBytes/2 {
			e.last = slices.Grow(e.last, 1)
		} else {
			if n > 0 {
				e.full = append(e.full, e.last)
				e.n += n
			}
			e.last, n = (*chunks.Get().(*[]scoring.Event))[:0], 0
		}
	}
	e.last = e.last[:n+1]
	return &e.last[n]
}

// unnext drops the slot next returned last.
func (e *events) unnext() { e.last = e.last[:len(e.last)-1] }

func (e *events) len() int { return e.n + len(e.last) }

// each calls fn for every event in order.
func (e *events) each(fn func(*scoring.Event)) {
	for _, c := range e.full {
		for i := range c {
			fn(&c[i])
		}
	}
	for i := range e.last {
		fn(&e.last[i])
	}
}

// recycle returns the pooled chunks of a batch nothing refers to any
// more, and empties it.
func (e *events) recycle() {
	for _, c := range e.full {
		putChunk(c)
	}
	putChunk(e.last)
	*e = events{}
}

func putChunk(c []scoring.Event) {
	if cap(c) == chunkEvents {
		c = c[:0]
		chunks.Put(&c)
	}
}
