package simday

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// testLists are small made-up lists: the tests need no corpus.
func testLists() *Lists {
	var top, tail []string
	for _, w := range []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"} {
		top = append(top, w+".com", w+"-news.net")
		tail = append(tail, w+"shop.org")
	}
	return &Lists{Top: top, LongTail: tail}
}

func collect(t *testing.T, cfg Config) []scoring.Event {
	t.Helper()
	var out []scoring.Event
	if err := Run(cfg, testLists(), func(ev *scoring.Event) error {
		out = append(out, ev.Clone())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func morning() time.Time { return time.Date(2026, 1, 5, 8, 55, 0, 0, time.UTC) }

func TestRunIsOrderedBoundedAndDeterministic(t *testing.T) {
	cfg := Config{Hosts: 20, Start: morning(), Duration: 10 * time.Minute, Seed: 7}
	a, b := collect(t, cfg), collect(t, cfg)
	if len(a) < 20*30 || len(a) != len(b) {
		t.Fatalf("got %d and %d events, want the same number, at least 600", len(a), len(b))
	}
	end := cfg.Start.Add(cfg.Duration)
	for i := range a {
		if a[i].DNS.Query != b[i].DNS.Query || !a[i].Time.Equal(b[i].Time) {
			t.Fatalf("event %d differs between runs: %q and %q", i, a[i].DNS.Query, b[i].DNS.Query)
		}
		if i > 0 && a[i].Time.Before(a[i-1].Time) {
			t.Fatalf("event %d at %v before event %d at %v", i, a[i].Time, i-1, a[i-1].Time)
		}
		if a[i].Time.Before(cfg.Start) || a[i].Time.After(end) || a[i].Type != scoring.TypeDNS {
			t.Fatalf("event %d out of the day or not DNS: %+v", i, a[i])
		}
	}
	cfg.Seed = 8
	if c := collect(t, cfg); len(c) > 0 && c[0].DNS.Query == a[0].DNS.Query && c[1].DNS.Query == a[1].DNS.Query {
		t.Errorf("another seed gave the same start %q %q", c[0].DNS.Query, c[1].DNS.Query)
	}
}

// TestBenignBehavioursAppear checks every modelled behaviour shows up in a
// morning of 50 hosts, with the answers it is meant to have.
func TestBenignBehavioursAppear(t *testing.T) {
	evs := collect(t, Config{Hosts: 50, Start: morning(), Duration: 30 * time.Minute, Seed: 1})
	count := map[string]int{}
	var nx int
	for _, ev := range evs {
		q, d := ev.DNS.Query, ev.DNS
		if d.NXDomain() {
			nx++
		}
		switch {
		case strings.HasSuffix(q, ".corp.example.com") && d.NXDomain():
			count["search suffix NXDOMAIN"]++
		case !strings.Contains(q, ".") && !strings.HasPrefix(q, "desktop-") && d.NXDomain():
			count["single-label probe"]++
		case strings.HasPrefix(q, "desktop-") || strings.HasSuffix(q, ".local"):
			count["mDNS/LLMNR leak"]++
		case len(d.Answers) == 1 && d.Answers[0] == "0.0.0.0":
			count["sinkholed"]++
		case strings.HasSuffix(q, ".office.net") || strings.HasSuffix(q, "pool.ntp.org"):
			count["services"]++
		case len(d.Answers) > 2 && !isAddr(d.Answers[0]) && isAddr(d.Answers[len(d.Answers)-1]):
			count["CDN chain"]++
		}
		if len(d.Answers) != len(d.TTLs) {
			t.Fatalf("%s: %d answers, %d TTLs", q, len(d.Answers), len(d.TTLs))
		}
	}
	for _, k := range []string{"search suffix NXDOMAIN", "single-label probe", "mDNS/LLMNR leak", "sinkholed", "services", "CDN chain"} {
		if count[k] == 0 {
			t.Errorf("no %s in %d events", k, len(evs))
		}
	}
	// Three probes per host at start-up, each single-label.
	if got := count["single-label probe"]; got < 3*40 || got > 3*50 {
		t.Errorf("%d single-label probes from 45 workstations starting up, want about 3 each", got)
	}
	if share := float64(nx) / float64(len(evs)); share < 0.03 || share > 0.25 {
		t.Errorf("NXDOMAIN share %.3f, want a few percent to a fifth", share)
	}
}

// TestBusinessHoursCurve checks night traffic is a small fraction of day
// traffic.
func TestBusinessHoursCurve(t *testing.T) {
	day := len(collect(t, Config{Hosts: 10, Start: morning().Add(2 * time.Hour), Duration: time.Hour, Seed: 3}))
	night := len(collect(t, Config{Hosts: 10, Start: morning().Add(-6 * time.Hour), Duration: time.Hour, Seed: 3}))
	if night*4 > day || night == 0 {
		t.Errorf("night %d events, day %d: want night well below a quarter of day and not zero", night, day)
	}
}

// planted is an extra host emitting one lookup every 30 s.
type planted struct {
	at  time.Time
	n   int
	src netip.Addr
	ev  scoring.Event
}

func (p *planted) Next() (*scoring.Event, bool) {
	if p.n == 0 {
		return nil, false
	}
	p.n--
	p.ev = scoring.Event{Time: p.at, Type: scoring.TypeDNS, SrcIP: p.src, DNS: scoring.DNS{Query: "planted.example", Rcode: scoring.RcodeNXDomain}}
	p.at = p.at.Add(30 * time.Second)
	return &p.ev, true
}

func TestExtraHostsAreMergedInOrder(t *testing.T) {
	src := netip.MustParseAddr("192.0.2.9")
	evs := collect(t, Config{Hosts: 5, Start: morning(), Duration: 10 * time.Minute, Seed: 2,
		Extra: []Host{&planted{at: morning().Add(time.Second), n: 1000, src: src}}})
	n := 0
	for i, ev := range evs {
		if ev.SrcIP == src {
			n++
		}
		if i > 0 && ev.Time.Before(evs[i-1].Time) {
			t.Fatalf("event %d out of order", i)
		}
	}
	if n != 20 { // 10 minutes at one per 30 s, the rest past the end
		t.Errorf("%d planted events, want 20", n)
	}
}

func TestEmitErrorStopsRun(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Run(Config{Hosts: 3, Start: morning(), Duration: time.Hour}, testLists(), func(*scoring.Event) error {
		if n++; n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Errorf("Run returned %v after %d events, want stop after 5", err, n)
	}
	if err := Run(Config{}, &Lists{}, func(*scoring.Event) error { return nil }); err == nil {
		t.Error("empty lists accepted")
	}
}
