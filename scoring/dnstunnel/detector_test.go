package dnstunnel

import (
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/detectortest"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// feeder runs names through one detector as DNS events from one host.
type feeder struct {
	detectortest.Feeder[*Detector]
	host netip.Addr
}

func newFeeder(cfg Config, host string) *feeder {
	return &feeder{Feeder: detectortest.Feeder[*Detector]{D: New(cfg)}, host: netip.MustParseAddr(host)}
}

func (f *feeder) query(at time.Time, q string, qtype uint16, categories ...string) {
	f.Ev.Reset()
	f.Ev.Type, f.Ev.Time, f.Ev.SrcIP = scoring.TypeDNS, at, f.host
	f.Ev.DNS.Query, f.Ev.DNS.QType = q, qtype
	f.Name.Parse(q)
	f.Run(&f.Name, categories...)
}

func randBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// tunnelName builds an iodine/dnscat-style name: a sequence number and
// base32 data split into labels of at most 63 characters.
func tunnelName(rng *rand.Rand, seq int, dataLen int, zone string) string {
	enc := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(randBytes(rng, dataLen)))
	var b strings.Builder
	fmt.Fprintf(&b, "%04x", seq)
	for len(enc) > 0 {
		n := min(len(enc), 63)
		b.WriteString("." + enc[:n])
		enc = enc[n:]
	}
	return b.String() + "." + zone
}

func TestTunnelFlaggedQuickly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := newFeeder(DefaultConfig(), "10.0.0.5")
	for i := 0; i < 200; i++ {
		q := tunnelName(rng, i, 20+rng.IntN(100), "t.exfil-example.net")
		if i%3 == 2 {
			q = fmt.Sprintf("p%d.t.exfil-example.net", i) // short polling query
		}
		f.query(t0.Add(time.Duration(i)*100*time.Millisecond), q, 10) // NULL
	}
	if f.FirstAny() == 0 || f.FirstAny() > 50 {
		t.Fatalf("tunnel flagged at query %d, want within 50", f.FirstAny())
	}
	if len(f.Hits) != 1 {
		t.Fatalf("got %d hits in one window, want 1", len(f.Hits))
	}
	ev := f.Hits[0].Evidence
	if f.Hits[0].Threat != scoring.DNSTunneling || ev.Indicator != "exfil-example.net" || ev.Detector != "dnstunnel" {
		t.Fatalf("hit = %+v", f.Hits[0])
	}
	if fig(ev, "mean_name_bytes") < 20 || fig(ev, "unique_subdomains") < 10 || fig(ev, "tunnel_rrtype_share") != 1 {
		t.Fatalf("figures = %+v", ev.Figures)
	}
}

func TestTunnelRaisedOncePerWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cfg := DefaultConfig()
	f := newFeeder(cfg, "10.0.0.6")
	// One query every 10s for 25 minutes: windows at 0, 10m, 20m.
	for i := 0; i < 150; i++ {
		f.query(t0.Add(time.Duration(i)*10*time.Second), tunnelName(rng, i, 60, "tun.example.com"), 16)
	}
	if len(f.Hits) != 3 {
		t.Fatalf("got %d hits over 3 windows, want 3", len(f.Hits))
	}
}

func TestExfilInShortNamesByVolume(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cfg := DefaultConfig()
	f := newFeeder(cfg, "10.0.0.7")
	// 12 hex characters (6 bytes) per name: under name_bytes, caught by volume.
	for i := 0; i < 3000; i++ {
		q := hex.EncodeToString(randBytes(rng, 6)) + ".x.data-example.org"
		f.query(t0.Add(time.Duration(i)*50*time.Millisecond), q, 1)
	}
	if len(f.Hits) != 1 || f.Hits[0].Evidence.Rule != RuleVolume {
		t.Fatalf("hits = %+v", f.Hits)
	}
}

// Benign, busy names: none may raise.
func TestBenignNamesSilent(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	f := newFeeder(DefaultConfig(), "10.0.0.8")
	at := t0
	next := func() time.Time { at = at.Add(time.Duration(200+rng.IntN(3000)) * time.Millisecond); return at }
	for i := 0; i < 3000; i++ {
		// CDN edge names with short host ids and region codes.
		f.query(next(), fmt.Sprintf("d%013x.cloudfront-example.net", rng.Uint64()>>12), 1)
		f.query(next(), fmt.Sprintf("r%d---sn-%08x.video-cdn-example.com", rng.IntN(20), rng.Uint32()), 1)
		f.query(next(), fmt.Sprintf("e%d.a.edge-example.net", rng.IntN(99999)), 1)
		// DNSBL lookups of reversed IPv4 and IPv6 addresses, 127.0.0.x answers.
		ip := randBytes(rng, 4)
		f.query(next(), fmt.Sprintf("%d.%d.%d.%d.zen.dnsbl-example.org", ip[3], ip[2], ip[1], ip[0]), 1)
		f.query(next(), nibbles(randBytes(rng, 16))+".v6.dnsbl-example.org", 1)
		// Reverse lookups.
		f.query(next(), fmt.Sprintf("%d.%d.%d.10.in-addr.arpa", ip[3], ip[2], ip[1]), 12)
		// Antivirus hash lookups, tagged by the intel stage.
		f.query(next(), hex.EncodeToString(randBytes(rng, 20))+".hash.av-example.com", 1, "antivirus")
		// Ordinary browsing.
		f.query(next(), []string{"www", "api", "static", "img", "login", "mail"}[rng.IntN(6)]+".shop-example.com", 1)
	}
	// Telemetry with a GUID per name, a few a minute.
	for i := 0; i < 200; i++ {
		g := hex.EncodeToString(randBytes(rng, 16))
		f.query(next(), g[:8]+"-"+g[8:12]+"-"+g[12:16]+"-"+g[16:20]+"-"+g[20:]+".tlu.telemetry-example.com", 1)
	}
	for _, h := range f.Hits {
		t.Errorf("benign name raised %s: %+v", h.Threat, h.Evidence)
	}
}

// Hash lookups carry data: without the intel category they are measured
// like anything else, which is why the category control exists.
func TestHashLookupsNeedCategory(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	f := newFeeder(DefaultConfig(), "10.0.0.9")
	for i := 0; i < 50; i++ {
		f.query(t0.Add(time.Duration(i)*time.Second), hex.EncodeToString(randBytes(rng, 32))+".hash.av-example.com", 1)
	}
	if len(f.Hits) != 1 {
		t.Fatalf("uncategorised hash lookups: %d hits, want 1", len(f.Hits))
	}
}

func TestEightBitNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	f := newFeeder(DefaultConfig(), "10.0.0.10")
	for i := 0; i < 30; i++ {
		raw := randBytes(rng, 50)
		for j := range raw {
			raw[j] = 0x80 | raw[j]
		}
		f.query(t0.Add(time.Duration(i)*time.Second), fmt.Sprintf("0%d%s.i.raw-example.org", i, raw), 10)
	}
	if len(f.Hits) != 1 {
		t.Fatalf("hits = %+v", f.Hits)
	}
	ev := scoring.Event{DNS: scoring.DNS{Query: "ab\x00cd.x.raw-example.org."}}
	if reg, sub, h := split(&ev, &scoring.FQDN{}); reg != "raw-example.org" || sub != "ab\x00cd.x" || h != scoring.HashString(reg) {
		t.Fatalf("split of an unparsed name = %q, %q", reg, sub)
	}
}

func TestStripAddress(t *testing.T) {
	for in, want := range map[string]string{
		"4.3.2.1.zen":                     "zen",
		"4.3.2.1":                         "",
		"4.3.2.256.x":                     "4.3.2.256.x",
		"www":                             "www",
		nibbles(make([]byte, 16)) + ".v6": "v6",
		"a.b.c.d":                         "a.b.c.d",
		"":                                "",
		"1.2":                             "",
		".1.2.3.4":                        ".1.2.3.4",
		"1..2.3":                          "1..2.3",
		"4.3.2.1.":                        "",
		"x4.3.2.1.y":                      "x4.3.2.1.y",
	} {
		if got := stripAddress(in); got != want {
			t.Errorf("stripAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStateBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxKeys = 100
	f := newFeeder(cfg, "10.0.0.11")
	for i := 0; i < 1000; i++ {
		f.query(t0, fmt.Sprintf("a.d%d.com", i), 1)
	}
	st := f.D.State()
	if st.Entries != 100 || st.Capacity != 100 || st.Evictions != 900 {
		t.Fatalf("state = %+v", st)
	}
}

func TestNoAllocationWithoutAlert(t *testing.T) {
	f := newFeeder(DefaultConfig(), "10.0.0.12")
	names := []string{"www.example.com", "api.example.com", "4.3.2.1.zen.dnsbl-example.org", "e1234.a.edge-example.net"}
	for _, q := range names {
		f.query(t0, q, 1)
	}
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		i++
		f.Ev.Time = t0.Add(time.Duration(i) * time.Millisecond)
		f.Name.Parse(names[i%len(names)])
		f.Report.Reset()
		f.D.Inspect(&f.Ev, &f.Name, &f.Report)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per event, want 0", allocs)
	}
}

func TestValidate(t *testing.T) {
	detectortest.CheckConfigKeys(t, DefaultConfig, Config.Validate, map[string]func(*Config){
		"window":            func(c *Config) { c.Window = 0 },
		"min_unique":        func(c *Config) { c.MinUnique = 1 },
		"name_bytes":        func(c *Config) { c.NameBytes = 0 },
		"window_bytes":      func(c *Config) { c.WindowBytes = -1 },
		"max_keys":          func(c *Config) { c.MaxKeys = 0 },
		"exempt_categories": func(c *Config) { c.ExemptCategories = []string{""} },
		"popular_rank":      func(c *Config) { c.PopularRank = -1 },
	})
}

func nibbles(b []byte) string {
	var s strings.Builder
	for i := len(b) - 1; i >= 0; i-- {
		fmt.Fprintf(&s, "%x.%x.", b[i]&15, b[i]>>4)
	}
	return strings.TrimSuffix(s.String(), ".")
}

func fig(e scoring.Evidence, name string) float64 {
	for _, f := range e.Figures {
		if f.Name == name {
			return f.Value
		}
	}
	return -1
}

func BenchmarkInspect(b *testing.B) {
	rng := rand.New(rand.NewPCG(13, 14))
	names := make([]string, 256)
	for i := range names {
		names[i] = fmt.Sprintf("%s.site%d.example.com", []string{"www", "api", "cdn"}[i%3], rng.IntN(64))
	}
	f := newFeeder(DefaultConfig(), "10.0.0.13")
	var fq [256]scoring.FQDN
	for i := range fq {
		fq[i].Parse(names[i])
	}
	f.Ev.Type, f.Ev.SrcIP = scoring.TypeDNS, f.host
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Ev.Time = t0.Add(time.Duration(i) * time.Millisecond)
		f.Report.Reset()
		f.D.Inspect(&f.Ev, &fq[i&255], &f.Report)
	}
}

// dnscat2 while idle: TXT polls whose only data is a sequence number and
// a session id, one a second.
func TestIdleTXTChannel(t *testing.T) {
	f := newFeeder(DefaultConfig(), "10.0.0.14")
	for i := 0; i < 30; i++ {
		f.query(t0.Add(time.Duration(i)*time.Second), fmt.Sprintf("%04x0175375169c68f.dnsc.c2-example.com", (i*7919)&0xffff), 16)
	}
	if f.FirstAny() == 0 || f.FirstAny() > 12 || f.Hits[0].Evidence.Rule != RuleTunnelTypes {
		t.Fatalf("first hit at %d: %+v", f.FirstAny(), f.Hits)
	}
}

// Directory and mail lookups: many SRV names under one domain, TXT and MX
// lookups of many domains.
func TestDirectoryAndMailLookupsSilent(t *testing.T) {
	f := newFeeder(DefaultConfig(), "10.0.0.15")
	at := t0
	for round := 0; round < 20; round++ {
		for _, site := range []string{"default-first-site-name", "hq", "branch-01", "branch-02", "lab"} {
			for _, svc := range []string{"_ldap._tcp", "_kerberos._tcp", "_kpasswd._udp", "_gc._tcp"} {
				at = at.Add(300 * time.Millisecond)
				f.query(at, svc+"."+site+"._sites.dc._msdcs.corp-example.com", 33)
			}
		}
		for d := 0; d < 30; d++ {
			at = at.Add(time.Second)
			dom := fmt.Sprintf("recipient%d-example.com", d+round*30)
			f.query(at, dom, 15)
			f.query(at, "_dmarc."+dom, 16)
			f.query(at, "selector1._domainkey."+dom, 16)
		}
	}
	for _, h := range f.Hits {
		t.Errorf("raised %+v", h.Evidence)
	}
}

// TestPopularZonesNeedMoreEvidence: ten data-like subdomains of a ranked
// zone (a service's own telemetry ids) are not a tunnel; the same stream
// under an unranked zone, or under a ranked zone the intel stage tags as
// a tunnelling service, is.
func TestPopularZonesNeedMoreEvidence(t *testing.T) {
	stream := func(rank uint32, categories ...string) *feeder {
		rng := rand.New(rand.NewPCG(9, 10))
		f := newFeeder(DefaultConfig(), "10.0.0.8")
		for i := 0; i < 40; i++ {
			q := tunnelName(rng, i, 40, "svc.popular-example.com")
			f.Ev.Reset()
			f.Ev.Type, f.Ev.Time, f.Ev.SrcIP = scoring.TypeDNS, t0.Add(time.Duration(i)*time.Second), f.host
			f.Ev.DNS.Query, f.Ev.DNS.QType = q, 1
			f.Name.Parse(q)
			f.Name.Rank = rank
			f.Run(&f.Name, categories...)
		}
		return f
	}
	if f := stream(0); f.Count(scoring.DNSTunneling) != 1 {
		t.Fatalf("unranked zone: %d alerts, want 1 (the stream must look like a tunnel)", f.Count(scoring.DNSTunneling))
	}
	if f := stream(43); f.Count(scoring.DNSTunneling) != 0 {
		t.Errorf("a zone ranked 43 alerted on 40 names: %+v", f.Hits)
	}
	if f := stream(43, "tunnel"); f.Count(scoring.DNSTunneling) != 1 {
		t.Errorf("a ranked zone tagged as a tunnelling service: %d alerts, want 1", f.Count(scoring.DNSTunneling))
	}
	if f := stream(90_000); f.Count(scoring.DNSTunneling) != 1 {
		t.Errorf("a zone ranked 90,000 (factor about 1): %d alerts, want 1", f.Count(scoring.DNSTunneling))
	}
}

// payloadBytesReference is payloadBytes as first written: the entropy sum
// over all 256 byte values.
func payloadBytesReference(s string) (float64, bool) {
	t := strings.ReplaceAll(s, ".", "")
	var counts [256]uint8
	odd := false
	for _, c := range []byte(t) {
		counts[c]++
		odd = odd || !ldh(c)
	}
	if len(t) < 2 {
		return 0, odd
	}
	sum := 0.0
	for _, k := range counts {
		sum += nlogn[k]
	}
	n := float64(len(t))
	return n * (math.Log2(n) - sum/n) / 8, odd
}

// TestPayloadBytesMatchesReference: the same bits as the sum over every
// byte value, on random names of every alphabet and length (past 255
// repeats of one byte, where a count wraps, and past 255 dots, which
// payloadBytes does not count in its scratch), the counts left zero.
func TestPayloadBytesMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 7))
	alphabets := []string{"abcdefghijklmnopqrstuvwxyz0123456789-.", "ab.", "ABCxyz+/=_.", "\x00\x80\xff.a", ".....a"}
	var counts [256]uint8
	for i := 0; i < 20000; i++ {
		a := alphabets[i%len(alphabets)]
		b := make([]byte, rng.IntN(600))
		for j := range b {
			b[j] = a[rng.IntN(len(a))]
		}
		got, gotOdd := payloadBytes(string(b), &counts)
		want, wantOdd := payloadBytesReference(string(b))
		if math.Float64bits(got) != math.Float64bits(want) || gotOdd != wantOdd {
			t.Fatalf("payloadBytes(%q) = %v, %v; the reference says %v, %v", b, got, gotOdd, want, wantOdd)
		}
		if counts != ([256]uint8{}) {
			t.Fatalf("payloadBytes(%q) left counts %v", b, counts)
		}
	}
}

// BenchmarkPayloadBytes measures random 8-character labels, as an NX
// flood's names vary.
func BenchmarkPayloadBytes(b *testing.B) {
	labels := make([]string, 1024)
	for i := range labels {
		labels[i] = fmt.Sprintf("%08x", uint32(i)*2654435761)
	}
	var counts [256]uint8
	for n := 0; b.Loop(); n++ {
		payloadBytes(labels[n&1023], &counts)
	}
}

// TestMayStartWithAddress: every name stripAddress changes passes the
// check that spares names the call, over random names of address-like
// characters (reversed IPv4 and IPv6, and near misses).
func TestMayStartWithAddress(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 8))
	const alphabet = "0123456789abcdefx.."
	stripped := 0
	for i := 0; i < 200000; i++ {
		b := make([]byte, rng.IntN(40))
		for j := range b {
			if j%2 == 1 && rng.IntN(4) > 0 {
				b[j] = '.' // mostly one-byte labels, as nibble names have
			} else {
				b[j] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		s := string(b)
		if stripAddress(s) != s {
			stripped++
			if !mayStartWithAddress(s) {
				t.Fatalf("stripAddress(%q) = %q, but mayStartWithAddress says it cannot change it", s, stripAddress(s))
			}
		}
	}
	if stripped == 0 {
		t.Fatal("no generated name held an address")
	}
}
