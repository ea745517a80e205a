package dga

import (
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/internal/hotmem"
)

// knownWays is the associativity of the known-domain table.
const knownWays = 4

// knownSet is the sensor's bounded memory of domains it has seen resolve:
// a set-associative table of 8-byte fingerprints. A full set forgets its
// least recently confirmed entry; a zero capacity remembers nothing.
//
// Beside the slots, each set has one byte of tag per way (its slot's top
// fingerprint byte) in a compact array an eighth of the slots' size, so a
// lookup of an absent domain (the typo check makes about 75 per letter)
// mostly reads that array alone, which stays in cache, and not the slots.
//
// A filter of classBits bits, one per class of domain (its last label and
// its length, see classOf), marks the classes of every domain ever
// inserted (never cleared, so it may say yes for a forgotten class but
// never says no for a remembered domain): the typo check skips the
// variants of a class the set never held, all of them when the failed
// name's TLD and nearby lengths are new to it.
type knownSet struct {
	slots   []uint64 // groups of knownWays, most recently confirmed first
	tags    []uint32 // per set: byte w is tagOf slot w (0 for an empty one)
	mask    uint64   // set count - 1
	classes []uint64 // bit classOf(domain) set for every domain inserted
}

// classBits is the size of the known set's class filter (2 KiB).
const classBits = 1 << 14

// classOf is the class of a domain key (a Name.Key): its last label and
// length, hashed to a bit of the class filter.
func classOf(key string) uint16 {
	return keyClass(scoring.HashString(key[strings.LastIndexByte(key, '.')+1:]), len(key))
}

// keyClass is the class of a domain of length n whose last label hashes
// to tld (scoring.HashString).
func keyClass(tld uint64, n int) uint16 { return uint16((tld + uint64(n)) & (classBits - 1)) }

// mayHoldClass reports whether the set may hold a domain of class c: false
// says it never held one. The set must not be empty.
func (k *knownSet) mayHoldClass(c uint16) bool { return k.classes[c>>6]&(1<<(c&63)) != 0 }

// newKnownSet returns a set of at least capacity entries (a power of two
// of knownWays-entry sets), or an empty one for 0.
func newKnownSet(capacity int) knownSet {
	if capacity <= 0 {
		return knownSet{}
	}
	sets := 1
	for sets*knownWays < capacity {
		sets *= 2
	}
	return knownSet{slots: hotmem.Table[uint64](sets * knownWays), tags: hotmem.Table[uint32](sets), mask: uint64(sets - 1),
		classes: make([]uint64, classBits/64)}
}

// fingerprint is key made non-zero (zero marks an empty slot).
func fingerprint(key uint64) uint64 { return key | 1 }

// tagOf is a fingerprint's tag: its top byte (the set index uses bits 17
// up, at most 26 of them).
func tagOf(fp uint64) uint32 { return uint32(fp >> 56) }

// setIndex is key's set.
func (k *knownSet) setIndex(key uint64) uint64 { return key >> 17 & k.mask }

// set returns key's set.
func (k *knownSet) set(key uint64) []uint64 {
	i := k.setIndex(key) * knownWays
	return k.slots[i : i+knownWays]
}

// has reports whether key is remembered.
func (k *knownSet) has(key uint64) bool {
	if len(k.slots) == 0 || !k.mayHave(key) {
		return false
	}
	fp := fingerprint(key)
	for _, v := range k.set(key) {
		if v == fp {
			return true
		}
	}
	return false
}

// mayHave is has's first step, the tags alone (small enough to inline in
// the typo check's loop): false says key is not remembered. The set must
// not be empty.
func (k *knownSet) mayHave(key uint64) bool {
	// A byte of x is zero where a way's tag is key's.
	x := k.tags[k.setIndex(key)] ^ tagOf(fingerprint(key))*0x01010101
	return (x-0x01010101)&^x&0x80808080 != 0
}

// insert remembers key, a domain of class (classOf), as most recent in
// its set; it reports whether key was new.
func (k *knownSet) insert(key uint64, class uint16) bool {
	if len(k.slots) == 0 {
		return true
	}
	k.classes[class>>6] |= 1 << (class & 63)
	fp := fingerprint(key)
	s := k.set(key)
	i := 0
	for ; i < knownWays-1 && s[i] != fp; i++ {
	}
	isNew := s[i] != fp
	copy(s[1:i+1], s[:i])
	s[0] = fp
	var tags uint32
	for w, v := range s {
		tags |= tagOf(v) << (8 * w)
	}
	k.tags[k.setIndex(key)] = tags
	return isNew
}

// len counts the remembered entries.
func (k *knownSet) len() int {
	n := 0
	for _, v := range k.slots {
		if v != 0 {
			n++
		}
	}
	return n
}

// bytes is the memory the set takes.
func (k *knownSet) bytes() int64 {
	return int64(len(k.slots))*8 + int64(len(k.tags))*4 + int64(len(k.classes))*8
}
