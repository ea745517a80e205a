package engine

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel"
	"github.com/netflightrecorder/nfr/scoring/scope"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// testIndex holds the built-ins plus one test feed per category.
func testIndex(t testing.TB) *intel.Index {
	t.Helper()
	b := intel.NewBuilder()
	b.AddBuiltin()
	feeds := map[string][]string{
		"c2":            {"c2.evil.test", "203.0.113.66"},
		"sinkhole":      {"198.51.100.250", "ns1.sinkhole-operator.test"},
		"phishing":      {"login-bank.test"},
		"mining":        {"pool.mine.test", "192.0.2.33", "192.0.2.44:14000"},
		"cryptojacking": {"miner-script.test"},
		"tor":           {"198.51.100.9", "198.51.100.10"},
		"i2p":           {"i2p-gateway.test"},
		"freenet":       {"fn-seed.test"},
		"vpn":           {"vpn-provider.test"},
		"p2p":           {"tracker.p2p.test"},
		"dyndns":        {"dyn.test"},
	}
	for cat, list := range feeds {
		src := &intel.Source{List: "feed-" + cat, Category: cat, Ref: "/feeds/" + cat + ".txt"}
		for _, e := range list {
			if _, err := b.Add(e, src); err != nil {
				t.Fatal(err)
			}
		}
	}
	return b.Build()
}

func testScope(t testing.TB) *scope.Set {
	t.Helper()
	s, err := scope.New([]scope.GroupSpec{
		{Label: "office", Desc: "office LAN", InScope: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
			OutScope:       []netip.Prefix{netip.MustParsePrefix("10.99.0.0/16")},
			TrustedDomains: []string{"*.corp.test", "exact.trusted.test", "c2.evil.test"},
			TrustedIPs:     []netip.Prefix{netip.MustParsePrefix("198.51.100.9/32")}},
		{Label: "dmz", InScope: []netip.Prefix{netip.MustParsePrefix("10.5.0.0/16")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newTestEngine(t testing.TB, cfg Config, sc *scope.Set, extra ...scoring.Detector) *Engine {
	t.Helper()
	e, err := newEngine(cfg, Deps{Scope: sc, Intel: testIndex(t)}, extra)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func dnsEvent(src, query string, answers ...string) *scoring.Event {
	ev := &scoring.Event{Time: t0, Type: scoring.TypeDNS, SrcIP: netip.MustParseAddr(src),
		DstIP: netip.MustParseAddr("10.0.0.53"), DstPort: 53, Proto: scoring.ProtoUDP}
	ev.DNS = scoring.DNS{Query: query, QType: 1, Rcode: scoring.RcodeNoError, Response: true, Answers: answers}
	return ev
}

func flowEvent(src, dst string, port uint16, orig, resp uint64) *scoring.Event {
	return &scoring.Event{Time: t0, Type: scoring.TypeFlow, SrcIP: netip.MustParseAddr(src),
		DstIP: netip.MustParseAddr(dst), DstPort: port, SrcPort: 50000, Proto: scoring.ProtoTCP,
		Flow: scoring.Flow{ConnState: "SF", OrigBytes: orig, RespBytes: resp}}
}

func process(e *Engine, evs ...*scoring.Event) []*scoring.Alert {
	var out []*scoring.Alert
	for _, ev := range evs {
		e.Process(ev, func(a *scoring.Alert) { out = append(out, a) })
	}
	return out
}

func TestCategories(t *testing.T) {
	httpEv := &scoring.Event{Time: t0, Type: scoring.TypeHTTP, SrcIP: netip.MustParseAddr("10.1.1.1"),
		DstIP: netip.MustParseAddr("192.0.2.200"), DstPort: 80, HTTP: scoring.HTTP{Host: "cdn.miner-script.test:8080", URI: "/lib.js"}}
	tlsEv := &scoring.Event{Time: t0, Type: scoring.TypeTLS, SrcIP: netip.MustParseAddr("10.1.1.1"),
		DstIP: netip.MustParseAddr("192.0.2.201"), DstPort: 443, TLS: scoring.TLS{SNI: "api.nordvpn.com"}}
	authEv := dnsEvent("10.1.1.1", "seized-botnet.test")
	authEv.DNS.Authority = []string{"NS1.Sinkhole-Operator.test."}
	cases := []struct {
		name     string
		ev       *scoring.Event
		threat   scoring.ThreatID
		severity int
		policy   bool
		list     string
		entry    string
		rule     string
	}{
		{"c2 domain", dnsEvent("10.1.1.1", "www.c2.evil.test"), scoring.C2Communication, 5, false, "feed-c2", "c2.evil.test", RuleQueryName},
		{"c2 answer", dnsEvent("10.1.1.1", "benign.test", "203.0.113.66"), scoring.C2Communication, 5, false, "feed-c2", "203.0.113.66", RuleAnswerIP},
		{"c2 flow", flowEvent("10.1.1.1", "203.0.113.66", 443, 10, 10), scoring.C2Communication, 5, false, "feed-c2", "203.0.113.66", RuleDstIP},
		{"sinkhole answer", dnsEvent("10.1.1.1", "dga-name.test", "198.51.100.250"), scoring.SinkholedDestination, 4, false, "feed-sinkhole", "198.51.100.250", RuleAnswerIP},
		{"sinkhole flow", flowEvent("10.1.1.1", "198.51.100.250", 80, 100, 0), scoring.SinkholedDestination, 4, false, "feed-sinkhole", "198.51.100.250", RuleDstIP},
		{"sinkhole NS", authEv, scoring.SinkholedDestination, 4, false, "feed-sinkhole", "ns1.sinkhole-operator.test", RuleAuthority},
		{"sinkhole builtin range", dnsEvent("10.1.1.1", "old-zeus.test", "199.2.137.7"), scoring.SinkholedDestination, 4, false, "builtin:sinkhole", "199.2.137.0/24", RuleAnswerIP},
		{"phishing", dnsEvent("10.1.1.1", "secure.login-bank.test"), scoring.PhishingDomain, 4, false, "feed-phishing", "login-bank.test", RuleQueryName},
		{"mining pool domain", dnsEvent("10.1.1.1", "xmr.pool.mine.test"), scoring.Cryptomining, 3, false, "feed-mining", "pool.mine.test", RuleQueryName},
		{"mining builtin pool", dnsEvent("10.1.1.1", "pool.supportxmr.com"), scoring.Cryptomining, 3, false, "builtin:mining", "supportxmr.com", RuleQueryName},
		{"mining pool address", flowEvent("10.1.1.1", "192.0.2.33", 443, 1, 1), scoring.Cryptomining, 3, false, "feed-mining", "192.0.2.33", RuleDstIP},
		{"mining ip:port", flowEvent("10.1.1.1", "192.0.2.44", 14000, 1, 1), scoring.Cryptomining, 3, false, "feed-mining", "192.0.2.44:14000", RuleDstIPPort},
		{"stratum port with data", flowEvent("10.1.1.1", "192.0.2.99", 3333, 500, 800), scoring.Cryptomining, 3, false, "builtin:mining", "tcp/3333", RuleDstPort},
		{"cryptojacking http", httpEv, scoring.Cryptojacking, 3, false, "feed-cryptojacking", "miner-script.test", RuleQueryName},
		{"cryptojacking builtin", dnsEvent("10.1.1.1", "coinhive.com"), scoring.Cryptojacking, 3, false, "builtin:cryptojacking", "coinhive.com", RuleQueryName},
		{"tor onion", dnsEvent("10.1.1.1", "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion"), scoring.TorUsage, 3, true, "builtin:tor", "onion", RuleQueryName},
		{"tor exit flow", flowEvent("10.5.1.1", "198.51.100.10", 9001, 1, 1), scoring.TorUsage, 3, true, "feed-tor", "198.51.100.10", RuleDstIP},
		{"i2p tld", dnsEvent("10.1.1.1", "stats.i2p"), scoring.I2PUsage, 3, true, "builtin:i2p", "i2p", RuleQueryName},
		{"i2p feed", dnsEvent("10.1.1.1", "i2p-gateway.test"), scoring.I2PUsage, 3, true, "feed-i2p", "i2p-gateway.test", RuleQueryName},
		{"freenet", dnsEvent("10.1.1.1", "fn-seed.test"), scoring.FreenetUsage, 3, true, "feed-freenet", "fn-seed.test", RuleQueryName},
		{"vpn sni", tlsEv, scoring.VPNUsage, 2, true, "builtin:vpn", "nordvpn.com", RuleQueryName},
		{"vpn feed", dnsEvent("10.1.1.1", "api.vpn-provider.test"), scoring.VPNUsage, 2, true, "feed-vpn", "vpn-provider.test", RuleQueryName},
		{"p2p tracker", dnsEvent("10.1.1.1", "tracker.p2p.test"), scoring.P2PUsage, 2, true, "feed-p2p", "tracker.p2p.test", RuleQueryName},
		{"p2p dht", dnsEvent("10.1.1.1", "router.bittorrent.com"), scoring.P2PUsage, 2, true, "builtin:p2p", "router.bittorrent.com", RuleQueryName},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(t, DefaultConfig(), testScope(t))
			alerts := process(e, c.ev)
			if len(alerts) != 1 {
				t.Fatalf("%d alerts, want 1", len(alerts))
			}
			a := alerts[0]
			if len(a.Threats) != 1 || a.Threats[0].ID != c.threat {
				t.Fatalf("threats %+v, want %s", a.Threats, c.threat)
			}
			th := a.Threats[0]
			if th.Severity != c.severity || a.Severity != c.severity || th.Policy != c.policy || th.Desc == "" {
				t.Errorf("threat %+v severity %d: want severity %d policy %v", th, a.Severity, c.severity, c.policy)
			}
			evd := a.Evidence[0]
			if evd.Threat != c.threat || evd.Detector != "intel" || evd.List != c.list || evd.Entry != c.entry || evd.Rule != c.rule || evd.Ref == "" {
				t.Errorf("evidence %+v, want list %s entry %s rule %s", evd, c.list, c.entry, c.rule)
			}
			if a.Count != 1 || !a.Time.Equal(t0) || a.Event.SrcIP != c.ev.SrcIP {
				t.Errorf("alert count %d time %v src %v", a.Count, a.Time, a.Event.SrcIP)
			}
		})
	}
}

func TestNoAlertWithoutMatch(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), testScope(t))
	evs := []*scoring.Event{
		dnsEvent("10.1.1.1", "www.example.com", "192.0.2.1"),
		flowEvent("10.1.1.1", "192.0.2.99", 3333, 0, 0),    // stratum port, no data
		flowEvent("10.1.1.1", "192.0.2.99", 3333, 100, 0),  // one-way only
		flowEvent("10.1.1.1", "192.0.2.44", 14001, 10, 10), // pool ip:port on another port
		dnsEvent("10.1.1.1", "ns1.sinkhole-operator.test"), // a sinkhole name is matched in answers only
		dnsEvent("10.1.1.1", "tor2web.org.example.com"),    // listed domain as a label, not a suffix
		dnsEvent("10.1.1.1", "1.2.3.4"),                    // address literal
		dnsEvent("10.1.1.1", "2001:db8::1"),                // address literal
	}
	if alerts := process(e, evs...); len(alerts) != 0 {
		for _, a := range alerts {
			t.Errorf("unexpected alert %+v on %s", a.Threats, a.Event.DNS.Query)
		}
	}
}

func TestFlagOnlyCategory(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), testScope(t))
	if alerts := process(e, dnsEvent("10.1.1.1", "home.dyn.test")); len(alerts) != 0 {
		t.Fatalf("dyndns alone raised %d alerts", len(alerts))
	}
	// A dyndns name that also hits a threat carries the flag and its evidence.
	b := intel.NewBuilder()
	b.Add("dyn.test", &intel.Source{List: "dd", Category: "dyndns", Ref: "r"})
	b.Add("bad.dyn.test", &intel.Source{List: "c2", Category: "c2", Ref: "r"})
	e.SetIntel(b.Build())
	alerts := process(e, dnsEvent("10.1.1.1", "bad.dyn.test"))
	if len(alerts) != 1 || !reflect.DeepEqual(alerts[0].Flags, []string{"dyndns"}) {
		t.Fatalf("alerts %+v", alerts)
	}
	var flagEv *scoring.Evidence
	for i := range alerts[0].Evidence {
		if alerts[0].Evidence[i].Threat == "" {
			flagEv = &alerts[0].Evidence[i]
		}
	}
	if flagEv == nil || flagEv.List != "dd" || flagEv.Entry != "dyn.test" {
		t.Errorf("flag evidence %+v", flagEv)
	}
}

func TestScope(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), testScope(t))
	c2 := "c2.evil.test"
	cases := []struct {
		name   string
		ev     *scoring.Event
		groups []string // nil: no alert
	}{
		{"in office", dnsEvent("10.1.1.1", "pool.mine.test"), []string{"office"}},
		{"in office and dmz", dnsEvent("10.5.1.1", "pool.mine.test"), []string{"office", "dmz"}},
		{"office out_scope", dnsEvent("10.99.1.1", "pool.mine.test"), nil},
		{"no group", dnsEvent("172.16.1.1", "pool.mine.test"), nil},
		{"trusted *.corp.test itself", dnsEvent("10.1.1.1", "corp.test"), nil},
		{"trusted bare domain by office", dnsEvent("10.1.1.1", c2), nil},
		{"subdomain of bare trusted domain", dnsEvent("10.1.1.1", "www."+c2), []string{"office"}},
		{"trusted exact only", dnsEvent("10.1.1.1", "exact.trusted.test"), nil},
		{"tor ip trusted by office", flowEvent("10.1.1.1", "198.51.100.9", 443, 1, 1), nil},
		{"tor ip from dmz source: office trusts it", flowEvent("10.5.1.1", "198.51.100.9", 443, 1, 1), nil},
	}
	for _, c := range cases {
		alerts := process(e, c.ev)
		if c.groups == nil {
			if len(alerts) != 0 {
				t.Errorf("%s: %d alerts, want none", c.name, len(alerts))
			}
			continue
		}
		if len(alerts) != 1 {
			t.Errorf("%s: %d alerts, want 1", c.name, len(alerts))
			continue
		}
		var got []string
		for _, g := range alerts[0].Groups {
			got = append(got, g.Label)
		}
		if !reflect.DeepEqual(got, c.groups) {
			t.Errorf("%s: groups %v, want %v", c.name, got, c.groups)
		}
	}
	st := e.Stats()
	if st.OutOfScope != 2 || st.Trusted != 5 || st.Events != uint64(len(cases)) || st.Scored != 3 {
		t.Errorf("stats %+v", st)
	}
	// A subdomain of an exact trusted name is not trusted: it may alert.
	sc, _ := scope.New([]scope.GroupSpec{{Label: "all", InScope: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")},
		TrustedDomains: []string{"pool.mine.test"}}})
	e2 := newTestEngine(t, DefaultConfig(), sc)
	if n := len(process(e2, dnsEvent("10.1.1.1", "pool.mine.test"))); n != 0 {
		t.Errorf("exact trusted name alerted")
	}
	if n := len(process(e2, dnsEvent("10.1.1.1", "eu.pool.mine.test"))); n != 1 {
		t.Errorf("subdomain of an exact trusted name: %d alerts, want 1", n)
	}
	// Trust is per group also when the name is memoised: one group's trust
	// must not carry over to the other's sources, in either order.
	sc, _ = scope.New([]scope.GroupSpec{
		{Label: "a", InScope: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}, TrustedDomains: []string{"*.mine.test"}},
		{Label: "b", InScope: []netip.Prefix{netip.MustParsePrefix("10.2.0.0/16")}}})
	e3 := newTestEngine(t, DefaultConfig(), sc)
	for i, src := range []string{"10.1.0.1", "10.2.0.1", "10.1.0.2", "10.2.0.2"} {
		want := 0
		if strings.HasPrefix(src, "10.2.") {
			want = 1
		}
		if n := len(process(e3, dnsEvent(src, "pool.mine.test"))); n != want {
			t.Errorf("lookup %d from %s: %d alerts, want %d", i, src, n, want)
		}
	}
}

func TestUnknownSource(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), testScope(t))
	ev := &scoring.Event{Time: t0, Type: scoring.TypeDNS, DNS: scoring.DNS{Query: "pool.mine.test", Rcode: scoring.RcodeUnknown}}
	alerts := process(e, ev)
	if len(alerts) != 1 || len(alerts[0].Groups) != 1 || alerts[0].Groups[0] != UnknownSourceGroup {
		t.Fatalf("alerts %+v", alerts)
	}
	// Trusted names of any group apply to sourceless events.
	ev.DNS.Query = "host.corp.test"
	if n := len(process(e, ev)); n != 0 {
		t.Errorf("trusted name alerted for a sourceless event")
	}
	// Without a scope every source is scored, and carries no group.
	e2 := newTestEngine(t, DefaultConfig(), nil)
	alerts = process(e2, dnsEvent("172.16.1.1", "pool.mine.test"))
	if len(alerts) != 1 || len(alerts[0].Groups) != 0 {
		t.Errorf("nil scope: %+v", alerts)
	}
}

func TestSuppression(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Suppress.Window = time.Minute
	e := newTestEngine(t, cfg, testScope(t))
	at := func(src string, d time.Duration, q string) *scoring.Event {
		ev := dnsEvent(src, q)
		ev.Time = t0.Add(d)
		return ev
	}
	var counts []int
	for _, ev := range []*scoring.Event{
		at("10.1.1.1", 0, "a.pool.mine.test"),
		at("10.1.1.1", 10*time.Second, "b.pool.mine.test"), // same indicator (pool.mine.test)
		at("10.1.1.1", 20*time.Second, "pool.mine.test"),
		at("10.1.1.2", 30*time.Second, "pool.mine.test"), // another source
		at("10.1.1.1", 59*time.Second, "pool.mine.test"),
		at("10.1.1.1", 60*time.Second, "pool.mine.test"), // window over: alert with the count
		at("10.1.1.1", 61*time.Second, "pool.mine.test"),
	} {
		for _, a := range process(e, ev) {
			counts = append(counts, a.Count)
		}
	}
	if !reflect.DeepEqual(counts, []int{1, 1, 4}) {
		t.Errorf("alert counts %v, want [1 1 4]", counts)
	}
	st := e.Stats()
	if st.Suppressed != 4 || st.Alerts != 3 || st.AlertsByThreat[scoring.Cryptomining] != 3 {
		t.Errorf("stats %+v", st)
	}
	if ss := st.State["suppress"]; ss.Entries != 2 || ss.Capacity != cfg.Suppress.MaxEntries || ss.Bytes <= 0 {
		t.Errorf("suppress state %+v", ss)
	}

	cfg.Suppress.Window = 0
	e = newTestEngine(t, cfg, testScope(t))
	if n := len(process(e, at("10.1.1.1", 0, "pool.mine.test"), at("10.1.1.1", 0, "pool.mine.test"))); n != 2 {
		t.Errorf("window 0: %d alerts, want 2", n)
	}
}

func TestSameIndicatorFromTwoListsIsOneSighting(t *testing.T) {
	b := intel.NewBuilder()
	b.Add("dup.test", &intel.Source{List: "one", Category: "c2", Ref: "r1"})
	b.Add("dup.test", &intel.Source{List: "two", Category: "c2", Ref: "r2"})
	e, _ := New(DefaultConfig(), Deps{Intel: b.Build()})
	alerts := process(e, dnsEvent("10.1.1.1", "dup.test"), dnsEvent("10.1.1.1", "dup.test"))
	if len(alerts) != 1 || len(alerts[0].Evidence) != 2 || len(alerts[0].Threats) != 1 {
		t.Fatalf("alerts %+v", alerts)
	}
	if st := e.Stats(); st.Suppressed != 1 {
		t.Errorf("suppressed %d, want 1 (the second event)", st.Suppressed)
	}
}

// fixedDetector raises threat for every event whose query has prefix.
type fixedDetector struct {
	prefix string
	threat scoring.ThreatID
	figs   []scoring.Figure
}

func (d *fixedDetector) Name() string { return "fixed" }
func (d *fixedDetector) Inspect(ev *scoring.Event, name *scoring.FQDN, r *scoring.Report) {
	if name.Valid && strings.HasPrefix(name.Name, d.prefix) {
		d.figs = append(d.figs[:0], scoring.Figure{Name: "score", Value: 0.9})
		r.Raise(d.threat, scoring.Evidence{Detector: "fixed", Rule: "prefix", Figures: d.figs})
	}
}

func TestDetectorHitsCombineWithIntel(t *testing.T) {
	det := &fixedDetector{prefix: "xq", threat: scoring.DNSTunneling}
	e := newTestEngine(t, DefaultConfig(), testScope(t), det)
	alerts := process(e, dnsEvent("10.1.1.1", "xqzzzz.c2.evil.test"), dnsEvent("10.1.1.1", "xqyyyy.corp.test"))
	if len(alerts) != 1 {
		t.Fatalf("%d alerts, want 1 (second name is trusted)", len(alerts))
	}
	a := alerts[0]
	if len(a.Threats) != 2 || a.Threats[0].ID != scoring.C2Communication || a.Threats[1].ID != scoring.DNSTunneling || a.Severity != 5 {
		t.Fatalf("threats %+v severity %d", a.Threats, a.Severity)
	}
	ev := a.Evidence[1]
	if ev.Detector != "fixed" || ev.Indicator != "xqzzzz.c2.evil.test" || len(ev.Figures) != 1 {
		t.Errorf("detector evidence %+v (indicator defaults to the name)", ev)
	}
	det.figs[0].Value = 0 // the detector reuses its buffer: the alert must not change
	if a.Evidence[1].Figures[0].Value != 0.9 {
		t.Error("alert shares the detector's figure buffer")
	}
}

func TestAlertEventIsACopy(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), nil)
	ev := dnsEvent("10.1.1.1", "c2.evil.test", "203.0.113.66")
	alerts := process(e, ev)
	ev.DNS.Answers[0] = "changed"
	if alerts[0].Event.DNS.Answers[0] != "203.0.113.66" {
		t.Error("alert shares the event's answer slice")
	}
}

func TestDeterministic(t *testing.T) {
	run := func() []*scoring.Alert {
		e := newTestEngine(t, DefaultConfig(), testScope(t), &fixedDetector{prefix: "x", threat: scoring.DGAVolume})
		var out []*scoring.Alert
		for i := 0; i < 2000; i++ {
			names := []string{"pool.mine.test", "x1.example.com", "coinhive.com", "www.example.org", "a.onion"}
			ev := dnsEvent("10.1.1."+string(rune('1'+i%5)), names[i%len(names)], "199.2.137.1")
			ev.Time = t0.Add(time.Duration(i) * time.Second)
			out = append(out, process(e, ev)...)
		}
		return out
	}
	a, b := run(), run()
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("two runs differ (%d vs %d alerts)", len(a), len(b))
	}
}

func TestSetIntelSwaps(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), nil)
	if n := len(process(e, dnsEvent("10.1.1.1", "pool.mine.test"))); n != 1 {
		t.Fatalf("before swap: %d alerts", n)
	}
	e.SetIntel(intel.Empty())
	if n := len(process(e, dnsEvent("10.1.1.2", "pool.mine.test"))); n != 0 {
		t.Errorf("after swap to empty: %d alerts", n)
	}
	e.SetIntel(nil) // back to built-ins
	if n := len(process(e, dnsEvent("10.1.1.3", "coinhive.com"))); n != 1 {
		t.Errorf("after swap to builtin: %d alerts", n)
	}
}

func TestIntelDisabled(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Intel.Enabled = false
	e := newTestEngine(t, cfg, nil)
	if n := len(process(e, dnsEvent("10.1.1.1", "coinhive.com"))); n != 0 {
		t.Errorf("intel disabled: %d alerts", n)
	}
}

func TestConfigValidation(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Suppress.MaxEntries = 0
	if _, err := New(cfg, Deps{}); err == nil || !strings.Contains(err.Error(), "suppress.max_entries") {
		t.Errorf("err = %v", err)
	}
	cfg = DefaultConfig()
	cfg.Suppress.Window = -time.Second
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "suppress.window") {
		t.Errorf("err = %v", err)
	}
}

type fakeASN struct{}

func (fakeASN) Lookup(a netip.Addr) (uint32, string, bool) {
	if a == netip.MustParseAddr("203.0.113.66") {
		return 64500, "Example Transit", true
	}
	return 0, "", false
}

func TestASNEnrichment(t *testing.T) {
	e, err := New(DefaultConfig(), Deps{Intel: testIndex(t), ASN: fakeASN{}})
	if err != nil {
		t.Fatal(err)
	}
	alerts := process(e, flowEvent("10.1.1.1", "203.0.113.66", 443, 1, 1))
	if len(alerts) != 1 {
		t.Fatal("no alert")
	}
	last := alerts[0].Evidence[len(alerts[0].Evidence)-1]
	if last.Detector != "asn" || last.Entry != "AS64500 Example Transit" || last.Figures[0].Value != 64500 {
		t.Errorf("asn evidence %+v", last)
	}
}

// TestSuppressedSightingDoesNotAllocate: once a listed name has alerted,
// its repeats within the suppression window are counted, not allocated.
func TestSuppressedSightingDoesNotAllocate(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), testScope(t))
	ev := dnsEvent("10.1.1.1", "pool.mine.test")
	if n := len(process(e, ev)); n != 1 {
		t.Fatalf("first sighting: %d alerts, want 1", n)
	}
	out := 0
	allocs := testing.AllocsPerRun(1000, func() { e.Process(ev, func(*scoring.Alert) { out++ }) })
	if allocs != 0 || out != 0 {
		t.Errorf("repeat sightings: %.1f allocations each, %d alerts", allocs, out)
	}
	if st := e.Stats(); st.Suppressed < 1000 {
		t.Errorf("suppressed %d, want every repeat counted", st.Suppressed)
	}
}

func TestHotPathDoesNotAllocate(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), testScope(t))
	dns := dnsEvent("10.1.1.1", "www.example.com", "192.0.2.1", "2001:db8::1")
	dns.DNS.Authority = []string{"ns1.example.com."}
	flow := flowEvent("10.1.1.1", "192.0.2.1", 443, 100, 100)
	tls := &scoring.Event{Time: t0, Type: scoring.TypeTLS, SrcIP: netip.MustParseAddr("10.1.1.1"),
		DstIP: netip.MustParseAddr("192.0.2.2"), DstPort: 443, TLS: scoring.TLS{SNI: "api.example.net"}}
	out := 0
	emit := func(*scoring.Alert) { out++ }
	allocs := testing.AllocsPerRun(2000, func() {
		e.Process(dns, emit)
		e.Process(flow, emit)
		e.Process(tls, emit)
	})
	if allocs != 0 || out != 0 {
		t.Errorf("hot path: %.1f allocations per run, %d alerts", allocs, out)
	}
}

func TestConcurrentProcessAndReload(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), testScope(t))
	full, empty := testIndex(t), intel.Empty()
	const workers, perWorker = 4, 2000
	var wg sync.WaitGroup
	var alerts atomic.Int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				ev := dnsEvent(fmt.Sprintf("10.%d.%d.%d", w, i/250, i%250), "pool.mine.test")
				e.Process(ev, func(a *scoring.Alert) { alerts.Add(1) })
			}
		}(w)
	}
	wg.Add(1)
	go func() { // reload feeds while events flow
		defer wg.Done()
		for i := 0; i < 200; i++ {
			if i%2 == 0 {
				e.SetIntel(empty)
			} else {
				e.SetIntel(full)
			}
			_ = e.Stats()
		}
		e.SetIntel(full)
	}()
	wg.Wait()
	st := e.Stats()
	if st.Events != workers*perWorker || st.Alerts != uint64(alerts.Load()) {
		t.Errorf("events %d alerts %d (emitted %d)", st.Events, st.Alerts, alerts.Load())
	}
	if st.Scored+st.OutOfScope+st.Trusted != st.Events {
		t.Errorf("events not accounted for: %+v", st)
	}
}

func TestDestinationMemoDoesNotHideMatches(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), nil)
	clean := flowEvent("10.1.1.1", "192.0.2.1", 443, 1, 1)
	bad := flowEvent("10.1.1.1", "203.0.113.66", 443, 1, 1)
	if n := len(process(e, clean, clean)); n != 0 {
		t.Fatalf("clean destination alerted %d times", n)
	}
	if n := len(process(e, bad)); n != 1 {
		t.Fatalf("listed destination after a clean one: %d alerts", n)
	}
	// The same clean destination under a new index that lists it.
	b := intel.NewBuilder()
	b.Add("192.0.2.1", &intel.Source{List: "new", Category: "c2", Ref: "r"})
	e.SetIntel(b.Build())
	if n := len(process(e, clean)); n != 1 {
		t.Errorf("destination listed after reload: %d alerts", n)
	}
}

func TestHostWithoutPort(t *testing.T) {
	for in, want := range map[string]string{
		"example.com": "example.com", "example.com:8080": "example.com", "[2001:db8::1]:443": "",
		"2001:db8::1": "", "": "", "host:": "host",
	} {
		if got := hostWithoutPort(in); got != want {
			t.Errorf("hostWithoutPort(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAnswerAddr(t *testing.T) {
	for _, s := range []string{"192.0.2.1", "0.0.0.0", "255.255.255.255", "10.20.30.40", "2001:db8::1", "::ffff:1.2.3.4",
		"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "a.b.c.d", "", "1.2.3.", ".1.2.3", "example.com", "1.2.3.4 ", "fe80::1%eth0",
		"1.2.3.1000", "1234.1.1.1", "00.1.2.3", "1.2.3.04", "1.2.3.0", "9.99.199.249", "1.2.3.4:53", "1.2.3.256"} {
		want, werr := netip.ParseAddr(s)
		got, ok := parseAnswerAddr(s)
		if ok != (werr == nil) || (ok && got != want) {
			t.Errorf("parseAnswerAddr(%q) = %v, %v; netip says %v, %v", s, got, ok, want, werr)
		}
	}
}

func FuzzParseAnswerAddr(f *testing.F) {
	f.Add("192.0.2.1")
	f.Add("2001:db8::1")
	f.Add("1.2.3.04")
	f.Fuzz(func(t *testing.T, s string) {
		want, werr := netip.ParseAddr(s)
		got, ok := parseAnswerAddr(s)
		if ok != (werr == nil) || (ok && got != want) {
			t.Fatalf("parseAnswerAddr(%q) = %v, %v; netip says %v, %v", s, got, ok, want, werr)
		}
	})
}

// TestEchoReplyScopedByRequester: an echo reply from a server outside
// scope is scored for the internal host that sent the request.
func TestEchoReplyScopedByRequester(t *testing.T) {
	inside, outside := netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("198.51.100.7")
	ev := scoring.Event{Type: scoring.TypeICMP, Proto: scoring.ProtoICMP, SrcIP: outside, DstIP: inside}
	ev.ICMP.Type = 0
	if got := scopeSubject(&ev); got != inside {
		t.Fatalf("echo reply scoped by %v, want %v", got, inside)
	}
	ev.ICMP.Type = 8
	if got := scopeSubject(&ev); got != outside {
		t.Fatalf("echo request scoped by %v, want its source %v", got, outside)
	}
	ev.Proto, ev.ICMP.Type = scoring.ProtoICMPv6, 129
	if got := scopeSubject(&ev); got != inside {
		t.Fatalf("ICMPv6 echo reply scoped by %v, want %v", got, inside)
	}
}

// TestCleanCachesDoNotHideMatches: query names and answer addresses
// remembered as matching nothing are matched again after a reload that
// lists them, and a listed name or address never enters the caches.
func TestCleanCachesDoNotHideMatches(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), nil)
	ev := dnsEvent("10.1.1.1", "www.later-listed.test", "192.0.2.77")
	for i := 0; i < 2; i++ { // the second time from the caches
		if alerts := process(e, ev); len(alerts) != 0 {
			t.Fatalf("round %d: unlisted name and answer raised %+v", i, alerts)
		}
	}
	if st := e.Stats().State["intel_names"]; st.Entries != 1 || st.Capacity != nameSlots {
		t.Fatalf("intel_names state %+v, want 1 entry of %d", st, nameSlots)
	}
	b := intel.NewBuilder()
	b.Add("later-listed.test", &intel.Source{List: "new-c2", Category: "c2", Ref: "r"})
	b.Add("192.0.2.77", &intel.Source{List: "new-sinkhole", Category: "sinkhole", Ref: "r"})
	e.SetIntel(b.Build())
	for i := 0; i < 2; i++ {
		ev.Time = ev.Time.Add(time.Hour) // past suppression
		alerts := process(e, ev)
		if len(alerts) != 1 {
			t.Fatalf("round %d after reload: %d alerts, want 1", i, len(alerts))
		}
		rules := map[string]string{}
		for _, evd := range alerts[0].Evidence {
			rules[evd.Rule] = evd.Entry
		}
		if rules[RuleQueryName] != "later-listed.test" || rules[RuleAnswerIP] != "192.0.2.77" {
			t.Fatalf("round %d after reload: evidence %+v", i, alerts[0].Evidence)
		}
	}
}

// TestPopularityPriorReachesDetectors: the engine ranks each name by its
// index's popularity prior, per index (a reload that adds or drops the
// prior takes effect at once, memoised names included).
func TestPopularityPriorReachesDetectors(t *testing.T) {
	e := newTestEngine(t, DefaultConfig(), nil)
	impersonations := func(src string) int {
		n := 0
		for _, a := range process(e, dnsEvent(src, "www.visma.com"), dnsEvent(src, "paypa1.com")) {
			for _, th := range a.Threats {
				if th.ID == scoring.BrandImpersonation {
					n++
				}
			}
		}
		return n
	}
	if n := impersonations("10.1.1.1"); n != 2 {
		t.Fatalf("without a prior: %d impersonation alerts, want 2 (visma.com is one letter from visa.com)", n)
	}
	e.SetIntel(nil) // the built-in index, with the built-in prior
	if n := impersonations("10.1.1.2"); n != 1 {
		t.Errorf("with the built-in prior: %d impersonation alerts, want 1 (paypa1.com only)", n)
	}
	b := intel.NewBuilder()
	if err := b.AddPopular("paypa1.com", 50, "site-top"); err != nil {
		t.Fatal(err)
	}
	e.SetIntel(b.Build())
	if n := impersonations("10.1.1.3"); n != 1 {
		t.Errorf("with a user prior ranking paypa1.com only: %d impersonation alerts, want 1 (visma.com)", n)
	}
}
