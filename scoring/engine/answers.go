package engine

import "github.com/netflightrecorder/nfr/scoring"

// answerText is an answer's text packed for exact comparison: n bytes
// (4 to 16), read as two overlapping 8-byte (or 4-byte) windows, the
// first and last, which together cover every byte. Knowing n, the
// windows determine the text, so equal keys mean equal texts.
type answerText struct {
	lo, hi uint64
	n      uint64 // 0: empty slot
}

// packAnswer returns the key of s, or false when s is too short or long
// to pack (such answers are not cached).
func packAnswer(s string) (answerText, bool) {
	switch n := len(s); {
	case n >= 8 && n <= 16:
		return answerText{lo: scoring.Load64(s), hi: scoring.Load64(s[n-8:]), n: uint64(n)}, true
	case n >= 4 && n < 8:
		return answerText{lo: uint64(scoring.Load32(s)), hi: uint64(scoring.Load32(s[n-4:])), n: uint64(n)}, true
	}
	return answerText{}, false
}

func (k answerText) slot() uint64 {
	return ((k.lo ^ k.hi*0x9E3779B97F4A7C15 ^ k.n) * 0xBF58476D1CE4E5B9) >> (64 - cleanAnswerBits)
}
