package scan

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/detectortest"
)

var (
	t0      = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	scanner = netip.MustParseAddr("10.0.0.66")
)

type feeder struct {
	detectortest.Feeder[*Detector]
}

func newFeeder(cfg Config) *feeder {
	return &feeder{Feeder: detectortest.Feeder[*Detector]{D: New(cfg)}}
}

func (f *feeder) flow(at time.Time, src, dst netip.Addr, port uint16, proto scoring.Proto, state string) {
	f.flowHistory(at, src, dst, port, proto, state, "")
}

func (f *feeder) flowHistory(at time.Time, src, dst netip.Addr, port uint16, proto scoring.Proto, state, history string) {
	f.Ev.Reset()
	f.Ev.Type, f.Ev.Time, f.Ev.Proto = scoring.TypeFlow, at, proto
	f.Ev.SrcIP, f.Ev.DstIP, f.Ev.SrcPort, f.Ev.DstPort = src, dst, 40000+uint16(f.N%20000), port
	f.Ev.Flow = scoring.Flow{ConnState: state, History: history, OrigPkts: 1, RespPkts: 1}
	f.Run(nil)
}

func host(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}) }

func TestPortScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := newFeeder(DefaultConfig())
	target := host(5)
	open := map[uint16]bool{22: true, 80: true, 443: true}
	for _, p := range rng.Perm(1024) {
		port := uint16(p + 1)
		state := "REJ"
		if open[port] {
			state = "RSTO" // SYN, SYN-ACK, RST from the scanner (nmap -sS)
		}
		f.flow(t0.Add(time.Duration(f.N)*time.Millisecond), scanner, target, port, scoring.ProtoTCP, state)
	}
	if f.Count(scoring.PortScan) != 1 || f.First(scoring.PortScan) > 12 {
		t.Fatalf("port_scan hits %d, first at attempt %d", f.Count(scoring.PortScan), f.First(scoring.PortScan))
	}
	if f.Count(scoring.AddressScan) != 0 {
		t.Fatal("a port scan of one host raised address_scan")
	}
	ev := f.Hits[0].Evidence
	if ev.Indicator != target.String() || ev.Rule != "trw_ports" {
		t.Fatalf("evidence = %+v", ev)
	}
}

func TestAddressScanFiltered(t *testing.T) {
	f := newFeeder(DefaultConfig())
	for i := 1; i < 255; i++ {
		state := "S0" // filtered: no answer
		if i%40 == 0 {
			state = "SF"
		}
		f.flow(t0.Add(time.Duration(i)*10*time.Millisecond), scanner, host(i), 445, scoring.ProtoTCP, state)
	}
	if f.Count(scoring.AddressScan) != 1 || f.First(scoring.AddressScan) > 12 {
		t.Fatalf("address_scan hits %d, first at %d", f.Count(scoring.AddressScan), f.First(scoring.AddressScan))
	}
	if h := f.Hits[0]; h.Evidence.Indicator != "tcp/445" {
		t.Fatalf("indicator %q", h.Evidence.Indicator)
	}
}

func TestOncePerWindow(t *testing.T) {
	f := newFeeder(DefaultConfig())
	for i := 0; i < 3000; i++ {
		f.flow(t0.Add(time.Duration(i)*time.Second), scanner, host(7), uint16(1+i%1000), scoring.ProtoTCP, "REJ")
	}
	// 50 minutes: windows at 0, 10, 20, 30, 40 minutes.
	if n := f.Count(scoring.PortScan); n != 5 {
		t.Fatalf("port_scan raised %d times over 5 windows", n)
	}
}

func TestBenignSilent(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	f := newFeeder(DefaultConfig())
	client := netip.MustParseAddr("10.0.0.9")
	at := t0
	next := func() time.Time { at = at.Add(time.Duration(rng.IntN(4000)) * time.Millisecond); return at }
	for i := 0; i < 2000; i++ {
		// Browsing: many hosts on 443, a few dead.
		state := "SF"
		if rng.IntN(20) == 0 {
			state = "S0"
		}
		f.flow(next(), client, netip.AddrFrom4([4]byte{203, 0, byte(rng.IntN(4)), byte(rng.IntN(256))}), 443, scoring.ProtoTCP, state)
		// DNS to resolvers, answered.
		f.flow(next(), client, netip.AddrFrom4([4]byte{192, 0, 2, byte(rng.IntN(64))}), 53, scoring.ProtoUDP, "SF")
		// Passive FTP: a new data port on one server each time, all fine.
		f.flow(next(), client, host(21), uint16(30000+rng.IntN(30000)), scoring.ProtoTCP, "SF")
		// A service that keeps refusing: one port, many retries.
		f.flow(next(), client, host(22), 8080, scoring.ProtoTCP, "REJ")
		// Midstream flows say nothing.
		f.flow(next(), client, host(23), uint16(rng.IntN(65535)), scoring.ProtoTCP, "OTH")
	}
	for _, h := range f.Hits {
		t.Errorf("benign traffic raised %s %+v", h.Threat, h.Evidence)
	}
}

func TestOutcome(t *testing.T) {
	for _, tc := range []struct {
		f             scoring.Flow
		failed, known bool
	}{
		{scoring.Flow{ConnState: "S0"}, true, true},
		{scoring.Flow{ConnState: "REJ"}, true, true},
		{scoring.Flow{ConnState: "SF"}, false, true},
		{scoring.Flow{ConnState: "OTH"}, false, false},
		{scoring.Flow{ConnState: "OTH", History: "Fr", OrigPkts: 1, RespPkts: 1}, true, true},
		{scoring.Flow{ConnState: "OTH", History: "r", OrigPkts: 1, RespPkts: 1}, true, true},
		{scoring.Flow{ConnState: "OTH", History: "Dd", OrigPkts: 4, RespPkts: 4, OrigBytes: 300}, false, false},
		{scoring.Flow{ConnState: "XYZ"}, false, false},
		{scoring.Flow{}, true, true},
		{scoring.Flow{RespPkts: 1}, false, true},
	} {
		if failed, known := outcome(&tc.f); failed != tc.failed || known != tc.known {
			t.Errorf("outcome(%+v) = %v, %v", tc.f, failed, known)
		}
	}
}

func TestStateBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxKeys = 64
	f := newFeeder(cfg)
	for i := 0; i < 1000; i++ {
		f.flow(t0, host(i), host(i+1), uint16(i), scoring.ProtoTCP, "SF")
	}
	if st := f.D.State(); st.Entries != 128 || st.Capacity != 128 || st.Evictions != 2*(1000-64) {
		t.Fatalf("state = %+v", st)
	}
}

func TestNoAllocationWithoutAlert(t *testing.T) {
	f := newFeeder(DefaultConfig())
	f.flow(t0, scanner, host(1), 443, scoring.ProtoTCP, "SF")
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		i++
		f.Ev.Time = t0.Add(time.Duration(i) * time.Millisecond)
		f.Ev.DstIP = host(i % 500)
		f.Report.Reset()
		f.D.Inspect(&f.Ev, nil, &f.Report)
	})
	if allocs != 0 || len(f.Hits) != 0 {
		t.Fatalf("%v allocations per event", allocs)
	}
}

func TestValidate(t *testing.T) {
	detectortest.CheckConfigKeys(t, DefaultConfig, Config.Validate, map[string]func(*Config){
		"window":           func(c *Config) { c.Window = 0 },
		"min_ports":        func(c *Config) { c.MinPorts = 1 },
		"min_hosts":        func(c *Config) { c.MinHosts = 1000 },
		"benign_success":   func(c *Config) { c.BenignSuccess = 1 },
		"scanner_success":  func(c *Config) { c.ScannerSuccess = 0.9 },
		"detection_rate":   func(c *Config) { c.DetectionRate = 0 },
		"false_alarm_rate": func(c *Config) { c.FalseAlarmRate = 0.995 },
		"max_keys":         func(c *Config) { c.MaxKeys = 0 },
	})
}

func BenchmarkInspect(b *testing.B) {
	f := newFeeder(DefaultConfig())
	f.flow(t0, scanner, host(1), 443, scoring.ProtoTCP, "SF")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Ev.Time = t0.Add(time.Duration(i) * time.Millisecond)
		f.Ev.SrcIP = host(i & 1023)
		f.Ev.DstIP = host(2048 + i&255)
		f.Report.Reset()
		f.D.Inspect(&f.Ev, nil, &f.Report)
	}
}

// A short, slow scan of a few common ports: two open, the rest refused.
func TestSmallSlowPortScan(t *testing.T) {
	f := newFeeder(DefaultConfig())
	target := host(2)
	// Two open ports, two refused SYNs, then FIN, NULL and Xmas probes
	// answered with a reset (Zeek and the sniffer: OTH).
	for i, p := range []struct {
		port           uint16
		state, history string
	}{{80, "RSTO", "ShAR"}, {443, "RSTO", "ShAR"}, {445, "REJ", "Sr"}, {3389, "REJ", "Sr"}, {3390, "OTH", "Fr"}, {3391, "OTH", "r"}, {3392, "OTH", "Fr"}} {
		f.flowHistory(t0.Add(time.Duration(i)*7*time.Second), scanner, target, p.port, scoring.ProtoTCP, p.state, p.history)
	}
	if f.Count(scoring.PortScan) != 1 || f.First(scoring.PortScan) != 6 {
		t.Fatalf("port_scan hits %d, first at %d", f.Count(scoring.PortScan), f.First(scoring.PortScan))
	}
}

// A client trying a media relay's fallback ports, all unanswered.
func TestFallbackPortsSilent(t *testing.T) {
	f := newFeeder(DefaultConfig())
	for round := 0; round < 10; round++ {
		for p := uint16(3478); p <= 3481; p++ {
			f.flow(t0.Add(time.Duration(round)*time.Minute), scanner, host(3), p, scoring.ProtoUDP, "S0")
		}
	}
	if len(f.Hits) != 0 {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

// A ping sweep as Zeek logs it: one ICMP flow per probed host, echo type
// in the source port, most unanswered.
func TestPingSweepFromFlows(t *testing.T) {
	f := newFeeder(DefaultConfig())
	for i := 1; i < 255; i++ {
		f.Ev.Reset()
		f.Ev.Type, f.Ev.Time, f.Ev.Proto = scoring.TypeFlow, t0.Add(time.Duration(i)*5*time.Millisecond), scoring.ProtoICMP
		f.Ev.SrcIP, f.Ev.DstIP, f.Ev.SrcPort, f.Ev.DstPort = scanner, host(i), 8, 0
		f.Ev.Flow = scoring.Flow{ConnState: "OTH", OrigPkts: 1, OrigBytes: 0}
		if i%25 == 0 {
			f.Ev.Flow.RespPkts = 1
		}
		f.Run(nil)
	}
	if len(f.Hits) != 1 || f.Hits[0].Threat != scoring.AddressScan || f.Hits[0].Evidence.Indicator != "icmp/echo" {
		t.Fatalf("hits = %+v", f.Hits)
	}
	// Pings to a few answering hosts are not a sweep.
	g := newFeeder(DefaultConfig())
	for i := 0; i < 100; i++ {
		g.Ev.Reset()
		g.Ev.Type, g.Ev.Time, g.Ev.Proto = scoring.TypeFlow, t0.Add(time.Duration(i)*time.Second), scoring.ProtoICMP
		g.Ev.SrcIP, g.Ev.DstIP, g.Ev.SrcPort = scanner, host(i%4), 8
		g.Ev.Flow = scoring.Flow{OrigPkts: 5, RespPkts: 5, OrigBytes: 280, RespBytes: 280}
		g.Report.Reset()
		g.D.Inspect(&g.Ev, nil, &g.Report)
		if len(g.Report.Hits) != 0 {
			t.Fatalf("pings raised %+v", g.Report.Hits)
		}
	}
}
