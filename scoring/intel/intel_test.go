package intel

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
)

func src(list, cat string) *Source { return &Source{List: list, Category: cat, Ref: "test:" + list} }

func entries(inds []*Indicator) []string {
	var out []string
	for _, ind := range inds {
		out = append(out, ind.List+"="+ind.Entry)
	}
	return out
}

func TestAddParsesEveryKind(t *testing.T) {
	b := NewBuilder()
	s := src("feed", CatC2)
	cases := []struct {
		text  string
		kind  Kind
		entry string
	}{
		{"Example.COM.", KindDomain, "example.com"},
		{"*.wild.example.org", KindDomain, "wild.example.org"},
		{"bücher.example", KindDomain, "xn--bcher-kva.example"},
		{"192.0.2.7", KindIP, "192.0.2.7"},
		{"198.51.100.77/24", KindIP, "198.51.100.0/24"},
		{"2001:0db8:0000:0000:0000:0000:0000:0001", KindIP, "2001:db8::1"},
		{"203.0.113.5:3333", KindAddrPort, "203.0.113.5:3333"},
		{"[2001:db8::5]:4444", KindAddrPort, "[2001:db8::5]:4444"},
	}
	for _, c := range cases {
		kind, err := b.Add(c.text, s)
		if err != nil || kind != c.kind {
			t.Errorf("Add(%q) = %v, %v; want kind %v", c.text, kind, err, c.kind)
		}
	}
	for _, bad := range []string{"", "300.1.2.3", "10.0.0.0/33", "bad name.com", "a..b", "exa$mple.com", "1.2.3.4:0"} {
		if _, err := b.Add(bad, s); err == nil {
			t.Errorf("Add(%q) accepted a malformed entry", bad)
		}
	}
	if _, err := b.Add("EXAMPLE.com", s); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate in the same list: err = %v, want ErrDuplicate", err)
	}
	if _, err := b.Add("example.com", src("other", CatPhishing)); err != nil {
		t.Errorf("same entry in another list: %v", err)
	}
	ix := b.Build()
	lists := ix.Lists()
	if len(lists) != 2 || lists[0].Name != "feed" || lists[0].Entries != len(cases) || lists[1].Entries != 1 {
		t.Errorf("Lists() = %+v", lists)
	}
	for _, c := range cases {
		var got []*Indicator
		switch c.kind {
		case KindDomain:
			got = ix.AppendDomain(nil, c.entry)
		case KindIP:
			p, err := netip.ParsePrefix(c.entry)
			if err != nil {
				p = netip.PrefixFrom(netip.MustParseAddr(c.entry), 128)
			}
			got = ix.AppendIP(nil, p.Addr())
		case KindAddrPort:
			got = ix.AppendAddrPort(nil, netip.MustParseAddrPort(c.entry))
		}
		if len(got) == 0 || got[0].Entry != c.entry {
			t.Errorf("lookup of %q: %v", c.entry, entries(got))
		}
	}
}

func TestDomainMatchesSubdomainsOnly(t *testing.T) {
	b := NewBuilder()
	b.AddDomain("evil.example", src("a", CatC2))
	b.AddDomain("deep.evil.example", src("a", CatC2))
	b.AddDomain("evil.example", src("b", CatPhishing))
	ix := b.Build()
	cases := map[string][]string{
		"evil.example":            {"a=evil.example", "b=evil.example"},
		"x.y.evil.example":        {"a=evil.example", "b=evil.example"},
		"z.deep.evil.example":     {"a=deep.evil.example", "b=evil.example"}, // list a: most specific only
		"notevil.example":         nil,
		"evil.example.attacker.x": nil,
		"example":                 nil,
	}
	for name, want := range cases {
		got := entries(ix.AppendDomain(nil, name))
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: got %v want %v", name, got, want)
		}
	}
}

// TestAppendNameMatchesAppendDomain: a parsed name's look-up, through the
// hashes it holds, finds what the look-up of its text finds, whether the
// match is the name, its registered domain or a domain between.
func TestAppendNameMatchesAppendDomain(t *testing.T) {
	b := NewBuilder()
	for _, d := range []string{"evil.co.uk", "a.b.evil.co.uk", "bad.com", "www.bad.com", "com", "x.y.z.example.org"} {
		b.AddDomain(d, src("a", CatC2))
		b.AddDomain(d, src(d, CatPhishing))
	}
	ix := b.Build()
	for _, name := range []string{"evil.co.uk", "q.a.b.evil.co.uk", "a.b.evil.co.uk", "b.evil.co.uk", "co.uk",
		"bad.com", "www.bad.com", "x.www.bad.com", "good.com", "x.y.z.example.org", "w.x.y.z.example.org", "WWW.Bad.COM."} {
		var f scoring.FQDN
		f.Parse(name)
		if !f.Valid {
			t.Fatalf("%s: not a valid name", name)
		}
		got, want := entries(ix.AppendName(nil, &f)), entries(ix.AppendDomain(nil, f.Name))
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: AppendName %v, AppendDomain %v", name, got, want)
		}
		if len(want) == 0 && name != "good.com" && name != "co.uk" {
			t.Errorf("%s: matched nothing: the test compares nothing", name)
		}
	}
}

func TestIPLongestPrefix(t *testing.T) {
	b := NewBuilder()
	b.AddPrefix(netip.MustParsePrefix("10.0.0.0/8"), src("a", CatC2))
	b.AddPrefix(netip.MustParsePrefix("10.1.0.0/16"), src("a", CatC2))
	b.AddPrefix(netip.MustParsePrefix("10.1.2.3/32"), src("b", CatTor))
	b.AddPrefix(netip.MustParsePrefix("2001:db8::/32"), src("c", CatVPN))
	ix := b.Build()
	cases := map[string]string{
		"10.1.2.3":         "b=10.1.2.3,a=10.1.0.0/16",
		"10.1.9.9":         "a=10.1.0.0/16",
		"10.200.0.1":       "a=10.0.0.0/8",
		"::ffff:10.1.2.3":  "b=10.1.2.3,a=10.1.0.0/16",
		"11.0.0.1":         "",
		"2001:db8:1::1":    "c=2001:db8::/32",
		"2001:db9::1":      "",
		"fe80::1%eth0":     "",
		"2001:db8::7%eth1": "c=2001:db8::/32",
	}
	for a, want := range cases {
		got := strings.Join(entries(ix.AppendIP(nil, netip.MustParseAddr(a))), ",")
		if got != want {
			t.Errorf("%s: got %q want %q", a, got, want)
		}
	}
}

func TestPorts(t *testing.T) {
	b := NewBuilder()
	b.AddPort(scoring.ProtoTCP, 3333, src("m", CatMining))
	b.AddPort(scoring.ProtoUnknown, 6881, src("p", CatP2P))
	ix := b.Build()
	if got := entries(ix.AppendPort(nil, scoring.ProtoTCP, 3333)); len(got) != 1 || got[0] != "m=tcp/3333" {
		t.Errorf("tcp/3333: %v", got)
	}
	if got := ix.AppendPort(nil, scoring.ProtoUDP, 3333); len(got) != 0 {
		t.Errorf("udp/3333 matched a tcp-only port: %v", entries(got))
	}
	if got := entries(ix.AppendPort(nil, scoring.ProtoUDP, 6881)); len(got) != 1 || got[0] != "p=6881" {
		t.Errorf("udp/6881 (any-protocol entry): %v", got)
	}
}

func TestBuiltinCoversEveryCategory(t *testing.T) {
	ix := Builtin()
	probes := []struct {
		name, cat string
	}{
		{"abcdefghijklmnop.onion", CatTor},
		{"www.tor2web.org", CatTor},
		{"forum.i2p", CatI2P},
		{"reseed.i2p-projekt.de", CatI2P},
		{"downloads.freenetproject.org", CatFreenet},
		{"xmr.supportxmr.com", CatMining},
		{"coinhive.com", CatCryptojacking},
		{"api.nordvpn.com", CatVPN},
		{"vpn-api.proton.me", CatVPN},
		{"engage.cloudflareclient.com", CatVPN},
		{"controlplane.tailscale.com", CatVPN},
		{"bt1.archive.org", CatP2P},
		{"tracker.opentrackr.org", CatP2P},
		{"router.bittorrent.com", CatP2P},
		{"myhost.duckdns.org", CatDynDNS},
		{"ns1.sinkhole.shadowserver.org", CatSinkhole},
	}
	for _, p := range probes {
		var f scoring.FQDN
		f.Parse(p.name)
		cats := ix.DomainCategories(&f)
		if len(cats) != 1 || cats[0] != p.cat {
			t.Errorf("%s: categories %v, want [%s]", p.name, cats, p.cat)
		}
	}
	if got := ix.AppendIP(nil, netip.MustParseAddr("128.31.0.39")); len(got) != 1 || got[0].Category != CatTor || !strings.Contains(got[0].Ref, "directory authority") {
		t.Errorf("moria1: %v", entries(got))
	}
	if got := ix.AppendIP(nil, netip.MustParseAddr("199.2.137.80")); len(got) != 1 || got[0].Category != CatSinkhole {
		t.Errorf("Microsoft sinkhole range: %v", entries(got))
	}
	if got := ix.AppendPort(nil, scoring.ProtoTCP, 3333); len(got) != 1 || got[0].Category != CatMining {
		t.Errorf("stratum port: %v", entries(got))
	}
	for _, l := range ix.Lists() {
		if !l.Builtin || !strings.HasPrefix(l.Name, "builtin:") || l.Entries == 0 {
			t.Errorf("list %+v", l)
		}
	}
	// The company's other services stay out: only the VPN client's hosts are listed.
	for _, benign := range []string{"www.example.com", "mail.proton.me", "proton.me", "tailscale.com", "www.mozilla.org", "archive.org"} {
		var none scoring.FQDN
		none.Parse(benign)
		if cats := ix.DomainCategories(&none); cats != nil {
			t.Errorf("benign name %s matched %v", benign, cats)
		}
	}
}

func TestEveryBuiltinEntryHasANote(t *testing.T) {
	for _, g := range builtinGroups {
		if len(g.note) < 10 {
			t.Errorf("category %s: note %q is too short to explain the source", g.category, g.note)
		}
		if _, ok := ThreatFor(g.category); !ok && g.category != CatDynDNS {
			t.Errorf("builtin category %s raises no threat", g.category)
		}
	}
}

func TestThreatFor(t *testing.T) {
	want := map[string]scoring.ThreatID{
		"c2": scoring.C2Communication, "sinkhole": scoring.SinkholedDestination,
		"phishing": scoring.PhishingDomain, "mining": scoring.Cryptomining,
		"cryptojacking": scoring.Cryptojacking, "tor": scoring.TorUsage, "i2p": scoring.I2PUsage,
		"freenet": scoring.FreenetUsage, "vpn": scoring.VPNUsage, "p2p": scoring.P2PUsage,
	}
	for cat, id := range want {
		if got, ok := ThreatFor(cat); !ok || got != id {
			t.Errorf("ThreatFor(%s) = %v", cat, got)
		}
	}
	for _, cat := range []string{"dyndns", "proxy", "tunnel"} {
		if _, ok := ThreatFor(cat); ok {
			t.Errorf("%s should only flag", cat)
		}
	}
}

func TestLookupsDoNotAllocate(t *testing.T) {
	ix := Builtin()
	buf := make([]*Indicator, 0, 16)
	a := netip.MustParseAddr("192.0.2.1")
	allocs := testing.AllocsPerRun(1000, func() {
		buf = ix.AppendDomain(buf[:0], "www.some.benign.example.com")
		buf = ix.AppendDomain(buf[:0], "x.onion")
		buf = ix.AppendIP(buf[:0], a)
		buf = ix.AppendAddrPort(buf[:0], netip.AddrPortFrom(a, 443))
		buf = ix.AppendPort(buf[:0], scoring.ProtoTCP, 443)
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %.1f times", allocs)
	}
}

func TestPrefixMapSmallAndLargeAgree(t *testing.T) {
	var small, large PrefixMap[int]
	pfxs := []string{"10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "192.168.0.0/16", "2001:db8::/32", "10.1.2.3/32"}
	for i, s := range pfxs {
		small.Insert(netip.MustParsePrefix(s), i)
		large.Insert(netip.MustParsePrefix(s), i)
	}
	for i := 0; i < 40; i++ { // push large past the linear-scan size
		large.Insert(netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 16, byte(i), 0}), 24), 100+i)
	}
	if small.small == nil || large.small != nil {
		t.Fatalf("small %d prefixes, large %d: scan lists %v / %v", small.Len(), large.Len(), small.small != nil, large.small != nil)
	}
	for _, a := range []string{"10.1.2.3", "10.1.2.4", "10.1.9.9", "10.200.0.1", "11.0.0.1", "192.168.5.5", "::ffff:10.1.2.3", "2001:db8::1", "2001:db9::1"} {
		addr := netip.MustParseAddr(a)
		var got, want []int
		small.Walk(addr, func(_ netip.Prefix, v int) bool { got = append(got, v); return true })
		large.Walk(addr, func(_ netip.Prefix, v int) bool {
			if v < 100 {
				want = append(want, v)
			}
			return true
		})
		if fmt.Sprint(got) != fmt.Sprint(want) || small.Contains(addr) != (len(want) > 0) {
			t.Errorf("%s: linear %v, hashed %v", a, got, want)
		}
	}
}

// TestIPv4LookupMatchesPrefixes: AppendIP's IPv4 path (prefixes masked and
// hashed from the address's 32 bits) finds what netip's prefixes of every
// length in use find in the map, for addresses inside and around listed
// prefixes of every length, and hashPrefix4 is hashPrefix.
func TestIPv4LookupMatchesPrefixes(t *testing.T) {
	b := NewBuilder()
	rng := rand.New(rand.NewPCG(1, 2))
	var listed []netip.Prefix
	for i := 0; i < 2000; i++ {
		a := netip.AddrFrom4([4]byte{byte(rng.IntN(4)), byte(rng.IntN(4)), byte(rng.IntN(256)), byte(rng.IntN(256))})
		p := netip.PrefixFrom(a, rng.IntN(33)).Masked()
		b.AddPrefix(p, src(fmt.Sprint("list", i%7), CatC2))
		listed = append(listed, p)
	}
	ix := b.Build()
	for i := 0; i < 20000; i++ {
		a := netip.AddrFrom4([4]byte{byte(rng.IntN(5)), byte(rng.IntN(5)), byte(rng.IntN(256)), byte(rng.IntN(256))})
		if i%2 == 0 {
			a = listed[i%len(listed)].Addr()
		}
		var want []*Indicator
		for _, l := range ix.ips.lens4 {
			pfx, _ := a.Prefix(l)
			if hashPrefix4(binary.BigEndian.Uint32(pfx.Addr().AsSlice()), l) != hashPrefix(pfx) {
				t.Fatalf("%v: hashPrefix4 differs from hashPrefix", pfx)
			}
			if inds, ok := ix.ips.m[pfx]; ok {
				want = appendNewLists(want, 0, inds)
			}
		}
		got := ix.AppendIP(nil, a)
		if fmt.Sprint(entries(got)) != fmt.Sprint(entries(want)) {
			t.Fatalf("%v: got %v, want %v", a, entries(got), entries(want))
		}
		if got4in6 := ix.AppendIP(nil, netip.AddrFrom16(a.As16())); fmt.Sprint(entries(got4in6)) != fmt.Sprint(entries(want)) {
			t.Fatalf("%v as IPv4-mapped IPv6: got %v, want %v", a, entries(got4in6), entries(want))
		}
	}
}
