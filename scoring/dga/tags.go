package dga

import (
	"encoding/binary"
	"math/bits"

	"github.com/netflightrecorder/nfr/scoring"
)

// A ring's entries are found by hash through a parallel array of one-byte
// tags (a byte of the entry's hash, never 0; 0 marks an unused slot),
// compared eight at a time: a lookup reads the full entries of the few
// slots whose tag matches instead of every entry. A DGA host's lookups are
// mostly of names new to its rings, which every scan of the entries went
// through in full (host.add about 700 instructions a call on a full ring,
// burst.repeat about 130). The tags cost a host 96 bytes; they spare
// BenchmarkScoreZeekTSV 41 of its 6,818 instructions an event.

// ringTag is the tag of an entry whose hash is h.
func ringTag(h uint64) uint8 {
	if t := uint8(h >> 56); t != 0 {
		return t
	}
	return 1
}

// tagMatches returns the bits of the 8-slot group w of tags (byte j of the
// group at bit 8j+7) whose tag is t (scoring.ZeroBytes of the group xor t
// in every byte).
func tagMatches(tags []uint8, w int, t uint8) uint64 {
	return scoring.ZeroBytes(binary.LittleEndian.Uint64(tags[w*8:]) ^ uint64(t)*0x0101010101010101)
}

// tagSlot is the slot of the lowest match of tagMatches(tags, w, t) = m.
func tagSlot(w int, m uint64) int { return w*8 + bits.TrailingZeros64(m)>>3 }
