package sniffer_test

import (
	"encoding/binary"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

// torLike is a ClientHello as a Tor client sends it to a relay: no ALPN.
func torLike(sni string) hello {
	return hello{
		version:  0x0303,
		ciphers:  []uint16{0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0xc02b, 0xc02f},
		exts:     []uint16{0, 11, 10, 35, 22, 23, 13, 43, 45, 51},
		sni:      sni,
		groups:   []uint16{29, 23, 30, 25, 24},
		points:   []uint8{0, 1, 2},
		versions: []uint16{0x0304, 0x0303},
	}
}

func flowApp(t *testing.T, fill func(w *pcapgen.Writer)) []scoring.Event {
	t.Helper()
	r := readAll(t, capture(t, pcapgen.Ethernet, false, fill), sniffer.Options{})
	if len(r.errs) != 0 {
		t.Fatalf("errors: %v", r.errs)
	}
	return r.byType(scoring.TypeFlow)
}

func TestTorClientHello(t *testing.T) {
	relay := tlsClient
	relay.DstPort = 9001
	lookedUp := pcapgen.Endpoints{Src: tlsClient.Src, Dst: netip.MustParseAddr("198.51.100.53"), SrcPort: 40000, DstPort: 53}
	cases := []struct {
		name     string
		e        pcapgen.Endpoints
		h        hello
		lookup   bool // a DNS exchange for the name comes first
		app      string
		conf     string
		evidence string
	}{
		{"relay port", relay, torLike("www.k3ddq6yxnq5y.com"), false, "tor", "high", "relay port"},
		{"port 443", tlsClient, torLike("www.wz2ot7lw4g5c3.net"), false, "tor", "medium", "77772e777a326f74"},
		{"no digit", tlsClient, torLike("www.qjeohsfzlwu.com"), false, "", "", ""},
		{"no alpn to a popular name, not looked up", tlsClient, torLike("www.google.com"), false, "", "", ""},
		{"looked up first", tlsClient, torLike("www.k3ddq6yxnq5y.com"), true, "", "", ""},
		{"browser (alpn) to a random name", tlsClient, chromeLike("www.k3ddq6yxnq5y.com"), false, "", "", ""},
		{"dotted name", tlsClient, torLike("www.k3ddq.6yxnq5y.com"), false, "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			flows := flowApp(t, func(w *pcapgen.Writer) {
				if c.lookup {
					writeExchange(t, w, lookedUp, strings.ToUpper(c.h.sni), netip.MustParseAddr("203.0.113.9"))
				}
				handshake(t, w, c.e, [][]byte{c.h.bytes()}, serverHelloRecord(0x1301))
			})
			fl := flows[len(flows)-1]
			if fl.Flow.App != c.app || fl.Flow.AppConfidence != c.conf || !strings.Contains(fl.Flow.AppEvidence, c.evidence) {
				t.Fatalf("got %q %q %q", fl.Flow.App, fl.Flow.AppConfidence, fl.Flow.AppEvidence)
			}
		})
	}
}

// Precision guard: ordinary TLS (browser-like hellos, with ALPN, to
// popular names, looked up or not) and QUIC never become Tor or a VPN.
func TestOrdinaryTLSAndQUICStayUnknown(t *testing.T) {
	popular := []string{"www.google.com", "www.youtube.com", "www.facebook.com", "www.amazon.com", "www.wikipedia.org",
		"www.netflix.com", "www.microsoft.com", "www.apple.com", "www.bing.com", "www.reddit.com", "www.office.net", "www.ebay.com"}
	flows := flowApp(t, func(w *pcapgen.Writer) {
		for i, name := range popular {
			e := tlsClient
			e.SrcPort += uint16(i)
			handshake(t, w, e, [][]byte{chromeLike(name).bytes()}, serverHelloRecord(0x1301))
			q := pcapgen.Endpoints{Src: tlsClient.Src, Dst: tlsClient.Dst, SrcPort: 50000 + uint16(i), DstPort: 443}
			initial := append([]byte{0xc3, 0, 0, 0, 1, 8}, make([]byte, 1194)...)
			must(t, w.UDP(t0, q, initial))
			must(t, w.UDP(t0.Add(time.Millisecond), q.Reverse(), append([]byte{0xc1, 0, 0, 0, 1}, make([]byte, 1000)...)))
		}
	})
	if len(flows) != 2*len(popular) {
		t.Fatalf("%d flows", len(flows))
	}
	for _, fl := range flows {
		if fl.Flow.App != "" {
			t.Errorf("%v:%d identified as %s (%s)", fl.DstIP, fl.DstPort, fl.Flow.App, fl.Flow.AppEvidence)
		}
	}
}

func TestFlowRecordsCarryTheApp(t *testing.T) {
	wg := pcapgen.Endpoints{Src: netip.MustParseAddr("10.9.0.1"), Dst: netip.MustParseAddr("203.0.113.20"), SrcPort: 43462, DstPort: 51820}
	initiation := append([]byte{1, 0, 0, 0}, make([]byte, 144)...)
	response := append([]byte{2, 0, 0, 0}, make([]byte, 88)...)
	data := append([]byte{4, 0, 0, 0}, make([]byte, 108)...)
	flows := flowApp(t, func(w *pcapgen.Writer) {
		must(t, w.UDP(t0, wg, initiation))
		must(t, w.UDP(t0.Add(time.Millisecond), wg.Reverse(), response))
		for i := range 20 {
			must(t, w.UDP(t0.Add(time.Duration(i+2)*time.Millisecond), wg, data))
		}
	})
	if len(flows) != 1 {
		t.Fatalf("%d flows", len(flows))
	}
	ev := flows[0]
	if ev.Flow.App != "wireguard" || ev.Flow.AppConfidence != "high" || !strings.Contains(ev.Flow.AppEvidence, "bytes 01000000") {
		t.Fatalf("flow app %q %q %q", ev.Flow.App, ev.Flow.AppConfidence, ev.Flow.AppEvidence)
	}
	var rec map[string]any
	if err := json.Unmarshal(sniffer.AppendJSON(nil, &ev), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["app"] != "wireguard" || rec["app_confidence"] != "high" || rec["app_evidence"] != ev.Flow.AppEvidence {
		t.Fatalf("record %v", rec)
	}
}

// A DNS flow is not read by the identifiers, even when its payload would
// match one (a DNS message is not a tracker request).
func TestDNSPortsAreNotIdentified(t *testing.T) {
	connect := binary.BigEndian.AppendUint64(nil, 0x41727101980)
	connect = append(connect, 0, 0, 0, 0, 1, 2, 3, 4)
	path := capture(t, pcapgen.Ethernet, false, func(w *pcapgen.Writer) {
		must(t, w.UDP(t0, client, connect))
		tracker := client
		tracker.DstPort = 6969
		must(t, w.UDP(t0, tracker, connect))
	})
	flows := readAll(t, path, sniffer.Options{}).byType(scoring.TypeFlow) // the first is a malformed DNS message
	if len(flows) != 2 || flows[0].Flow.App != "" || flows[1].Flow.App != "bittorrent" {
		t.Fatalf("flows %q %q", flows[0].Flow.App, flows[1].Flow.App)
	}
}

// TestIodineRawModeOnTheDNSPort: iodine's raw mode sends its own header to
// the server's DNS port; that one identifier reads DNS ports, so the flow
// is named iodine while the same port's DNS messages stay unidentified.
func TestIodineRawModeOnTheDNSPort(t *testing.T) {
	raw := func(cmd byte, n int) []byte { return append([]byte{0x10, 0xd1, 0x9e, cmd}, make([]byte, n)...) }
	tunnel := client
	tunnel.SrcPort = 40000
	path := capture(t, pcapgen.Ethernet, false, func(w *pcapgen.Writer) {
		must(t, w.UDP(t0, tunnel, raw(0x10, 16)))
		must(t, w.UDP(t0.Add(time.Millisecond), tunnel.Reverse(), raw(0x10, 8)))
		for i := range 10 {
			must(t, w.UDP(t0.Add(time.Duration(i+2)*time.Millisecond), tunnel, raw(0x20, 200)))
		}
	})
	flows := readAll(t, path, sniffer.Options{}).byType(scoring.TypeFlow)
	if len(flows) != 1 || flows[0].Flow.App != "iodine" || flows[0].Flow.AppConfidence != "high" ||
		!strings.Contains(flows[0].Flow.AppEvidence, "10d19e10") {
		t.Fatalf("flows %+v", flows)
	}
}
