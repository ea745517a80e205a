package nxdomain

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/detectortest"
)

var (
	t0   = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	host = netip.MustParseAddr("10.0.0.5")
)

type feeder struct {
	detectortest.Feeder[*Detector]
	nx int // NXDOMAIN answers fed
	at int // NXDOMAIN answers fed when the first hit came
}

func newFeeder(cfg Config) *feeder {
	return &feeder{Feeder: detectortest.Feeder[*Detector]{D: New(cfg)}}
}

func (f *feeder) answer(at time.Time, q string, rcode int16, categories ...string) {
	f.Ev.Reset()
	f.Ev.Type, f.Ev.Time, f.Ev.SrcIP = scoring.TypeDNS, at, host
	f.Ev.DNS.Query, f.Ev.DNS.Rcode, f.Ev.DNS.Response = q, rcode, true
	f.Name.Parse(q)
	hits := f.Run(&f.Name, categories...)
	if rcode == scoring.RcodeNXDomain {
		f.nx++
	}
	if len(hits) > 0 && f.at == 0 {
		f.at = f.nx
	}
}

func randLabel(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(rng.IntN(26))
	}
	return string(b)
}

func TestDGABurst(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := newFeeder(DefaultConfig())
	for i := 0; i < 200; i++ {
		at := t0.Add(time.Duration(i) * 500 * time.Millisecond)
		f.answer(at, randLabel(rng, 12)+".com", scoring.RcodeNXDomain)
		if i%4 == 0 {
			f.answer(at, "www.example.com", scoring.RcodeNoError)
		}
	}
	if len(f.Hits) != 1 || f.at < 40 || f.at > 46 { // bitmap collisions may hide a few names
		t.Fatalf("%d hits, first after %d NXDOMAIN answers", len(f.Hits), f.at)
	}
	h := f.Hits[0]
	if h.Threat != scoring.UnreachableDomainVolume || h.Evidence.Indicator != host.String() {
		t.Fatalf("hit = %+v", h)
	}
}

func TestBenignNXDomainSilent(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	f := newFeeder(DefaultConfig())
	at := t0
	for i := 0; i < 5000; i++ {
		at = at.Add(time.Duration(rng.IntN(2000)) * time.Millisecond)
		site := fmt.Sprintf("site%d.example", rng.IntN(25))
		// Search-list expansion: the name is first tried under the site's
		// own domain, then as is.
		f.answer(at, "www."+site+".com.corp.example.net", scoring.RcodeNXDomain)
		f.answer(at, "www."+site+".com", scoring.RcodeNoError)
		// A mail server's DNSBL lookups, mostly not listed.
		f.answer(at, fmt.Sprintf("%d.%d.%d.%d.zen.dnsbl-example.org", rng.IntN(256), rng.IntN(256), rng.IntN(256), rng.IntN(256)), scoring.RcodeNXDomain)
		// PTR lookups of unconfigured reverse zones.
		f.answer(at, fmt.Sprintf("%d.%d.168.192.in-addr.arpa", rng.IntN(256), rng.IntN(256)), scoring.RcodeNXDomain)
		// Hash lookups of a reputation service tagged by intel.
		f.answer(at, randLabel(rng, 32)+".av-example.com", scoring.RcodeNXDomain, "antivirus")
		if i%500 == 0 { // Chrome's start-up probes
			for j := 0; j < 3; j++ {
				f.answer(at, randLabel(rng, 10), scoring.RcodeNXDomain)
			}
		}
	}
	for _, h := range f.Hits {
		t.Errorf("benign traffic raised %+v", h.Evidence)
	}
}

func TestLowRatioSilent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	f := newFeeder(DefaultConfig())
	for i := 0; i < 600; i++ {
		at := t0.Add(time.Duration(i) * 500 * time.Millisecond)
		f.answer(at, fmt.Sprintf("h%d.example.com", i), scoring.RcodeNoError)
		if i%10 == 0 {
			f.answer(at, randLabel(rng, 8)+".typo-example.com", scoring.RcodeNXDomain)
		}
	}
	if len(f.Hits) != 0 {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

func TestReversedAddress(t *testing.T) {
	for in, want := range map[string]bool{"4.3.2.1.zen": true, "4.3.2.1": true, "4.3.2": false, "4.3.2.x.y": false, "www": false, "300.1.1.1": false,
		"": false, ".4.3.2.1": false, "4..3.2.1": false, "4.3.2.1.": true, "x4.3.2.1": false, "4.3.2.-1": false} {
		if got := reversedAddress(in); got != want {
			t.Errorf("reversedAddress(%q) = %v", in, got)
		}
	}
}

func TestStateBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxKeys = 10
	f := newFeeder(cfg)
	for i := 0; i < 100; i++ {
		f.Ev.Reset()
		f.Ev.Type, f.Ev.Time, f.Ev.SrcIP = scoring.TypeDNS, t0, netip.AddrFrom4([4]byte{10, 0, 1, byte(i)})
		f.Ev.DNS.Rcode = scoring.RcodeNXDomain
		f.Name.Parse("x.example.com")
		f.D.Inspect(&f.Ev, &f.Name, &f.Report)
	}
	if st := f.D.State(); st.Entries != 10 || st.Evictions != 90 {
		t.Fatalf("state = %+v", st)
	}
}

func TestNoAllocationWithoutAlert(t *testing.T) {
	f := newFeeder(DefaultConfig())
	f.answer(t0, "nx.example.com", scoring.RcodeNXDomain)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		i++
		f.Ev.Time = t0.Add(time.Duration(i) * time.Millisecond)
		f.Report.Reset()
		f.D.Inspect(&f.Ev, &f.Name, &f.Report)
	})
	if allocs != 0 || len(f.Report.Hits) != 0 {
		t.Fatalf("%v allocations per event", allocs)
	}
}

func TestValidate(t *testing.T) {
	detectortest.CheckConfigKeys(t, DefaultConfig, Config.Validate, map[string]func(*Config){
		"window":               func(c *Config) { c.Window = 0 },
		"min_names":            func(c *Config) { c.MinNames = 1 },
		"min_ratio":            func(c *Config) { c.MinRatio = 2 },
		"exempt_categories[0]": func(c *Config) { c.ExemptCategories = []string{""} },
		"max_keys":             func(c *Config) { c.MaxKeys = 0 },
	})
}

func BenchmarkInspect(b *testing.B) {
	names := make([]scoring.FQDN, 64)
	for i := range names {
		names[i].Parse(fmt.Sprintf("n%d.example.com", i))
	}
	f := newFeeder(DefaultConfig())
	f.Ev.Type, f.Ev.SrcIP = scoring.TypeDNS, host
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Ev.Time = t0.Add(time.Duration(i) * time.Millisecond)
		f.Ev.DNS.Rcode = []int16{scoring.RcodeNoError, scoring.RcodeNXDomain}[i&1]
		f.Report.Reset()
		f.D.Inspect(&f.Ev, &names[i&63], &f.Report)
	}
}

// TestDGAVolumeExplainsTheBurst: once dga_volume was raised for a source,
// its NXDOMAIN burst raises nothing more for two windows; then it may.
func TestDGAVolumeExplainsTheBurst(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	d := New(DefaultConfig())
	var name scoring.FQDN
	var r scoring.Report
	raised := func(from time.Time, dga bool) int {
		n := 0
		for i := 0; i < 100; i++ {
			ev := scoring.Event{Type: scoring.TypeDNS, Time: from.Add(time.Duration(i) * time.Second), SrcIP: host,
				DNS: scoring.DNS{Query: randLabel(rng, 12) + ".com", Rcode: scoring.RcodeNXDomain, Response: true}}
			name.Parse(ev.DNS.Query)
			r.Reset()
			if dga && i == 5 {
				r.Raise(scoring.DGAVolume, scoring.Evidence{Detector: "dga"})
			}
			d.Inspect(&ev, &name, &r)
			for _, h := range r.Hits {
				if h.Threat == scoring.UnreachableDomainVolume {
					n++
				}
			}
		}
		return n
	}
	if n := raised(t0, true); n != 0 {
		t.Errorf("raised %d times in the window dga_volume was raised", n)
	}
	if n := raised(t0.Add(11*time.Minute), false); n != 0 {
		t.Errorf("raised %d times in the next window", n)
	}
	if n := raised(t0.Add(31*time.Minute), false); n != 1 {
		t.Errorf("raised %d times two windows later, want once", n)
	}
}

// TestResetKeepsBitmapsClear: reset clears the name bitmaps only when the
// window counted an NXDOMAIN answer, which holds because only such answers
// set their bits: over random answers (NXDOMAIN or not) whose times jump
// past the window both ways, a tally without an NXDOMAIN answer always has
// clear bitmaps, and reset leaves every tally as a whole new one would be.
func TestResetKeepsBitmapsClear(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	cfg := DefaultConfig()
	f := newFeeder(cfg)
	at := t0
	for i := 0; i < 20000; i++ {
		at = at.Add(time.Duration(rng.IntN(int(cfg.Window / 4))))
		if rng.IntN(20) == 0 {
			at = at.Add(-2 * cfg.Window)
		}
		rcode := scoring.RcodeNoError
		if rng.IntN(3) == 0 {
			rcode = scoring.RcodeNXDomain
		}
		f.answer(at, randLabel(rng, 3)+".example.com", rcode)
		w, _ := f.D.state.Peek(host)
		if w.nx == 0 && (w.seen != [seenBits / 64]uint64{} || w.seenDomains != [256 / 64]uint64{}) {
			t.Fatalf("answer %d: a window without NXDOMAIN answers has bits set", i)
		}
		got := *w
		got.reset(at.UnixNano())
		if want := (tally{start: at.UnixNano(), explained: w.explained}); got != want {
			t.Fatalf("answer %d: reset gives %+v, want %+v", i, got, want)
		}
	}
}
