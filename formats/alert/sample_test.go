package alert

import (
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// hostile holds text with every character the encoders must escape.
const hostile = "a|b\\c=d\ne\rf\"g\th ünïcødé 日本 \u2028 end"

func threat(id scoring.ThreatID) scoring.ThreatHit {
	t, _ := scoring.LookupThreat(id)
	return scoring.ThreatHit{ID: t.ID, Severity: t.Severity, Policy: t.Policy, Desc: t.Desc}
}

func baseAlert(ev scoring.Event) *scoring.Alert {
	return &scoring.Alert{
		Time:     time.Date(2026, 3, 1, 12, 30, 45, 123456789, time.FixedZone("X", 3600)),
		Event:    ev,
		Threats:  []scoring.ThreatHit{threat(scoring.C2Communication), threat(scoring.TorUsage)},
		Severity: 5,
		Flags:    []string{"dga", "new-domain"},
		Groups:   []scoring.Group{{Label: "servers", Desc: "Data centre"}},
		Evidence: []scoring.Evidence{
			{Threat: scoring.C2Communication, Detector: "intel", Rule: "feed", List: "urlhaus",
				Entry: "evil.example", Ref: "feeds/urlhaus.txt", Indicator: "evil.example"},
			{Threat: scoring.TorUsage, Detector: "intel", Rule: "tor-exit", Entry: "192.0.2.7"},
			{Detector: "dga", Rule: "score>=0.9", Window: 90 * time.Second,
				Figures: []scoring.Figure{{Name: "score", Value: 0.97}, {Name: "lookups", Value: 12}}},
		},
		Count: 3,
	}
}

// sampleAlerts returns one alert per event type, plus ones with hostile text.
func sampleAlerts() []*scoring.Alert {
	src, dst := netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("2001:db8::53")
	dns := scoring.Event{Type: scoring.TypeDNS, Origin: "zeek:dns", UID: "CAbc123", SrcIP: src, DstIP: dst,
		SrcPort: 53211, DstPort: 53, Proto: scoring.ProtoUDP,
		DNS: scoring.DNS{Query: "evil.example", QType: 16, Rcode: scoring.RcodeNXDomain, Answers: []string{"1.2.3.4", "txt \"quoted\""}}}
	http := scoring.Event{Type: scoring.TypeHTTP, SrcIP: src, DstIP: netip.MustParseAddr("198.51.100.9"),
		SrcPort: 40000, DstPort: 80, Proto: scoring.ProtoTCP,
		HTTP: scoring.HTTP{Host: "evil.example", URI: "/a?b=c|d", Method: "GET", Status: 200, UserAgent: "curl/8", ReqBytes: 10}}
	tls := scoring.Event{Type: scoring.TypeTLS, SrcIP: src, DstIP: dst, SrcPort: 1, DstPort: 443, Proto: scoring.ProtoTCP,
		TLS: scoring.TLS{SNI: "evil.example", Version: "TLSv1.3", JA3: "abc", Subject: "CN=evil", Established: true,
			NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}
	icmp := scoring.Event{Type: scoring.TypeICMP, SrcIP: src, DstIP: dst, Proto: scoring.ProtoICMP,
		ICMP: scoring.ICMP{Type: 8, PayloadLen: 1000, PayloadEntropy: 7.9}}
	flow := scoring.Event{Type: scoring.TypeFlow, SrcIP: src, DstIP: dst, SrcPort: 5, DstPort: 9001, Proto: scoring.ProtoTCP,
		Flow: scoring.Flow{Service: "ssl", ConnState: "SF", Duration: 1500 * time.Millisecond, OrigBytes: 10, RespBytes: 20}}
	out := []*scoring.Alert{baseAlert(dns), baseAlert(http), baseAlert(tls), baseAlert(icmp), baseAlert(flow)}

	bad := baseAlert(dns)
	bad.Event.DNS.Query = hostile + "\xff\xfe"
	bad.Event.UID = hostile
	bad.Event.SrcIP = netip.MustParseAddr("fe80::1%eth\"0")
	bad.Flags = []string{hostile}
	bad.Groups = []scoring.Group{{Label: hostile, Desc: hostile}}
	bad.Evidence[0].Entry = hostile
	bad.Evidence[0].Indicator = hostile
	bad.Evidence[2].Figures = append(bad.Evidence[2].Figures, scoring.Figure{Name: "nan", Value: nanValue()})
	bad.Threats[0].Desc = hostile
	out = append(out, bad)

	flagsOnly := baseAlert(dns)
	flagsOnly.Threats, flagsOnly.Severity, flagsOnly.Count = nil, 0, 0
	flagsOnly.Time = time.Time{}
	return append(out, flagsOnly)
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}
