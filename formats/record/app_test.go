package record_test

import (
	_ "github.com/netflightrecorder/nfr/formats/dialects"
	"github.com/netflightrecorder/nfr/formats/record"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
)

func TestServiceApp(t *testing.T) {
	for in, want := range map[string]string{
		"bittorrent":                 "bittorrent",
		"bittorrent-dht":             "bittorrent", // Suricata
		"spicy_WireGuard":            "wireguard",
		"ssl,spicy_openvpn_udp_hmac": "openvpn",
		"ikev2":                      "ike",
		"spicy_ipsec_ike_udp":        "ike",
		"tor":                        "tor",
		"torrentish":                 "",
		"ssl":                        "",
		"dns":                        "",
		"":                           "",
		"http,ssl":                   "",
		"spicy_stratum":              "stratum",
		"a-very-long-service-name-that-is-not-an-app-at-all": "",
	} {
		if got := record.ServiceApp(in); got != want {
			t.Errorf("ServiceApp(%q) = %q, want %q", in, got, want)
		}
	}
}

// A Zeek conn.log line naming a DPD service, and a sniffer record with
// app keys, both fill scoring.Flow.App.
func TestAppFromRecords(t *testing.T) {
	for _, c := range []struct {
		line, app, conf, evidence string
	}{
		{`{"ts":1700000000.0,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":40000,"id.resp_h":"10.0.0.2","id.resp_p":51820,"proto":"udp","service":"spicy_wireguard","duration":1.0,"orig_bytes":148,"resp_bytes":92,"conn_state":"SF"}`, "wireguard", "", ""},
		{`{"timestamp":"2024-01-01T00:00:00.000000+0000","flow_id":1,"event_type":"flow","src_ip":"10.0.0.1","src_port":6881,"dest_ip":"10.0.0.2","dest_port":6881,"proto":"UDP","app_proto":"bittorrent-dht","flow":{"pkts_toserver":1,"pkts_toclient":1,"bytes_toserver":100,"bytes_toclient":100}}`, "bittorrent", "", ""},
		{`{"_type":"flow","ts":1700000000.0,"uid":"C2","id.orig_h":"10.0.0.1","id.orig_p":40000,"id.resp_h":"10.0.0.2","id.resp_p":9001,"proto":"tcp","duration":1.0,"orig_bytes":1,"resp_bytes":1,"orig_pkts":1,"resp_pkts":1,"conn_state":"SF","history":"ShADadFf","app":"tor","app_confidence":"high","app_evidence":"tor x"}`, "tor", "high", "tor x"},
	} {
		ev := decodeJSONLines(t, record.InputAuto, c.line)[0]
		if ev.Type != scoring.TypeFlow || ev.Flow.App != c.app || ev.Flow.AppConfidence != c.conf || ev.Flow.AppEvidence != c.evidence {
			t.Errorf("%s: got type %v app %q/%q/%q", c.line[:40], ev.Type, ev.Flow.App, ev.Flow.AppConfidence, ev.Flow.AppEvidence)
		}
	}
}
