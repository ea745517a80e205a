// Package state provides the bounded containers detectors keep per-key
// state in. Every container has a fixed capacity set at construction; when
// full, the least recently used entry is evicted and counted. Containers do
// no I/O, read no clock and are not safe for concurrent use (the engine
// serialises detector calls).
package state

// LRU is a fixed-capacity map from K to V with least-recently-used
// eviction. Values live in a slice allocated once, so lookups and inserts
// do not allocate after construction.
type LRU[K comparable, V any] struct {
	index     map[K]int32
	nodes     []node[K, V]
	head      int32 // most recently used, -1 when empty
	tail      int32 // least recently used
	evictions uint64
	onEvict   func(K, *V)
}

type node[K comparable, V any] struct {
	key        K
	val        V
	prev, next int32
}

// NewLRU returns an LRU holding at most capacity entries (at least 1).
// onEvict, when not nil, sees each entry just before it is evicted.
func NewLRU[K comparable, V any](capacity int, onEvict func(K, *V)) *LRU[K, V] {
	if capacity < 1 {
		capacity = 1
	}
	return &LRU[K, V]{
		index:   make(map[K]int32, capacity),
		nodes:   make([]node[K, V], 0, capacity),
		head:    -1,
		tail:    -1,
		onEvict: onEvict,
	}
}

// Len is the number of entries held.
func (c *LRU[K, V]) Len() int { return len(c.index) }

// Cap is the maximum number of entries.
func (c *LRU[K, V]) Cap() int { return cap(c.nodes) }

// Evictions counts entries dropped to make room.
func (c *LRU[K, V]) Evictions() uint64 { return c.evictions }

// Peek returns the value for k without changing recency.
func (c *LRU[K, V]) Peek(k K) (*V, bool) {
	i, ok := c.index[k]
	if !ok {
		return nil, false
	}
	return &c.nodes[i].val, true
}

// Get returns the value for k and marks it most recently used. The pointer
// is valid until the next call that inserts.
func (c *LRU[K, V]) Get(k K) (*V, bool) {
	i, ok := c.index[k]
	if !ok {
		return nil, false
	}
	c.moveToFront(i)
	return &c.nodes[i].val, true
}

// GetOrInsert returns the value for k, inserting a zero value (evicting the
// least recently used entry when full) if absent. inserted reports whether
// the value is new. The pointer is valid until the next call that inserts.
func (c *LRU[K, V]) GetOrInsert(k K) (v *V, inserted bool) {
	if i, ok := c.index[k]; ok {
		c.moveToFront(i)
		return &c.nodes[i].val, false
	}
	var i int32
	if len(c.nodes) < cap(c.nodes) {
		c.nodes = append(c.nodes, node[K, V]{})
		i = int32(len(c.nodes) - 1)
	} else {
		i = c.tail
		old := &c.nodes[i]
		if c.onEvict != nil {
			c.onEvict(old.key, &old.val)
		}
		delete(c.index, old.key)
		c.unlink(i)
		c.evictions++
	}
	n := &c.nodes[i]
	var zero V
	n.key, n.val = k, zero
	c.index[k] = i
	c.pushFront(i)
	return &n.val, true
}

// Delete removes k if present.
func (c *LRU[K, V]) Delete(k K) {
	i, ok := c.index[k]
	if !ok {
		return
	}
	delete(c.index, k)
	c.unlink(i)
	// Move the last node into the freed slot so nodes stays dense.
	last := int32(len(c.nodes) - 1)
	if i != last {
		c.nodes[i] = c.nodes[last]
		c.index[c.nodes[i].key] = i
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

func (c *LRU[K, V]) moveToFront(i int32) {
	if c.head == i {
		return
	}
	c.unlink(i)
	c.pushFront(i)
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
