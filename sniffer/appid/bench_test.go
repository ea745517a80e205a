package appid

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkObserveUnknown is the cost on ordinary traffic: a flow's first
// payloads that match no row (every row is tried on each).
func BenchmarkObserveUnknown(b *testing.B) {
	r := rand.New(rand.NewPCG(13, 14))
	payloads := [][]byte{randBytes(r, 517), randBytes(r, 1200), []byte("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n")}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var s State
		p := payloads[i%len(payloads)]
		s.Observe(TCP, p, true)
		s.Observe(UDP, p, false)
	}
}

// BenchmarkObserveIdentified is the cost of identifying a WireGuard
// handshake (both sides).
func BenchmarkObserveIdentified(b *testing.B) {
	r := rand.New(rand.NewPCG(15, 16))
	init, resp := wgPacket(r, 1, 148), wgPacket(r, 2, 92)
	b.ReportAllocs()
	for b.Loop() {
		var s State
		s.Observe(UDP, init, true)
		s.Observe(UDP, resp, false)
	}
}
