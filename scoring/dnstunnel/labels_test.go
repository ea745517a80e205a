package dnstunnel

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
)

// measureNameReference is measureName without the label memo: every name
// through varyingPart and payloadBytes.
func measureNameReference(w *window, sub string) {
	var counts [256]uint8
	varying, longest := varyingPart(sub, &w.prev, &w.prevN)
	p, odd := payloadBytes(varying, &counts)
	w.payload += p
	w.maxPayload = max(w.maxPayload, p)
	w.maxLabel = max(w.maxLabel, uint8(min(longest, 255)))
	if odd {
		w.oddNames++
	}
}

// sameMeasure reports whether a and b hold the same measures and the same
// previous name (its labels past prevN are never read).
func sameMeasure(a, b *window) bool {
	return math.Float64bits(a.payload) == math.Float64bits(b.payload) &&
		math.Float64bits(a.maxPayload) == math.Float64bits(b.maxPayload) &&
		a.maxLabel == b.maxLabel && a.oddNames == b.oddNames && a.prevN == b.prevN &&
		slices.Equal(a.prev[:a.prevN], b.prev[:b.prevN])
}

// TestLabelMemoMatchesReference: measureName, which takes one-label
// subdomains from the label memo, leaves a window as the path without it
// does, over random streams of names: labels repeated (memo hits) and new,
// around maxMemoLabel long, of host-name, base64, 8-bit and address-like
// characters, names of several labels (not memoised) in between, and
// labels whose hash equals the previous name's last label's (as a
// collision with a different previous name would).
func TestLabelMemoMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 5))
	alphabets := []string{"abcdefghijklmnopqrstuvwxyz0123456789-", "0123456789", "0123456789abcdef", "ab", "ABCxyz+/=_", "\x00\x80\xff.a", "w"}
	pool := make([]string, 300)
	for i := range pool {
		a := alphabets[i%len(alphabets)]
		b := make([]byte, 1+rng.IntN(maxMemoLabel+4))
		for j := range b {
			b[j] = a[rng.IntN(len(a))]
		}
		pool[i] = string(b)
	}
	d := New(DefaultConfig())
	var got, want window
	memoised := 0
	for i := 0; i < 200000; i++ {
		if i%1000 == 0 {
			got, want = window{}, window{}
		}
		sub := pool[rng.IntN(len(pool))]
		switch rng.IntN(8) {
		case 0:
			sub += "." + pool[rng.IntN(len(pool))]
		case 1:
			// The previous name's last label hashes as this one does.
			if h := uint32(hashOf(sub)); rng.IntN(2) == 0 {
				got.prev[0], want.prev[0] = h, h
				got.prevN, want.prevN = max(got.prevN, 1), max(want.prevN, 1)
			}
		}
		if len(sub) <= maxMemoLabel && !strings.Contains(sub, ".") {
			memoised++
		}
		d.measureName(&got, sub)
		measureNameReference(&want, sub)
		if !sameMeasure(&got, &want) {
			t.Fatalf("name %d %q: measured %+v, the path without the memo %+v", i, sub, got, want)
		}
		if d.counts != ([256]uint8{}) {
			t.Fatalf("name %d %q: counts left set", i, sub)
		}
	}
	if memoised < 100000 {
		t.Fatalf("%d names of one memoised label, want most", memoised)
	}
}

func hashOf(s string) uint64 {
	var w window
	varyingPart(s, &w.prev, &w.prevN)
	return uint64(w.prev[0])
}

// TestHasDot: hasDot finds a dot at every position of a packed label,
// and none in a label without one (nor in its zero padding).
func TestHasDot(t *testing.T) {
	for n := 1; n <= maxMemoLabel; n++ {
		lo, hi := scoring.Pack16(strings.Repeat("a", n))
		if hasDot(lo) || hasDot(hi) {
			t.Fatalf("hasDot finds a dot in %d letters", n)
		}
		for i := 0; i < n; i++ {
			s := []byte(strings.Repeat("\xff", n))
			s[i] = '.'
			lo, hi := scoring.Pack16(string(s))
			if !hasDot(lo) && !hasDot(hi) {
				t.Fatalf("hasDot misses the dot of %q", s)
			}
		}
	}
}
