package scoring

import "math/bits"

// HashString is a fixed (unseeded, so results are the same on every run)
// 64-bit hash of s that reads eight bytes a step, folding each with a
// 64x64->128-bit multiply. Detectors key bounded state and bitmaps on it;
// it does not allocate.
func HashString(s string) uint64 {
	h := uint64(len(s)) ^ k0
	var tail uint64
	switch {
	case len(s) >= 8:
		last := load64(s[len(s)-8:]) // overlaps the words when len%8 != 0
		for ; len(s) >= 8; s = s[8:] {
			h = fold(h^load64(s), k1)
		}
		if len(s) > 0 {
			tail = last
		}
	default:
		for i := 0; i < len(s); i++ {
			tail |= uint64(s[i]) << (8 * i)
		}
	}
	return fold(h^tail, k1^k0)
}

// ByteVariants hashes the strings that differ from s only in the byte at
// i: its Hash(c) is HashString of s with s[i] set to c, without rehashing
// the 8-byte words before i's (typo checks hash dozens of such variants
// per position). It does not allocate.
type ByteVariants struct {
	s    string
	i    int
	h    uint64 // the hash state after the words before from
	from int    // offset of the first word left to hash
	base uint64 // strings under 8 bytes: the tail without byte i
}

// NewByteVariants prepares the variants of s at i (0 <= i < len(s)); the
// byte s holds at i does not matter.
func NewByteVariants(s string, i int) ByteVariants {
	v := ByteVariants{s: s, i: i, h: uint64(len(s)) ^ k0}
	if len(s) < 8 {
		for j := 0; j < len(s); j++ {
			if j != i {
				v.base |= uint64(s[j]) << (8 * j)
			}
		}
		return v
	}
	full := len(s) &^ 7
	for ; v.from+8 <= full && v.from+8 <= i; v.from += 8 {
		v.h = fold(v.h^load64(s[v.from:]), k1)
	}
	return v
}

// Hash returns HashString of the variant whose byte i is c.
func (v *ByteVariants) Hash(c byte) uint64 {
	s, h := v.s, v.h
	if len(s) < 8 {
		return fold(h^(v.base|uint64(c)<<(8*v.i)), k1^k0)
	}
	full := len(s) &^ 7
	for j := v.from; j < full; j += 8 {
		w := load64(s[j:])
		if o := uint(v.i - j); o < 8 {
			w = w&^(0xff<<(8*o)) | uint64(c)<<(8*o)
		}
		h = fold(h^w, k1)
	}
	var tail uint64
	if full < len(s) {
		tail = load64(s[len(s)-8:])
		if o := uint(v.i - (len(s) - 8)); o < 8 {
			tail = tail&^(0xff<<(8*o)) | uint64(c)<<(8*o)
		}
	}
	return fold(h^tail, k1^k0)
}

// k0 and k1 are HashString's multipliers.
const k0, k1 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db

// fold multiplies a and b into 128 bits and xors the halves.
func fold(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// load64 reads s[:8] little-endian (the compiler makes it one load).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// DecimalOctet reports whether s is a decimal number from 0 to 255 of at
// most three digits: one label of a (reversed) IPv4 address in a name.
func DecimalOctet(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v <= 255
}
