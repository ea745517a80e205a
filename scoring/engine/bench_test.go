package engine_test

import (
	"fmt"
	"net/netip"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/build/benchcpu"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/feeds"
	"github.com/netflightrecorder/nfr/formats/zeek"
	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/engine"
	"github.com/netflightrecorder/nfr/scoring/intel"
	"github.com/netflightrecorder/nfr/scoring/scope"
)

// syntheticIndex is the built-ins plus a generated feed of the given size
// per kind, spread over every category.
func syntheticIndex(domains, ips int) *intel.Index {
	b := intel.NewBuilder()
	b.AddBuiltin()
	cats := []string{"c2", "sinkhole", "phishing", "mining", "cryptojacking", "tor", "i2p", "freenet", "vpn", "p2p", "dyndns", "proxy"}
	srcs := make([]*intel.Source, len(cats))
	for i, c := range cats {
		srcs[i] = &intel.Source{List: "synthetic-" + c, Category: c, Ref: "generated"}
	}
	for i := 0; i < domains; i++ {
		b.AddDomain(fmt.Sprintf("bad%d-%x.example%d.test", i, i*7919, i%97), srcs[i%len(srcs)])
	}
	for i := 0; i < ips; i++ {
		a := netip.AddrFrom4([4]byte{byte(100 + i%50), byte(i >> 16), byte(i >> 8), byte(i)})
		b.AddPrefix(netip.PrefixFrom(a, 32), srcs[i%len(srcs)])
		if i%50 == 0 {
			b.AddPrefix(netip.PrefixFrom(a, 24).Masked(), srcs[(i+1)%len(srcs)])
		}
		if i%20 == 0 {
			b.AddAddrPort(netip.AddrPortFrom(a, 3333), srcs[3])
		}
	}
	return b.Build()
}

// benchIndex loads the feeds named in $NFR_BENCH_CONFIG (a config.yml, as
// build/bench.d/engine.sh writes for the corpus feeds) or else generates a
// large synthetic feed.
func benchIndex(b *testing.B) (*intel.Index, string) {
	benchOnce.Do(func() { benchIx, benchDesc = loadBenchIndex(b) })
	return benchIx, benchDesc
}

var (
	benchOnce sync.Once
	benchIx   *intel.Index
	benchDesc string
)

func loadBenchIndex(b *testing.B) (*intel.Index, string) {
	if path := os.Getenv("NFR_BENCH_CONFIG"); path != "" {
		cfg, err := config.Load(path)
		if err != nil {
			b.Fatal(err)
		}
		ix, reports, err := feeds.Load(cfg.Intel, cfg.Dir)
		if err != nil {
			b.Fatal(err)
		}
		return ix, fmt.Sprintf("%d feeds from %s", len(reports), path)
	}
	return syntheticIndex(200_000, 100_000), "synthetic 200k domains + 100k IPs"
}

// dnsEvents returns n DNS events from 256 sources over n distinct names,
// with answers; about 1 in 64 names is listed in the index.
func dnsEvents(n int) []scoring.Event {
	words := strings.Fields("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu")
	tlds := []string{"com", "net", "org", "co.uk", "de", "io"}
	evs := make([]scoring.Event, n)
	for i := range evs {
		var q string
		switch {
		case i%64 == 0:
			q = fmt.Sprintf("www.bad%d-%x.example%d.test", i, i*7919, i%97)
		case i%3 == 0:
			q = fmt.Sprintf("%s%d.%s.%s", words[i%len(words)], i, words[(i/7)%len(words)], tlds[i%len(tlds)])
		default:
			q = fmt.Sprintf("cdn-%d.static.%s%d.%s", i%100, words[(i/3)%len(words)], i%1000, tlds[(i/11)%len(tlds)])
		}
		evs[i] = scoring.Event{
			Time:  time.Unix(1_700_000_000+int64(i), 0),
			Type:  scoring.TypeDNS,
			SrcIP: netip.AddrFrom4([4]byte{10, 0, byte(i >> 8 % 4), byte(i)}),
			DstIP: netip.AddrFrom4([4]byte{10, 0, 0, 53}), DstPort: 53, SrcPort: uint16(1024 + i),
			Proto: scoring.ProtoUDP,
			DNS: scoring.DNS{Query: q, QType: 1, Rcode: scoring.RcodeNoError, Response: true,
				Answers: []string{fmt.Sprintf("192.0.%d.%d", i>>8%256, i%256)}, TTLs: []float64{300}},
		}
	}
	return evs
}

// BenchmarkProcessDNS measures DNS events through the whole engine (default
// scope, built-ins and a large feed loaded, every configured detector on).
func BenchmarkProcessDNS(b *testing.B) { benchProcess(b, dnsEvents(benchNames), 0) }

// BenchmarkProcessDNSUnique is BenchmarkProcessDNS over names that do not
// repeat: a ring of uniqueNames events (8 times the largest name cache)
// whose query names, and most of whose registered domains and answer
// addresses, are distinct, so per-name caches never hit.
func BenchmarkProcessDNSUnique(b *testing.B) { benchProcess(b, uniqueDNSEvents(uniqueNames), 0) }

// benchProcess warms the engine up on evs (first sightings alert, later
// ones are suppressed), then times cycling through them; len(evs) must be
// a power of two. A span other than 0 moves each event's time on by span
// after it is scored, so that time never runs backwards.
func benchProcess(b *testing.B, evs []scoring.Event, span time.Duration) {
	ix, desc := benchIndex(b)
	e, err := engine.New(benchConfig(), engine.Deps{Intel: ix, Scope: benchScope(b)})
	if err != nil {
		b.Fatal(err)
	}
	alerts := 0
	emit := func(*scoring.Alert) { alerts++ }
	process := func(i int) {
		ev := &evs[i&(len(evs)-1)]
		e.Process(ev, emit)
		if span != 0 {
			ev.Time = ev.Time.Add(span)
		}
	}
	for i := range evs {
		process(i)
	}
	b.Logf("index: %s (%d keys), %d distinct events, %d alerts warming up", desc, ix.Len(), len(evs), alerts)
	runTimed(b, process)
}

// uniqueNames is the ring size of BenchmarkProcessDNSUnique (a power of two
// below the synthetic feed's 200k domains, so every listed name is listed).
const uniqueNames = 1 << 17

// uniqueDNSEvents is dnsEvents' mix with the event number in every name:
// listed names (1 in 64), fresh hosts of shared domains (1 in 3) and
// CDN-style names under distinct registered domains (the rest), each
// answered with a distinct address.
func uniqueDNSEvents(n int) []scoring.Event {
	words := strings.Fields("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu")
	tlds := []string{"com", "net", "org", "co.uk", "de", "io"}
	evs := dnsEvents(n)
	for i := range evs {
		var q string
		switch {
		case i%64 == 0:
			q = fmt.Sprintf("www.bad%d-%x.example%d.test", i, i*7919, i%97)
		case i%3 == 0:
			q = fmt.Sprintf("%s%d.%s.%s", words[i%len(words)], i, words[(i/7)%len(words)], tlds[i%len(tlds)])
		default:
			q = fmt.Sprintf("cdn-%d.static.%s%d.%s", i%100, words[(i/3)%len(words)], i, tlds[(i/11)%len(tlds)])
		}
		evs[i].DNS.Query = q
		evs[i].DNS.Answers = []string{fmt.Sprintf("198.%d.%d.%d", 18+(i>>16)%2, i>>8%256, i%256)}
	}
	return evs
}

// BenchmarkProcessLookups replays the lookup mix issue 19's throughput
// targets are judged on (plugin/fluentbit/harness.Lookups, as fbgen writes
// it: popular names, NX floods of random names from two hosts, brand
// lookalikes), decoded from Zeek TSV as nfr score decodes it, through an
// engine with every default detector. The ring of lookupRing events is
// larger than the name caches, so its random names are not cache hits;
// each event's time moves on by the ring's span after it is scored, so
// time never runs backwards.
func BenchmarkProcessLookups(b *testing.B) {
	evs := lookupEvents(b, lookupRing)
	span := evs[len(evs)-1].Time.Sub(evs[0].Time) + 1500*time.Millisecond
	benchProcess(b, evs, span)
}

// lookupRing is BenchmarkProcessLookups' ring of events (a power of two,
// 8 times the engine's name cache).
const lookupRing = 1 << 17

// lookupEvents decodes n generated lookups (fbgen's seed) from Zeek TSV.
func lookupEvents(b *testing.B, n int) []scoring.Event {
	log := harness.WriteLog("zeek-tsv", harness.Lookups(7, n))
	r := zeek.NewReader(strings.NewReader(log), "lookups")
	evs := make([]scoring.Event, n)
	for i := range evs {
		if err := r.Next(&evs[i]); err != nil {
			b.Fatalf("lookup %d: %v", i, err)
		}
	}
	return evs
}

// BenchmarkProcessDNSNoMatch is the pure hot path: no event matches.
func BenchmarkProcessDNSNoMatch(b *testing.B) {
	ix, _ := benchIndex(b)
	e, err := engine.New(benchConfig(), engine.Deps{Intel: ix, Scope: benchScope(b)})
	if err != nil {
		b.Fatal(err)
	}
	evs := dnsEvents(benchNames)
	for i := range evs {
		if i%64 == 0 {
			evs[i].DNS.Query = "www.example.com"
		}
	}
	emit := func(*scoring.Alert) {}
	runTimed(b, func(i int) { e.Process(&evs[i&(len(evs)-1)], emit) })
}

// runTimed runs fn b.N times and reports events per second of wall time and
// per second of this process's CPU time (user+system, GC included): on a
// shared machine the latter is the per-core rate.
func runTimed(b *testing.B, fn func(i int)) {
	b.ReportAllocs()
	runtime.GC() // setup garbage must not be collected on the clock
	cpu0 := benchcpu.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fn(i)
	}
	b.StopTimer()
	cpu := benchcpu.Now() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
}

// benchConfig is the default configuration; with $NFR_BENCH_INTEL_ONLY set
// every detector is off, to measure the engine core alone.
func benchConfig() engine.Config {
	cfg := engine.DefaultConfig()
	if os.Getenv("NFR_BENCH_INTEL_ONLY") != "" {
		sections := reflect.ValueOf(&cfg.Detectors).Elem() // every registered detector
		for i := 0; i < sections.NumField(); i++ {
			sections.Field(i).FieldByName("Enabled").SetBool(false)
		}
	}
	return cfg
}

// benchNames is the number of distinct events (names) cycled through: a
// working set of names, as resolvers see.
const benchNames = 1 << 11

// benchScope is the default scope (RFC 1918 and ULA sources in scope;
// .arpa, .local, .lan, .internal trusted), as nfr runs without a scope.yml.
func benchScope(b *testing.B) *scope.Set {
	set, err := config.DefaultScopeFile().Compile()
	if err != nil {
		b.Fatal(err)
	}
	return set
}
