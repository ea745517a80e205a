package dga

// knownWays is the associativity of the known-domain table.
const knownWays = 4

// knownSet is the sensor's bounded memory of domains it has seen resolve:
// a set-associative table of 8-byte fingerprints. A full set forgets its
// least recently confirmed entry; a zero capacity remembers nothing.
type knownSet struct {
	slots []uint64 // groups of knownWays, most recently confirmed first
	mask  uint64   // set count - 1
}

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
	return knownSet{slots: make([]uint64, sets*knownWays), mask: uint64(sets - 1)}
}

// fingerprint is key made non-zero (zero marks an empty slot).
func fingerprint(key uint64) uint64 { return key | 1 }

// set returns key's set.
func (k *knownSet) set(key uint64) []uint64 {
	i := (key >> 17 & k.mask) * knownWays
	return k.slots[i : i+knownWays]
}

// has reports whether key is remembered.
func (k *knownSet) has(key uint64) bool {
	if len(k.slots) == 0 {
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

// insert remembers key as most recent in its set; it reports whether key
// was new.
func (k *knownSet) insert(key uint64) bool {
	if len(k.slots) == 0 {
		return true
	}
	fp := fingerprint(key)
	s := k.set(key)
	i := 0
	for ; i < knownWays-1 && s[i] != fp; i++ {
	}
	isNew := s[i] != fp
	copy(s[1:i+1], s[:i])
	s[0] = fp
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
