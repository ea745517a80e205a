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

// HashByteVariants sets out[k] to HashString of s with its byte at i
// (0 <= i < len(s); what s holds there does not matter) set to
// alphabet[k], for every k (out must be as long as alphabet): typo checks
// hash dozens of such variants per position. The words before i's are
// hashed once, and the words after it are read in place. It does not
// allocate.
func HashByteVariants(s string, i int, alphabet string, out []uint64) {
	out = out[:len(alphabet)]
	h := uint64(len(s)) ^ k0
	if len(s) < 8 {
		var base uint64 // the bytes but i's
		for j := 0; j < len(s); j++ {
			if j != i {
				base |= uint64(s[j]) << (8 * j)
			}
		}
		for k := range out {
			out[k] = fold(h^(base|uint64(alphabet[k])<<(8*i)), k1^k0)
		}
		return
	}
	full := len(s) &^ 7
	from := 0 // the first word left to hash: i's, or the tail's end
	for ; from+8 <= full && from+8 <= i; from += 8 {
		h = fold(h^load64(s[from:]), k1)
	}
	var word, tail uint64 // i's word and the tail, byte i cleared
	var wordShift, tailShift uint
	inWord := from < full
	if inWord {
		wordShift = uint(8*(i-from)) & 63
		word = load64(s[from:]) &^ (0xff << wordShift)
	}
	tailHasI := full < len(s) && i >= len(s)-8
	if full < len(s) {
		tail = load64(s[len(s)-8:])
		if tailHasI {
			tailShift = uint(8*(i-(len(s)-8))) & 63
			tail &^= 0xff << tailShift
		}
	}
	switch {
	case !inWord: // i is in the tail alone
		for k := range out {
			out[k] = fold(h^(tail|uint64(alphabet[k])<<tailShift), k1^k0)
		}
	case from+8 == full && !tailHasI: // i's word is the last, the tail is fixed
		for k := range out {
			v := fold(h^(word|uint64(alphabet[k])<<wordShift), k1)
			out[k] = fold(v^tail, k1^k0)
		}
	default:
		for k := range out {
			c := uint64(alphabet[k])
			v := fold(h^(word|c<<wordShift), k1)
			for j := from + 8; j < full; j += 8 {
				v = fold(v^load64(s[j:]), k1)
			}
			t := tail
			if tailHasI {
				t |= c << tailShift
			}
			out[k] = fold(v^t, k1^k0)
		}
	}
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
