package state

import (
	"unsafe"

	"github.com/netflightrecorder/nfr/scoring"
)

// NameKeyMax is the longest key a NameCache stores; longer keys are never
// cached (Get misses, Put does nothing).
const NameKeyMax = 62

// NameCache memoises a pure function of a short string (a domain name) in
// fixed memory: a two-way set-associative table with the keys stored inline,
// so neither lookups nor fills allocate. A compact array of 16-bit tags
// (hash bits the set index does not use) lets a lookup of an absent key,
// the common case for names seen once, skip the slots and their cache
// misses. A fill replaces the less recently
// used slot of the key's set and counts an eviction. Because it only
// memoises, what a caller computes does not depend on what the cache holds:
// results stay deterministic whatever the placement. Not safe for concurrent
// use.
type NameCache[V any] struct {
	sets      []nameSet[V]
	tags      []uint32 // per set: slot 0's tag in the low 16 bits, slot 1's in the high (0: empty)
	mask      uint64
	entries   int
	evictions uint64
}

type nameSlot[V any] struct {
	keyLen uint8 // 0: empty
	key    [NameKeyMax]byte
	val    V
}

type nameSet[V any] struct {
	slots [2]nameSlot[V]
	older uint8 // the slot a fill replaces
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
	return &NameCache[V]{sets: make([]nameSet[V], sets), tags: make([]uint32, sets), mask: uint64(sets - 1)}
}

// nameTag is the tag of a key hashing to h: its top 16 bits, never 0.
func nameTag(h uint64) uint32 { return uint32(h>>48) | 1 }

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
	if c == nil || len(key) == 0 || len(key) > NameKeyMax {
		return nil
	}
	tags, t := c.tags[h&c.mask], nameTag(h)
	if tags&0xffff != t && tags>>16 != t {
		return nil
	}
	s := &c.sets[h&c.mask]
	for i := range s.slots {
		if sl := &s.slots[i]; int(sl.keyLen) == len(key) && string(sl.key[:sl.keyLen]) == key {
			s.older = uint8(1 - i)
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
	s := &c.sets[h&c.mask]
	i := s.older
	sl := &s.slots[i]
	if sl.keyLen == 0 {
		c.entries++
	} else {
		c.evictions++
	}
	sl.keyLen = uint8(len(key))
	copy(sl.key[:], key)
	sl.val = v
	s.older = 1 - i
	shift := 16 * uint32(i)
	c.tags[h&c.mask] = c.tags[h&c.mask]&^(0xffff<<shift) | nameTag(h)<<shift
	return &sl.val
}

// Reset empties the cache (counters are kept).
func (c *NameCache[V]) Reset() {
	if c == nil {
		return
	}
	clear(c.sets)
	clear(c.tags)
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

// Bytes is the memory the slots and their tags take.
func (c *NameCache[V]) Bytes() int64 {
	if c == nil {
		return 0
	}
	return int64(len(c.sets)) * int64(unsafe.Sizeof(nameSet[V]{})+4)
}

// Evictions counts fills that replaced a cached key.
func (c *NameCache[V]) Evictions() uint64 {
	if c == nil {
		return 0
	}
	return c.evictions
}
