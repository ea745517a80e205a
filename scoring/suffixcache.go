package scoring

import (
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// publicSuffix is publicsuffix.PublicSuffix behind a fixed-size cache. The
// library call allocates (it first tries to parse the name as an IP
// address), so the cache keeps repeated names, and long names sharing their
// last labels (tunnels, CDNs), allocation-free. The key is the name's last
// suffixKeyLabels labels: the library's rule trie is never deeper than
// that, so the walk over the key is the walk over the whole name.
//
// The cache is two-way set associative (a key may live in either slot of
// its set; a fill replaces the slot used less recently), with keys stored
// inline in the slot so a fill does not allocate. Keys longer than
// suffixKeyMax bytes bypass the cache. Memory is fixed at suffixSets*2
// slots of 64 bytes. A 16-bit tag per slot (hash bits the set index does
// not use), in a compact array of its own, lets a name the cache does not
// hold (most names seen once) miss without touching the slots.
func publicSuffix(name string) (string, bool) {
	key := lastLabels(name, suffixKeyLabels)
	if len(key) > suffixKeyMax {
		return publicsuffix.PublicSuffix(name)
	}
	h := HashString(key)
	n, icann, hit := cachedSuffix(key, h)
	if !hit {
		s, ic := publicsuffix.PublicSuffix(key)
		n, icann = len(s), ic
		if n > len(key) { // the library answered with more than the key: never expected
			return publicsuffix.PublicSuffix(name)
		}
		i := h % suffixSets
		suffixCache.mu.Lock()
		suffixCache.tags[i][suffixCache.sets[i].older] = suffixTag(h)
		suffixCache.sets[i].put(key, n, ic)
		suffixCache.mu.Unlock()
	}
	return name[len(name)-n:], icann
}

// cachedSuffix is the cached answer for key (whose HashString is h).
func cachedSuffix(key string, h uint64) (suffixLen int, icann, ok bool) {
	i, tag := h%suffixSets, suffixTag(h)
	suffixCache.mu.Lock()
	defer suffixCache.mu.Unlock()
	if tags := &suffixCache.tags[i]; tags[0] != tag && tags[1] != tag {
		return 0, false, false
	}
	return suffixCache.sets[i].get(key)
}

// suffixTag is the tag of a key hashing to h: its top 16 bits, never 0.
func suffixTag(h uint64) uint16 { return uint16(h>>48) | 1 }

const (
	// suffixSets is the number of two-slot sets (16384 slots, 1 MiB).
	suffixSets = 8192
	// suffixKeyLabels exceeds the depth of the deepest public suffix rule (5 labels).
	suffixKeyLabels = 7
	// suffixKeyMax is the longest key stored inline in a slot.
	suffixKeyMax = 61
)

// suffixSlot is one cached answer: the key's bytes, the suffix length in
// bytes and the ICANN flag; 64 bytes, one cache line.
type suffixSlot struct {
	keyLen    uint8
	suffixLen uint8
	icann     bool
	key       [suffixKeyMax]byte
}

func (s *suffixSlot) holds(key string) bool {
	return int(s.keyLen) == len(key) && string(s.key[:s.keyLen]) == key
}

// suffixSet is two slots; older names the slot to replace next.
type suffixSet struct {
	slots [2]suffixSlot
	older uint8
}

func (s *suffixSet) get(key string) (suffixLen int, icann, ok bool) {
	for i := range s.slots {
		if sl := &s.slots[i]; sl.holds(key) {
			s.older = uint8(1 - i)
			return int(sl.suffixLen), sl.icann, true
		}
	}
	return 0, false, false
}

func (s *suffixSet) put(key string, suffixLen int, icann bool) {
	i := s.older
	sl := &s.slots[i]
	sl.keyLen, sl.suffixLen, sl.icann = uint8(len(key)), uint8(suffixLen), icann
	copy(sl.key[:], key)
	s.older = 1 - i
}

var suffixCache struct {
	mu   sync.Mutex
	tags [suffixSets][2]uint16 // per slot: the tag of its key (0: empty)
	sets [suffixSets]suffixSet
}

// lastLabels returns the last n labels of name.
func lastLabels(name string, n int) string {
	i := len(name)
	for ; n > 0; n-- {
		i = strings.LastIndexByte(name[:i], '.')
		if i < 0 {
			return name
		}
	}
	return name[i+1:]
}
