package scoring

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"
)

func TestFQDNParse(t *testing.T) {
	cases := []struct {
		raw, name, unicode, registered, suffix, sub, tld string
		labels                                           int
		valid                                            bool
	}{
		{"WWW.Example.CO.UK.", "www.example.co.uk", "www.example.co.uk", "example.co.uk", "co.uk", "www", "uk", 4, true},
		{"a.b.github.io", "a.b.github.io", "a.b.github.io", "b.github.io", "github.io", "a", "io", 4, true},
		{"xn--bcher-kva.example", "xn--bcher-kva.example", "bücher.example", "xn--bcher-kva.example", "example", "", "example", 2, true},
		{"bücher.de", "xn--bcher-kva.de", "bücher.de", "xn--bcher-kva.de", "de", "", "de", 2, true},
		{"com", "com", "com", "", "com", "", "com", 1, true},
		{"", "", "", "", "", "", "", 0, false},
		{"a..b.com", "", "", "", "", "", "", 0, false},
	}
	var f FQDN
	for _, c := range cases {
		f.Parse(c.raw)
		if f.Valid != c.valid || f.Name != c.name || f.Unicode != c.unicode || f.Registered != c.registered ||
			(c.valid && (f.Suffix != c.suffix || f.Subdomain != c.sub || f.TLD != c.tld || len(f.Labels()) != c.labels)) {
			t.Errorf("Parse(%q) = %+v", c.raw, f)
		}
	}
	f.Parse("mail.google.com")
	if f.RegisteredLabel() != "google" {
		t.Errorf("RegisteredLabel = %q", f.RegisteredLabel())
	}
}

// TestNameLayoutRoundTrip rebuilds names from their layouts and compares
// every field with a fresh parse; names that cannot be rebuilt say so.
func TestNameLayoutRoundTrip(t *testing.T) {
	names := []string{"www.example.co.uk", "a.b.github.io", "com", "example.com", "x.y.z.compute.amazonaws.com",
		"sub.example.invalidtld", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.example.com", "192.0.2.1", "blogspot.co.uk"}
	for _, n := range names {
		var want, got FQDN
		want.Parse(n)
		l, ok := want.Layout()
		if !ok {
			t.Errorf("Layout(%q) not ok", n)
			continue
		}
		got.Parse("stale.example.org")
		got.Labels()
		got.SetLayout(n, &l)
		if fmt.Sprint(got.Labels()) != fmt.Sprint(want.Labels()) {
			t.Errorf("SetLayout(%q): labels %q, want %q", n, got.Labels(), want.Labels())
		}
		got.labels, want.labels = nil, nil
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Errorf("SetLayout(%q) = %+v, want %+v", n, got, want)
		}
		// The registered domain's hash, whether taken before the layout
		// (which then carries it) or after the rebuild.
		for _, hashFirst := range []bool{false, true} {
			var f, g FQDN
			f.Parse(n)
			if hashFirst {
				f.RegisteredHash()
			}
			l, _ := f.Layout()
			g.Parse("stale.example.org")
			g.RegisteredHash()
			g.SetLayout(n, &l)
			if got, want := g.RegisteredHash(), HashString(f.Registered); got != want || f.RegisteredHash() != want {
				t.Errorf("RegisteredHash of %q (hashed before layout: %v) = %#x, parsed %#x, want %#x", n, hashFirst, got, f.RegisteredHash(), want)
			}
		}
	}
	for _, n := range []string{"bücher.de", "xn--bcher-kva.example", "a..b.com", ""} {
		var f FQDN
		f.Parse(n)
		if _, ok := f.Layout(); ok {
			t.Errorf("Layout(%q) ok, want not cacheable", n)
		}
	}
}

func TestFQDNParseDoesNotAllocate(t *testing.T) {
	var f FQDN
	f.Parse("warm.up.example.com")
	allocs := testing.AllocsPerRun(1000, func() { f.Parse("a.b.c.example.co.uk") })
	if allocs != 0 {
		t.Fatalf("allocs = %v", allocs)
	}
}

func TestCatalogueComplete(t *testing.T) {
	seen := map[ThreatID]bool{}
	for _, th := range Catalogue {
		if seen[th.ID] || th.Severity < 1 || th.Severity > 5 || th.Desc == "" || th.Response == "" {
			t.Errorf("bad catalogue entry %+v", th)
		}
		seen[th.ID] = true
		if got, ok := LookupThreat(th.ID); !ok || got.ID != th.ID {
			t.Errorf("LookupThreat(%s) failed", th.ID)
		}
	}
	if len(Catalogue) != 19 {
		t.Errorf("catalogue has %d threats, want 19", len(Catalogue))
	}
}

// TestPublicSuffixAgreesWithLibrary: deep names, private and wildcard
// rules, exceptions and address literals.
func TestPublicSuffixAgreesWithLibrary(t *testing.T) {
	names := []string{"a.b.c.d.e.example.co.uk", "x.y.z.w.foo.github.io", "1.2.3.4", "q.w.e.r.t.y.www.ck",
		"deep.a.b.c.d.s3.dualstack.us-east-1.amazonaws.com", "s3.dualstack.us-east-1.amazonaws.com", "x.s3.dualstack.us-east-1.amazonaws.com", "a.b.c.d.e.f.com", "host.local",
		strings.Repeat("l", 60) + ".h1.d2.city.kawasaki.jp"}
	for _, n := range names {
		s, ic := publicSuffix(n)
		ws, wic := publicsuffix.PublicSuffix(n)
		if s != ws || ic != wic {
			t.Errorf("publicSuffix(%q) = %q %v, library %q %v", n, s, ic, ws, wic)
		}
	}
}

func TestRestrictedZone(t *testing.T) {
	for name, want := range map[string]bool{
		"usa.gov": true, "www.army.mil": true, "cs.utexas.edu": true, "who.int": true,
		"eba.gov.tr": true, "ox.ac.uk": true, "cibc.go.jp": true, "sat.gob.mx": true, "x.govt.nz": true,
		"example.com": false, "nic.ac": false, "gov.example.com": false, "education.com": false,
	} {
		var f FQDN
		f.Parse(name)
		if got := f.RestrictedZone(); got != want {
			t.Errorf("%s (suffix %q): RestrictedZone = %v, want %v", name, f.Suffix, got, want)
		}
	}
}

// TestParseFastPathMatchesGeneral: names in normal form, which Parse
// (and ParseHashed) read in one pass for their dots, parse exactly as the
// general path (normalise, check, split) parses them, field by field:
// every rule of the public suffix list one and two labels down, names of
// every length from 1 to 255 bytes with dots at every offset of a word,
// every byte at every offset of a word, and near misses (upper case, a
// trailing or doubled dot, punycode, addresses) that must take the
// general path; and the corpus domain lists when present.
func TestParseFastPathMatchesGeneral(t *testing.T) {
	var names []string
	rules, _ := pslRules()
	for _, r := range rules {
		names = append(names, r, "x."+r, "www.x-y."+r, "X."+r, "a.b."+r+".", "a."+r+"..")
	}
	for n := 1; n <= 255; n++ {
		for dot := 0; dot < 10; dot++ {
			b := []byte(strings.Repeat("a", n))
			for i := dot; i < n; i += 7 + dot%3 {
				b[i] = '.'
			}
			names = append(names, string(b), string(b)+".com", "0"+string(b), strings.ToUpper(string(b)))
		}
	}
	for c := 1; c < 256; c++ { // every byte, at every offset of a word
		for at := 0; at < 9; at++ {
			names = append(names, strings.Repeat("a", at)+string([]byte{byte(c)})+"b.example.com")
		}
	}
	names = append(names, "1.2.3.4", "1.2.3.com", "::1", "a:b.com", "xn--bcher-kva.de", "a.xn--p1ai", "abcxn--d.com",
		"bücher.de", "a..b.com", ".a.com", "a.com..", "A.COM", "-.com", "_dmarc.example.com", "a\x00b.com", "a b.com")
	names = append(names, corpusNames(t)...)
	for _, n := range names {
		checkParsePaths(t, n)
	}
	t.Logf("%d names", len(names))
}

// BenchmarkFQDNParse parses names seen for the first time: random hosts
// under a shared domain and random registered domains, as NX floods send.
func BenchmarkFQDNParse(b *testing.B) {
	names := make([]string, 1024)
	for i := range names {
		label := fmt.Sprintf("%08x", uint32(i)*2654435761)
		names[i] = label + ".gone-example.net"
		if i%3 == 0 {
			names[i] = label + "q7x.com"
		}
	}
	var f FQDN
	for n := 0; b.Loop(); n++ {
		f.Parse(names[n&1023])
	}
}

// FuzzParseFastPath compares Parse and ParseHashed with the general path
// on any string.
func FuzzParseFastPath(f *testing.F) {
	for _, s := range []string{"www.example.co.uk", "a..b.com", "xn--bcher-kva.de", "1.2.3.4", "A.com.", "a-b.c--d.net"} {
		f.Add(s)
	}
	f.Fuzz(checkParsePaths)
}

// checkParsePaths fails unless Parse and ParseHashed fill every field of
// an FQDN from s as the general path does.
func checkParsePaths(t *testing.T, s string) {
	t.Helper()
	var fast, hashed, general FQDN
	fast.Parse(s)
	hashed.ParseHashed(s, HashString(s))
	general.parseAny(s)
	if fmt.Sprintf("%+v", fast) != fmt.Sprintf("%+v", general) || fmt.Sprintf("%+v", hashed) != fmt.Sprintf("%+v", general) {
		t.Fatalf("Parse(%q) = %+v, ParseHashed %+v, general path %+v", s, fast, hashed, general)
	}
	if fast.RegisteredHash() != HashString(fast.Registered) || hashed.RegisteredHash() != HashString(hashed.Registered) {
		t.Fatalf("RegisteredHash of %q is not HashString(%q)", s, fast.Registered)
	}
}
