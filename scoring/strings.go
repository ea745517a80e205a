package scoring

import "math/bits"

// HashString is a fixed (unseeded, so results are the same on every run)
// 64-bit hash of s that reads eight bytes a step, folding each with a
// 64x64->128-bit multiply. Detectors key bounded state and bitmaps on it;
// it does not allocate.
//
// A string shorter than 8 bytes is its little-endian word, built from two
// overlapping 4-byte loads, or below 4 bytes from its first, middle and
// last bytes: a byte read twice lands in the same place, so the OR is the
// word a byte loop builds (labels such as "www" and "com" are hashed
// several times an event).
func HashString(s string) uint64 {
	n := len(s)
	h := uint64(n) ^ k0
	var tail uint64
	switch {
	case n >= 8:
		last := Load64(s[n-8:]) // overlaps the words when n%8 != 0
		for ; len(s) >= 8; s = s[8:] {
			h = fold(h^Load64(s), k1)
		}
		if len(s) > 0 {
			tail = last
		}
	case n >= 4:
		tail = uint64(Load32(s)) | uint64(Load32(s[n-4:]))<<(8*(n-4)&63)
	case n > 0:
		tail = uint64(s[0]) | uint64(s[n/2])<<(8*(n/2)&63) | uint64(s[n-1])<<(8*(n-1)&63)
	}
	return fold(h^tail, k1^k0)
}

// HashByteVariants sets out[k] to HashString of s with its byte at i
// (0 <= i < len(s); what s holds there does not matter) set to
// alphabet[k], for every k (out must be as long as alphabet): typo checks
// hash dozens of such variants per position. The words before i's are
// hashed once, the words after it are loaded once, and names of up to
// four words after i's are hashed by straight-line code. It does not
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
		shift := uint(8*i) & 63
		for k := range out {
			out[k] = fold(h^(base|uint64(alphabet[k])<<shift), k1^k0)
		}
		return
	}
	full := len(s) &^ 7
	from := 0 // the first word left to hash: i's, or the tail's end
	for ; from+8 <= full && from+8 <= i; from += 8 {
		h = fold(h^Load64(s[from:]), k1)
	}
	// The tail (HashString's last, overlapping word; 0 when len(s) is a
	// multiple of 8) with byte i cleared, and the multiplier that puts a
	// byte at i's place in it (0 when i is not in the tail).
	var tail, tailBit uint64
	if full < len(s) {
		tail = Load64(s[len(s)-8:])
		if i >= len(s)-8 {
			shift := uint(8*(i-(len(s)-8))) & 63
			tail &^= 0xff << shift
			tailBit = 1 << shift
		}
	}
	if from == full { // i is in the tail alone
		for k := range out {
			out[k] = fold(h^(tail|uint64(alphabet[k])*tailBit), k1^k0)
		}
		return
	}
	shift := uint(8*(i-from)) & 63
	word, wordBit := Load64(s[from:])&^(0xff<<shift), uint64(1)<<shift
	v := variantWords{h: h, word: word, wordBit: wordBit, tail: tail, tailBit: tailBit}
	v.hash(s[from+8:full], alphabet, out)
}

// variantWords is HashByteVariants past the words before i's: h is the
// hash so far, word i's word with byte i cleared (wordBit puts a byte
// there), tail and tailBit the same for the tail.
type variantWords struct {
	h, word, wordBit, tail, tailBit uint64
}

// hash sets out[k] for alphabet[k], given the whole words after i's
// (rest, a multiple of 8 bytes). The common lengths have loops of their
// own with the words in registers; each hashes exactly as HashString.
func (v *variantWords) hash(rest, alphabet string, out []uint64) {
	h, word, wordBit, tail, tailBit := v.h, v.word, v.wordBit, v.tail, v.tailBit
	out = out[:len(alphabet)]
	switch len(rest) / 8 {
	case 0:
		for k := range out {
			c := uint64(alphabet[k])
			out[k] = fold(fold(h^(word|c*wordBit), k1)^(tail|c*tailBit), k1^k0)
		}
	case 1:
		w1 := Load64(rest)
		for k := range out {
			c := uint64(alphabet[k])
			x := fold(fold(h^(word|c*wordBit), k1)^w1, k1)
			out[k] = fold(x^(tail|c*tailBit), k1^k0)
		}
	case 2:
		w1, w2 := Load64(rest), Load64(rest[8:])
		for k := range out {
			c := uint64(alphabet[k])
			x := fold(fold(fold(h^(word|c*wordBit), k1)^w1, k1)^w2, k1)
			out[k] = fold(x^(tail|c*tailBit), k1^k0)
		}
	case 3:
		w1, w2, w3 := Load64(rest), Load64(rest[8:]), Load64(rest[16:])
		for k := range out {
			c := uint64(alphabet[k])
			x := fold(fold(fold(fold(h^(word|c*wordBit), k1)^w1, k1)^w2, k1)^w3, k1)
			out[k] = fold(x^(tail|c*tailBit), k1^k0)
		}
	default:
		for k := range out {
			c := uint64(alphabet[k])
			x := fold(h^(word|c*wordBit), k1)
			for j := 0; j+8 <= len(rest); j += 8 {
				x = fold(x^Load64(rest[j:]), k1)
			}
			out[k] = fold(x^(tail|c*tailBit), k1^k0)
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

// Load64 reads s[:8] little-endian (the compiler makes it one load).
func Load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// Load32 reads s[:4] little-endian (one load).
func Load32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Pack16 returns s, at most 16 bytes long, as two little-endian words:
// its first and its last eight bytes (four when it is shorter than eight;
// its bytes, zero-padded, in lo when shorter than four), which overlap
// when it is shorter than 16. Every byte of s is in one of them, and with
// len(s) they determine s: an exact key for a short string, read with
// the loads HashString makes of one, not a copy.
func Pack16(s string) (lo, hi uint64) {
	switch n := len(s); {
	case n >= 8:
		return Load64(s), Load64(s[n-8:])
	case n >= 4:
		return uint64(Load32(s)), uint64(Load32(s[n-4:]))
	case n > 0:
		return uint64(s[0]) | uint64(s[n/2])<<(8*(n/2)) | uint64(s[n-1])<<(8*(n-1)), 0
	}
	return 0, 0
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
