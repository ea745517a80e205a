package chunk

import (
	"encoding/binary"
	"math"
	"testing"
)

// commonHeader, the one-step read of an event header, gives what the
// general path (eventHeader) gives for every header it accepts, and
// declines the others (group markers, bad times), which the general path
// then reads: every layout with times in every encoding, edge values
// included.
func TestCommonHeaderMatchesGeneralPath(t *testing.T) {
	var times [][]byte
	for _, sec := range []uint32{0, 1, 1732600000, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFF} {
		for _, nsec := range []uint32{0, 5000, 999999999, 1000000000, 0xFFFFFFFF} {
			fix := append([]byte{0xd7, 0}, binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, sec), nsec)...)
			ext := append([]byte{0xc7, 8, 0}, fix[2:]...)
			times = append(times, fix, ext, append([]byte{0xc7, 8, 1}, fix[2:]...), append([]byte{0xd7, 1}, fix[2:]...))
		}
		times = append(times, binary.BigEndian.AppendUint32([]byte{0xce}, sec))
	}
	for _, f := range []float64{0, 0.5, 1732600000.25, 1 << 40, -1, math.NaN(), math.Inf(1)} {
		times = append(times, binary.BigEndian.AppendUint64([]byte{0xcb}, math.Float64bits(f)))
	}
	times = append(times, []byte{0x05}, []byte{0xff}, []byte{0xd2, 0, 0, 0, 1})
	metas := [][]byte{{0x80}, {0xdf, 0, 0, 0, 0}, {0x81, 0xa1, 'k', 0x01}, {0x90}, {0x81}, {0xc0}}
	record := []byte{0x81, 0xa1, 'a', 0x01} // {"a": 1}
	for _, tm := range times {
		var events [][]byte
		events = append(events, append(append([]byte{0x92}, tm...), record...))
		for _, meta := range metas {
			ev := append(append(append([]byte{0x92, 0x92}, tm...), meta...), record...)
			events = append(events, ev)
		}
		for _, ev := range events {
			for cut := len(ev); cut >= len(ev)-len(record)-1; cut-- {
				checkHeader(t, ev[:cut])
			}
		}
	}
}

func checkHeader(t *testing.T, data []byte) {
	t.Helper()
	fast := Decoder{data: data}
	ft, ok, ferr := fast.commonHeader()
	if !ok && ferr == nil {
		if fast.off != 0 {
			t.Errorf("% x: declined after reading %d bytes", data, fast.off)
		}
		return
	}
	general := Decoder{data: data}
	gt, marker, gerr := general.eventHeader()
	if marker || !ft.Equal(gt) || fast.off != general.off || (ferr == nil) != (gerr == nil) ||
		ferr != nil && ferr.Error() != gerr.Error() {
		t.Errorf("% x: one step %v at %d (%v), general %v marker %v at %d (%v)", data, ft, fast.off, ferr, gt, marker, general.off, gerr)
	}
}
