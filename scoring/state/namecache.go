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
	slots     hotmem.Lines[nameSlot[V]] // set s's are 2s and 2s+1
	meta      []nameMeta                // per set: its slots' tags and which slot a fill replaces
	mask      uint64
	entries   int
	evictions uint64
	door      *doorkeeper // nil: every fill is stored (WithDoorkeeper)
}

// nameSlot is one cached key and its value. The value comes first and
// each slot starts a cache line (hotmem.LineTable), so that a hit on a
// key of up to 64-1-sizeof(V) bytes (the engine's memo: 23, the DGA
// verdict: 39) reads one line for the key and its value alike. With the
// key first, the value was a second line and a second miss, which the
// profile showed on the value's first read (engine.trusted, dga.Inspect:
// 6% of nfr score's time on 1M Zeek TSV lookups).
type nameSlot[V any] struct {
	val    V
	keyLen uint8 // 0: empty
	key    [NameKeyMax]byte
}

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
	return &NameCache[V]{slots: hotmem.LineTable[nameSlot[V]](2 * sets), meta: hotmem.Table[nameMeta](sets), mask: uint64(sets - 1)}
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
	set := h & c.mask
	m, t := &c.meta[set], nameTag(h)
	for i := range m.tag {
		if m.tag[i] != t {
			continue
		}
		if sl := c.slots.At(2*set + uint64(i)); int(sl.keyLen) == len(key) && string(sl.key[:sl.keyLen]) == key {
			m.older = uint8(1 - i)
			return &sl.val
		}
	}
	return nil
}

// Put stores v for key (which must not be present: call it after a Get
// miss); with a doorkeeper, only when this is the key's second fill
// (WithDoorkeeper).
func (c *NameCache[V]) Put(key string, v V) { c.Insert(key, v) }

// Insert is Put returning the stored value in place (as Ref does), or nil
// when key is not cacheable (empty or longer than NameKeyMax) or, with a
// doorkeeper, not stored (its first fill).
func (c *NameCache[V]) Insert(key string, v V) *V {
	return c.InsertHashed(key, scoring.HashString(key), v)
}

// InsertHashed is Insert with key's hash given (as for RefHashed).
func (c *NameCache[V]) InsertHashed(key string, h uint64, v V) *V {
	if c == nil || len(key) == 0 || len(key) > NameKeyMax {
		return nil
	}
	if c.door != nil && !c.door.seen(h) {
		return nil // a first sighting (WithDoorkeeper)
	}
	set := h & c.mask
	m := &c.meta[set]
	i := m.older
	if m.tag[i] == 0 {
		c.entries++
	} else {
		c.evictions++
	}
	m.tag[i], m.older = nameTag(h), 1-i
	sl := c.slots.At(2*set + uint64(i))
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
	c.slots.Clear()
	clear(c.meta)
	if c.door != nil {
		c.door.reset()
	}
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
	return c.slots.Len()
}

// Bytes is the memory the slots and their tags (with the fill order) take.
func (c *NameCache[V]) Bytes() int64 {
	if c == nil {
		return 0
	}
	b := c.slots.Bytes() + int64(len(c.meta))*int64(unsafe.Sizeof(nameMeta{}))
	if c.door != nil {
		b += int64(len(c.door.bits)) * 8
	}
	return b
}

// Evictions counts fills that replaced a cached key.
func (c *NameCache[V]) Evictions() uint64 {
	if c == nil {
		return 0
	}
	return c.evictions
}

// WithDoorkeeper makes c store a key only on its second fill within a
// while (c returned, for chaining): a first fill, the fate of every name
// seen once, returns nil and stores nothing. Names seen once are most of
// what misses a name cache (a third of issue 19's lookups: random labels
// under one domain, DGA-like names); storing them cost a cache miss each
// on a slot that is cold (its line fetched to be written, then read back
// by the caller), and evicted names that would have been looked up again.
// A name looked up twice is computed twice before it is stored, once more
// than without the doorkeeper. This is TinyLFU's doorkeeper (Einziger,
// Friedman and Manes, 2017): a bit set over the keys' hashes, 16 bits a
// slot (32 KiB for 16,384 slots, within the first-level cache), emptied
// when an eighth of its bits are set, so that at most one first fill in
// eight is taken for a second (and stored, as without it). As with the
// cache itself, what callers compute does not depend on it.
func (c *NameCache[V]) WithDoorkeeper() *NameCache[V] {
	if c != nil {
		c.door = newDoorkeeper(16 * c.Cap())
	}
	return c
}

// doorkeeper remembers which key hashes were filled once (WithDoorkeeper).
type doorkeeper struct {
	bits  []uint64
	mask  uint64 // of a bit's index
	set   int    // bits set since the last reset
	limit int    // set at which the bits are emptied
}

// newDoorkeeper returns a doorkeeper of at least n bits (a power of two, at least 64).
func newDoorkeeper(n int) *doorkeeper {
	size := 64
	for size < n {
		size <<= 1
	}
	return &doorkeeper{bits: make([]uint64, size/64), mask: uint64(size - 1), limit: size / 8}
}

// doorShift skips the hash bits a cache's set index uses (its low bits,
// up to 2^24 sets) and that a tag uses (its top 16 bits): the
// doorkeeper's bit is chosen by bits 24 up.
const doorShift = 24

// seen reports whether h was marked since the last reset, and marks it.
func (d *doorkeeper) seen(h uint64) bool {
	if !scoring.SetBit(d.bits, h>>doorShift&d.mask) {
		return true
	}
	if d.set++; d.set >= d.limit {
		d.reset()
	}
	return false
}

// reset forgets every mark.
func (d *doorkeeper) reset() {
	clear(d.bits)
	d.set = 0
}
