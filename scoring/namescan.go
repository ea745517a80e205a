package scoring

import (
	"math/bits"
	"strings"
)

// dotSet is the set of the offsets of a name's dots (names of at most
// 255 bytes), a bit each: the public suffix walk and the split into
// registered domain and subdomain find the dot before an offset in it
// instead of scanning back for it.
type dotSet [4]uint64

// collect adds the dots of s (at most 255 bytes) a byte at a time.
func (d *dotSet) collect(s string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			d[i>>6] |= 1 << (i & 63)
		}
	}
}

// before returns the offset of the last dot before offset end (at most
// 255), or -1.
func (d *dotSet) before(end int) int {
	w := end >> 6 & 3
	m := d[w] & (1<<(end&63) - 1)
	for m == 0 {
		if w == 0 {
			return -1
		}
		w--
		m = d[w]
	}
	return w<<6 + bits.Len64(m) - 1
}

// Byte masks of the word-at-a-time scan: a byte's high bit says what the
// byte is.
const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// ZeroBytes returns the high bit of each byte of x that is 0, exactly (no
// carry crosses a byte): xored with a byte repeated, the bytes equal to
// it. Word-at-a-time scans use it (names here, Zeek TSV lines, the DGA
// rings' tags).
func ZeroBytes(x uint64) uint64 {
	const low7 = highs - lows // 0x7f in every byte
	return ^((x&low7 + low7) | x | low7)
}

// highBitsToBits packs the high bits of m's bytes (other bits clear) into
// its low 8 bits, byte k's into bit k.
func highBitsToBits(m uint64) uint64 { return (m >> 7) * 0x0102040810204080 >> 56 }

// scanNormal reads name eight bytes a step and reports whether it is in
// the normal form FQDN.Parse takes fast: 1 to 253 bytes of lower-case
// ASCII, no empty label (nor leading or trailing dot), no punycode label,
// and nothing netip.ParseAddr could take for an address (no colon, not
// only digits and dots). dots (empty on entry) then holds its dots.
func scanNormal(name string, dots *dotSet) bool {
	if len(name) == 0 || len(name) > 253 || name[0] == '.' || name[len(name)-1] == '.' {
		return false
	}
	// High bits of bytes: >= 0x80, 'A' to 'Z', ':', a dot after a dot, a
	// hyphen after a hyphen; the previous word's dots and hyphens.
	var high, upper, colon, dotDot, hyphens2, prevDots, prevHyphens uint64
	for at := 0; at < len(name); at += 8 {
		var w uint64
		if at+8 <= len(name) {
			w = Load64(name[at:])
		} else {
			w = tailWord(name, at)
		}
		high |= w
		upper |= (w + (0x80-'A')*lows) &^ (w + (0x80-'Z'-1)*lows) // exact for ASCII
		colon |= ZeroBytes(w ^ ':'*lows)
		d, h := ZeroBytes(w^'.'*lows), ZeroBytes(w^'-'*lows)
		dotDot |= d & (d<<8 | prevDots>>56)
		hyphens2 |= h & (h<<8 | prevHyphens>>56)
		prevDots, prevHyphens = d, h
		dots[at>>6] |= highBitsToBits(d) << (at & 63)
	}
	if (high|upper|colon|dotDot)&highs != 0 {
		return false
	}
	return !digitsAndDots(name) && (hyphens2 == 0 || !strings.Contains(name, "xn--"))
}

// tailWord returns the bytes of s from at to its end (fewer than eight),
// little-endian, the bytes past the end 0.
func tailWord(s string, at int) uint64 {
	rest := len(s) - at
	if len(s) >= 8 {
		return Load64(s[len(s)-8:]) >> (8 * (8 - rest))
	}
	var w uint64
	for i := 0; i < rest; i++ {
		w |= uint64(s[at+i]) << (8 * i)
	}
	return w
}

// digitsAndDots reports whether s holds only digits and dots.
func digitsAndDots(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
