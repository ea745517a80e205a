package icmptunnel

import (
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/detectortest"
)

var (
	t0     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	client = netip.MustParseAddr("10.0.0.5")
	server = netip.MustParseAddr("192.0.2.10")
)

type feeder struct {
	detectortest.Feeder[*Detector]
}

func newFeeder(cfg Config) *feeder {
	return &feeder{Feeder: detectortest.Feeder[*Detector]{D: New(cfg)}}
}

// echo sends a request with payload req and, when rep is not nil, a reply
// carrying rep, as the sniffer reports them.
func (f *feeder) echo(at time.Time, id, seq uint16, req, rep []byte) {
	f.message(at, client, server, echoRequest, id, seq, req)
	if rep != nil {
		f.message(at.Add(20*time.Millisecond), server, client, echoReply, id, seq, rep)
	}
}

func (f *feeder) message(at time.Time, src, dst netip.Addr, typ uint8, id, seq uint16, payload []byte) {
	f.Ev.Reset()
	f.Ev.Type, f.Ev.Time, f.Ev.SrcIP, f.Ev.DstIP, f.Ev.Proto = scoring.TypeICMP, at, src, dst, scoring.ProtoICMP
	f.Ev.ICMP = scoring.ICMP{Type: typ, ID: id, Seq: seq, PayloadLen: len(payload),
		PayloadEntropy: entropy(payload), PayloadDigest: digest(payload)}
	f.Run(nil)
}

func digest(b []byte) uint64 {
	if len(b) == 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

// linuxPing is iputils' payload: a 16-byte timeval, then byte i = i.
func linuxPing(at time.Time, size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(i)
	}
	var tv [16]byte
	binary.LittleEndian.PutUint64(tv[0:], uint64(at.Unix()))
	binary.LittleEndian.PutUint64(tv[8:], uint64(at.Nanosecond()/1000))
	copy(b, tv[:min(size, 16)])
	return b
}

func windowsPing(size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = 'a' + byte(i%23)
	}
	return b
}

func randPayload(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func TestStandardPingsSilent(t *testing.T) {
	f := newFeeder(DefaultConfig())
	at := t0
	// Linux ping, default size, 5 minutes at 1/s.
	for seq := 0; seq < 300; seq++ {
		at = at.Add(time.Second)
		p := linuxPing(at, 56)
		f.echo(at, 4242, uint16(seq), p, p)
	}
	// Windows ping, default and -l 1000.
	for seq := 0; seq < 20; seq++ {
		at = at.Add(time.Second)
		f.echo(at, 1, uint16(seq), windowsPing(32), windowsPing(32))
		f.echo(at, 2, uint16(seq), windowsPing(1000), windowsPing(1000))
	}
	// An MTU search by hand: several runs of ping -s, one id each.
	for run, size := range []int{1472, 1400, 1300, 1200, 1000, 576, 100} {
		for seq := 0; seq < 3; seq++ {
			at = at.Add(time.Second)
			p := linuxPing(at, size)
			f.echo(at, uint16(100+run), uint16(seq), p, p)
		}
	}
	// fping (zeros) and ping -p ff.
	for seq := 0; seq < 20; seq++ {
		at = at.Add(time.Second)
		f.echo(at, 7, uint16(seq), make([]byte, 56), make([]byte, 56))
		ff := []byte(strings.Repeat("\xff", 56))
		f.echo(at, 8, uint16(seq), ff, ff)
	}
	for _, h := range f.Hits {
		t.Errorf("standard ping raised %s: %+v", h.Evidence.Rule, h.Evidence.Figures)
	}
}

// hping3 --file: text chunks of a fixed size, echoed back unchanged.
func TestTextExfilSameSize(t *testing.T) {
	text := strings.Repeat("Quarterly results draft: revenue up, costs flat; do not share outside finance. ", 20)
	f := newFeeder(DefaultConfig())
	for i := 0; i < 5; i++ {
		chunk := []byte(text[i*95 : (i+1)*95])
		f.echo(t0.Add(time.Duration(i)*5*time.Second), 28567, uint16(i*256), chunk, chunk)
	}
	if len(f.Hits) != 1 || f.Hits[0].Evidence.Rule != RuleNonPing {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

// Base64 chunks of varying sizes, a new echo id per packet (pyexfil).
func TestVaryingSizesNewIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := newFeeder(DefaultConfig())
	for i, n := range []int{45, 516, 92, 4, 43} {
		chunk := []byte(b64(randPayload(rng, n*3/4+1))[:n])
		f.echo(t0.Add(time.Duration(i)*100*time.Millisecond), uint16(i), 0, chunk, chunk)
	}
	if len(f.Hits) != 1 {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

// A tunnel carrying encrypted traffic: high-entropy payloads of varying
// size; the far end answers with its own data (ptunnel-ng style), after the
// kernel's own echo.
func TestHighEntropyTunnel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	f := newFeeder(DefaultConfig())
	for seq := 0; seq < 50; seq++ {
		at := t0.Add(time.Duration(seq) * 50 * time.Millisecond)
		req := randPayload(rng, 60+rng.IntN(900))
		f.echo(at, 0xd520, uint16(seq), req, req)
		f.message(at.Add(30*time.Millisecond), server, client, echoReply, 0xd520, uint16(seq), randPayload(rng, 60+rng.IntN(900)))
	}
	if len(f.Hits) != 1 {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

// Replies that differ from their requests, fixed size, ping-like entropy.
func TestReplyMismatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	f := newFeeder(DefaultConfig())
	for seq := 0; seq < 10; seq++ {
		f.echo(t0.Add(time.Duration(seq)*time.Second), 9, uint16(seq), randPayload(rng, 56), randPayload(rng, 56))
	}
	if len(f.Hits) != 1 || f.Hits[0].Evidence.Rule != RuleReplyMismatch {
		t.Fatalf("hits = %+v", f.Hits)
	}
	if f.Hits[0].Evidence.Indicator != server.String() {
		t.Fatalf("indicator = %q", f.Hits[0].Evidence.Indicator)
	}
}

func TestFlowSummaries(t *testing.T) {
	f := newFeeder(DefaultConfig())
	flow := func(at time.Time, origBytes, respBytes, pkts uint64) {
		f.Ev.Reset()
		f.Ev.Type, f.Ev.Time, f.Ev.Proto = scoring.TypeFlow, at, scoring.ProtoICMP
		f.Ev.SrcIP, f.Ev.DstIP, f.Ev.SrcPort, f.Ev.DstPort = client, server, 8, 0
		f.Ev.Flow = scoring.Flow{OrigBytes: origBytes, RespBytes: respBytes, OrigPkts: pkts, RespPkts: pkts}
		f.Run(nil)
	}
	flow(t0, 5*56, 5*56, 5) // five pings
	if len(f.Hits) != 0 {
		t.Fatalf("pings raised %+v", f.Hits)
	}
	flow(t0.Add(time.Minute), 3000*400, 3000*400, 3000)
	if len(f.Hits) != 1 || f.Hits[0].Evidence.Rule != RuleVolume {
		t.Fatalf("hits = %+v", f.Hits)
	}
	f2 := newFeeder(DefaultConfig())
	f = f2
	flow(t0, 20*64, 20*300, 20)
	if len(f.Hits) != 1 || f.Hits[0].Evidence.Rule != RuleReplyMismatch {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

func TestProfiles(t *testing.T) {
	// The default Linux ping and Windows ping fit their profiles; English
	// text of the same length does not.
	for _, tc := range []struct {
		payload []byte
		same    tristate
		want    int
	}{
		{linuxPing(t0, 56), unknown, pingLike},
		{linuxPing(t0, 1400), no, pingLike},
		{windowsPing(32), yes, pingLike},
		{windowsPing(200), yes, pingLike},
		{windowsPing(200), unknown, unjudged},
		{windowsPing(200), no, notPing},
		{[]byte("The quick brown fox jumps over the lazy dog while the 56 b"), no, notPing},
		{[]byte("short"), unknown, unjudged},
	} {
		if got := classify(len(tc.payload), entropy(tc.payload), tc.same, 0.25); got != tc.want {
			t.Errorf("classify(%q) = %d, want %d", tc.payload[:min(len(tc.payload), 20)], got, tc.want)
		}
	}
}

func TestStateBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxKeys = 50
	f := newFeeder(cfg)
	for i := 0; i < 500; i++ {
		dst := netip.AddrFrom4([4]byte{192, 0, 2, byte(i)})
		f.message(t0, netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), dst, echoRequest, 1, 1, windowsPing(32))
	}
	if st := f.D.State(); st.Entries != 50 || st.Evictions != 450 {
		t.Fatalf("state = %+v", st)
	}
}

func TestNoAllocationWithoutAlert(t *testing.T) {
	f := newFeeder(DefaultConfig())
	p := linuxPing(t0, 56)
	f.message(t0, client, server, echoRequest, 1, 1, p)
	seq := uint16(0)
	allocs := testing.AllocsPerRun(1000, func() {
		seq++
		f.Ev.Time = f.Ev.Time.Add(time.Second)
		f.Ev.ICMP.Seq = seq
		f.Report.Reset()
		f.D.Inspect(&f.Ev, nil, &f.Report)
	})
	if allocs != 0 || len(f.Report.Hits) != 0 {
		t.Fatalf("%v allocations per event, hits %v", allocs, f.Report.Hits)
	}
}

func TestValidate(t *testing.T) {
	detectortest.CheckConfigKeys(t, DefaultConfig, Config.Validate, map[string]func(*Config){
		"window":            func(c *Config) { c.Window = 0 },
		"min_packets":       func(c *Config) { c.MinPackets = 0 },
		"min_bytes":         func(c *Config) { c.MinBytes = -1 },
		"min_mismatch":      func(c *Config) { c.MinMismatch = 0 },
		"max_sizes":         func(c *Config) { c.MaxSizes = 9 },
		"volume_bytes":      func(c *Config) { c.VolumeBytes = 0 },
		"entropy_tolerance": func(c *Config) { c.EntropyTolerance = -1 },
		"max_keys":          func(c *Config) { c.MaxKeys = 0 },
	})
}

func b64(b []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var s strings.Builder
	for i := 0; i+2 < len(b); i += 3 {
		v := uint(b[i])<<16 | uint(b[i+1])<<8 | uint(b[i+2])
		for j := 18; j >= 0; j -= 6 {
			s.WriteByte(alphabet[v>>uint(j)&63])
		}
	}
	return s.String() + "AAAA"
}

func BenchmarkInspect(b *testing.B) {
	f := newFeeder(DefaultConfig())
	p := linuxPing(t0, 56)
	f.message(t0, client, server, echoRequest, 1, 1, p)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Ev.Time = t0.Add(time.Duration(i) * time.Millisecond)
		f.Ev.ICMP.Seq = uint16(i)
		if i&1 == 0 {
			f.Ev.ICMP.Type, f.Ev.SrcIP, f.Ev.DstIP = echoRequest, client, server
		} else {
			f.Ev.ICMP.Type, f.Ev.SrcIP, f.Ev.DstIP = echoReply, server, client
		}
		f.Report.Reset()
		f.D.Inspect(&f.Ev, nil, &f.Report)
	}
}

// A tunnel to an outside proxy whose replies the engine does not see (it
// scores internal sources only): encrypted data of varying size and the
// tool's small control packets (magic, state and ack numbers).
func TestTunnelRequestsOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	f := newFeeder(DefaultConfig())
	control := []byte{0xde, 0xad, 0xc0, 0xde, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0}
	for seq := 0; seq < 40; seq++ {
		var p []byte
		if seq%5 == 0 {
			control[7] = byte(seq)
			p = control
		} else {
			p = randPayload(rng, 100+rng.IntN(1300))
		}
		f.echo(t0.Add(time.Duration(seq)*20*time.Millisecond), 0x1d95, uint16(seq), p, nil)
	}
	if len(f.Hits) != 1 {
		t.Fatalf("hits = %+v", f.Hits)
	}
	t.Logf("rule %s", f.Hits[0].Evidence.Rule)
}
