package state

import (
	"unsafe"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/internal/hotmem"
)

// NameKeyMax is the longest key a NameCache stores; longer keys are never
// cached (Get misses, Put does nothing).
const NameKeyMax = 62

// NameCache memoises a pure function of a short string (a domain name) in
// fixed memory: a two-way set-associative table with the keys stored inline,
// so neither lookups nor fills allocate. A compact array of 16-bit tags
// (hash bits the set index does not use), which also says which slot of a
// set a fill replaces, lets a lookup of an absent key, the common case for
// names seen once, skip the slots and their cache misses, and a fill write
// its slot without reading any. A fill replaces the less recently
// used slot of the key's set and counts an eviction. Because it only
// memoises, what a caller computes does not depend on what the cache holds:
// results stay deterministic whatever the placement. Not safe for concurrent
// use.
type NameCache[V any] struct {
	sets      []nameSet[V]
	meta      []nameMeta // per set: its slots' tags and which slot a fill replaces
	mask      uint64
	entries   int
	evictions uint64
}

type nameSlot[V any] struct {
	keyLen uint8 // 0: empty
	key    [NameKeyMax]byte
	val    V
}

type nameSet[V any] [2]nameSlot[V]

// nameMeta is what a lookup or a fill reads first, in a compact array of
// its own (6 bytes a set): each slot's tag (hash bits the set index does
// not use; 0: empty) and the slot a fill replaces. A miss, and a fill's
// choice of slot, then touch no slot: a fill only writes one.
type nameMeta struct {
	tag   [2]uint16
	older uint8
}

// NewNameCache returns a cache of at least slots entries (rounded up to a
// power of two, at least 2). slots <= 0 returns nil: a nil cache never
// hits and ignores Put.
func NewNameCache[V any](slots int) *NameCache[V] {
	if slots <= 0 {
		return nil
	}
	sets := 1
	for sets*2 < slots {
		sets <<= 1
	}
	return &NameCache[V]{sets: hotmem.Table[nameSet[V]](sets), meta: hotmem.Table[nameMeta](sets), mask: uint64(sets - 1)}
}

// nameTag is the tag of a key hashing to h: its top 16 bits, never 0.
func nameTag(h uint64) uint16 { return uint16(h>>48) | 1 }

// Get returns the value stored for key.
func (c *NameCache[V]) Get(key string) (V, bool) {
	if v := c.Ref(key); v != nil {
		return *v, true
	}
	var zero V
	return zero, false
}

// Ref returns the value stored for key in place (nil when absent), for a
// caller that updates it; the pointer is valid until the next Put, Insert
// or Reset.
func (c *NameCache[V]) Ref(key string) *V { return c.RefHashed(key, scoring.HashString(key)) }

// RefHashed is Ref for a caller that has key's hash already: h must be
// scoring.HashString(key) (as scoring.FQDN.Hash is of its Name).
func (c *NameCache[V]) RefHashed(key string, h uint64) *V {
	if c == nil || uint(len(key)-1) >= NameKeyMax { // empty or too long: never cached
		return nil
	}
	// Only a slot whose tag matches is read: most absent keys (names seen
	// once) touch no slot.
	m, t := &c.meta[h&c.mask], nameTag(h)
	for i := range m.tag {
		if m.tag[i] != t {
			continue
		}
		if sl := &c.sets[h&c.mask][i]; int(sl.keyLen) == len(key) && string(sl.key[:sl.keyLen]) == key {
			m.older = uint8(1 - i)
			return &sl.val
		}
	}
	return nil
}

// Put stores v for key (which must not be present: call it after a Get miss).
func (c *NameCache[V]) Put(key string, v V) { c.Insert(key, v) }

// Insert is Put returning the stored value in place (as Ref does), or nil
// when key is not cacheable (empty or longer than NameKeyMax).
func (c *NameCache[V]) Insert(key string, v V) *V {
	return c.InsertHashed(key, scoring.HashString(key), v)
}

// InsertHashed is Insert with key's hash given (as for RefHashed).
func (c *NameCache[V]) InsertHashed(key string, h uint64, v V) *V {
	if c == nil || len(key) == 0 || len(key) > NameKeyMax {
		return nil
	}
	m := &c.meta[h&c.mask]
	i := m.older
	if m.tag[i] == 0 {
		c.entries++
	} else {
		c.evictions++
	}
	m.tag[i], m.older = nameTag(h), 1-i
	sl := &c.sets[h&c.mask][i]
	sl.keyLen = uint8(len(key))
	copy(sl.key[:], key)
	sl.val = v
	return &sl.val
}

// Reset empties the cache (counters are kept).
func (c *NameCache[V]) Reset() {
	if c == nil {
		return
	}
	clear(c.sets)
	clear(c.meta)
	c.entries = 0
}

// Len is the number of cached keys.
func (c *NameCache[V]) Len() int {
	if c == nil {
		return 0
	}
	return c.entries
}

// Cap is the number of slots.
func (c *NameCache[V]) Cap() int {
	if c == nil {
		return 0
	}
	return 2 * len(c.sets)
}

// Bytes is the memory the slots and their tags (with the fill order) take.
func (c *NameCache[V]) Bytes() int64 {
	if c == nil {
		return 0
	}
	return int64(len(c.sets)) * int64(unsafe.Sizeof(nameSet[V]{})+unsafe.Sizeof(nameMeta{}))
}

// Evictions counts fills that replaced a cached key.
func (c *NameCache[V]) Evictions() uint64 {
	if c == nil {
		return 0
	}
	return c.evictions
}
