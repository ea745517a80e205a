package serve

import (
	"errors"
	"io"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/netflightrecorder/nfr/scoring"
)

// eventCost is what one event holds beyond the bytes it was decoded from.
const eventCost = int64(unsafe.Sizeof(scoring.Event{}))

// errBudget reports a request that the memory budget cannot admit now (503).
var errBudget = errors.New("memory budget exhausted")

// errOverBudget reports a request that alone needs more than the whole
// memory budget (413: a retry cannot help).
var errOverBudget = errors.New("request needs more than memory_budget")

// budget is serve.memory_budget: bytes of records decoded and not yet
// scored, on every input together. Bytes are admitted before they are
// decoded and released once their events are scored (or refused).
//
// The oldest charge still growing (a request being read, a stream batch
// being filled) may go past the limit as long as everything else in use
// stays within it: like the queue, which admits a request alone however
// large, this keeps a body of max_body from being refused forever and
// concurrent requests from starving each other. No charge may exceed the
// limit, so the bytes in use stay under twice the limit.
type budget struct {
	mu      sync.Mutex
	used    int64
	limit   int64
	growing []*charge     // charges holding bytes and not yet queued, oldest first
	freed   chan struct{} // closed and replaced on a release once take waits on it
	waited  bool          // take holds freed
}

func newBudget(limit int64) *budget {
	return &budget{limit: limit, freed: make(chan struct{})}
}

// tryTake admits n bytes for c if they fit or c is the oldest growing
// charge: nil, errBudget, or errOverBudget when c would exceed the limit.
func (b *budget) tryTake(c *charge, n int64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c.n+n > b.limit {
		return errOverBudget
	}
	oldest := len(b.growing) == 0 || b.growing[0] == c
	others := b.used - c.n
	if b.used+n > b.limit && !(oldest && others <= b.limit) {
		return errBudget
	}
	if c.n == 0 && !slices.Contains(b.growing, c) {
		b.growing = append(b.growing, c)
	}
	b.used += n
	c.n += n
	return nil
}

// take waits until n bytes can be admitted for c; it gives up (false) once
// stop says so.
func (b *budget) take(c *charge, n int64, stop func() bool) bool {
	for b.tryTake(c, n) != nil {
		if stop() {
			return false
		}
		b.mu.Lock()
		freed := b.freed
		b.waited = true
		b.mu.Unlock()
		select {
		case <-freed:
		case <-time.After(50 * time.Millisecond):
		}
	}
	return true
}

// release frees n bytes; done says c (if any) stops growing.
func (b *budget) release(c *charge, n int64, done bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if done {
		b.growing = slices.DeleteFunc(b.growing, func(g *charge) bool { return g == c })
	}
	if n == 0 {
		return
	}
	b.used -= n
	if b.waited {
		close(b.freed)
		b.freed, b.waited = make(chan struct{}), false
	}
}

func (b *budget) inUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// charge is what one request or stream batch holds of the budget.
type charge struct {
	b *budget
	n int64
}

func (c *charge) tryTake(n int64) error { return c.b.tryTake(c, n) }

// give returns n of c's bytes (bytes admitted and not read).
func (c *charge) give(n int64) {
	c.b.mu.Lock()
	c.n -= n
	c.b.mu.Unlock()
	c.b.release(c, n, false)
}

// drop returns everything c holds: the request failed.
func (c *charge) drop() {
	c.b.mu.Lock()
	n := c.n
	c.n = 0
	c.b.mu.Unlock()
	c.b.release(c, n, true)
}

// detach hands c's bytes over to a queued batch (released when it is
// scored) and stops c growing.
func (c *charge) detach() int64 {
	c.b.mu.Lock()
	n := c.n
	c.n = 0
	c.b.mu.Unlock()
	c.b.release(c, 0, true)
	return n
}

// chargedReader admits every byte against a charge before reading it:
// the decoded bytes of a body are paid for before they are decoded.
type chargedReader struct {
	r io.Reader
	c *charge
}

// chargeChunk is the most chargedReader admits per read.
const chargeChunk = 32 << 10

func (r *chargedReader) Read(p []byte) (int, error) {
	if len(p) > chargeChunk {
		p = p[:chargeChunk]
	}
	if err := r.c.tryTake(int64(len(p))); err != nil {
		return 0, err
	}
	n, err := r.r.Read(p)
	r.c.give(int64(len(p) - n))
	return n, err
}
