package lateral

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/detectortest"
)

var (
	t0       = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	attacker = netip.MustParseAddr("10.0.0.50")
)

type feeder struct {
	detectortest.Feeder[*Detector]
}

func newFeeder(cfg Config) *feeder {
	return &feeder{Feeder: detectortest.Feeder[*Detector]{D: New(cfg)}}
}

func (f *feeder) flow(at time.Time, src, dst netip.Addr, port uint16, state string) {
	f.Ev.Reset()
	f.Ev.Type, f.Ev.Time, f.Ev.Proto = scoring.TypeFlow, at, scoring.ProtoTCP
	f.Ev.SrcIP, f.Ev.DstIP, f.Ev.SrcPort, f.Ev.DstPort = src, dst, 50000, port
	f.Ev.Flow.ConnState = state
	f.Run(nil)
}

func internal(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 20, byte(i >> 8), byte(i)}) }

func TestAdminFanout(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := newFeeder(DefaultConfig())
	ports := []uint16{445, 135, 3389, 5985, 22, 23}
	for i := 0; i < 30; i++ {
		for _, p := range ports {
			state := []string{"SF", "REJ", "S0"}[rng.IntN(3)]
			f.flow(t0.Add(time.Duration(f.N)*200*time.Millisecond), attacker, internal(i), p, state)
		}
	}
	if len(f.Hits) != 1 || f.FirstAny() != 9*len(ports)+1 {
		t.Fatalf("%d hits, first at event %d", len(f.Hits), f.FirstAny())
	}
	ev := f.Hits[0].Evidence
	if f.Hits[0].Threat != scoring.LateralMovement || ev.Indicator != attacker.String() {
		t.Fatalf("hit = %+v", f.Hits[0])
	}
	nports := 0
	for _, fg := range ev.Figures {
		if fg.Name == "port" {
			nports++
		}
	}
	if nports != len(ports) {
		t.Fatalf("figures = %+v", ev.Figures)
	}
}

func TestBenignAdminTrafficSilent(t *testing.T) {
	f := newFeeder(DefaultConfig())
	client := netip.MustParseAddr("10.0.0.7")
	for i := 0; i < 2000; i++ {
		at := t0.Add(time.Duration(i) * 3 * time.Second)
		f.flow(at, client, internal(1), 445, "SF")                                               // file server
		f.flow(at, client, internal(2), 135, "SF")                                               // domain controller
		f.flow(at, client, internal(3+i%5), 22, "SF")                                            // an admin's five servers
		f.flow(at, client, netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}), 22, "SF")               // git over SSH to outside hosts
		f.flow(at, netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}), internal(i%200), 3389, "S0") // internet RDP scanning: not lateral
		f.flow(at, client, internal(i%300), 443, "SF")                                           // web, not administrative
	}
	for _, h := range f.Hits {
		t.Errorf("benign traffic raised %+v", h.Evidence)
	}
}

func TestLocalFlagsCountAsInternal(t *testing.T) {
	cfg := DefaultConfig()
	cfg.InternalNetworks = nil
	f := newFeeder(cfg)
	src := netip.MustParseAddr("198.51.100.7")
	for i := 0; i < 12; i++ {
		f.Ev.Reset()
		f.Ev.Type, f.Ev.Time, f.Ev.Proto = scoring.TypeFlow, t0, scoring.ProtoTCP
		f.Ev.SrcIP, f.Ev.DstIP, f.Ev.DstPort = src, netip.AddrFrom4([4]byte{198, 51, 100, byte(100 + i)}), 445
		f.Ev.Flow.LocalOrig, f.Ev.Flow.LocalResp = true, true
		f.Run(nil)
	}
	if len(f.Hits) != 1 {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

func TestStateBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxKeys = 10
	f := newFeeder(cfg)
	for i := 0; i < 100; i++ {
		f.flow(t0, internal(i), internal(i+1), 445, "SF")
	}
	if st := f.D.State(); st.Entries != 10 || st.Evictions != 90 {
		t.Fatalf("state = %+v", st)
	}
}

func TestNoAllocationWithoutAlert(t *testing.T) {
	f := newFeeder(DefaultConfig())
	f.flow(t0, attacker, internal(1), 445, "SF")
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		i++
		f.Ev.Time = t0.Add(time.Duration(i) * time.Millisecond)
		f.Ev.DstIP = internal(i % 5)
		f.Report.Reset()
		f.D.Inspect(&f.Ev, nil, &f.Report)
	})
	if allocs != 0 || len(f.Report.Hits) != 0 {
		t.Fatalf("%v allocations per event", allocs)
	}
}

func TestValidate(t *testing.T) {
	detectortest.CheckConfigKeys(t, DefaultConfig, Config.Validate, map[string]func(*Config){
		"window":               func(c *Config) { c.Window = 0 },
		"min_hosts":            func(c *Config) { c.MinHosts = 1 },
		"ports":                func(c *Config) { c.Ports = nil },
		"ports[1]":             func(c *Config) { c.Ports = []uint16{22, 0} },
		"internal_networks[0]": func(c *Config) { c.InternalNetworks = []string{"10.0.0.0/33"} },
		"max_keys":             func(c *Config) { c.MaxKeys = 0 },
	})
}

func BenchmarkInspect(b *testing.B) {
	f := newFeeder(DefaultConfig())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Ev.Type, f.Ev.Proto = scoring.TypeFlow, scoring.ProtoTCP
		f.Ev.Time = t0.Add(time.Duration(i) * time.Millisecond)
		f.Ev.SrcIP, f.Ev.DstIP = internal(i&1023), internal(2048+i&3)
		f.Ev.DstPort = []uint16{445, 443}[i&1]
		f.Report.Reset()
		f.D.Inspect(&f.Ev, nil, &f.Report)
	}
}
