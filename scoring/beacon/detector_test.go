package beacon

import (
	"math"
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
	c2   = netip.MustParseAddr("203.0.113.77")
)

type feeder struct {
	detectortest.Feeder[*Detector]
}

func newFeeder(cfg Config) *feeder {
	return &feeder{Feeder: detectortest.Feeder[*Detector]{D: New(cfg)}}
}

func (f *feeder) conn(at time.Time, dst netip.Addr, port uint16, bytes uint64) {
	f.Ev.Reset()
	f.Ev.Type, f.Ev.Time, f.Ev.Proto = scoring.TypeFlow, at, scoring.ProtoTCP
	f.Ev.SrcIP, f.Ev.DstIP, f.Ev.DstPort = host, dst, port
	f.Ev.Flow = scoring.Flow{ConnState: "SF", OrigBytes: bytes, RespBytes: 1000}
	f.Name.Reset()
	f.Run(&f.Name)
}

func (f *feeder) lookup(at time.Time, q string) {
	f.Ev.Reset()
	f.Ev.Type, f.Ev.Time, f.Ev.SrcIP = scoring.TypeDNS, at, host
	f.Ev.DNS.Query = q
	f.Name.Parse(q)
	f.Run(&f.Name)
}

// beacon sends n callbacks every period, each interval shortened by up to
// jitter (Cobalt Strike style), sizes within +-sizeJitter bytes of size.
func beacon(f *feeder, rng *rand.Rand, n int, period time.Duration, jitter float64, size, sizeJitter int) {
	at := t0
	for i := 0; i < n; i++ {
		f.conn(at, c2, 443, uint64(size+rng.IntN(2*sizeJitter+1)-sizeJitter))
		at = at.Add(time.Duration(float64(period) * (1 - jitter*rng.Float64())))
	}
}

func TestRegularBeacon(t *testing.T) {
	f := newFeeder(DefaultConfig())
	beacon(f, rand.New(rand.NewPCG(1, 2)), 40, time.Minute, 0.1, 320, 5)
	if len(f.Hits) != 1 || f.FirstAny() > 14 {
		t.Fatalf("%d hits, first at callback %d", len(f.Hits), f.FirstAny())
	}
	ev := f.Hits[0].Evidence
	if f.Hits[0].Threat != scoring.C2Beaconing || ev.Indicator != "203.0.113.77:443/tcp" {
		t.Fatalf("hit = %+v", f.Hits[0])
	}
}

func TestHalfJitterBeacon(t *testing.T) {
	f := newFeeder(DefaultConfig())
	beacon(f, rand.New(rand.NewPCG(3, 4)), 60, 30*time.Second, 0.5, 1200, 20)
	if len(f.Hits) != 1 {
		t.Fatalf("%d hits", len(f.Hits))
	}
}

func TestMissedCallbacksTolerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	f := newFeeder(DefaultConfig())
	at := t0
	for i := 0; i < 40; i++ {
		if rng.IntN(10) != 0 { // 10% of callbacks lost
			f.conn(at, c2, 8443, 500)
		}
		at = at.Add(2 * time.Minute)
	}
	if len(f.Hits) != 1 {
		t.Fatalf("%d hits", len(f.Hits))
	}
}

func TestRaisedAgainAfterWindow(t *testing.T) {
	f := newFeeder(DefaultConfig())
	beacon(f, rand.New(rand.NewPCG(7, 8)), 150, time.Minute, 0.05, 300, 0) // 2.5 hours
	if len(f.Hits) != 3 {
		t.Fatalf("%d hits over 2.5h with a 1h window, want 3", len(f.Hits))
	}
}

func TestLookupBeacon(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Lookups = true
	f := newFeeder(cfg)
	for i := 0; i < 20; i++ {
		f.lookup(t0.Add(time.Duration(i)*5*time.Minute), "upd.c2-example.net")
	}
	if len(f.Hits) != 1 || f.Hits[0].Evidence.Indicator != "upd.c2-example.net" {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

func TestHumanTrafficSilent(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	f := newFeeder(DefaultConfig())
	at := t0
	sites := []netip.Addr{c2, netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("198.51.100.2")}
	for i := 0; i < 3000; i++ {
		// Exponential think times, bursts of page loads, lognormal sizes.
		at = at.Add(time.Duration(rng.ExpFloat64() * float64(40*time.Second)))
		dst := sites[rng.IntN(len(sites))]
		for b := 0; b < 1+rng.IntN(4); b++ {
			f.conn(at.Add(time.Duration(b)*300*time.Millisecond), dst, 443, uint64(math.Exp(6+rng.NormFloat64())))
		}
		if i%7 == 0 {
			f.lookup(at, "www.news-example.com")
		}
	}
	for _, h := range f.Hits {
		t.Errorf("human traffic raised %+v", h.Evidence)
	}
}

func TestPeriodicInfrastructureIgnored(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Lookups = true
	f := newFeeder(cfg)
	for i := 0; i < 100; i++ {
		at := t0.Add(time.Duration(i) * 64 * time.Second)
		f.conn(at, c2, 123, 48)                                // NTP
		f.conn(at, netip.MustParseAddr("10.9.9.9"), 9100, 300) // internal scrape
		f.lookup(at, "wpad.corp.internal")                     // local name
		f.lookup(at, "4.3.2.1.in-addr.arpa")                   // reverse lookup
	}
	if len(f.Hits) != 0 {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

func TestRegularTimingIrregularSizesSilent(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	f := newFeeder(DefaultConfig())
	for i := 0; i < 40; i++ {
		f.conn(t0.Add(time.Duration(i)*time.Minute), c2, 443, uint64(200+rng.IntN(5000)))
	}
	if len(f.Hits) != 0 {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

func TestCategoryExempt(t *testing.T) {
	f := newFeeder(DefaultConfig())
	for i := 0; i < 40; i++ {
		f.Ev.Reset()
		f.Ev.Type, f.Ev.Time, f.Ev.Proto = scoring.TypeFlow, t0.Add(time.Duration(i)*time.Minute), scoring.ProtoTCP
		f.Ev.SrcIP, f.Ev.DstIP, f.Ev.DstPort = host, c2, 443
		f.Report.Reset()
		f.Report.AddCategory("telemetry")
		f.D.Inspect(&f.Ev, &f.Name, &f.Report)
		if len(f.Report.Hits) != 0 {
			t.Fatal("exempt category raised")
		}
	}
}

func TestDispersion(t *testing.T) {
	if d, m := dispersion([]uint32{100, 100, 100, 100}, 4); d != 0 || m != 100 {
		t.Fatalf("constant: %v %v", d, m)
	}
	if d, m := dispersion([]uint32{90, 100, 110, 100, 1000}, 5); d != 0.1 || m != 100 {
		t.Fatalf("with outlier: %v %v", d, m)
	}
	if d, _ := dispersion([]uint32{0, 0, 5, 0}, 4); d != 0 {
		t.Fatalf("zeros: %v", d)
	}
}

func TestStateBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxKeys = 10
	f := newFeeder(cfg)
	for i := 0; i < 100; i++ {
		f.conn(t0, netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}), 443, 10)
	}
	if st := f.D.State(); st.Entries != 10 || st.Evictions != 90 {
		t.Fatalf("state = %+v", st)
	}
}

func TestNoAllocationWithoutAlert(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	f := newFeeder(DefaultConfig())
	f.conn(t0, c2, 443, 100)
	at := t0
	allocs := testing.AllocsPerRun(1000, func() {
		at = at.Add(time.Duration(rng.IntN(100)) * time.Second)
		f.Ev.Time = at
		f.Ev.Flow.OrigBytes = uint64(rng.IntN(10000))
		f.Report.Reset()
		f.D.Inspect(&f.Ev, &f.Name, &f.Report)
	})
	if allocs != 0 || len(f.Report.Hits) != 0 {
		t.Fatalf("%v allocations per event", allocs)
	}
}

func TestValidate(t *testing.T) {
	detectortest.CheckConfigKeys(t, DefaultConfig, Config.Validate, map[string]func(*Config){
		"min_callbacks":        func(c *Config) { c.MinCallbacks = 3 },
		"min_span":             func(c *Config) { c.MinSpan = -1 },
		"min_interval":         func(c *Config) { c.MinInterval = -1 },
		"max_gap":              func(c *Config) { c.MaxGap = 0 },
		"interval_dispersion":  func(c *Config) { c.IntervalDispersion = 0 },
		"size_dispersion":      func(c *Config) { c.SizeDispersion = 1 },
		"window":               func(c *Config) { c.Window = -1 },
		"internal_networks[0]": func(c *Config) { c.InternalNetworks = []string{"x"} },
		"exempt_categories[0]": func(c *Config) { c.ExemptCategories = []string{""} },
		"max_keys":             func(c *Config) { c.MaxKeys = 0 },
	})
}

// BenchmarkInspect measures the common case: connections to many
// destinations, a few of them with long enough series to be judged.
func BenchmarkInspect(b *testing.B) {
	f := newFeeder(DefaultConfig())
	f.Ev.Type, f.Ev.Proto, f.Ev.SrcIP, f.Ev.DstPort = scoring.TypeFlow, scoring.ProtoTCP, host, 443
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Ev.Time = t0.Add(time.Duration(i) * 3 * time.Second)
		f.Ev.DstIP = netip.AddrFrom4([4]byte{198, 51, byte(i >> 8 & 3), byte(i)})
		f.Ev.Flow.OrigBytes = uint64(i & 4095)
		f.Report.Reset()
		f.D.Inspect(&f.Ev, &f.Name, &f.Report)
	}
}
