package icmptunnel

import (
	"math"
	"testing"
)

// TestProfilesMatchDirectEntropy rebuilds the ping profiles the slow way,
// computing each prefix's entropy from scratch, and compares.
func TestProfilesMatchDirectEntropy(t *testing.T) {
	buf := make([]byte, profileMax)
	for _, n := range []int{1, 2, 15, 16, 17, 56, 64, 100, 255, 256, 257, 1000, profileMax} {
		for i := range buf[:n] {
			buf[i] = 'a' + byte(i%23)
		}
		if d := math.Abs(float64(windowsProfile[n]) - entropy(buf[:n])); d > 1e-5 {
			t.Errorf("windows profile at %d: %v, direct %v", n, windowsProfile[n], entropy(buf[:n]))
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, ts := range [][]byte{
			{0x5f, 0x3a, 0x91, 0x67, 0, 0, 0, 0, 0xdb, 0x0d, 0x0f, 0, 0, 0, 0, 0},
			{0x5f, 0x3a, 0x91, 0x67, 0, 0, 0, 0, 0x2a, 0, 0, 0, 0, 0, 0, 0},
			{0x5f, 0x3a, 0x91, 0x67, 0xdb, 0x0d, 0x0f, 0},
			nil,
		} {
			for i := range buf[:n] {
				buf[i] = byte(i)
				if i < len(ts) {
					buf[i] = ts[i]
				}
			}
			lo, hi = min(lo, entropy(buf[:n])), max(hi, entropy(buf[:n]))
		}
		if p := unixProfile[n]; math.Abs(float64(p.lo)-lo) > 1e-5 || math.Abs(float64(p.hi)-hi) > 1e-5 {
			t.Errorf("unix profile at %d: [%v, %v], direct [%v, %v]", n, p.lo, p.hi, lo, hi)
		}
	}
}
