// Package state provides the bounded containers detectors keep per-key
// state in. Every container has a fixed capacity set at construction; when
// full, the least recently used entry is evicted and counted. Containers do
// no I/O, read no clock and are not safe for concurrent use (the engine
// serialises detector calls).
package state

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"net/netip"
)

// LRU is a bounded map from K to V with least-recently-used eviction.
// Values live in a slice of nodes, and keys are found through an
// open-addressing table of node indexes (linear probing, at most half
// full). Both start small and double as entries arrive, up to the
// capacity given at construction; from then on lookups and inserts do not
// allocate, and a full LRU evicts. Growing as needed, rather than
// allocating the capacity up front, spares a process that sees few keys
// the memory, the page faults and the garbage collector's scanning of
// tables sized for a large network (nfr score on 1M lookups: about 150 MB
// of tables, most of its 0.4 CPU-s of system time and 0.4 CPU-s of GC
// marking, before this). Which entries an LRU holds and evicts does not
// depend on its current size.
type LRU[K comparable, V any] struct {
	slots     []int32 // node index, or -1 for an empty slot
	mask      uint64  // len(slots) - 1
	hash      func(K) uint64
	nodes     []node[K, V] // cap(nodes) <= limit
	limit     int          // the capacity: the most entries held
	head      int32        // most recently used, -1 when empty
	tail      int32        // least recently used
	evictions uint64
	onEvict   func(K, *V)
}

type node[K comparable, V any] struct {
	key        K
	val        V
	hash       uint64
	prev, next int32
}

// NewLRU returns an LRU holding at most capacity entries (at least 1),
// hashing keys with hash/maphash. onEvict, when not nil, sees each entry
// just before it is evicted.
func NewLRU[K comparable, V any](capacity int, onEvict func(K, *V)) *LRU[K, V] {
	seed := maphash.MakeSeed()
	return NewLRUHash(capacity, func(k K) uint64 { return maphash.Comparable(seed, k) }, onEvict)
}

// NewLRUHash is NewLRU with the key hash given: a faster one for the key
// type (such as HashAddr). Equal keys must hash equal; which entries stay
// does not depend on the hash, only how fast they are found.
func NewLRUHash[K comparable, V any](capacity int, hash func(K) uint64, onEvict func(K, *V)) *LRU[K, V] {
	capacity = max(capacity, 1)
	c := &LRU[K, V]{hash: hash, limit: capacity, head: -1, tail: -1, onEvict: onEvict}
	c.resize(min(capacity, initialNodes))
	return c
}

// initialNodes is the room a new LRU starts with (less when its capacity
// is smaller); it doubles from there.
const initialNodes = 16

// resize gives the LRU room for n nodes (n >= len(c.nodes)) and a slot
// table for them at most half full, rebuilt from the nodes' hashes.
func (c *LRU[K, V]) resize(n int) {
	nodes := make([]node[K, V], len(c.nodes), n)
	copy(nodes, c.nodes)
	c.nodes = nodes
	size := 1 << bits.Len(uint(2*n-1)) // a power of two >= 2*n
	if size == len(c.slots) {
		return
	}
	c.slots = make([]int32, size)
	for i := range c.slots {
		c.slots[i] = -1
	}
	c.mask = uint64(size - 1)
	for i := range c.nodes {
		s := c.nodes[i].hash & c.mask
		for c.slots[s] >= 0 {
			s = (s + 1) & c.mask
		}
		c.slots[s] = int32(i)
	}
}

// HashAddr is a hash of an address for NewLRUHash (the zone is left out:
// addresses differing only by zone share a hash, and compare unequal).
func HashAddr(a netip.Addr) uint64 {
	b := a.As16()
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	if a.Is4() {
		hi ^= 0x9E3779B97F4A7C15 // an IPv4 address and its IPv4-mapped IPv6 form differ
	}
	return Mix(hi, lo)
}

// Mix folds v into hash h, for hashes of keys made of several fields
// (Mix(HashAddr(src), HashAddr(dst)), Mix(h, uint64(port))).
func Mix(h, v uint64) uint64 {
	hi, lo := bits.Mul64(h^0xa0761d6478bd642f, v^0xe7037ed1a0b428db)
	return hi ^ lo
}

// find returns the slot holding k (whose hash is h) and its node index,
// or the empty slot where k would go and -1.
func (c *LRU[K, V]) find(k K, h uint64) (slot uint64, idx int32) {
	slots, nodes, mask := c.slots, c.nodes, c.mask // in registers through the probe loop (BenchmarkLRUHit 106 -> 101)
	for s := h & mask; ; s = (s + 1) & mask {
		i := slots[s]
		if i < 0 {
			return s, i
		}
		if n := &nodes[i]; n.hash == h && n.key == k {
			return s, i
		}
	}
}

// slotOf returns the slot that holds node index i.
func (c *LRU[K, V]) slotOf(i int32) uint64 {
	for s := c.nodes[i].hash & c.mask; ; s = (s + 1) & c.mask {
		if c.slots[s] == i {
			return s
		}
	}
}

// clearSlot empties slot s, moving later entries of its probe run back so
// every entry stays reachable from its home slot (backward-shift
// deletion: no tombstones, so probe runs never grow with churn).
func (c *LRU[K, V]) clearSlot(s uint64) {
	for {
		c.slots[s] = -1
		j := s
		for {
			j = (j + 1) & c.mask
			i := c.slots[j]
			if i < 0 {
				return
			}
			home := c.nodes[i].hash & c.mask
			// The entry at j may move to s unless its home lies
			// cyclically in (s, j].
			if (j-home)&c.mask >= (j-s)&c.mask {
				c.slots[s] = i
				s = j
				break
			}
		}
	}
}

// Len is the number of entries held.
func (c *LRU[K, V]) Len() int { return len(c.nodes) }

// Cap is the maximum number of entries, the capacity given at
// construction.
func (c *LRU[K, V]) Cap() int { return c.limit }

// Evictions counts entries dropped to make room.
func (c *LRU[K, V]) Evictions() uint64 { return c.evictions }

// Peek returns the value for k without changing recency.
func (c *LRU[K, V]) Peek(k K) (*V, bool) {
	_, i := c.find(k, c.hash(k))
	if i < 0 {
		return nil, false
	}
	return &c.nodes[i].val, true
}

// Get returns the value for k and marks it most recently used. The pointer
// is valid until the next call that inserts.
func (c *LRU[K, V]) Get(k K) (*V, bool) {
	_, i := c.find(k, c.hash(k))
	if i < 0 {
		return nil, false
	}
	return &c.moveToFront(i).val, true
}

// GetOrInsert returns the value for k, inserting a zero value (evicting the
// least recently used entry when full) if absent. inserted reports whether
// the value is new. The pointer is valid until the next call that inserts.
func (c *LRU[K, V]) GetOrInsert(k K) (v *V, inserted bool) {
	return c.GetOrInsertHashed(k, c.hash(k))
}

// GetOrInsertHashed is GetOrInsert for a caller that has k's hash (h must
// be what the LRU's hash function gives for k), sparing the call through
// the function.
func (c *LRU[K, V]) GetOrInsertHashed(k K, h uint64) (v *V, inserted bool) {
	s, i := c.find(k, h)
	if i >= 0 {
		return &c.moveToFront(i).val, false
	}
	if len(c.nodes) == cap(c.nodes) && len(c.nodes) < c.limit {
		c.resize(min(2*len(c.nodes), c.limit))
		s, _ = c.find(k, h) // the slot table may be new
	}
	if len(c.nodes) < cap(c.nodes) {
		c.nodes = append(c.nodes, node[K, V]{})
		i = int32(len(c.nodes) - 1)
	} else {
		i = c.tail
		old := &c.nodes[i]
		if c.onEvict != nil {
			c.onEvict(old.key, &old.val)
		}
		c.clearSlot(c.slotOf(i))
		c.unlink(i)
		c.evictions++
		s, _ = c.find(k, h) // the shift may have moved k's empty slot
	}
	n := &c.nodes[i]
	var zero V
	n.key, n.val, n.hash = k, zero, h
	c.slots[s] = i
	c.pushFront(i)
	return &n.val, true
}

// Delete removes k if present.
func (c *LRU[K, V]) Delete(k K) {
	s, i := c.find(k, c.hash(k))
	if i < 0 {
		return
	}
	c.clearSlot(s)
	c.unlink(i)
	// Move the last node into the freed slot so nodes stays dense.
	last := int32(len(c.nodes) - 1)
	if i != last {
		c.slots[c.slotOf(last)] = i
		c.nodes[i] = c.nodes[last]
		c.relink(last, i)
	}
	var zero node[K, V]
	c.nodes[last] = zero
	c.nodes = c.nodes[:last]
}

// Range calls fn for each entry from most to least recently used until fn
// returns false.
func (c *LRU[K, V]) Range(fn func(K, *V) bool) {
	for i := c.head; i >= 0; i = c.nodes[i].next {
		if !fn(c.nodes[i].key, &c.nodes[i].val) {
			return
		}
	}
}

// moveToFront makes node i the most recently used: unlink and pushFront
// in one, for a node that is in the list (and, not being its head, has a
// previous node). It returns the node. The nodes' slice is read once:
// read through c, the compiler reloads it (and checks its bounds) after
// each store (BenchmarkLRUHit 119 -> 106 instructions a lookup).
func (c *LRU[K, V]) moveToFront(i int32) *node[K, V] {
	nodes := c.nodes
	n := &nodes[i]
	if c.head == i {
		return n
	}
	prev, next, head := n.prev, n.next, c.head
	nodes[prev].next = next
	if next >= 0 {
		nodes[next].prev = prev
	} else {
		c.tail = prev
	}
	n.prev, n.next = -1, head
	nodes[head].prev = i
	c.head = i
	return n
}

func (c *LRU[K, V]) pushFront(i int32) {
	n := &c.nodes[i]
	n.prev, n.next = -1, c.head
	if c.head >= 0 {
		c.nodes[c.head].prev = i
	}
	c.head = i
	if c.tail < 0 {
		c.tail = i
	}
}

func (c *LRU[K, V]) unlink(i int32) {
	n := &c.nodes[i]
	if n.prev >= 0 {
		c.nodes[n.prev].next = n.next
	} else {
		c.head = n.next
	}
	if n.next >= 0 {
		c.nodes[n.next].prev = n.prev
	} else {
		c.tail = n.prev
	}
	n.prev, n.next = -1, -1
}

// relink points the neighbours of the node that moved from slot from to slot to.
func (c *LRU[K, V]) relink(from, to int32) {
	n := &c.nodes[to]
	if n.prev >= 0 {
		c.nodes[n.prev].next = to
	} else if c.head == from {
		c.head = to
	}
	if n.next >= 0 {
		c.nodes[n.next].prev = to
	} else if c.tail == from {
		c.tail = to
	}
}

// Oldest returns the least recently used entry without changing recency.
func (c *LRU[K, V]) Oldest() (K, *V, bool) {
	if c.tail < 0 {
		var zero K
		return zero, nil, false
	}
	n := &c.nodes[c.tail]
	return n.key, &n.val, true
}
