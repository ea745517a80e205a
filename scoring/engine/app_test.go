package engine

import (
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
)

func appFlow(src, dst, app, conf, evidence string) *scoring.Event {
	ev := flowEvent(src, dst, 40000, 900, 900)
	ev.Proto = scoring.ProtoUDP
	ev.Flow.App, ev.Flow.AppConfidence, ev.Flow.AppEvidence = app, conf, evidence
	return ev
}

// A flow's identified application raises its category's threat with the
// identifier's row and bytes as evidence; Low confidence raises nothing;
// an inbound flow to an in-scope host is scored for that host.
func TestAppRaisesItsCategory(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), testScope(t))
	cases := []struct {
		name   string
		ev     *scoring.Event
		threat scoring.ThreatID // "": no alert
		ref    string
	}{
		{"wireguard", appFlow("10.1.1.1", "192.0.2.70", "wireguard", "high", "wireguard handshake initiation; bytes 01000000"), scoring.VPNUsage, "bytes 01000000"},
		{"openvpn", appFlow("10.1.1.1", "192.0.2.71", "openvpn", "medium", "openvpn udp client hard reset; bytes 38"), scoring.VPNUsage, "openvpn"},
		{"tor", appFlow("10.1.1.1", "192.0.2.72", "tor", "medium", "tor tls client hello"), scoring.TorUsage, "tor tls"},
		{"bittorrent inbound", appFlow("192.0.2.73", "10.1.1.2", "bittorrent", "high", "bittorrent dht krpc message"), scoring.P2PUsage, "krpc"},
		{"stratum", appFlow("10.1.1.1", "192.0.2.74", "stratum", "high", "stratum json-rpc"), scoring.Cryptomining, "stratum"},
		{"monero", appFlow("10.1.1.1", "192.0.2.75", "monero", "high", "monero levin header"), scoring.Cryptomining, "levin"},
		{"iodine raw mode", appFlow("10.1.1.1", "192.0.2.82", "iodine", "high", "iodine raw mode header; bytes 10d19e20"), scoring.DNSTunneling, "10d19e20"},
		{"zeek service, no evidence", appFlow("10.1.1.1", "192.0.2.76", "ike", "", ""), scoring.VPNUsage, "IPsec"},
		{"low confidence", appFlow("10.1.1.1", "192.0.2.77", "wireguard", "low", "wireguard transport data"), "", ""},
		{"low confidence inbound", appFlow("192.0.2.78", "10.1.1.3", "wireguard", "low", "wireguard transport data"), "", ""},
		{"unknown app", appFlow("10.1.1.1", "192.0.2.79", "quake", "high", "x"), "", ""},
		{"no app", appFlow("10.1.1.1", "192.0.2.80", "", "", ""), "", ""},
		{"inbound to an out-of-scope host", appFlow("192.0.2.81", "172.16.1.1", "bittorrent", "high", "x"), "", ""},
	}
	for _, c := range cases {
		alerts := process(e, c.ev)
		if c.threat == "" {
			if len(alerts) != 0 {
				t.Errorf("%s: %d alerts, want none", c.name, len(alerts))
			}
			continue
		}
		if len(alerts) != 1 || len(alerts[0].Evidence) != 1 {
			t.Errorf("%s: %d alerts, want 1 with one evidence", c.name, len(alerts))
			continue
		}
		evd := alerts[0].Evidence[0]
		if evd.Threat != c.threat || evd.Rule != RuleApp || evd.List != "appid:"+c.ev.Flow.App || !strings.Contains(evd.Ref, c.ref) {
			t.Errorf("%s: evidence %+v", c.name, evd)
		}
	}
}
