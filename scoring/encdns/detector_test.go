package encdns_test

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/encdns"
	"github.com/netflightrecorder/nfr/scoring/engine"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func tlsEvent(dst string, port uint16, sni string) scoring.Event {
	return scoring.Event{Time: t0, Type: scoring.TypeTLS, Origin: "sniffer:tls", Proto: scoring.ProtoTCP,
		SrcIP: netip.MustParseAddr("192.168.20.211"), SrcPort: 44404, DstIP: netip.MustParseAddr(dst), DstPort: port,
		TLS: scoring.TLS{SNI: sni, Version: "TLSv13", JA3: "547df21d727c7b3a5dcb59aa0fd97c2c"}}
}

func inspect(d *encdns.Detector, ev scoring.Event) *scoring.Report {
	var r scoring.Report
	var name scoring.FQDN
	d.Inspect(&ev, &name, &r)
	return &r
}

func figure(ev scoring.Evidence, name string) (float64, bool) {
	for _, f := range ev.Figures {
		if f.Name == name {
			return f.Value, true
		}
	}
	return 0, false
}

func TestHandshakesToPublicResolvers(t *testing.T) {
	d := encdns.New(encdns.DefaultConfig())
	for _, tc := range []struct {
		name   string
		ev     scoring.Event
		raise  bool
		list   string
		hasSNI float64
	}{
		{"doh by address, no sni", tlsEvent("1.1.1.1", 443, ""), true, "Cloudflare", 0},
		{"foreign sni to google", tlsEvent("8.8.8.8", 443, "t.tunnel.example.com"), true, "Google", 1},
		{"look-alike sni is not the resolver's", tlsEvent("1.0.0.1", 443, "evilcloudflare-dns.com"), true, "Cloudflare", 1},
		{"ipv6 resolver", tlsEvent("2606:4700:4700::1111", 443, ""), true, "Cloudflare", 0},
		{"ipv4-mapped address", tlsEvent("::ffff:9.9.9.9", 443, ""), true, "Quad9", 0},
		{"nextdns anycast range", tlsEvent("2a07:a8c1::1c:ab", 443, ""), true, "NextDNS", 0},
		{"dot with foreign sni", tlsEvent("94.140.14.14", 853, "x.example.net"), true, "AdGuard", 1},
		{"browser doh to cloudflare", tlsEvent("1.1.1.1", 443, "cloudflare-dns.com"), false, "", 0},
		{"one.one.one.one", tlsEvent("1.0.0.1", 853, "one.one.one.one"), false, "", 0},
		{"subdomain, case and root dot", tlsEvent("1.1.1.2", 443, "Security.CloudFlare-DNS.com."), false, "", 0},
		{"google dot", tlsEvent("2001:4860:4860::8844", 853, "dns.google"), false, "", 0},
		{"nextdns profile", tlsEvent("45.90.28.77", 853, "abc123.dns.nextdns.io"), false, "", 0},
		{"opportunistic dot, no sni", tlsEvent("8.8.4.4", 853, ""), false, "", 0},
		{"other destination", tlsEvent("192.0.2.1", 443, ""), false, "", 0},
		{"other port", tlsEvent("1.1.1.1", 8443, ""), false, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := inspect(d, tc.ev)
			if !tc.raise {
				if len(r.Hits) != 0 {
					t.Fatalf("raised %+v", r.Hits)
				}
				return
			}
			if len(r.Hits) != 1 || r.Hits[0].Threat != scoring.DNSTunneling {
				t.Fatalf("hits %+v", r.Hits)
			}
			ev := r.Hits[0].Evidence
			if ev.Detector != "encdns" || ev.Rule != "encrypted-dns-by-address" || ev.List != "public_dns_resolvers:"+tc.list ||
				ev.Entry != tc.ev.DstIP.Unmap().String() || ev.Ref == "" {
				t.Errorf("evidence %+v", ev)
			}
			if v, ok := figure(ev, "sni_present"); !ok || v != tc.hasSNI {
				t.Errorf("sni_present %v %v", v, ok)
			}
			if v, _ := figure(ev, "dst_port"); v != float64(tc.ev.DstPort) {
				t.Errorf("dst_port %v", v)
			}
		})
	}
}

func TestNoSNIPortsAndExtraResolvers(t *testing.T) {
	cfg := encdns.DefaultConfig()
	cfg.NoSNIPorts = []uint16{443, 853}
	cfg.ExtraResolvers = []encdns.Resolver{{Name: "corp", Addresses: []string{"10.0.0.53", "fd00:53::/64"}, Domains: []string{"dns.corp.example"}, Source: "test"}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	d := encdns.New(cfg)
	if r := inspect(d, tlsEvent("8.8.4.4", 853, "")); len(r.Hits) != 1 {
		t.Errorf("dot without sni with 853 in no_sni_ports: %d hits", len(r.Hits))
	}
	if r := inspect(d, tlsEvent("fd00:53::35", 443, "")); len(r.Hits) != 1 || r.Hits[0].Evidence.List != "public_dns_resolvers:corp" {
		t.Errorf("extra resolver prefix: %+v", r.Hits)
	}
	if r := inspect(d, tlsEvent("10.0.0.53", 853, "dns.corp.example")); len(r.Hits) != 0 {
		t.Errorf("extra resolver's own name raised")
	}
}

func TestFlowsAndOtherEventsRaiseNothing(t *testing.T) {
	d := encdns.New(encdns.DefaultConfig())
	flow := tlsEvent("1.1.1.1", 853, "")
	flow.Type, flow.TLS = scoring.TypeFlow, scoring.TLS{}
	flow.Flow = scoring.Flow{OrigBytes: 5000, RespBytes: 9000, ConnState: "SF"}
	dns := tlsEvent("1.1.1.1", 53, "")
	dns.Type, dns.Proto = scoring.TypeDNS, scoring.ProtoUDP
	for _, ev := range []scoring.Event{flow, dns} {
		if r := inspect(d, ev); len(r.Hits) != 0 {
			t.Errorf("%v event raised %+v", ev.Type, r.Hits)
		}
	}
	off := encdns.DefaultConfig()
	off.Enabled = false
	if r := inspect(encdns.New(off), tlsEvent("1.1.1.1", 443, "")); len(r.Hits) != 0 {
		t.Errorf("disabled detector raised")
	}
}

func TestValidateNamesTheKey(t *testing.T) {
	if err := encdns.DefaultConfig().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		key string
		set func(c *encdns.Config)
	}{
		{"ports", func(c *encdns.Config) { c.DstPorts = nil; c.NoSNIPorts = nil }},
		{"ports[1]", func(c *encdns.Config) { c.DstPorts = []uint16{443, 0} }},
		{"no_sni_ports[0]", func(c *encdns.Config) { c.NoSNIPorts = []uint16{8443} }},
		{"extra_resolvers[0].name", func(c *encdns.Config) { c.ExtraResolvers = []encdns.Resolver{{Addresses: []string{"10.0.0.1"}}} }},
		{"extra_resolvers[0].addresses", func(c *encdns.Config) { c.ExtraResolvers = []encdns.Resolver{{Name: "x"}} }},
		{"extra_resolvers[1].addresses[1]", func(c *encdns.Config) {
			c.ExtraResolvers = []encdns.Resolver{{Name: "ok", Addresses: []string{"10.0.0.1"}}, {Name: "x", Addresses: []string{"10.0.0.2", "dns.example"}}}
		}},
		{"extra_resolvers[0].domains[0]", func(c *encdns.Config) {
			c.ExtraResolvers = []encdns.Resolver{{Name: "x", Addresses: []string{"10.0.0.1"}, Domains: []string{"*.corp.example"}}}
		}},
	} {
		c := encdns.DefaultConfig()
		tc.set(&c)
		var ce *scoring.ConfigError
		if err := c.Validate(); !errors.As(err, &ce) || ce.Key != tc.key {
			t.Errorf("want key %s, got %v", tc.key, err)
		}
	}
}

func TestBuiltinResolversAreValid(t *testing.T) {
	c := encdns.DefaultConfig()
	c.ExtraResolvers = encdns.Builtin()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	v4, v6 := 0, 0
	for _, r := range encdns.Builtin() {
		names[r.Name] = true
		if r.Source == "" || len(r.Domains) == 0 {
			t.Errorf("%s: no source or no domains", r.Name)
		}
		for _, a := range r.Addresses {
			if p, err := netip.ParsePrefix(a); err == nil && p.Addr().Is6() || err != nil && netip.MustParseAddr(a).Is6() {
				v6++
			} else {
				v4++
			}
		}
	}
	for _, n := range []string{"Cloudflare", "Google", "Quad9", "OpenDNS", "AdGuard", "CleanBrowsing", "NextDNS"} {
		if !names[n] {
			t.Errorf("%s missing", n)
		}
	}
	if v4 == 0 || v6 == 0 {
		t.Errorf("%d IPv4 and %d IPv6 entries", v4, v6)
	}
}

func TestQuietPathDoesNotAllocate(t *testing.T) {
	d := encdns.New(encdns.DefaultConfig())
	evs := []scoring.Event{tlsEvent("1.1.1.1", 443, "cloudflare-dns.com"), tlsEvent("203.0.113.9", 443, "www.example.com"), tlsEvent("45.90.30.1", 853, "")}
	var r scoring.Report
	var name scoring.FQDN
	allocs := testing.AllocsPerRun(100, func() {
		for i := range evs {
			r.Reset()
			d.Inspect(&evs[i], &name, &r)
		}
	})
	if allocs != 0 || len(r.Hits) != 0 {
		t.Errorf("%v allocations, %d hits", allocs, len(r.Hits))
	}
}

// TestEngineRaisesFromZeekSSL maps Zeek ssl.log lines through the record
// mapper and scores them with the engine's default configuration.
func TestEngineRaisesFromZeekSSL(t *testing.T) {
	e, err := engine.New(engine.DefaultConfig(), engine.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`{"_path":"ssl","ts":1585754662.43,"uid":"C1","id.orig_h":"192.168.20.211","id.orig_p":44404,"id.resp_h":"1.1.1.1","id.resp_p":443,"version":"TLSv13","established":true,"ja3":"547df21d727c7b3a5dcb59aa0fd97c2c"}`,
		`{"_path":"ssl","ts":1585754663.43,"uid":"C2","id.orig_h":"192.168.20.12","id.orig_p":50000,"id.resp_h":"1.1.1.1","id.resp_p":443,"version":"TLSv13","server_name":"cloudflare-dns.com","established":true}`,
	}
	var alerts []*scoring.Alert
	for _, l := range lines {
		m := record.NewMapper(record.InputAuto)
		if err := m.FeedJSON([]byte(l)); err != nil {
			t.Fatal(err)
		}
		var ev scoring.Event
		if err := m.End(&ev); err != nil {
			t.Fatal(err)
		}
		e.Process(&ev, func(a *scoring.Alert) { alerts = append(alerts, a) })
	}
	if len(alerts) != 1 || alerts[0].Event.SrcIP.String() != "192.168.20.211" || alerts[0].Threats[0].ID != scoring.DNSTunneling ||
		alerts[0].Evidence[0].Detector != "encdns" {
		t.Fatalf("alerts %+v", alerts)
	}
}

func BenchmarkInspectQuiet(b *testing.B) {
	d := encdns.New(encdns.DefaultConfig())
	ev := tlsEvent("1.1.1.1", 443, "cloudflare-dns.com")
	other := tlsEvent("203.0.113.9", 443, "www.example.com")
	var r scoring.Report
	var name scoring.FQDN
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d.Inspect(&ev, &name, &r)
		d.Inspect(&other, &name, &r)
	}
}
