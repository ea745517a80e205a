package dga_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/build/simday"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/dga/gen"
	"github.com/netflightrecorder/nfr/scoring/engine"
)

// The per-host evaluation (build/eval.d/dgahost.sh): infected hosts mixed
// into a simulated enterprise (package simday), scored by the whole
// engine with its default configuration, so the popularity prior counts
// once the engine fills FQDN.Rank. It needs the shared corpus (NFR_CORPUS)
// and prints its tables; it asserts nothing about the figures.

const (
	evalHosts    = 200              // benign hosts of the enterprise
	evalInfected = 20               // infected hosts per family and rate
	evalActive   = 30 * time.Minute // how long an infected host runs its DGA
	evalSeed     = 909090           // differs from the model trainer's seeds
)

var evalRates = []int{10, 20, 40} // DGA lookups per 10 minutes

// evalFamily is one family of the table: its names by index.
type evalFamily struct {
	name, kind string
	domain     func(host, i int) string
}

func corpusOrSkip(t *testing.T) string {
	dir := os.Getenv("NFR_CORPUS")
	if dir == "" {
		t.Skip("NFR_CORPUS not set: no per-host evaluation")
	}
	return dir
}

// evalFamilies are the corpus families (host k starts at its own offset
// in the family's list) and the generated ones (host k draws day k).
func evalFamilies(t *testing.T, dir string) []evalFamily {
	files, err := filepath.Glob(filepath.Join(dir, "domains", "dga", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skip("no corpus DGA families in", dir)
	}
	var out []evalFamily
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		names := strings.Fields(string(b))
		out = append(out, evalFamily{strings.TrimSuffix(filepath.Base(f), ".txt"), "corpus", func(host, i int) string {
			return names[(host*len(names)/evalInfected+i)%len(names)]
		}})
	}
	for _, f := range gen.HostFamilies(gen.OwnWords) {
		out = append(out, evalFamily{f.Name, string(f.Kind), func(host, i int) string {
			return f.Domain(evalSeed, host, i)
		}})
	}
	return out
}

// infected is an extra simday host: one benign host's address running a
// DGA at a mean rate. A tenth of the names (by a hash of the name, so the
// same for every host: those the operators registered) resolve, the rest
// are answered NXDOMAIN.
type infected struct {
	src      netip.Addr
	domain   func(i int) string
	i        int
	at, stop time.Time
	gap      time.Duration // mean time between lookups
	r        *rand.Rand
	ev       scoring.Event
}

func (h *infected) Next() (*scoring.Event, bool) {
	if h.at.After(h.stop) {
		return nil, false
	}
	name := h.domain(h.i)
	h.i++
	h.ev = scoring.Event{Time: h.at, Type: scoring.TypeDNS, Origin: "dga", SrcIP: h.src, DstPort: 53,
		Proto: scoring.ProtoUDP, DNS: scoring.DNS{Query: name, QType: 1, QClass: 1, Response: true, Rcode: scoring.RcodeNXDomain}}
	if scoring.HashString(name)%10 == 0 {
		h.ev.DNS.Rcode = scoring.RcodeNoError
		h.ev.DNS.Answers = []string{"203.0.113." + strconv.Itoa(1+h.r.IntN(250))}
		h.ev.DNS.TTLs = []float64{300}
	}
	h.at = h.at.Add(time.Duration(h.r.ExpFloat64() * float64(h.gap)))
	return &h.ev, true
}

// hostResult is what one run saw of one family at one rate.
type hostResult struct {
	alerted   int
	firstSecs []float64
	falseHost int // uninfected hosts alerted in the run
	nxdomain  int // infected hosts that also raised unreachable_domain_volume
}

// runFamily mixes evalInfected infected hosts (the first benign hosts'
// addresses) into an enterprise morning, 08:00-10:00, starting their DGA
// between 09:00 and 09:07, and returns who raised dga_volume when.
func runFamily(t *testing.T, lists *simday.Lists, fam evalFamily, rate int) hostResult {
	day := time.Date(2026, 1, 6, 8, 0, 0, 0, time.UTC)
	starts := map[netip.Addr]time.Time{}
	var extra []simday.Host
	for k := 0; k < evalInfected; k++ {
		k := k
		src := simday.HostAddr(k)
		start := day.Add(time.Hour + time.Duration(k)*20*time.Second)
		starts[src] = start
		extra = append(extra, &infected{src: src, domain: func(i int) string { return fam.domain(k, i) },
			at: start, stop: start.Add(evalActive), gap: 10 * time.Minute / time.Duration(rate),
			r: rand.New(rand.NewPCG(evalSeed, uint64(k)))})
	}
	e, err := engine.New(engine.DefaultConfig(), engine.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	var res hostResult
	first := map[netip.Addr]time.Time{}
	nx := map[netip.Addr]bool{}
	cfg := simday.Config{Hosts: evalHosts, Start: day, Duration: 2 * time.Hour, Seed: uint64(rate), Extra: extra}
	err = simday.Run(cfg, lists, func(ev *scoring.Event) error {
		e.Process(ev, func(a *scoring.Alert) {
			if hasThreat(a, scoring.DGAVolume) {
				if _, ok := first[a.Event.SrcIP]; !ok {
					first[a.Event.SrcIP] = a.Time
				}
			}
			if _, infected := starts[a.Event.SrcIP]; infected && hasThreat(a, scoring.UnreachableDomainVolume) {
				nx[a.Event.SrcIP] = true
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	res.nxdomain = len(nx)
	for src, at := range first {
		start, ok := starts[src]
		switch {
		case !ok || at.Before(start):
			res.falseHost++
		case at.Before(start.Add(evalActive + time.Minute)):
			res.alerted++
			res.firstSecs = append(res.firstSecs, at.Sub(start).Seconds())
		}
	}
	return res
}

func hasThreat(a *scoring.Alert, id scoring.ThreatID) bool {
	for _, th := range a.Threats {
		if th.ID == id {
			return true
		}
	}
	return false
}

// TestEvalHostFamilies prints the per-host table: for each family and
// rate, the share of infected hosts raising dga_volume within their 30
// active minutes, and the median and slowest time to the first alert.
func TestEvalHostFamilies(t *testing.T) {
	dir := corpusOrSkip(t)
	lists, err := simday.LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%-22s %-17s", "family", "kind")
	for _, r := range evalRates {
		fmt.Printf(" %7s %13s", fmt.Sprintf("%d/10m", r), "first med/max")
	}
	fmt.Println()
	falseHosts, nxHosts, runs := 0, 0, 0
	for _, fam := range evalFamilies(t, dir) {
		fmt.Printf("%-22s %-17s", fam.name, fam.kind)
		for _, rate := range evalRates {
			res := runFamily(t, lists, fam, rate)
			falseHosts += res.falseHost
			nxHosts += res.nxdomain
			runs++
			fmt.Printf(" %6.0f%% %13s", 100*float64(res.alerted)/evalInfected, firstText(res.firstSecs))
		}
		fmt.Println()
	}
	fmt.Printf("eval dgahost families: uninfected hosts alerted in these runs: %d; infected hosts also raising unreachable_domain_volume: %d of %d\n",
		falseHosts, nxHosts, runs*evalInfected)
}

// firstText is "median/max" of the first-alert delays, in minutes.
func firstText(secs []float64) string {
	if len(secs) == 0 {
		return "-"
	}
	sort.Float64s(secs)
	return fmt.Sprintf("%.1f/%.1fm", secs[len(secs)/2]/60, secs[len(secs)-1]/60)
}

// TestEvalHostBenignDay runs the benign enterprise day (200 hosts, 24 h,
// NFR_DAYS seeds, default 3) and prints the false dga_volume alerts per
// 10,000 host-hours, with what they were.
func TestEvalHostBenignDay(t *testing.T) {
	dir := corpusOrSkip(t)
	lists, err := simday.LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	days, _ := strconv.Atoi(os.Getenv("NFR_DAYS"))
	if days <= 0 {
		days = 3
	}
	alerts, halfAlerts, events := 0, 0, 0
	hosts := map[string]bool{}
	for seed := 1; seed <= days; seed++ {
		e, err := engine.New(engine.DefaultConfig(), engine.Deps{})
		if err != nil {
			t.Fatal(err)
		}
		// The margin: the same day with the host rule's thresholds halved.
		half := engine.DefaultConfig()
		half.DGA.HostMinEvidence /= 2
		half.DGA.HostMinDomains /= 2
		eh, err := engine.New(half, engine.Deps{})
		if err != nil {
			t.Fatal(err)
		}
		err = simday.Run(simday.Config{Hosts: evalHosts, Seed: uint64(seed)}, lists, func(ev *scoring.Event) error {
			events++
			e.Process(ev, func(a *scoring.Alert) {
				if hasThreat(a, scoring.DGAVolume) {
					alerts++
					hosts[fmt.Sprint(seed, a.Event.SrcIP)] = true
					fmt.Printf("false dga_volume: day %d %s %s %v\n", seed, a.Time.Format("15:04"), a.Event.SrcIP, evidenceText(a))
				}
			})
			eh.Process(ev, func(a *scoring.Alert) {
				if hasThreat(a, scoring.DGAVolume) {
					halfAlerts++
				}
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	hostHours := float64(days * evalHosts * 24)
	fmt.Printf("eval dgahost benign: %d false dga_volume alerts (%d hosts) in %.0f host-hours (%d events): %.2f per 10,000 host-hours\n",
		alerts, len(hosts), hostHours, events, float64(alerts)/hostHours*10000)
	fmt.Printf("eval dgahost margin: with host_min_evidence and host_min_domains halved: %.2f per 10,000 host-hours\n",
		float64(halfAlerts)/hostHours*10000)
}

func evidenceText(a *scoring.Alert) string {
	var sb strings.Builder
	for _, e := range a.Evidence {
		if e.Threat != scoring.DGAVolume {
			continue
		}
		fmt.Fprintf(&sb, "%s %q", e.Rule, e.Entry)
		for _, f := range e.Figures {
			fmt.Fprintf(&sb, " %s=%g", f.Name, f.Value)
		}
	}
	return sb.String()
}
