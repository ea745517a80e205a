package icmptunnel

import (
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// FuzzInspect feeds arbitrary ICMP messages (any type, length, entropy,
// including negative lengths and NaN) through one detector: it must not
// panic and must keep its state bound.
func FuzzInspect(f *testing.F) {
	f.Add(uint8(8), uint16(1), uint16(1), 56, 5.3, uint64(42), false)
	f.Add(uint8(0), uint16(1), uint16(1), -5, math.NaN(), uint64(0), true)
	f.Add(uint8(8), uint16(0), uint16(0), 1<<30, 9.0, uint64(7), false)
	cfg := DefaultConfig()
	cfg.MaxKeys = 4
	d := New(cfg)
	var ev scoring.Event
	var r scoring.Report
	n := 0
	f.Fuzz(func(t *testing.T, typ uint8, id, seq uint16, length int, h float64, digest uint64, swap bool) {
		n++
		a, b := netip.AddrFrom4([4]byte{10, 0, 0, byte(n % 7)}), netip.AddrFrom4([4]byte{192, 0, 2, byte(n % 5)})
		if swap {
			a, b = b, a
		}
		ev.Reset()
		ev.Type, ev.Time, ev.SrcIP, ev.DstIP = scoring.TypeICMP, time.Unix(int64(n), 0), a, b
		ev.ICMP = scoring.ICMP{Type: typ, ID: id, Seq: seq, PayloadLen: length, PayloadEntropy: h, PayloadDigest: digest}
		r.Reset()
		d.Inspect(&ev, nil, &r)
		if d.state.Len() > cfg.MaxKeys {
			t.Fatalf("state grew to %d", d.state.Len())
		}
	})
}
