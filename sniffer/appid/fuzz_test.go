package appid

import (
	"math/rand/v2"
	"testing"
)

// One fuzz target per identifier: its rows on any payload never panic,
// return only bytes of the payload, at most Window of them, and never
// allocate.

func fuzzRows(f *testing.F, rows []Rule, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s, len(s))
	}
	f.Fuzz(func(t *testing.T, b []byte, extra int) {
		n := len(b) + max(0, extra%2000) // a payload longer than what was read
		if len(b) > Window {
			b = b[:Window]
		}
		for _, r := range rows {
			if r.Match == nil {
				continue
			}
			var sig []byte
			allocs := testing.AllocsPerRun(1, func() { sig = r.Match(b, n) })
			if allocs != 0 {
				t.Fatalf("%s allocates", r.Name)
			}
			if sig != nil && (len(sig) > len(b) || !within(sig, b)) {
				t.Fatalf("%s returned bytes outside the payload", r.Name)
			}
		}
		var s State
		s.Observe(TCP, b, true)
		s.Observe(UDP, b, false)
		s.AppendEvidence(nil)
	})
}

// within reports whether sig is a sub-slice of b.
func within(sig, b []byte) bool {
	if len(sig) == 0 {
		return true
	}
	for i := 0; i+len(sig) <= len(b); i++ {
		if &b[i] == &sig[0] {
			return true
		}
	}
	return false
}

var fuzzRand = rand.New(rand.NewPCG(11, 12))

func FuzzBitTorrent(f *testing.F) {
	fuzzRows(f, bittorrentRules, btHandshake(fuzzRand), krpcQuery(fuzzRand), utpPacket(fuzzRand, 0, btHandshake(fuzzRand)),
		utpPacket(fuzzRand, 4, nil), trackerConnect(fuzzRand), []byte{0x01, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255})
}

func FuzzWireGuard(f *testing.F) {
	fuzzRows(f, wireguardRules, wgPacket(fuzzRand, 1, 148), wgPacket(fuzzRand, 2, 92), wgPacket(fuzzRand, 4, 32))
}

func FuzzOpenVPN(f *testing.F) {
	fuzzRows(f, openvpnRules, ovpnClient(fuzzRand, 0), ovpnServer(fuzzRand, 64), tcpFramed(ovpnClient(fuzzRand, 20)))
}

func FuzzIKE(f *testing.F) {
	fuzzRows(f, ikeRules, ikeSAInit(fuzzRand, 0x20, 34, 33, true), ikeSAInit(fuzzRand, 0x10, 2, 1, false), []byte{0, 0, 0, 0})
}

func FuzzMonero(f *testing.F) {
	fuzzRows(f, moneroRules, levin(fuzzRand, 100))
}

func FuzzStratum(f *testing.F) {
	fuzzRows(f, stratumRules, stratumSubscribe(), xmrigLogin(), []byte(` {"method" "mining.`))
}

func FuzzTorSNI(f *testing.F) {
	for _, s := range []string{"www.k3ddq6yxnq5y.com", "www.", "www..net", "www.abcd.com"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, sni []byte) {
		shape, digit := TorSNI(sni)
		if digit && !shape {
			t.Fatal("digit without shape")
		}
	})
}

func FuzzIodine(f *testing.F) {
	fuzzRows(f, iodineRules, iodineRawPacket(fuzzRand, 0x20, 100))
}
