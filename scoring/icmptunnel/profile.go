package icmptunnel

import "math"

// Standard ping payloads, as the common implementations build them:
//   - iputils and BSD/macOS ping: a timestamp (16 bytes struct timeval on
//     64-bit Linux, 8 bytes elsewhere, sometimes none), then byte i = i
//     (0x10..0x37 for the default 56 bytes), wrapping at 256.
//   - Windows ping: "abcdefghijklmnopqrstuvw" repeated (32 bytes by default),
//     the same in every packet.
//   - fping, busybox, monitoring probes: zeros or a constant fill, entropy
//     near 0.
//
// The sniffer reports each payload's length and Shannon entropy, not its
// bytes; profileFor gives, for a length, the entropy range the patterned
// pings produce, so a payload can be compared with them.

// profileMax is the longest payload profiled; longer ones use its values
// (entropy of the patterns saturates long before).
const profileMax = 2048

type entropyRange struct{ lo, hi float32 }

var (
	unixProfile    [profileMax + 1]entropyRange
	windowsProfile [profileMax + 1]float32
)

func init() {
	unix := [][]byte{
		{0x5f, 0x3a, 0x91, 0x67, 0, 0, 0, 0, 0xdb, 0x0d, 0x0f, 0, 0, 0, 0, 0}, // 64-bit timeval
		{0x5f, 0x3a, 0x91, 0x67, 0, 0, 0, 0, 0x2a, 0, 0, 0, 0, 0, 0, 0},       // usec < 256
		{0x5f, 0x3a, 0x91, 0x67, 0xdb, 0x0d, 0x0f, 0},                         // 32-bit timeval
		nil, // no timestamp
	}
	for i := range unixProfile {
		unixProfile[i] = entropyRange{float32(math.Inf(1)), float32(math.Inf(-1))}
	}
	for _, ts := range unix {
		prefixEntropies(func(i int) byte {
			if i < len(ts) {
				return ts[i]
			}
			return byte(i)
		}, func(n int, h float64) {
			p := &unixProfile[n]
			p.lo, p.hi = min(p.lo, float32(h)), max(p.hi, float32(h))
		})
	}
	prefixEntropies(func(i int) byte { return 'a' + byte(i%23) }, func(n int, h float64) {
		windowsProfile[n] = float32(h)
	})
}

// prefixEntropies calls put(n, entropy of the first n bytes) for n from 1
// to profileMax, where byteAt(i) is the i-th byte of the payload. It keeps
// the counts and the sum of c·log2(c) as bytes are added, so the whole
// table costs one pass instead of one entropy computation per length
// (which took tens of milliseconds at every process start).
func prefixEntropies(byteAt func(int) byte, put func(n int, h float64)) {
	var counts [256]int
	sum := 0.0 // Σ c·log2(c) over the counts
	for n := 1; n <= profileMax; n++ {
		c := &counts[byteAt(n-1)]
		sum -= xlog2(*c)
		*c++
		sum += xlog2(*c)
		// H = -Σ (c/n)·log2(c/n) = log2(n) - Σ c·log2(c) / n
		put(n, max(0, math.Log2(float64(n))-sum/float64(n)))
	}
}

func xlog2(c int) float64 {
	if c == 0 {
		return 0
	}
	return float64(c) * math.Log2(float64(c))
}

// entropy is the Shannon entropy of b in bits per byte.
func entropy(b []byte) float64 {
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	h := 0.0
	for _, k := range counts {
		if k > 0 {
			p := float64(k) / float64(len(b))
			h -= p * math.Log2(p)
		}
	}
	return h
}

// Payload classes.
const (
	unjudged = iota // too short to tell (under minJudged bytes)
	pingLike
	notPing
)

// minJudged is the shortest payload compared with the profiles: shorter
// ones carry too little for entropy to mean anything.
const minJudged = 16

// paddingEntropy is the entropy at or below which a payload is a fill
// (zeros, a repeated -p pattern) rather than data.
const paddingEntropy = 1.5

// classify compares a payload of n bytes and entropy h with the standard
// pings. repeat tells whether the payload could be the same bytes as an
// earlier request's (Windows ping sends the same bytes every time): true
// when its digest was seen recently, false when a recent request of the
// same size carried other bytes, and unknown (first of its size) otherwise.
func classify(n int, h float64, repeat tristate, tol float64) int {
	if n < minJudged {
		return unjudged
	}
	if h <= paddingEntropy {
		return pingLike
	}
	p := unixProfile[min(n, profileMax)]
	if h >= float64(p.lo)-tol && h <= float64(p.hi)+tol {
		return pingLike
	}
	if math.Abs(h-float64(windowsProfile[min(n, profileMax)])) <= tol {
		switch repeat {
		case yes:
			return pingLike
		case unknown:
			return unjudged
		}
	}
	return notPing
}

type tristate uint8

const (
	unknown tristate = iota
	yes
	no
)
