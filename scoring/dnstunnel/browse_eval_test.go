package dnstunnel_test

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/beacon"
	"github.com/netflightrecorder/nfr/scoring/dnstunnel"
	"github.com/netflightrecorder/nfr/scoring/icmptunnel"
	"github.com/netflightrecorder/nfr/scoring/lateral"
	"github.com/netflightrecorder/nfr/scoring/nxdomain"
	"github.com/netflightrecorder/nfr/scoring/scan"
)

// TestEvalBrowsing replays the benign domain lists as 50 hosts browsing
// for an hour of event time through all behavioural detectors (this
// package's and its siblings'), and requires that nothing of severity 3 or
// more is raised. Each page visit (exponential think time, mean 45s) looks
// up a site (70% from the top list by Zipf rank, 30% from the random list)
// under www. and the bare name, and 2 to 8 third-party names from the top
// 500 under common host labels; each name is answered (5% of random-list
// names NXDOMAIN) and fetched over 1 to 3 HTTPS connections.
func TestEvalBrowsing(t *testing.T) {
	dir := corpusDir(t)
	top := readList(t, filepath.Join(dir, "domains", "benign", "opendns-top10k.txt"))
	random := readList(t, filepath.Join(dir, "domains", "benign", "opendns-random10k.txt"))

	detectors := []scoring.Detector{
		dnstunnel.New(dnstunnel.DefaultConfig()),
		icmptunnel.New(icmptunnel.DefaultConfig()),
		scan.New(scan.DefaultConfig()),
		lateral.New(lateral.DefaultConfig()),
		beacon.New(beacon.DefaultConfig()),
		nxdomain.New(nxdomain.DefaultConfig()),
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(1, 1)), 1.1, 1, uint64(len(top)-1))
	rng := rand.New(rand.NewPCG(2, 2))
	labels := []string{"www", "static", "cdn", "img", "api", "m", "assets", "s", "media", "js"}

	var ev scoring.Event
	var name scoring.FQDN
	var r scoring.Report
	alerts := map[string]int{}
	events, lookups, nx, control := 0, 0, 0, 0
	controlHost := netip.AddrFrom4([4]byte{10, 50, 1, 99})
	inspect := func() {
		events++
		for _, d := range detectors {
			r.Reset()
			d.Inspect(&ev, &name, &r)
			for _, h := range r.Hits {
				if ev.SrcIP == controlHost {
					control++
					continue
				}
				th, _ := scoring.LookupThreat(h.Threat)
				alerts[fmt.Sprintf("%s(sev %d) %s", h.Threat, th.Severity, h.Evidence.Indicator)]++
				if th.Severity >= 3 {
					t.Errorf("browsing raised %s (severity %d): %+v", h.Threat, th.Severity, h.Evidence)
				}
			}
		}
	}
	base := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for h := 0; h < 50; h++ {
		host := netip.AddrFrom4([4]byte{10, 50, 0, byte(1 + h)})
		at := base.Add(time.Duration(rng.IntN(60)) * time.Second)
		for at.Before(base.Add(time.Hour)) {
			var site string
			fromRandom := rng.IntN(10) < 3
			if fromRandom {
				site = random[rng.IntN(len(random))]
			} else {
				site = top[zipf.Uint64()]
			}
			names := []string{"www." + site, site}
			for i := 2 + rng.IntN(7); i > 0; i-- {
				names = append(names, labels[rng.IntN(len(labels))]+"."+top[rng.IntN(500)])
			}
			for i, q := range names {
				t := at.Add(time.Duration(i*40) * time.Millisecond)
				ev.Reset()
				ev.Type, ev.Time, ev.SrcIP, ev.DstIP, ev.SrcPort, ev.DstPort, ev.Proto =
					scoring.TypeDNS, t, host, netip.MustParseAddr("10.50.255.53"), uint16(30000+rng.IntN(30000)), 53, scoring.ProtoUDP
				ev.DNS.Query, ev.DNS.QType, ev.DNS.Response, ev.DNS.Rcode = q, 1, true, scoring.RcodeNoError
				addr := addressOf(q)
				if fromRandom && i < 2 && rng.IntN(20) == 0 {
					ev.DNS.Rcode = scoring.RcodeNXDomain
					nx++
				} else {
					ev.DNS.Answers = append(ev.DNS.Answers, addr.String())
					ev.DNS.AnswerSize = 60 + len(q)
				}
				name.Parse(q)
				lookups++
				inspect()
				if ev.DNS.Rcode == scoring.RcodeNXDomain {
					continue
				}
				name.Reset()
				for c := 1 + rng.IntN(3); c > 0; c-- {
					ev.Reset()
					ev.Type, ev.Time, ev.SrcIP, ev.DstIP, ev.SrcPort, ev.DstPort, ev.Proto =
						scoring.TypeFlow, t.Add(time.Duration(20+c*15)*time.Millisecond), host, addr, uint16(30000+rng.IntN(30000)), 443, scoring.ProtoTCP
					ev.Flow = scoring.Flow{ConnState: "SF", OrigBytes: uint64(math.Exp(6.5 + rng.NormFloat64())), RespBytes: uint64(math.Exp(9 + 1.5*rng.NormFloat64())), OrigPkts: 8, RespPkts: 12}
					inspect()
				}
			}
			at = at.Add(time.Duration(rng.ExpFloat64() * float64(45*time.Second)))
		}
	}
	// Positive control: a tunnel among the browsers must still be seen.
	for i := 0; i < 50; i++ {
		ev.Reset()
		ev.Type, ev.Time, ev.SrcIP = scoring.TypeDNS, base.Add(time.Duration(i)*time.Second), controlHost
		ev.DNS.Query, ev.DNS.QType = fmt.Sprintf("%x%x.t.control-tunnel.example", rng.Uint64(), rng.Uint64()), 16
		name.Parse(ev.DNS.Query)
		inspect()
	}
	if control != 1 {
		t.Errorf("positive control: a tunnel host raised %d alerts, want 1", control)
	}
	keys := make([]string, 0, len(alerts))
	for k := range alerts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("eval browsing: 50 hosts, 1h, %d events (%d lookups, %d NXDOMAIN), %d distinct alerts of any severity\n", events, lookups, nx, len(keys))
	for _, k := range keys {
		fmt.Printf("eval browsing alert: %s x%d\n", k, alerts[k])
	}
}

// addressOf maps a name to a stable address in 198.18.0.0/15 (RFC 2544).
func addressOf(name string) netip.Addr {
	h := fnv.New32a()
	h.Write([]byte(name))
	v := h.Sum32()
	return netip.AddrFrom4([4]byte{198, 18 + byte(v>>16&1), byte(v >> 8), byte(v)})
}

func readList(t *testing.T, path string) []string {
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []string
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" && !strings.HasPrefix(s, "#") {
			out = append(out, s)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
