package dga

import (
	"strings"
	"unsafe"

	"github.com/netflightrecorder/nfr/scoring"
)

// minTypoLabel is the shortest label checked for being a typo: shorter
// labels have so few possible neighbours that a random one is often one
// edit from some known domain.
const minTypoLabel = 5

// typoAlphabet is what a mistyped letter may become.
const typoAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"

// typoOf reports whether the domain label+rest (rest starts with the dot)
// is one edit (a letter dropped, added, replaced, or two swapped) from a
// domain the set remembers: a mistyped name, not a generated one. It
// checks up to 75 variants per letter of label, so callers run it only
// for sources already failing often; it does not allocate. Variants of a
// length and TLD the set never held are skipped (the class filter), and
// the replaced and added letters, 73 of the 75, are hashed a position at
// a time with scoring.HashByteVariants, most ruled out by their tag alone.
func (k *knownSet) typoOf(label, rest string) bool {
	if len(k.slots) == 0 || len(label) < minTypoLabel || len(label)+1+len(rest) > 128 {
		return false
	}
	shorter, same, longer := k.variantClasses(label, rest)
	if !shorter && !same && !longer {
		return false
	}
	var buf [130]byte
	// ins is label[:i] + ? + label[i:] + rest and rep label + rest, where
	// the byte at i is the one the variants set.
	var ins, rep [128]byte
	n := len(label)
	ni := 1 + copy(ins[1:], label)
	ni += copy(ins[ni:], rest)
	nr := copy(rep[:], label)
	nr += copy(rep[nr:], rest)
	insS, repS := unsafe.String(&ins[0], ni), unsafe.String(&rep[0], nr)
	var hs [len(typoAlphabet)]uint64
	for i := 0; i <= n; i++ {
		if i > 0 {
			ins[i-1] = label[i-1]
		}
		// Variants that change position i: drop it, swap it with the next,
		// replace it, or insert before it.
		if shorter && i < n && k.hasVariant(&buf, label[:i], "", label[i+1:], rest) {
			return true
		}
		if same && i+1 < n && label[i] != label[i+1] &&
			k.hasVariant(&buf, label[:i], string2(label[i+1], label[i], &buf), label[i+2:], rest) {
			return true
		}
		if same && i < n {
			scoring.HashByteVariants(repS, i, typoAlphabet, hs[:])
			for c, h := range hs {
				if typoAlphabet[c] != label[i] && k.mayHave(h) && k.has(h) {
					return true
				}
			}
		}
		if longer {
			scoring.HashByteVariants(insS, i, typoAlphabet, hs[:])
			for _, h := range hs {
				if k.mayHave(h) && k.has(h) {
					return true
				}
			}
		}
	}
	return false
}

// variantClasses reports, for the variants of label+rest one letter
// shorter, as long and one longer, whether the set may hold a domain of
// their class: all true when rest has no dot (the variants' last label
// is then not rest's).
func (k *knownSet) variantClasses(label, rest string) (shorter, same, longer bool) {
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return true, true, true
	}
	tld, n := scoring.HashString(rest[dot+1:]), len(label)+len(rest)
	return k.mayHoldClass(keyClass(tld, n-1)), k.mayHoldClass(keyClass(tld, n)), k.mayHoldClass(keyClass(tld, n+1))
}

// string2 returns the two bytes a, b as a string backed by the end of buf
// (past any variant built in it).
func string2(a, b byte, buf *[130]byte) string {
	buf[128], buf[129] = a, b
	return unsafe.String(&buf[128], 2)
}

// hasVariant builds head+mid+tail+rest in buf and reports whether the set
// remembers it.
func (k *knownSet) hasVariant(buf *[130]byte, head, mid, tail, rest string) bool {
	n := copy(buf[:128], head)
	n += copy(buf[n:128], mid)
	n += copy(buf[n:128], tail)
	n += copy(buf[n:128], rest)
	return k.has(scoring.HashString(unsafe.String(&buf[0], n)))
}
