package dga

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/detectortest"
	"github.com/netflightrecorder/nfr/scoring/dga/gen"
)

var hostT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// wordNames returns the i-th name of the verb-noun family, names the
// per-name model does not flag (so only the host rule can raise).
func wordNames(day int) func(i int) string {
	fams := gen.HostFamilies(gen.OwnWords)
	fam := fams[len(fams)-1]
	return func(i int) string { return fam.Domain(testSeed, day, i) }
}

// hostFeed runs lookups through a detector and counts dga_volume raises
// by the host rule (evidence rule host_evidence>=...).
type hostFeed struct {
	d      *Detector
	f      scoring.FQDN
	r      scoring.Report
	raised []scoring.Evidence
}

func newHostFeed(cfg Config) *hostFeed { return &hostFeed{d: New(cfg)} }

// look feeds one lookup of name by src at t with rcode; rank is the
// popularity prior's rank of its registered domain.
func (h *hostFeed) look(src netip.Addr, t time.Time, name string, rcode int16, rank uint32) {
	ev := dnsEvent(src, t, name, rcode)
	if rcode == scoring.RcodeNoError {
		ev.DNS.Answers = []string{"198.51.100.7"}
	}
	h.f.Parse(name)
	h.f.Rank = rank
	h.r.Reset()
	h.d.Inspect(ev, &h.f, &h.r)
	for _, hit := range h.r.Hits {
		if hit.Threat == scoring.DGAVolume && strings.HasPrefix(hit.Evidence.Rule, "host_evidence") {
			h.raised = append(h.raised, hit.Evidence)
		}
	}
}

// infectedLookups feeds n lookups of family names, one every 30 s (20
// per 10 minutes), every tenth resolving, and returns when the first
// raise came (-1: none).
func (h *hostFeed) infectedLookups(src netip.Addr, n int, name func(i int) string) int {
	for i := 0; i < n; i++ {
		rcode := scoring.RcodeNXDomain
		if i%10 == 9 {
			rcode = scoring.RcodeNoError
		}
		before := len(h.raised)
		h.look(src, hostT0.Add(time.Duration(i)*30*time.Second), name(i), rcode, 0)
		if before == 0 && len(h.raised) > 0 {
			return i
		}
	}
	return -1
}

// TestHostRuleCatchesNamesTheModelPasses: word pairs and short names the
// per-name model does not flag still raise dga_volume by behaviour, with
// the figures and a sample of names.
func TestHostRuleCatchesNamesTheModelPasses(t *testing.T) {
	for _, fam := range gen.HostFamilies(gen.OwnWords) {
		if fam.Kind != gen.Wordlist && fam.Kind != gen.Short {
			continue
		}
		t.Run(fam.Name, func(t *testing.T) {
			h := newHostFeed(DefaultConfig())
			flagged := 0
			at := h.infectedLookups(netip.MustParseAddr("10.9.0.1"), 40, func(i int) string {
				name := fam.Domain(testSeed, 3, i)
				if Score(parse(name)) >= DefaultConfig().Threshold {
					flagged++
				}
				return name
			})
			if at < 0 || at >= 20 {
				t.Fatalf("first raise at lookup %d (of 40, one every 30 s), want within 20; %d names flagged by the model", at, flagged)
			}
			if len(h.raised) != 1 {
				t.Errorf("raised %d times in 20 minutes, want once (one window)", len(h.raised)+0)
			}
			e := h.raised[0]
			figures := map[string]float64{}
			for _, f := range e.Figures {
				figures[f.Name] = f.Value
			}
			if figures["failed_domains"] < float64(DefaultConfig().HostMinDomains) || figures["evidence"] < DefaultConfig().HostMinEvidence {
				t.Errorf("figures %v below the thresholds", figures)
			}
			if sample := strings.Fields(e.Entry); len(sample) != sampleNames || !strings.Contains(fam.Domain(testSeed, 3, at), sample[0]) && sample[0] != fam.Domain(testSeed, 3, at) {
				t.Errorf("sample %q: want the %d latest names, newest (%s) first", e.Entry, sampleNames, fam.Domain(testSeed, 3, at))
			}
		})
	}
}

// TestHostRuleQuietOnBenignCauses: each benign cause of NXDOMAIN, at a
// rate no person produces (60 lookups in 10 minutes), raises nothing.
func TestHostRuleQuietOnBenignCauses(t *testing.T) {
	known := []string{"bakery.com", "weather.net", "kitchenhelp.org", "mountainview.com", "dinnerplans.io", "riverside.de"}
	r := rand.New(rand.NewPCG(1, 2))
	letters := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + r.IntN(26))
		}
		return string(b)
	}
	causes := map[string]func(i int) (string, int16){
		"search suffix": func(i int) (string, int16) {
			return fmt.Sprintf("%s.corp.example.com", []string{"wpad", "isatap", "printer", known[i%6]}[i%4]), scoring.RcodeNXDomain
		},
		"chrome probes": func(int) (string, int16) { return letters(7 + r.IntN(9)), scoring.RcodeNXDomain },
		"mdns leaks":    func(i int) (string, int16) { return fmt.Sprintf("desktop-%s.local", letters(7)), scoring.RcodeNXDomain },
		"llmnr leaks":   func(i int) (string, int16) { return "desktop-" + letters(7), scoring.RcodeNXDomain },
		"sinkholed ads": func(i int) (string, int16) { return "ads." + letters(8) + ".com", scoring.RcodeNoError },
		"stale bookmark": func(i int) (string, int16) {
			return "www." + []string{"oldforum.net", "myblog2009.com"}[i%2], scoring.RcodeNXDomain
		},
		"retries": func(i int) (string, int16) { return "qxzkvwjtpfhb.com", scoring.RcodeNXDomain },
		"typos": func(i int) (string, int16) {
			k := known[i%len(known)]
			j := 1 + i%4
			return k[:j] + k[j+1:], scoring.RcodeNXDomain // one letter dropped
		},
		"dead subdomains": func(i int) (string, int16) { return letters(12) + "." + known[i%6], scoring.RcodeNXDomain },
	}
	for cause, next := range causes {
		h := newHostFeed(DefaultConfig())
		other := netip.MustParseAddr("10.9.0.2")
		for i, k := range known { // the sensor has seen these resolve
			h.look(other, hostT0.Add(time.Duration(i)*time.Second), k, scoring.RcodeNoError, 0)
		}
		src := netip.MustParseAddr("10.9.0.3")
		for i := 0; i < 60; i++ {
			name, rcode := next(i)
			h.look(src, hostT0.Add(time.Minute+time.Duration(i)*10*time.Second), name, rcode, 0)
		}
		if len(h.raised) != 0 {
			t.Errorf("%s: raised dga_volume: %+v", cause, h.raised[0])
		}
	}
}

// TestHostRuleWeighsPopularityAndMemory: the same failing names raise
// nothing when their registered domains rank in the popularity prior, or
// when the sensor has seen them resolve; unranked and new, they raise.
func TestHostRuleWeighsPopularityAndMemory(t *testing.T) {
	names := wordNames(4)
	src := netip.MustParseAddr("10.9.0.4")
	for _, tc := range []struct {
		what  string
		rank  uint32
		known bool
		want  bool
	}{{"unranked, new", 0, false, true}, {"ranked 50,000", 50000, false, false}, {"ranked past popular_rank", 200000, false, true}, {"seen resolving", 0, true, false}} {
		h := newHostFeed(DefaultConfig())
		if tc.known {
			for i := 0; i < 40; i++ {
				h.look(netip.MustParseAddr("10.9.0.5"), hostT0.Add(-time.Hour), names(i), scoring.RcodeNoError, 0)
			}
		}
		for i := 0; i < 40; i++ {
			h.look(src, hostT0.Add(time.Duration(i)*15*time.Second), names(i), scoring.RcodeNXDomain, tc.rank)
		}
		if got := len(h.raised) > 0; got != tc.want {
			t.Errorf("%s: raised %v, want %v", tc.what, got, tc.want)
		}
	}
}

// TestHostRuleShareOfNewDomains: a host that resolves hundreds of new
// domains (a proxy, a crawler) and fails a few percent of them raises
// nothing; the same failures without the resolutions raise.
func TestHostRuleShareOfNewDomains(t *testing.T) {
	for _, busy := range []bool{true, false} {
		h := newHostFeed(DefaultConfig())
		src := netip.MustParseAddr("10.9.0.6")
		for i := 0; i < 600; i++ {
			name := gen.BenignLabel(testSeed, i, gen.OwnWords) + ".com"
			rcode := scoring.RcodeNoError
			if i%20 == 0 {
				name, rcode = wordNames(5)(i), scoring.RcodeNXDomain
			} else if !busy {
				continue
			}
			h.look(src, hostT0.Add(time.Duration(i)*time.Second), name, rcode, 0)
		}
		if got := len(h.raised) > 0; got == busy {
			t.Errorf("busy %v: raised %v", busy, got)
		}
	}
}

func TestBurstShape(t *testing.T) {
	var b burst
	for i, name := range []string{"abcdefgh.com", "abcdefgh.net", "abcdefgh.org", "bcdefghi.com", "xy.com", "xyzxyzxyzxyzxyzxyz.ru"} {
		n := NameOf(parse(name))
		b.add(int64(i), scoring.HashString(n.Key), &n, 1)
	}
	s := b.stats(10, int64(time.Minute))
	if s.domains != 6 || s.siblings != 3.0/6 || s.lengthMode != 4.0/6 || s.tldMode != 3.0/6 || s.share != 1 {
		t.Errorf("stats %+v: want 6 domains, siblings 3/6, lengths 4/6, TLDs 3/6, share 1", s)
	}
	if out := b.stats(10+int64(time.Minute)+10, int64(time.Minute)); out.domains != 0 {
		t.Errorf("%d domains outside the window", out.domains)
	}
}

func TestTypoOf(t *testing.T) {
	k := newKnownSet(64)
	k.insertName("mountain.com")
	for _, typo := range []string{"mountan.com", "mounttain.com", "muontain.com", "mountaim.com", "xmountain.com", "mountain9.com"} {
		label, rest, _ := strings.Cut(typo, ".")
		if !k.typoOf(label, "."+rest) {
			t.Errorf("%s not taken for a typo of mountain.com", typo)
		}
	}
	for _, other := range []string{"mountain.net", "mountainous.com", "fountains.com", "mtn.com", "qxzkvwjt.com"} {
		label, rest, _ := strings.Cut(other, ".")
		if k.typoOf(label, "."+rest) {
			t.Errorf("%s taken for a typo of mountain.com", other)
		}
	}
	if n := testing.AllocsPerRun(10, func() { k.typoOf("qxzkvwjtpf", ".com") }); n != 0 {
		t.Errorf("typoOf allocates %v times", n)
	}
}

func TestKnownSetBounded(t *testing.T) {
	k := newKnownSet(100) // rounds up to 128
	for i := 0; i < 10000; i++ {
		k.insert(uint64(i)*0x9e3779b97f4a7c15, 0)
	}
	if n := k.len(); n != 128 || len(k.slots) != 128 {
		t.Errorf("%d entries in %d slots, want 128 in 128", n, len(k.slots))
	}
	step := uint64(0x9e3779b97f4a7c15)
	last := 9999 * step
	if !k.has(last) || k.insert(last, 0) {
		t.Error("the latest key is not remembered")
	}
	var none knownSet
	if none.has(1) || !none.insert(1, 0) {
		t.Error("a zero-capacity set remembers")
	}
}

// TestHostFloodCannotGrowMemory: sources flooding random names (failing
// and resolving) keep the detector's state at its caps, and the heap it
// retains does not grow with the flood.
func TestHostFloodCannotGrowMemory(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxHosts, cfg.KnownDomains = 4, 1024
	d := New(cfg)
	r := rand.New(rand.NewPCG(7, 7))
	name := func() string { // a new random name each time: the flood never repeats
		b := make([]byte, 6+r.IntN(10), 20)
		for j := range b {
			b[j] = byte('a' + r.IntN(26))
		}
		return string(append(b, ".com"...))
	}
	var f scoring.FQDN
	var rep scoring.Report
	ev := dnsEvent(netip.MustParseAddr("10.9.0.7"), hostT0, "", 0)
	i := 0
	flood := func(n int) {
		for ; n > 0; n-- {
			ev.Time = ev.Time.Add(time.Millisecond)
			ev.SrcIP = netip.AddrFrom4([4]byte{10, 9, 1, byte(i % 8)}) // more sources than MaxHosts
			ev.DNS.Rcode = []int16{scoring.RcodeNXDomain, scoring.RcodeNoError}[i%2]
			f.Parse(name())
			rep.Reset()
			d.Inspect(ev, &f, &rep)
			i++
		}
	}
	flood(20000)
	bytes, before := d.State().Bytes, retainedHeap()
	flood(200000)
	grown := retainedHeap() - before
	st := d.State()
	if st.Entries > cfg.MaxHosts || d.known.len() > 1024 || st.Bytes != bytes || grown > 64<<10 {
		t.Errorf("after the flood: %d hosts (cap %d), %d known domains (cap 1024), state %d bytes (was %d), heap grew %d bytes",
			st.Entries, cfg.MaxHosts, d.known.len(), st.Bytes, bytes, grown)
	}
	for _, h := range d.hostsSnapshot() {
		if h.burst.n > maxFailed {
			t.Fatalf("%d failures held, cap %d", h.burst.n, maxFailed)
		}
	}
}

// retainedHeap is the live heap after a collection.
func retainedHeap() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// hostsSnapshot returns copies of the tracked hosts.
func (d *Detector) hostsSnapshot() []host {
	var out []host
	d.hosts.Range(func(_ netip.Addr, h *host) bool { out = append(out, *h); return true })
	return out
}

func TestHostConfigKeys(t *testing.T) {
	detectortest.CheckConfigKeys(t, DefaultConfig, Config.Validate, map[string]func(*Config){
		"host_window":           func(c *Config) { c.HostWindow = 0 },
		"host_min_domains":      func(c *Config) { c.HostMinDomains = maxFailed + 1 },
		"host_min_evidence":     func(c *Config) { c.HostMinEvidence = 0 },
		"host_base_weight":      func(c *Config) { c.HostBaseWeight = -1 },
		"host_min_failed_share": func(c *Config) { c.HostMinFailedShare = 1.5 },
		"known_domains":         func(c *Config) { c.KnownDomains = -1 },
	})
}

// BenchmarkInspectFailures is the host rule's cost on a source flooding
// random failing names: it must not allocate.
func BenchmarkInspectFailures(b *testing.B) {
	d := New(DefaultConfig())
	evs := make([]*scoring.Event, 64)
	fs := make([]scoring.FQDN, len(evs))
	for i := range evs {
		evs[i] = dnsEvent(netip.MustParseAddr("10.9.0.8"), hostT0, "", scoring.RcodeNXDomain)
		fs[i].Parse(gen.HostFamilies(nil)[0].Domain(testSeed, 6, i))
	}
	var r scoring.Report
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev := evs[i%len(evs)]
		ev.Time = hostT0.Add(time.Duration(i) * time.Second)
		r.Reset()
		d.Inspect(ev, &fs[i%len(fs)], &r)
	}
}

// BenchmarkTypoOf is the typo check of a 10-letter label that is no typo
// (every variant tried) against a full default-size memory holding .com
// domains of 9 to 15 bytes, so the class filter skips none.
func BenchmarkTypoOf(b *testing.B) {
	k := newKnownSet(DefaultConfig().KnownDomains)
	for i := 0; i < DefaultConfig().KnownDomains; i++ {
		k.insertName(fmt.Sprintf("site%0*d.com", i%8, i))
	}
	if l := len("qxzkvwjtpf.com"); !k.mayHoldClass(keyClass(scoring.HashString("com"), l-1)) ||
		!k.mayHoldClass(keyClass(scoring.HashString("com"), l)) || !k.mayHoldClass(keyClass(scoring.HashString("com"), l+1)) {
		b.Fatal("the class filter would skip variants")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k.typoOf("qxzkvwjtpf", ".com")
	}
}

// TestTypoChecksAreCapped: a source gets maxTypoChecks typo checks a
// window, then none until the window has passed.
func TestTypoChecksAreCapped(t *testing.T) {
	var b burst
	window := int64(10 * time.Minute)
	// take asks typoBudgetLeft first: it must foresee typoBudget's answer.
	take := func(now int64) bool {
		left := b.typoBudgetLeft(now, window)
		got := b.typoBudget(now, window)
		if left != got {
			t.Fatalf("at %d: typoBudgetLeft says %v, typoBudget %v", now, left, got)
		}
		return got
	}
	for i := 0; i < maxTypoChecks; i++ {
		if !take(int64(i) * int64(time.Second)) {
			t.Fatalf("check %d refused, want %d allowed", i+1, maxTypoChecks)
		}
	}
	if take(int64(30 * time.Second)) {
		t.Fatal("a check past the cap was allowed within the window")
	}
	if !take(-1) {
		t.Fatal("no check allowed for an event before the window (out of order)")
	}
	if !take(window + 1) {
		t.Fatal("no check allowed once the window had passed")
	}
}

// insertName remembers the domain name as the detector does.
func (k *knownSet) insertName(name string) bool {
	return k.insert(scoring.HashString(name), classOf(name))
}

// typoOfReference is typoOf as first written: every variant built in full
// and hashed with scoring.HashString.
func (k *knownSet) typoOfReference(label, rest string) bool {
	if len(k.slots) == 0 || len(label) < minTypoLabel || len(label)+1+len(rest) > 128 {
		return false
	}
	var buf [130]byte
	n := len(label)
	for i := 0; i <= n; i++ {
		if i < n && k.hasVariant(&buf, label[:i], "", label[i+1:], rest) {
			return true
		}
		if i+1 < n && label[i] != label[i+1] &&
			k.hasVariant(&buf, label[:i], string2(label[i+1], label[i], &buf), label[i+2:], rest) {
			return true
		}
		for c := 0; c < len(typoAlphabet); c++ {
			ins := typoAlphabet[c : c+1]
			if i < n && typoAlphabet[c] != label[i] && k.hasVariant(&buf, label[:i], ins, label[i+1:], rest) {
				return true
			}
			if k.hasVariant(&buf, label[:i], ins, label[i:], rest) {
				return true
			}
		}
	}
	return false
}

// TestTypoOfMatchesReference: the fast typo check answers as the one that
// builds every variant, on every one-edit variant of remembered names (and
// on two-edit ones, which are no typos), labels of 3 to 70 letters under
// short and long suffixes.
func TestTypoOfMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 19))
	letters := typoAlphabet + "."
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = typoAlphabet[rng.IntN(len(typoAlphabet))]
		}
		return string(b)
	}
	edit := func(s string) string {
		i := rng.IntN(len(s) + 1)
		c := string(letters[rng.IntN(len(letters))])
		switch rng.IntN(4) {
		case 0:
			if i < len(s) {
				return s[:i] + s[i+1:]
			}
		case 1:
			if i+1 < len(s) {
				return s[:i] + s[i+1:i+2] + s[i:i+1] + s[i+2:]
			}
		case 2:
			if i < len(s) {
				return s[:i] + c + s[i+1:]
			}
		}
		return s[:i] + c + s[i:]
	}
	rests := []string{"", ".com", ".co.uk", ".example-long-suffix.org"}
	k := newKnownSet(1 << 12)
	var names []string
	for i := 0; i < 600; i++ {
		name := word(3+rng.IntN(68)) + rests[rng.IntN(len(rests))]
		names = append(names, name)
		k.insertName(name)
	}
	agree, typos := 0, 0
	for _, name := range names {
		for _, v := range []string{edit(name), edit(edit(name)), word(3+rng.IntN(20)) + ".com"} {
			label, rest, _ := strings.Cut(v, ".")
			if rest != "" || strings.Contains(v, ".") {
				rest = "." + rest
			}
			got, want := k.typoOf(label, rest), k.typoOfReference(label, rest)
			if got != want {
				t.Fatalf("typoOf(%q, %q) = %v, the reference says %v", label, rest, got, want)
			}
			agree++
			if got {
				typos++
			}
		}
	}
	if typos < len(names)/2 {
		t.Errorf("only %d of %d checks found typos: the test does not exercise matches", typos, agree)
	}
}

// TestKnownSetTagsMissNothing: with the tags in front of the slots, has
// answers as a scan of the key's set does, over a long run of inserts and
// lookups that keep evicting (keys chosen to share tags and sets often).
func TestKnownSetTagsMissNothing(t *testing.T) {
	k := newKnownSet(256)
	rng := rand.New(rand.NewPCG(3, 4))
	key := func() uint64 { return uint64(rng.IntN(4))<<56 | uint64(rng.IntN(2048))<<17 | uint64(rng.IntN(2)) }
	found := 0
	for i := 0; i < 200_000; i++ {
		x := key()
		want := false
		for _, v := range k.set(x) {
			want = want || v == fingerprint(x)
		}
		if got := k.has(x); got != want {
			t.Fatalf("step %d: has(%#x) = %v, the set holds it: %v", i, x, got, want)
		}
		if want {
			found++
		}
		if rng.IntN(2) == 0 {
			k.insert(key(), 0)
		}
	}
	if found < 1000 {
		t.Errorf("only %d lookups found their key: the run does not exercise the tags", found)
	}
}
