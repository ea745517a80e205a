// Package intern turns byte slices into strings once per distinct recent
// value, so that decoders which see the same names, services and states
// over and over allocate for each only once. Its memory is fixed (Slots
// strings of at most MaxLen bytes); it never grows and forgets by
// replacement. It must not be shared between goroutines without a lock.
package intern

import "hash/maphash"

const (
	// Slots is how many strings a Table keeps.
	Slots = 4096
	// MaxLen is the longest value kept; longer ones are converted each time.
	MaxLen = 128
)

// Table is a two-way set-associative cache of strings. Call Init before
// use; a Table is large (Slots strings), embed it rather than copy it.
type Table struct {
	seed  maphash.Seed
	slots [Slots]string
}

// Init prepares t (and forgets what it held).
func (t *Table) Init() {
	t.seed = maphash.MakeSeed()
	clear(t.slots[:])
}

// Get returns b as a string, the same string as for the last equal b
// when it is still held. It does not keep b.
func (t *Table) Get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > MaxLen {
		return string(b)
	}
	// Each hash picks a pair of slots, the most recently used first.
	h := maphash.Bytes(t.seed, b) & (Slots - 2)
	a, o := &t.slots[h], &t.slots[h+1]
	if *a == string(b) {
		return *a
	}
	if *o == string(b) {
		*a, *o = *o, *a
		return *a
	}
	*o = *a
	*a = string(b)
	return *a
}
