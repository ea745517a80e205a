package sniffer_test

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/engine"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

// scoreCapture decodes a generated capture and scores its events with the
// engine's default configuration, returning the threats raised.
func scoreCapture(t *testing.T, fill func(w *pcapgen.Writer)) map[scoring.ThreatID]int {
	t.Helper()
	r := readAll(t, capture(t, pcapgen.Ethernet, false, fill), sniffer.Options{})
	e, err := engine.New(engine.DefaultConfig(), engine.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	threats := map[scoring.ThreatID]int{}
	for i := range r.events {
		e.Process(&r.events[i], func(a *scoring.Alert) {
			for _, th := range a.Threats {
				threats[th.ID]++
			}
		})
	}
	return threats
}

// Each application, written the way it sends its first bytes on a port
// chosen so that no port list could name it, raises its threat through
// the sniffer and the engine.
func TestIdentifiedAppsRaiseThreats(t *testing.T) {
	inside, outside := netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("203.0.113.50")
	out := pcapgen.Endpoints{Src: inside, Dst: outside, SrcPort: 41000, DstPort: 23456}
	in := pcapgen.Endpoints{Src: outside, Dst: inside, SrcPort: 51413, DstPort: 40959}
	levin := append([]byte("\x01\x21\x01\x01\x01\x01\x01\x01"), make([]byte, 25+100)...)
	ike := make([]byte, 4, 4+228)
	ike = append(ike, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 33, 0x20, 34, 0x08, 0, 0, 0, 0, 0, 0, 0, 228)
	ike = append(ike, make([]byte, 200)...)
	openvpn := []byte{0, 14, 7 << 3, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0}
	cases := []struct {
		name   string
		fill   func(w *pcapgen.Writer)
		threat scoring.ThreatID
	}{
		{"bittorrent tcp", func(w *pcapgen.Writer) {
			handshake(t, w, out, [][]byte{append([]byte("\x13BitTorrent protocol"), make([]byte, 48)...)}, nil)
		}, scoring.P2PUsage},
		{"dht from outside", func(w *pcapgen.Writer) {
			must(t, w.UDP(t0, in, []byte("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")))
		}, scoring.P2PUsage},
		{"wireguard", func(w *pcapgen.Writer) {
			must(t, w.UDP(t0, out, append([]byte{1, 0, 0, 0}, make([]byte, 144)...)))
			must(t, w.UDP(t0.Add(time.Millisecond), out.Reverse(), append([]byte{2, 0, 0, 0}, make([]byte, 88)...)))
		}, scoring.VPNUsage},
		{"openvpn tcp", func(w *pcapgen.Writer) { handshake(t, w, out, [][]byte{openvpn}, nil) }, scoring.VPNUsage},
		{"ike nat-t", func(w *pcapgen.Writer) { must(t, w.UDP(t0, out, ike)) }, scoring.VPNUsage},
		{"monero", func(w *pcapgen.Writer) { handshake(t, w, out, [][]byte{levin}, nil) }, scoring.Cryptomining},
		{"stratum", func(w *pcapgen.Writer) {
			handshake(t, w, out, [][]byte{[]byte(`{"id":1,"method":"mining.subscribe","params":[]}` + "\n")}, nil)
		}, scoring.Cryptomining},
		{"tor", func(w *pcapgen.Writer) {
			handshake(t, w, out, [][]byte{torLike("www.k3ddq6yxnq5y.com").bytes()}, serverHelloRecord(0x1301))
		}, scoring.TorUsage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := scoreCapture(t, c.fill); got[c.threat] != 1 || len(got) != 1 {
				t.Fatalf("threats %v, want one %s", got, c.threat)
			}
		})
	}
}

// Precision guard through the engine: browsers' TLS to popular names,
// QUIC, and plain UDP and TCP payloads raise nothing.
func TestOrdinaryTrafficRaisesNothing(t *testing.T) {
	web := netip.MustParseAddr("203.0.113.80") // not a DNS resolver: encdns would judge DoH
	src := netip.MustParseAddr("10.1.2.4")
	got := scoreCapture(t, func(w *pcapgen.Writer) {
		for i, name := range []string{"www.google.com", "www.youtube.com", "www.wikipedia.org", "www.github.com", "www.k3ddq6yxnq5y.com"} {
			e := pcapgen.Endpoints{Src: src, Dst: web, SrcPort: uint16(30000 + i), DstPort: 443}
			handshake(t, w, e, [][]byte{chromeLike(name).bytes()}, serverHelloRecord(0x1301))
			q := pcapgen.Endpoints{Src: src, Dst: web, SrcPort: uint16(31000 + i), DstPort: 443}
			must(t, w.UDP(t0, q, append([]byte{0xc3, 0, 0, 0, 1, 8}, make([]byte, 1194)...)))
			must(t, w.UDP(t0.Add(time.Millisecond), q.Reverse(), append([]byte{0xc1, 0, 0, 0, 1}, make([]byte, 1000)...)))
		}
		voip := pcapgen.Endpoints{Src: src, Dst: web, SrcPort: 16384, DstPort: 20000}
		for i := range 50 {
			rtp := binary.BigEndian.AppendUint16([]byte{0x80, 0x00}, uint16(i))
			must(t, w.UDP(t0.Add(time.Duration(i)*20*time.Millisecond), voip, append(rtp, make([]byte, 160)...)))
			must(t, w.UDP(t0.Add(time.Duration(i)*20*time.Millisecond), voip.Reverse(), append(rtp, make([]byte, 160)...)))
		}
		api := pcapgen.Endpoints{Src: src, Dst: web, SrcPort: 32000, DstPort: 443}
		handshake(t, w, api, [][]byte{[]byte("POST /api HTTP/1.1\r\nHost: x\r\n\r\n" + strings.Repeat(`{"method":"login","agent":"curl"}`, 2))}, []byte("HTTP/1.1 200 OK\r\n\r\n"))
	})
	if len(got) != 0 {
		t.Fatalf("ordinary traffic raised %v", got)
	}
}
