package engine

import "github.com/netflightrecorder/nfr/scoring"

// answerText is an answer's text packed for exact comparison: n bytes
// (4 to 16) as scoring.Pack16 packs them, which with n determine the
// text, so equal keys mean equal texts.
type answerText struct {
	lo, hi uint64
	n      uint64 // 0: empty slot
}

// packAnswer returns the key of s, or false when s is too short or long
// to pack (such answers are not cached).
func packAnswer(s string) (answerText, bool) {
	if n := len(s); n >= 4 && n <= 16 {
		lo, hi := scoring.Pack16(s)
		return answerText{lo: lo, hi: hi, n: uint64(n)}, true
	}
	return answerText{}, false
}

func (k answerText) slot() uint64 {
	return ((k.lo ^ k.hi*0x9E3779B97F4A7C15 ^ k.n) * 0xBF58476D1CE4E5B9) >> (64 - cleanAnswerBits)
}
