package brand

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/build/benchcpu"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/brand/permute"
	"github.com/netflightrecorder/nfr/scoring/detectortest"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

func parse(name string) *scoring.FQDN {
	var f scoring.FQDN
	f.Parse(name)
	return &f
}

func TestExamples(t *testing.T) {
	d := New(DefaultConfig())
	cases := []struct{ name, brand, technique string }{
		{"paypa1.com", "PayPal", permute.ASCIILookalike},
		{"rnicrosoft.com", "Microsoft", permute.ASCIILookalike},
		{"vvellsfargo.com", "Wells Fargo", permute.ASCIILookalike},
		{"g00gle.com", "Google", permute.ASCIILookalike},
		{"pаypal.com", "PayPal", permute.Homoglyph},        // Cyrillic а
		{"xn--pypal-4ve.com", "PayPal", permute.Homoglyph}, // the same, as punycode
		{"аррӏе.com", "Apple", permute.Homoglyph},          // all Cyrillic
		{"cοinbase.com", "Coinbase", permute.Homoglyph},    // Greek omicron
		{"bínance.com", "Binance", permute.Homoglyph},      // accent
		{"www.paypla.com", "PayPal", permute.Transposition},
		{"amazn.com", "Amazon", permute.Omission},
		{"faceboook.com", "Facebook", permute.Repetition},
		{"coinbsse.com", "Coinbase", permute.Replacement},
		{"netfliux.com", "Netflix", permute.Insertion},
		{"lincedin.com", "LinkedIn", permute.Bitsquatting},
		{"pay-pal.com", "PayPal", permute.Hyphenation},
		{"instagrem.com", "Instagram", permute.VowelSwap},
		{"paypal.xyz", "PayPal", permute.TLDSwap},
		{"paypal.co", "PayPal", permute.TLDSwap},
		{"paypal.com.account-verify.tk", "PayPal", permute.Subdomain},
		{"login.apple.com.secure-id.top", "Apple", permute.Subdomain},
		{"metamask.wallet-sync.io", "MetaMask", permute.Subdomain},
		{"www.paypal-login.evil.tk", "PayPal", permute.Subdomain},
		{"apple.com-verify.info", "Apple", permute.Subdomain},
		{"paypal.github.io", "PayPal", permute.Subdomain},
		{"paypal-login.com", "PayPal", permute.Combosquatting},
		{"secure-appleid-verify.com", "Apple", permute.Combosquatting},
		{"securepaypal.net", "PayPal", permute.Combosquatting},
		{"ups-tracking.com", "UPS", permute.Combosquatting},
		{"binance2fa.com", "Binance", permute.Combosquatting},
	}
	for _, c := range cases {
		m, ok := d.Match(parse(c.name))
		if !ok || m.Brand != c.brand || m.Technique != c.technique {
			t.Errorf("%s: got %+v %v, want %s by %s", c.name, m, ok, c.brand, c.technique)
		}
	}
}

func TestBenignNotFlagged(t *testing.T) {
	d := New(DefaultConfig())
	for _, name := range []string{
		"paypal.com", "www.paypal.com", "m.facebook.com", "mail.google.com", "google.co.uk", "s3.amazonaws.com",
		"example.com", "apple-pie.com", "applebees.com", "pineapple.com", "city.com", "cloud.com", "mail.com",
		"box.com", "youtube-mp3.org", "google.de", "chaser.com", "stripes.com", "twitter.com", "x.com",
		"paypal.com.edgekey.net", "www.apple.com.akadns.net", "paypal.zendesk.com", "www.paypal-prod.example.com", "interest.com", "ebay.co.uk", "nike.com",
		"usa.gov", "a.b.c.d.e.f.example.org", "localhost", "com", "", "1.2.3.4.in-addr.arpa",
		"sharepoint.contoso", "outlook.corp", "paypal.mycompany", // internal zones, not on the public suffix list
	} {
		if m, ok := d.Match(parse(name)); ok {
			t.Errorf("%s flagged: %+v", name, m)
		}
	}
}

// TestOwnDomainsNotFlagged: no brand's own domain, or a host under it, is flagged.
func TestOwnDomainsNotFlagged(t *testing.T) {
	d := New(DefaultConfig())
	n := 0
	for _, br := range d.Brands() {
		for _, dom := range br.Domains {
			for _, name := range []string{dom, "www." + dom, "login.secure." + dom} {
				n++
				if m, ok := d.Match(parse(name)); ok {
					t.Errorf("%s (own domain of %s) flagged: %+v", name, br.Name, m)
				}
			}
		}
	}
	if len(d.Brands()) < 100 || n < 300 {
		t.Fatalf("only %d brands, %d names", len(d.Brands()), n)
	}
}

// editTechniques are the typos that drop or change a letter; they apply to
// keywords of at least Config.MinTypoLength letters.
var editTechniques = map[string]bool{
	permute.Transposition: true, permute.Omission: true, permute.Replacement: true,
	permute.Insertion: true, permute.Bitsquatting: true, permute.VowelSwap: true,
}

type recallRow struct {
	generated, excluded, popular, eligible, detected, sameTechnique, excludedDetected int
	misses                                                                            []string
}

// TestPermutationRecall generates permutations of every built-in brand's
// main keyword with every technique and checks that at least 95% of those
// each technique covers are flagged as that brand. Excluded by design (and
// counted): typos that drop or change a letter of keywords shorter than
// Config.MinTypoLength, dictionary words, edits of the first letter of a keyword
// whose rest is a word (icloud). Names a brand owns and public suffixes
// are not impersonations and are skipped.
//
// It runs at the default min_typo_length (4), where the only exclusions
// left are dictionary words, word tails and 3-letter keywords, so recall
// over every generated permutation must reach 95% too; and at 5.
func TestPermutationRecall(t *testing.T) {
	t.Run("min_typo_length=4 (default)", func(t *testing.T) { testRecall(t, DefaultConfig(), true) })
	cfg := DefaultConfig()
	cfg.MinTypoLength = 5
	t.Run("min_typo_length=5", func(t *testing.T) { testRecall(t, cfg, false) })
}

func testRecall(t *testing.T, cfg Config, strictAll bool) {
	d := New(cfg)
	ix := d.ix
	rows := map[string]*recallRow{}
	for _, tq := range permute.Techniques {
		rows[tq] = &recallRow{}
	}
	shortBrands := 0
	prior := intel.Builtin() // the engine ranks every name by the built-in popularity prior
	for bi := range ix.brands {
		kw := ix.mainKeyword(int32(bi))
		if kw == nil {
			t.Fatalf("brand %s has no keyword", ix.brands[bi].Name)
		}
		if len(kw.text) < ix.editLen {
			shortBrands++
		}
		suffix := kw.domain[strings.IndexByte(kw.domain, '.')+1:]
		for _, p := range permute.Generate(kw.text + "." + suffix) {
			row := rows[p.Technique]
			f := parse(p.Domain)
			if !f.Valid {
				t.Fatalf("%s (%s): generated name does not parse", p.Domain, p.Technique)
			}
			if _, own := ix.own[f.Registered]; own || f.Registered == "" {
				continue // another brand's domain, or a public suffix (github.io): not an impersonation
			}
			row.generated++
			if f.Rank = prior.Rank(f); f.Rank != 0 {
				row.popular++
			}
			m, ok := d.Match(f)
			if excluded(ix, kw, f, p.Technique) {
				row.excluded++
				if ok && m.Brand == ix.brands[bi].Name {
					row.excludedDetected++
				}
				continue
			}
			row.eligible++
			if ok && m.Brand == ix.brands[bi].Name {
				row.detected++
				if m.Technique == p.Technique {
					row.sameTechnique++
				}
			} else if len(row.misses) < 8 {
				row.misses = append(row.misses, p.Domain)
			}
		}
	}
	t.Logf("%d brands (%d with a main keyword under %d letters); recall of generated permutations", len(ix.brands), shortBrands, ix.editLen)
	t.Logf("(recall: of eligible ones; same-rule: detected under the generator's technique name; all-gen: of all generated, exclusions counted as misses)")
	t.Logf("(popular: generated names that are ranked registered domains, real sites; a miss unless the rank is out of popular_rank)")
	t.Logf("%-16s %9s %8s %8s %8s %8s %7s %9s %8s", "technique", "generated", "excluded", "popular", "eligible", "detected", "recall", "same-rule", "all-gen")
	for _, tq := range permute.Techniques {
		r := rows[tq]
		recall := float64(r.detected) / float64(max(r.eligible, 1))
		all := float64(r.detected+r.excludedDetected) / float64(max(r.generated, 1))
		t.Logf("%-16s %9d %8d %8d %8d %8d %6.1f%% %8.1f%% %7.1f%%", tq, r.generated, r.excluded, r.popular, r.eligible, r.detected,
			100*recall, 100*float64(r.sameTechnique)/float64(max(r.detected, 1)), 100*all)
		if r.eligible < 100 || recall < 0.95 {
			t.Errorf("%s: recall %.3f on %d eligible permutations; misses e.g. %v", tq, recall, r.eligible, r.misses)
		}
		if strictAll && all < 0.95 {
			t.Errorf("%s: recall %.3f over all %d generated permutations", tq, all, r.generated)
		}
	}
}

// excluded applies the documented exclusions.
func excluded(ix *index, kw *keyword, f *scoring.FQDN, technique string) bool {
	label := f.RegisteredLabel()
	if !editTechniques[technique] {
		return false
	}
	if len(kw.text) < ix.editLen {
		return true
	}
	if _, word := ix.guard[label]; word {
		return true
	}
	return kw.wordTail && strings.HasSuffix(label, kw.text[1:])
}

// mainKeyword returns brand bi's first keyword.
func (ix *index) mainKeyword(bi int32) *keyword {
	for i := range ix.keywords {
		if ix.keywords[i].brand == bi {
			return &ix.keywords[i]
		}
	}
	return nil
}

func TestInspectRaises(t *testing.T) {
	d := New(DefaultConfig())
	var r scoring.Report
	ev := &scoring.Event{}
	d.Inspect(ev, parse("www.paypal-secure.com"), &r)
	if len(r.Hits) != 1 {
		t.Fatalf("hits = %+v", r.Hits)
	}
	e := r.Hits[0].Evidence
	if r.Hits[0].Threat != scoring.BrandImpersonation || e.Detector != "brand" || e.Rule != permute.Combosquatting ||
		e.Entry != "paypal.com" || e.List != "PayPal" || e.Indicator != "paypal-secure.com" || len(e.Figures) != 2 {
		t.Fatalf("evidence = %+v", e)
	}
	r.Reset()
	d.Inspect(ev, parse("www.paypal.com"), &r)
	if len(r.Hits) != 0 {
		t.Fatalf("own domain raised %+v", r.Hits)
	}
	r.Reset()
	r.AddCategory("allowlist")
	d.Inspect(ev, parse("paypa1.com"), &r)
	if len(r.Hits) != 0 {
		t.Fatalf("allow-listed name raised %+v", r.Hits)
	}
	r.Reset()
	off := New(Config{Enabled: false})
	off.Inspect(ev, parse("paypa1.com"), &r)
	if len(r.Hits) != 0 {
		t.Fatalf("disabled detector raised %+v", r.Hits)
	}
}

// TestMissDoesNotAllocate: ASCII names that match nothing cost no allocation.
func TestMissDoesNotAllocate(t *testing.T) {
	d := New(DefaultConfig())
	var r scoring.Report
	ev := &scoring.Event{}
	names := []*scoring.FQDN{parse("www.example.com"), parse("cdn.jsdelivr.net"), parse("paypal.com"),
		parse("qwkfjhsdkjfhsdkjfhskdjfh.biz"), parse("applebees.com"), parse("mail.google.com"), parse("stripes.com")}
	allocs := testing.AllocsPerRun(200, func() {
		for _, f := range names {
			d.Inspect(ev, f, &r)
		}
	})
	if allocs != 0 || len(r.Hits) != 0 {
		t.Fatalf("allocs per run = %v, hits = %d", allocs, len(r.Hits))
	}
}

func TestMinTypoLength(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MinTypoLength = 5
	if _, ok := New(cfg).Match(parse("usaq.com")); ok {
		t.Error("min_typo_length 5: typo of a 4-letter keyword flagged")
	}
	cfg.MinTypoLength = 4
	if m, ok := New(cfg).Match(parse("usaq.com")); !ok || m.Brand != "USAA" || m.Technique != permute.Replacement {
		t.Errorf("min_typo_length 4: %+v %v", m, ok)
	}
	// Zones the public cannot register in are never impersonations, even
	// where a typo rule would match (usa.gov is one letter from usaa).
	for _, n := range []string{"usa.gov", "eba.gov.tr", "usp.edu", "paypal.gov.uk", "hsbc.ac.uk", "cibc.go.jp"} {
		if m, ok := New(cfg).Match(parse(n)); ok {
			t.Errorf("min_typo_length 4: %s flagged as %+v", n, m)
		}
	}
	if _, ok := New(cfg).Match(parse("paypa1.ac")); !ok {
		t.Error("paypa1.ac not flagged: .ac is an open ccTLD")
	}
	cfg.MinTypoLength = 3
	if err := cfg.Validate(); err == nil || err.(*scoring.ConfigError).Key != "min_typo_length" {
		t.Errorf("Validate(min_typo_length 3) = %v", err)
	}
}

func TestConfigBrandsAndAllow(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Brands = []BrandConfig{
		{Name: "Acme Bank", Domains: []string{"acmebank.example", "www.acme-online.com"}},
		{Name: "paypal", Domains: []string{"paypal-partner.com"}},
	}
	cfg.Allow = []string{"paypa1.com"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	d := New(cfg)
	for name, want := range map[string]string{"acmebenk.com": "Acme Bank", "acme-onlime.com": "Acme Bank",
		"acmebank-login.com": "Acme Bank", "paypla.com": "PayPal"} {
		if m, ok := d.Match(parse(name)); !ok || m.Brand != want {
			t.Errorf("%s: %+v %v, want %s", name, m, ok, want)
		}
	}
	for _, name := range []string{"paypa1.com", "paypal-partner.com", "acme-online.com", "login.acmebank.example"} {
		if m, ok := d.Match(parse(name)); ok {
			t.Errorf("%s flagged: %+v", name, m)
		}
	}
	if _, ok := New(DefaultConfig()).Match(parse("paypal-partner.com")); ok {
		t.Error("configuration leaked into the built-in index")
	}
	bad := []struct {
		cfg  Config
		want string
	}{
		{Config{MinTypoLength: 5, Brands: []BrandConfig{{Name: " ", Domains: []string{"a.com"}}}}, "brands[0].name"},
		{Config{MinTypoLength: 5, Brands: []BrandConfig{{Name: "x"}}}, "brands[0].domains"},
		{Config{MinTypoLength: 5, Brands: []BrandConfig{{Name: "x", Domains: []string{"a.com", "co.uk"}}}}, "brands[0].domains[1]"},
		{Config{MinTypoLength: 5, Brands: []BrandConfig{{Name: "x", Domains: []string{"a.com"}, Keywords: []string{"A_b"}}}}, "brands[0].keywords[0]"},
		{Config{MinTypoLength: 5, Allow: []string{"not a domain"}}, "allow[0]"},
	}
	for _, c := range bad {
		err := c.cfg.Validate()
		ce, ok := err.(*scoring.ConfigError)
		if !ok || ce.Key != c.want {
			t.Errorf("Validate(%+v) = %v, want key %s", c.cfg, err, c.want)
		}
	}
}

// TestAutomatonFindsEverySubstring checks the Aho-Corasick scan against a
// plain substring search.
func TestAutomatonFindsEverySubstring(t *testing.T) {
	ix := builtin()
	labels := []string{"xxpaypalyy", "mypaypal-appleid", "microsoftonline", "gmailx", "aaaaa", "ups", "hsbcups", "-"}
	for _, label := range labels {
		var got, want []string
		state := int32(0)
		for i := 0; i < len(label); i++ {
			state = ix.ac.next[state*alphabet+int32(symbols[label[i]])]
			for _, k := range ix.ac.out[state] {
				got = append(got, fmt.Sprintf("%s@%d", ix.keywords[k].text, i))
			}
		}
		for _, k := range ix.keywords {
			for i := 0; i+len(k.text) <= len(label); i++ {
				if label[i:i+len(k.text)] == k.text {
					want = append(want, fmt.Sprintf("%s@%d", k.text, i+len(k.text)-1))
				}
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: automaton %v, substrings %v", label, got, want)
		}
	}
}

func TestBuiltinBrandCount(t *testing.T) {
	seen := map[string]bool{}
	for _, br := range builtinBrands {
		if seen[br.Name] || len(br.Domains) == 0 || len(br.Keywords) == 0 {
			t.Errorf("brand %q: duplicate or empty", br.Name)
		}
		seen[br.Name] = true
	}
	if len(seen) < 100 {
		t.Fatalf("%d built-in brands, want 100+", len(seen))
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"paypal.com", "xn--pypal-4ve.com", "paypal.com.evil.tk", "a-b-c.co.uk", "-.-", "ü.de"} {
		f.Add(s)
	}
	d := New(DefaultConfig())
	f.Fuzz(func(t *testing.T, name string) {
		fq := parse(name)
		if m, ok := d.Match(fq); ok && (m.Brand == "" || m.Technique == "" || m.Domain == "") {
			t.Fatalf("%q: incomplete match %+v", name, m)
		}
	})
}

var benchNames = []string{
	"www.google.com", "cdn.jsdelivr.net", "api.github.com", "qwkfjhsdkjfhsdk.biz", "news.bbc.co.uk",
	"applebees.com", "s3.eu-west-1.amazonaws.com", "my-small-business-website.org",
}

func BenchmarkMatchMiss(b *testing.B) {
	d := New(DefaultConfig())
	fs := make([]*scoring.FQDN, len(benchNames))
	for i, n := range benchNames {
		fs[i] = parse(n)
	}
	b.ReportAllocs()
	start := benchcpu.Now()
	for i := 0; b.Loop(); i++ {
		d.Match(fs[i%len(fs)])
	}
	benchcpu.ReportPerOp(b, start)
}

func BenchmarkMatchHit(b *testing.B) {
	d := New(DefaultConfig())
	hits := []*scoring.FQDN{parse("paypa1.com"), parse("amazn.com"), parse("paypal-login.com"), parse("paypal.com.evil.tk")}
	b.ReportAllocs()
	start := benchcpu.Now()
	for i := 0; b.Loop(); i++ {
		d.Match(hits[i%len(hits)])
	}
	benchcpu.ReportPerOp(b, start)
}

// TestVerdictCacheAgreesWithMatch: Inspect (which caches verdicts per
// registered domain) raises exactly when the uncached Match does, for names
// sharing registered domains (the cache must not carry one name's subdomain
// verdict to another) and past the cache's capacity.
func TestVerdictCacheAgreesWithMatch(t *testing.T) {
	d := New(DefaultConfig())
	names := []string{"paypa1.com", "www.paypa1.com", "paypal.evil.tk", "www.evil.tk", "paypal.com.evil.tk",
		"login.evil.tk", "paypal.github.io", "x.paypal.github.io", "paypal.com", "login.paypal.com",
		"paypal.com.edgekey.net", "www.example.com", "paypal-login.example.com", "example.com", "paypal.de", "paypal.xyz"}
	for i := 0; i < 2*verdictCacheSlots; i++ {
		names = append(names, fmt.Sprintf("host%d.site%d.example", i%3, i))
	}
	for round := 0; round < 2; round++ {
		for _, n := range names {
			f := parse(n)
			want, wantOK := d.Match(f)
			var r scoring.Report
			d.Inspect(&scoring.Event{}, f, &r)
			if (len(r.Hits) == 1) != wantOK || wantOK && (r.Hits[0].Evidence.Rule != want.Technique || r.Hits[0].Evidence.List != want.Brand) {
				t.Fatalf("round %d %s: Inspect hits %+v, Match %+v %v", round, n, r.Hits, want, wantOK)
			}
		}
	}
	if n, c, ev := d.CacheStats(); n > c || c != verdictCacheSlots || ev == 0 {
		t.Fatalf("cache entries %d capacity %d evictions %d", n, c, ev)
	}
}

// TestPopularDomainsAreNotImpersonations: a ranked registered domain
// (visma.com is a real company one letter from visa.com) is silent, the
// same name unranked is a hit, and popular_rank 0 ignores the rank.
func TestPopularDomainsAreNotImpersonations(t *testing.T) {
	d := New(DefaultConfig())
	var r scoring.Report
	f := parse("www.visma.com")
	if _, ok := d.Match(f); !ok {
		t.Fatal("unranked visma.com is not a typo of visa.com: the test lost its premise")
	}
	f.Rank = 22439
	if m, ok := d.Match(f); ok {
		t.Errorf("ranked visma.com matched %+v", m)
	}
	if d.Inspect(&scoring.Event{}, f, &r); len(r.Hits) != 0 {
		t.Errorf("ranked visma.com raised %+v", r.Hits)
	}
	cfg := DefaultConfig()
	cfg.PopularRank = 10000
	if _, ok := New(cfg).Match(f); !ok {
		t.Error("rank 22439 is outside popular_rank 10000 but was treated as popular")
	}
	cfg.PopularRank = 0
	if _, ok := New(cfg).Match(f); !ok {
		t.Error("popular_rank 0 must ignore the prior")
	}
}

// TestServiceZonesAndBrandTLDs: a CDN, edge or time service carrying a
// brand label names the brand's own content; a closed brand TLD is its
// owner's; user zones of hosting platforms are still judged.
func TestServiceZonesAndBrandTLDs(t *testing.T) {
	d := New(DefaultConfig())
	for _, name := range []string{"apple.map.fastly.net", "paypal.com.cdn.cloudflare.net", "google.fastly-edge.com",
		"amazon.pool.ntp.org", "adobe.com.ssl.d1.sc.omtrdc.net", "sharepoint.com.dual-spo-0005.spo-msedge.net",
		"chime.aws", "outlook.cloud.microsoft", "paypal.google"} {
		if m, ok := d.Match(parse(name)); ok {
			t.Errorf("%s matched %+v", name, m)
		}
	}
	for _, name := range []string{"paypal.github.io", "paypal-login.azurewebsites.net", "apple.com.verify-id.fastly-lookalike.com", "chime.xyz"} {
		if _, ok := d.Match(parse(name)); !ok {
			t.Errorf("%s: not matched", name)
		}
	}
	var r scoring.Report
	r.AddCategory("cdn")
	if d.Inspect(&scoring.Event{}, parse("paypa1.com"), &r); len(r.Hits) != 0 {
		t.Errorf("a name the intel stage tags cdn raised %+v", r.Hits)
	}
}

func TestConfigKeys(t *testing.T) {
	detectortest.CheckConfigKeys(t, DefaultConfig, Config.Validate, map[string]func(*Config){
		"min_typo_length":   func(c *Config) { c.MinTypoLength = 3 },
		"popular_rank":      func(c *Config) { c.PopularRank = -1 },
		"exempt_categories": func(c *Config) { c.ExemptCategories = []string{""} },
		"allow[0]":          func(c *Config) { c.Allow = []string{"com"} },
	})
}

// TestTypoSuffixAndNXDomain: an edit typo counts under the brand's own
// suffixes and com, net, org (where typosquatters register), not under a
// suffix the brand does not use (local namesakes); a look-alike counts
// everywhere; a lookup answered NXDOMAIN raises nothing.
func TestTypoSuffixAndNXDomain(t *testing.T) {
	d := New(DefaultConfig())
	for name, want := range map[string]bool{
		"paypak.com": true, "paypak.net": true, "yandexx.ru": true, "paypak.de": true, // PayPal registers under .de
		"paypak.re.kr": false, "yandexx.pl": false, "paypa1.re.kr": true,
	} {
		if _, ok := d.Match(parse(name)); ok != want {
			t.Errorf("%s: matched %v, want %v", name, ok, want)
		}
	}
	var r scoring.Report
	ev := &scoring.Event{Type: scoring.TypeDNS, DNS: scoring.DNS{Query: "paypak.com", Rcode: scoring.RcodeNXDomain}}
	if d.Inspect(ev, parse("paypak.com"), &r); len(r.Hits) != 0 {
		t.Errorf("an NXDOMAIN lookup raised %+v", r.Hits)
	}
	ev.DNS.Rcode = scoring.RcodeNoError
	if d.Inspect(ev, parse("paypak.com"), &r); len(r.Hits) != 1 {
		t.Errorf("the same name resolved: %d hits, want 1", len(r.Hits))
	}
}

// TestDefensiveRegistrationAnsweredByBrand: a look-alike whose DNS answer
// points into the imitated brand's own domains is the brand's; one whose
// answer points elsewhere (or into another brand) still raises.
func TestDefensiveRegistrationAnsweredByBrand(t *testing.T) {
	d := New(DefaultConfig())
	for _, tc := range []struct {
		answers []string
		hits    int
	}{
		{[]string{"www.paypal.com", "151.101.1.21"}, 0},
		{[]string{"paypal.com.edgekey.net", "e1.a.akamaiedge.net", "23.1.2.3"}, 1}, // a CDN name is not the brand's own domain
		{[]string{"login.microsoftonline.com"}, 1},
		{[]string{"198.51.100.7"}, 1},
	} {
		var r scoring.Report
		ev := &scoring.Event{Type: scoring.TypeDNS, DNS: scoring.DNS{Query: "paypak.com", Rcode: scoring.RcodeNoError, Answers: tc.answers}}
		if d.Inspect(ev, parse("paypak.com"), &r); len(r.Hits) != tc.hits {
			t.Errorf("answers %v: %d hits, want %d", tc.answers, len(r.Hits), tc.hits)
		}
	}
}

// TestAddressAnswersHaveNoRegisteredDomain: the answers answeredByBrand
// skips as addresses are ones registered refuses, and text that is no
// address still reaches it.
func TestAddressAnswersHaveNoRegisteredDomain(t *testing.T) {
	for _, a := range []string{"151.101.1.21", "0.0.0.0", "2001:db8::1", "::ffff:192.0.2.1", "fe80::1%eth0"} {
		if _, err := netip.ParseAddr(a); !maybeAddr(a) || err != nil {
			t.Errorf("%s not taken for an address", a)
		}
		if r, err := registered(a); err == nil {
			t.Errorf("registered(%s) = %q, want an error", a, r)
		}
	}
	for _, a := range []string{"www.paypal.com", "paypal.com.", "e1.a.akamaiedge.net", "foo.123", "01.2.3.4", "1.2.3.4."} {
		if _, err := netip.ParseAddr(a); maybeAddr(a) && err == nil {
			t.Errorf("%s taken for an address", a)
		}
	}
}
