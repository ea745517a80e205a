package flb

import (
	"hash/maphash"
	"sync"
	"sync/atomic"

	"github.com/netflightrecorder/nfr/scoring/state"
)

// chunkKey identifies a chunk's bytes.
type chunkKey struct {
	sum  uint64
	size int
}

var digestSeed = maphash.MakeSeed()

func digest(data []byte) chunkKey {
	return chunkKey{sum: maphash.Bytes(digestSeed, data), size: len(data)}
}

// undelivered is a scored chunk whose alerts some sink has not taken yet.
type undelivered struct {
	batch  Batch
	result int // what the flush returns once delivery succeeds
}

// pendingSet remembers, by chunk digest, chunks that were scored but not
// fully delivered, so that Fluent Bit's retry of the same chunk delivers
// the remembered alerts instead of scoring the records again. It is
// bounded: the oldest entries are dropped (and logged) beyond its capacity.
type pendingSet struct {
	mu   sync.Mutex
	lru  *state.LRU[chunkKey, undelivered]
	size atomic.Int64 // lru.Len(), readable without the lock
}

func newPendingSet(capacity int, onDrop func(alerts int)) *pendingSet {
	return &pendingSet{lru: state.NewLRU(capacity, func(_ chunkKey, u *undelivered) {
		onDrop(u.batch.Len())
	})}
}

// take removes and returns the entry for k.
func (p *pendingSet) take(k chunkKey) (undelivered, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	u, ok := p.lru.Peek(k)
	if !ok {
		return undelivered{}, false
	}
	v := *u
	p.lru.Delete(k)
	p.size.Store(int64(p.lru.Len()))
	return v, true
}

// put remembers u under k.
func (p *pendingSet) put(k chunkKey, u undelivered) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, _ := p.lru.GetOrInsert(k)
	*v = u
	p.size.Store(int64(p.lru.Len()))
}

// empty reports whether nothing is pending, without locking: the common
// case, in which a flush need not even hash its chunk.
func (p *pendingSet) empty() bool { return p.size.Load() == 0 }

// alerts counts the alerts held.
func (p *pendingSet) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lru.Len()
}
