package simday

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Behaviour shares of a lookup activity (cumulative thresholds; the package
// documentation gives the reasoning).
const (
	shareBrowse   = 0.78
	shareService  = shareBrowse + 0.10
	shareDevolve  = shareService + 0.04
	shareTypo     = shareDevolve + 0.01
	shareBookmark = shareTypo + 0.01
	shareAd       = shareBookmark + 0.04
	// the rest: mDNS/LLMNR leaks

	defaultLongTail = 0.04 // of browsing
	retryRate       = 0.02
)

var resolver = netip.AddrFrom4([4]byte{10, 0, 0, 53})

// benignHost generates one benign host's lookups, one activity (a few
// events) at a time.
type benignHost struct {
	r      *rand.Rand
	lists  *Lists
	suffix string
	src    netip.Addr
	peers  int // hosts on the network, for .local and single-label leaks
	seed   uint64
	server bool
	rate   float64 // activities per hour at full activity
	tail   float64 // share of browsing from the long tail
	t, end time.Time
	stale  []string // this host's dead bookmarks
	probed [2]int   // day index of the last start-up and after-lunch probes, +1
	pend   []scoring.Event
	pos    int
}

func newBenignHost(i int, cfg Config, lists *Lists, end time.Time) *benignHost {
	r := rand.New(rand.NewPCG(cfg.Seed, uint64(i)+1))
	h := &benignHost{
		r: r, lists: lists, suffix: cfg.SearchSuffix, src: HostAddr(i), peers: cfg.Hosts, seed: cfg.Seed,
		server: i%10 == 9, rate: cfg.LookupsPerHour * 0.5 * math.Pow(4, r.Float64()), tail: cfg.LongTailShare,
		t: cfg.Start, end: end,
	}
	for n := 3 + r.IntN(4); n > 0; n-- {
		h.stale = append(h.stale, lists.LongTail[r.IntN(len(lists.LongTail))])
	}
	return h
}

// Next implements Host.
func (h *benignHost) Next() (*scoring.Event, bool) {
	for h.pos >= len(h.pend) {
		if !h.advance() {
			return nil, false
		}
	}
	h.pos++
	return &h.pend[h.pos-1], true
}

// advance moves to the next activity (thinning a Poisson process by the
// hour's activity) and generates its events.
func (h *benignHost) advance() bool {
	if len(h.pend) > 0 {
		h.t = h.pend[len(h.pend)-1].Time // activities do not overlap
	}
	h.pend, h.pos = h.pend[:0], 0
	for {
		h.t = h.t.Add(time.Duration(h.r.ExpFloat64() / h.rate * float64(time.Hour)))
		if h.t.After(h.end) {
			return false
		}
		if h.r.Float64() < h.activity(h.t) {
			break
		}
	}
	h.probes()
	h.behave()
	if h.r.Float64() < retryRate {
		h.retry()
	}
	return true
}

// activity is the host's activity factor at t.
func (h *benignHost) activity(t time.Time) float64 {
	if h.server {
		return 0.3
	}
	return HourFactor(t)
}

// HourFactor is a workstation's activity at t (0..1): 8% at night and at
// weekends, ramping up from 07:00 to full at 09:00, a lunch dip to 60% at
// 12:00-13:00, ramping down from 17:00 to night at 20:00.
func HourFactor(t time.Time) float64 {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return 0.08
	}
	h := float64(t.Hour()) + float64(t.Minute())/60
	switch {
	case h < 7 || h >= 20:
		return 0.08
	case h < 9:
		return 0.08 + 0.92*(h-7)/2
	case h >= 12 && h < 13:
		return 0.6
	case h < 17:
		return 1
	default:
		return 1 - 0.92*(h-17)/3
	}
}

// behave generates one activity of a behaviour drawn by share.
func (h *benignHost) behave() {
	switch x := h.r.Float64(); {
	case x < shareBrowse:
		h.browse()
	case x < shareService:
		h.service()
	case x < shareDevolve:
		h.devolve()
	case x < shareTypo:
		h.typo()
	case x < shareBookmark:
		h.add(h.pick([]string{"www.", ""})+h.stale[h.r.IntN(len(h.stale))], scoring.RcodeNXDomain)
	case x < shareAd:
		h.ad()
	default:
		h.leak()
	}
}

// add appends a lookup of name at the activity's next instant (a few
// milliseconds after the previous one) with rcode and answers (names
// first, then addresses), and returns it.
func (h *benignHost) add(name string, rcode int16, answers ...string) *scoring.Event {
	at := h.t
	if n := len(h.pend); n > 0 {
		at = h.pend[n-1].Time.Add(time.Duration(2+h.r.IntN(40)) * time.Millisecond)
	}
	ev := scoring.Event{
		Time: at, Type: scoring.TypeDNS, Origin: "simday", SrcIP: h.src, DstIP: resolver,
		SrcPort: uint16(49152 + h.r.IntN(16384)), DstPort: 53, Proto: scoring.ProtoUDP,
		DNS: scoring.DNS{Query: name, QType: 1, QClass: 1, Rcode: rcode, TransID: uint16(h.r.Uint32()),
			Response: true, RD: true, RA: true, RTT: time.Duration(1+h.r.IntN(30)) * time.Millisecond},
	}
	for _, a := range answers {
		ev.DNS.Answers = append(ev.DNS.Answers, a)
		ttl := 20 + h.r.IntN(280)
		if !isAddr(a) {
			ttl = 300 + h.r.IntN(3300)
		}
		ev.DNS.TTLs = append(ev.DNS.TTLs, float64(ttl))
	}
	h.pend = append(h.pend, ev)
	return &h.pend[len(h.pend)-1]
}

// retry repeats the activity's first query within a second, as a resolver
// or stub does when an answer is slow.
func (h *benignHost) retry() {
	ev := h.pend[0].Clone()
	ev.Time = h.pend[len(h.pend)-1].Time.Add(time.Duration(100+h.r.IntN(800)) * time.Millisecond)
	ev.DNS.TransID = uint16(h.r.Uint32())
	h.pend = append(h.pend, ev)
}

func isAddr(s string) bool { _, err := netip.ParseAddr(s); return err == nil }

func (h *benignHost) pick(list []string) string { return list[h.r.IntN(len(list))] }

// addrs returns n stable addresses for name (198.18.0.0/15, the benchmark
// range: no real host's address).
func addrs(name string, n int) []string {
	x := scoring.HashString(name)
	out := make([]string, n)
	for i := range out {
		v := x >> (uint(i) * 16)
		out[i] = netip.AddrFrom4([4]byte{198, 18 + byte(v>>8&1), byte(v >> 4), byte(1 + v%254)}).String()
	}
	return out
}

// under joins a subdomain label and a domain.
func under(sub, domain string) string {
	if sub == "" {
		return domain
	}
	return sub + "." + domain
}

// firstLabel is domain's leftmost label.
func firstLabel(domain string) string {
	if i := strings.IndexByte(domain, '.'); i > 0 {
		return domain[:i]
	}
	return domain
}

// randomLetters returns n random letters a-z.
func randomLetters(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + r.IntN(26))
	}
	return string(b)
}
