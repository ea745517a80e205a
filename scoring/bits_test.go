package scoring

import "testing"

func TestSetBitAndPortSet(t *testing.T) {
	var bits [4]uint64
	for _, b := range []uint64{0, 63, 64, 255} {
		if !SetBit(bits[:], b) || SetBit(bits[:], b) {
			t.Errorf("bit %d: first set must report clear, second set not", b)
		}
	}
	if bits != [4]uint64{1 | 1<<63, 1, 0, 1 << 63} {
		t.Errorf("bits %x", bits)
	}
	s := NewPortSet([]uint16{0, 22, 3389, 65535})
	for p, want := range map[uint16]bool{0: true, 22: true, 23: false, 3389: true, 65534: false, 65535: true} {
		if s.Has(p) != want {
			t.Errorf("Has(%d) = %v", p, !want)
		}
	}
}
