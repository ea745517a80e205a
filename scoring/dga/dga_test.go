package dga

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/dga/gen"
)

// testSeed differs from the trainer's seeds, so these names were never trained on.
const testSeed = 424242

func dictionary(t testing.TB) []string {
	b, err := os.ReadFile("/usr/share/dict/american-english")
	if err != nil {
		t.Skip("no /usr/share/dict/american-english (build/deps.sh installs wamerican):", err)
	}
	return gen.CleanWords(strings.Split(string(b), "\n"), 3)
}

func model(t testing.TB) *Model {
	m, err := EmbeddedModel()
	if err != nil {
		t.Fatal("embedded model:", err)
	}
	return m
}

func parse(name string) *scoring.FQDN {
	f := new(scoring.FQDN)
	f.Parse(name)
	return f
}

func TestModelRoundTrip(t *testing.T) {
	m := model(t)
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, modelBin) {
		t.Fatal("re-encoding the embedded model changed it")
	}
	var bad Model
	if err := bad.UnmarshalBinary(b[:len(b)-3]); err == nil {
		t.Fatal("truncated model decoded without error")
	}
	if err := bad.UnmarshalBinary(append([]byte("XXXX"), b[4:]...)); err == nil {
		t.Fatal("model with bad magic decoded without error")
	}
}

// TestGeneratorsFlagged: fresh output of every random-character and hash
// generator is flagged; schemes whose names overlap real names (syllables
// and letters drawn by English frequency look like words of some language,
// seed-word names are mostly dictionary words) have lower bars, set about
// 15 points under what the committed model measures; the wordlist
// generator is reported, not required.
func TestGeneratorsFlagged(t *testing.T) {
	words := dictionary(t)
	thr := DefaultConfig().Threshold
	for _, fam := range gen.Families() {
		flagged := 0
		const n = 400
		for i := 0; i < n; i++ {
			if Score(parse(gen.Domain(fam, testSeed, i/50, i, words))) >= thr {
				flagged++
			}
		}
		rate := float64(flagged) / n
		t.Logf("%-16s %-17s flagged %.1f%%", fam.Name, fam.Kind, 100*rate)
		want := 0.9
		switch {
		case fam.Kind == gen.Wordlist:
			want = 0
		case fam.Kind == gen.SeedWord:
			want = 0.1
		case fam.Kind == gen.Pronounceable, fam.Name == "weighted-letters":
			want = 0.35
		}
		if rate < want {
			t.Errorf("%s: only %.1f%% of generated names flagged, want >= %.0f%%", fam.Name, 100*rate, 100*want)
		}
	}
}

// TestDictionaryNamesNotFlagged: plain words and word-built names are not DGA.
func TestDictionaryNamesNotFlagged(t *testing.T) {
	words := dictionary(t)
	thr := DefaultConfig().Threshold
	flaggedWords, flaggedNames := 0, 0
	const n = 2000
	for i := 0; i < n; i++ {
		w := words[(i*7919)%len(words)]
		if Score(parse(w+".com")) >= thr {
			flaggedWords++
		}
		if Score(parse(gen.BenignLabel(testSeed, i, words)+".net")) >= thr {
			flaggedNames++
		}
	}
	t.Logf("flagged: %d/%d dictionary words, %d/%d word-built names", flaggedWords, n, flaggedNames, n)
	if flaggedWords > n/100 {
		t.Errorf("%d of %d dictionary words flagged, want <= 1%%", flaggedWords, n)
	}
	if flaggedNames > n*3/100 {
		t.Errorf("%d of %d word-built names flagged, want <= 3%%", flaggedNames, n)
	}
}

func TestScoreRange(t *testing.T) {
	for _, name := range []string{"google.com", "xkqzjwvbnmtrplkh.com", "a.b", "com", "", "1.2.3.4.in-addr.arpa",
		strings.Repeat("x", 63) + ".com", "bücher.de", "xn--80ak6aa92e.com"} {
		s := Score(parse(name))
		if !(s >= 0 && s <= 1) {
			t.Errorf("Score(%q) = %v, want 0..1", name, s)
		}
	}
	if s := Score(parse("xkqzjwvbnmtrplkh.com")); s < 0.9 {
		t.Errorf("random letters scored %.3f, want >= 0.9", s)
	}
	if s := Score(parse("google.com")); s > 0.1 {
		t.Errorf("google.com scored %.3f, want <= 0.1", s)
	}
}

func TestNameLabel(t *testing.T) {
	cases := map[string]string{
		"www.example.co.uk":                   "example",
		"qwxzkvjh.ddns.net":                   "qwxzkvjh",
		"a.qwxzkvjh.ddns.net":                 "qwxzkvjh",
		"qwxzkvjh.mooo.com":                   "qwxzkvjh",
		"www.qwxzkvjh.dyndns.org":             "qwxzkvjh",
		"mooo.com":                            "mooo",
		"d1x2kq9z8w7v.cloudfront.net":         "", // CDN hostnames are random by design
		"ec2-1-2-3-4.compute-1.amazonaws.com": "",
		"co.uk":                               "",
		"extionom.bazar":                      "extionom",
		"xn--80ak6aa92e.com":                  "", // punycode
		"www.xn--bcher-kva.de":                "",
	}
	for name, want := range cases {
		if got := NameLabel(parse(name)); got != want {
			t.Errorf("NameLabel(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestNameOf: the key a score is cached under starts at the scored label
// and runs to the end of the name, and the TLD and alternative-root flag
// come from the name.
func TestNameOf(t *testing.T) {
	cases := []struct {
		name, label, tld, key string
		alt                   bool
	}{
		{"www.example.co.uk", "example", "uk", "example.co.uk", false},
		{"a.qwxzkvjh.ddns.net", "qwxzkvjh", "net", "qwxzkvjh.ddns.net", false},
		{"www.qwxzkvjh.dyndns.org", "qwxzkvjh", "org", "qwxzkvjh.dyndns.org", false},
		{"mooo.mooo.com", "mooo", "com", "mooo.com", false},
		{"x.extionom.bazar", "extionom", "bazar", "extionom.bazar", true},
		{"printer.xkqzvb.lan", "xkqzvb", "lan", "xkqzvb.lan", false},
		{"qwxzkvjh.bit", "qwxzkvjh", "bit", "qwxzkvjh.bit", true},
		// An organisation's own internal TLD is not an alternative root.
		{"dc01.contoso", "dc01", "contoso", "dc01.contoso", false},
		{"d1x2kq9z8w7v.cloudfront.net", "", "", "", false},
	}
	for _, c := range cases {
		n := NameOf(parse(c.name))
		if n.Label != c.label || n.TLD != c.tld || n.Key != c.key || n.AltRoot != c.alt {
			t.Errorf("NameOf(%q) = %+v, want label %q tld %q key %q alt %v", c.name, n, c.label, c.tld, c.key, c.alt)
		}
	}
}

// TestInternalZonesNotFlagged: ordinary host names under TLDs outside
// the ICANN root that organisations use internally are not DGA names.
func TestInternalZonesNotFlagged(t *testing.T) {
	for _, name := range []string{"fileserver.acme", "dc01.contoso", "sharepoint.contoso", "wiki.mycorp", "printer.intranet"} {
		if s := Score(parse(name)); s >= DefaultConfig().Threshold {
			t.Errorf("%s scored %.4f", name, s)
		}
	}
}

// TestRestrictedZonesNotScored: no DGA can register under gov, edu, ac.uk
// and the like, so random-looking labels there score 0, while the same
// label under an open TLD (.ac itself is one) still scores high.
func TestRestrictedZonesNotScored(t *testing.T) {
	for _, name := range []string{"bldrdoc.gov", "qxzkvwjtpfhb.gov", "www.qxzkvwjtpfhb.ac.uk", "qxzkvwjtpfhb.edu"} {
		if s := Score(parse(name)); s != 0 {
			t.Errorf("%s scored %.4f, want 0", name, s)
		}
	}
	d := New(DefaultConfig())
	if s := d.score(parse("qxzkvwjtpfhb.gov")); s != 0 {
		t.Errorf("detector scored qxzkvwjtpfhb.gov %.4f, want 0", s)
	}
	if s := Score(parse("qxzkvwjtpfhb.ac")); s < DefaultConfig().Threshold {
		t.Errorf("qxzkvwjtpfhb.ac scored %.4f, want a DGA score", s)
	}
}

func TestScoreDoesNotAllocate(t *testing.T) {
	f := parse("xkqzjwvbnmtrplkh.ddns.net")
	if n := testing.AllocsPerRun(100, func() { Score(f) }); n != 0 {
		t.Fatalf("Score allocates %v times per call", n)
	}
}

func TestInspectBenignDoesNotAllocate(t *testing.T) {
	d := New(DefaultConfig())
	ev := dnsEvent(netip.MustParseAddr("10.0.0.9"), time.Unix(0, 0), "www.example.com", scoring.RcodeNoError)
	f := parse(ev.DNS.Query)
	var r scoring.Report
	if n := testing.AllocsPerRun(100, func() { r.Reset(); d.Inspect(ev, f, &r) }); n != 0 {
		t.Fatalf("Inspect of a benign name allocates %v times", n)
	}
	if r.HasFlag("dga") {
		t.Fatal("www.example.com flagged")
	}
}

func dnsEvent(src netip.Addr, at time.Time, name string, rcode int16) *scoring.Event {
	return &scoring.Event{Time: at, Type: scoring.TypeDNS, SrcIP: src,
		DNS: scoring.DNS{Query: name, Rcode: rcode, Response: true}}
}

// run feeds events to d and returns the dga_volume hits and dga flags.
func run(d *Detector, events []*scoring.Event) (volume, flags int) {
	var r scoring.Report
	var f scoring.FQDN
	for _, ev := range events {
		r.Reset()
		f.Parse(ev.DNS.Query)
		d.Inspect(ev, &f, &r)
		if r.HasFlag("dga") {
			flags++
		}
		for _, h := range r.Hits {
			if h.Threat == scoring.DGAVolume {
				volume++
			}
		}
	}
	return volume, flags
}

func TestVolumeFiresOnDGAHost(t *testing.T) {
	fam := gen.Families()[0] // lcg-letters
	src := netip.MustParseAddr("10.0.0.5")
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var events []*scoring.Event
	for i := 0; i < 20; i++ { // 20 names in 5 minutes, all NXDOMAIN
		name := gen.Domain(fam, testSeed, 1, i, nil)
		events = append(events, dnsEvent(src, t0.Add(time.Duration(i)*15*time.Second), name, scoring.RcodeNXDomain))
	}
	d := New(DefaultConfig())
	volume, flags := run(d, events)
	if flags < 18 {
		t.Errorf("only %d of 20 DGA names flagged", flags)
	}
	if volume != 1 {
		t.Errorf("dga_volume raised %d times, want once", volume)
	}
}

func TestVolumeQuietOnBenignHost(t *testing.T) {
	words := dictionary(t)
	src := netip.MustParseAddr("10.0.0.6")
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var events []*scoring.Event
	for i := 0; i < 1000; i++ { // 1,000 names in 5 minutes, a few NXDOMAIN
		rcode := scoring.RcodeNoError
		if i%50 == 0 {
			rcode = scoring.RcodeNXDomain
		}
		name := gen.BenignLabel(testSeed+1, i, words) + "." + gen.TLDs[i%4]
		events = append(events, dnsEvent(src, t0.Add(time.Duration(i)*300*time.Millisecond), name, rcode))
	}
	d := New(DefaultConfig())
	volume, flags := run(d, events)
	t.Logf("benign host: %d of 1000 names flagged dga", flags)
	if volume != 0 {
		t.Errorf("dga_volume raised %d times for a benign host", volume)
	}
}

func TestVolumeWindow(t *testing.T) {
	fam := gen.Families()[2] // alnum
	src := netip.MustParseAddr("10.0.0.7")
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var slow, repeated []*scoring.Event
	for i := 0; i < 20; i++ {
		// One NXDOMAIN every 2 minutes: never 12 weighted lookups in 5 minutes.
		slow = append(slow, dnsEvent(src, t0.Add(time.Duration(i)*2*time.Minute),
			gen.Domain(fam, testSeed, 2, i, nil), scoring.RcodeNXDomain))
		// The same name 20 times: one distinct name.
		repeated = append(repeated, dnsEvent(src, t0.Add(time.Duration(i)*time.Second),
			gen.Domain(fam, testSeed, 2, 0, nil), scoring.RcodeNXDomain))
	}
	if v, _ := run(New(DefaultConfig()), slow); v != 0 {
		t.Errorf("slow lookups raised dga_volume %d times", v)
	}
	if v, _ := run(New(DefaultConfig()), repeated); v != 0 {
		t.Errorf("one repeated name raised dga_volume %d times", v)
	}
}

func TestStateBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxHosts = 10
	d := New(cfg)
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var events []*scoring.Event
	for i := 0; i < 100; i++ {
		src := netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)})
		events = append(events, dnsEvent(src, t0, "xkqzjwvbnmtrplkh.com", scoring.RcodeNXDomain))
	}
	run(d, events)
	st := d.State()
	if st.Entries != 10 || st.Capacity != 10 || st.Evictions != 90 {
		t.Errorf("state = %+v, want 10 entries, capacity 10, 90 evictions", st)
	}
}

func TestExemptAndLocalNames(t *testing.T) {
	d := New(DefaultConfig())
	var r scoring.Report
	src := netip.MustParseAddr("10.0.0.8")
	ev := dnsEvent(src, time.Unix(0, 0), "desktop-xkqzjwvbnm.local", scoring.RcodeNXDomain)
	d.Inspect(ev, parse(ev.DNS.Query), &r)
	if r.HasFlag("dga") {
		t.Error("a .local name was flagged")
	}
	r.Reset()
	r.AddCategory("cdn")
	ev = dnsEvent(src, time.Unix(0, 0), "xkqzjwvbnmtrplkh.com", scoring.RcodeNXDomain)
	d.Inspect(ev, parse(ev.DNS.Query), &r)
	if r.HasFlag("dga") {
		t.Error("a name in an exempt category was flagged")
	}
	r.Reset()
	d.Inspect(ev, parse(ev.DNS.Query), &r)
	if !r.HasFlag("dga") || len(r.FlagEvidence) != 1 || r.FlagEvidence[0].Detector != "dga" ||
		len(r.FlagEvidence[0].Figures) == 0 || r.FlagEvidence[0].Figures[0].Name != "score" {
		t.Errorf("random name: flags %v, evidence %+v", r.Flags, r.FlagEvidence)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal("defaults invalid:", err)
	}
	bad := map[string]func(*Config){
		"threshold":          func(c *Config) { c.Threshold = 0 },
		"volume_window":      func(c *Config) { c.VolumeWindow = 0 },
		"volume_min_lookups": func(c *Config) { c.VolumeMinLookups = 65 },
		"nxdomain_weight":    func(c *Config) { c.NXDomainWeight = 0.5 },
		"max_hosts":          func(c *Config) { c.MaxHosts = 0 },
		"exempt_categories":  func(c *Config) { c.ExemptCategories = []string{""} },
		"popular_rank":       func(c *Config) { c.PopularRank = -1 },
	}
	for key, mutate := range bad {
		c := DefaultConfig()
		mutate(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: got %v, want an error naming the key", key, err)
		}
	}
}

func BenchmarkScore(b *testing.B) {
	names := []string{"google.com", "xkqzjwvbnmtrplkh.com", "www.stedelijkgymnasiumhaarlem.nl",
		"1hyzmw3l2phycet88hzr2do34.net", "qwxzkvjh.ddns.net", "mail.example.co.uk"}
	fs := make([]*scoring.FQDN, len(names))
	for i, n := range names {
		fs[i] = parse(n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Score(fs[i%len(fs)])
	}
}

func BenchmarkInspect(b *testing.B) {
	d := New(DefaultConfig())
	var r scoring.Report
	var f scoring.FQDN
	evs := make([]*scoring.Event, 64)
	for i := range evs {
		evs[i] = dnsEvent(netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}), time.Unix(int64(i), 0),
			fmt.Sprintf("host%d.example.com", i), scoring.RcodeNoError)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev := evs[i%len(evs)]
		r.Reset()
		f.Parse(ev.DNS.Query)
		d.Inspect(ev, &f, &r)
	}
}

func FuzzScore(f *testing.F) {
	for _, s := range []string{"google.com", "xkqz.ddns.net", "a..b", "-.-", "xn--zz.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		s := Score(parse(name))
		if !(s >= 0 && s <= 1) {
			t.Fatalf("Score(%q) = %v", name, s)
		}
	})
}

// TestPopularDomainsNotFlagged: a load balancer's machine-made label under
// a ranked registered domain is neither flagged nor counted; the same name
// unranked is.
func TestPopularDomainsNotFlagged(t *testing.T) {
	const name = "alb-3kq9x7f2mz8w1c.cn-hangzhou.alb.aliyuncsslbintl.com"
	for _, tc := range []struct {
		rank, popularRank int
		flagged           bool
	}{{0, 100_000, true}, {401, 100_000, false}, {401, 100, true}, {401, 0, true}} {
		cfg := DefaultConfig()
		cfg.PopularRank = tc.popularRank
		d := New(cfg)
		f := parse(name)
		f.Rank = uint32(tc.rank)
		var r scoring.Report
		d.Inspect(dnsEvent(netip.MustParseAddr("10.0.0.9"), time.Unix(0, 0), name, scoring.RcodeNoError), f, &r)
		if r.HasFlag("dga") != tc.flagged {
			t.Errorf("rank %d, popular_rank %d: flagged %v, want %v", tc.rank, tc.popularRank, r.HasFlag("dga"), tc.flagged)
		}
	}
}
