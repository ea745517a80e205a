package scoring

import "math/bits"

// HashString is a fixed (unseeded, so results are the same on every run)
// 64-bit hash of s that reads eight bytes a step, folding each with a
// 64x64->128-bit multiply. Detectors key bounded state and bitmaps on it;
// it does not allocate.
func HashString(s string) uint64 {
	const k0, k1 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db
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
