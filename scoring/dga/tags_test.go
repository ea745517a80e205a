package dga

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestTagMatchesExact: tagMatches sets exactly the bits of the bytes
// equal to the tag, over random groups drawn from few values (so that
// equal bytes, zeros and bytes differing in one bit abound).
func TestTagMatchesExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	values := []uint8{0, 1, 0x80, 0x81, 0x7f, 0xff, 0xfe, 0x01 << 7, 0x40}
	var tags [16]uint8
	for n := 0; n < 200000; n++ {
		for i := range tags {
			tags[i] = values[rng.IntN(len(values))]
		}
		tag := values[rng.IntN(len(values))]
		for w := 0; w < 2; w++ {
			var want uint64
			for j := 0; j < 8; j++ {
				if tags[w*8+j] == tag {
					want |= 0x80 << (8 * j)
				}
			}
			if got := tagMatches(tags[:], w, tag); got != want {
				t.Fatalf("tags %x group %d tag %#x: got %#x, want %#x", tags, w, tag, got, want)
			}
		}
	}
}

// TestRingScansMatchLinear: host.add and burst.repeat, which find entries
// through their tags, leave every entry as the scans of every entry did,
// over random lookups of names whose hashes share their tag byte (and
// times that run backwards and past the window).
func TestRingScansMatchLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const window = time.Minute
	for run := 0; run < 200; run++ {
		var h host
		var want host
		now := int64(1e12)
		for i := 0; i < 400; i++ {
			name := uint64(rng.IntN(3))<<56 | uint64(rng.IntN(40)) // few tags, many names a tag
			now += int64(rng.IntN(int(window / 4)))
			if rng.IntN(10) == 0 {
				now -= int64(window)
			}
			weight := float32(rng.IntN(4))
			h.add(now, name, weight, window)
			addLinear(&want, now, name, weight, window)
			if h.recent != want.recent || h.next != want.next || h.n != want.n {
				t.Fatalf("run %d lookup %d: add differs from the linear scan", run, i)
			}
			n := Name{Label: "x", TLD: "com"}
			got, wantRepeat := h.burst.repeat(now, name|1, int64(window)), repeatLinear(&want.burst, now, name|1, int64(window))
			if got != wantRepeat {
				t.Fatalf("run %d lookup %d: repeat %v, linear scan %v", run, i, got, wantRepeat)
			}
			if !got {
				h.burst.add(now, name|1, &n, weight)
				want.burst.add(now, name|1, &n, weight)
			}
			if h.burst.failed != want.burst.failed {
				t.Fatalf("run %d lookup %d: burst differs from the linear scan", run, i)
			}
		}
	}
}

// addLinear is host.add trying every entry (the reference).
func addLinear(h *host, at int64, name uint64, weight float32, window time.Duration) {
	found := false
	for i := range h.recent[:h.n] {
		found = h.recent[i].merge(at, name, weight, window) || found
	}
	if !found {
		h.push(at, name, weight, ringTag(name))
	}
}

// repeatLinear is burst.repeat trying every entry (the reference).
func repeatLinear(b *burst, now int64, key uint64, window int64) bool {
	for i := range b.failed[:b.n] {
		if b.failed[i].repeat(now, key, window) {
			return true
		}
	}
	return false
}
