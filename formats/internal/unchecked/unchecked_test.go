package unchecked

import (
	"encoding/binary"
	"testing"
)

func TestUint64LEMatchesBinary(t *testing.T) {
	b := make([]byte, 40)
	for i := range b {
		b[i] = byte(i*37 + 11)
	}
	for i := 0; i+8 <= len(b); i++ {
		if got, want := Uint64LE(b, i), binary.LittleEndian.Uint64(b[i:]); got != want {
			t.Fatalf("at %d: %#x, want %#x", i, got, want)
		}
	}
}
