package dnstunnel

import (
	"github.com/netflightrecorder/nfr/scoring"
)

// A subdomain of one short label ("www", "mail", an NX flood's random
// label) is the common case, and the same few labels come back in every
// window of every host: labelMemo keeps, per label, what measureName
// needs of it, so that a label seen before costs a table look-up instead
// of varyingPart and payloadBytes (BenchmarkInspectLookups 753 -> 639
// instructions an event).

// maxMemoLabel is the longest label labelMemo holds: it is kept inline, in
// two words.
const maxMemoLabel = 16

// memoBits is the log2 of labelMemo's size.
const memoBits = 8

// labelInfo is what measureName needs of a one-label subdomain.
type labelInfo struct {
	lo, hi uint64  // the label as scoring.Pack16 packs it
	n      uint8   // its length; 0 in an empty entry
	odd    bool    // payloadBytes of the label's varying part: odd
	hash   uint32  // uint32(HashString(label)), as varyingPart records it
	bytes  float64 // payloadBytes of the label's varying part: bytes
}

// labelMemo is a direct-mapped table of labelInfo: a label that misses
// replaces the entry it maps to.
type labelMemo [1 << memoBits]labelInfo

// lookup returns sub's labelInfo when sub is one label of at most
// maxMemoLabel bytes (ok is false otherwise), computing it when not held.
// counts is payloadBytes' scratch.
func (m *labelMemo) lookup(sub string, counts *[256]uint8) (e *labelInfo, ok bool) {
	if len(sub) == 0 || len(sub) > maxMemoLabel {
		return nil, false
	}
	lo, hi := scoring.Pack16(sub)
	if hasDot(lo) || hasDot(hi) {
		return nil, false
	}
	e = &m[(lo*0x9E3779B97F4A7C15^hi)*0xBF58476D1CE4E5B9>>(64-memoBits)]
	if e.lo == lo && e.hi == hi && int(e.n) == len(sub) {
		return e, true
	}
	// As varyingPart measures a name that shares no label with the
	// previous one: the whole label, less a reversed-address prefix.
	varying := sub
	if mayStartWithAddress(varying) {
		varying = stripAddress(varying)
	}
	p, odd := payloadBytes(varying, counts)
	*e = labelInfo{lo: lo, hi: hi, n: uint8(len(sub)), odd: odd, hash: uint32(scoring.HashString(sub)), bytes: p}
	return e, true
}

// hasDot reports whether any byte of w is '.' (Pack16's padding zeros are not).
func hasDot(w uint64) bool { return scoring.ZeroBytes(w^'.'*0x0101010101010101) != 0 }

// measureLabel is what varyingPart and payloadBytes give for a subdomain
// of the one label e describes, with w's previous name: the label's
// payload, or nothing when the previous name's only or last label hashes
// the same (fixed structure). It records the label as the previous name.
func measureLabel(w *window, e *labelInfo) (bytes float64, odd bool) {
	shared := w.prevN > 0 && w.prev[0] == e.hash
	w.prev[0], w.prevN = e.hash, 1
	if shared {
		return 0, false
	}
	return e.bytes, e.odd
}
