// Package unchecked reads words out of byte slices without bounds checks,
// for the decoders' hot loops that have checked the bounds once for many
// reads (a TSV line's split, a key compared with a prediction). It never
// writes and never allocates; reading out of bounds is the caller's bug,
// which no check here catches.
package unchecked

import (
	"encoding/binary"
	"unsafe"
)

// Uint64LE returns the eight bytes of b from i on as a little-endian
// word: byte i in the low bits. The caller guarantees 0 <= i and
// i+8 <= len(b). On machines that load unaligned words it is one load;
// b[i:]'s checks cost the TSV split about 160 instructions a Zeek
// dns.log line, and a key prediction as much as the lookup it spares.
func Uint64LE(b []byte, i int) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i))[:])
}
