package nxdomain

import (
	"math"
	"net/netip"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// seenBits is the size of each source's bitmap of NXDOMAIN names.
const seenBits = 1024

// tally is one source's answered lookups in a window.
type tally struct {
	start, last int64
	answered    uint32
	nx          uint32
	names       uint32 // distinct NXDOMAIN names
	domains     uint32 // distinct registered domains among them
	seen        [seenBits / 64]uint64
	seenDomains [256 / 64]uint64
	raised      bool
	// explained is when dga_volume was last raised for the source (0:
	// never), kept across windows.
	explained int64
}

// Detector is the nxdomain detector. Not safe for concurrent use.
type Detector struct {
	cfg   Config
	state *state.LRU[netip.Addr, tally]
}

// New returns a detector with configuration cfg (already validated).
func New(cfg Config) *Detector {
	return &Detector{cfg: cfg, state: state.NewLRUHash[netip.Addr, tally](cfg.MaxKeys, state.HashAddr, nil)}
}

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "nxdomain" }

// State implements scoring.StateReporter.
func (d *Detector) State() scoring.StateStats {
	const size = 8*3 + 4*4 + seenBits/8 + 256/8 + 8
	return scoring.StateStats{
		Entries: d.state.Len(), Capacity: d.state.Cap(), Evictions: d.state.Evictions(),
		Bytes: int64(d.state.Cap()) * (size + 24 + 48),
	}
}

// Wants implements scoring.EventFilter: DNS.
func (d *Detector) Wants(t scoring.EventType) bool { return t == scoring.TypeDNS }

// Inspect implements scoring.Detector.
func (d *Detector) Inspect(ev *scoring.Event, name *scoring.FQDN, r *scoring.Report) {
	if !d.cfg.Enabled || ev.Type != scoring.TypeDNS || ev.DNS.Rcode == scoring.RcodeUnknown || !name.Valid {
		return
	}
	if name.TLD == "arpa" || reversedAddress(name.Subdomain) || r.HasAnyCategory(d.cfg.ExemptCategories) {
		return // PTR and DNSBL lookups are answered NXDOMAIN by design
	}
	t := ev.Time.UnixNano()
	w, inserted := d.state.GetOrInsertHashed(ev.SrcIP, state.HashAddr(ev.SrcIP))
	if inserted || t-w.start >= int64(d.cfg.Window) || w.start-t >= int64(d.cfg.Window) {
		w.reset(t)
	}
	if dgaRaised(r) {
		w.explained = t
	}
	w.last = max(w.last, t)
	w.answered++
	if !ev.DNS.NXDomain() {
		return
	}
	w.nx++
	h := name.Hash // HashString(name.Name)
	if scoring.SetBit(w.seen[:], h%seenBits) {
		w.names++
		if scoring.SetBit(w.seenDomains[:], name.RegisteredHash()%256) {
			w.domains++
		}
	}
	if w.raised || int(w.names) < d.cfg.MinNames || float64(w.nx) < d.cfg.MinRatio*float64(w.answered) {
		return
	}
	w.raised = true
	if w.explained != 0 && t-w.explained < 2*int64(d.cfg.Window) {
		return // dga_volume, raised for this source, explains the burst
	}
	r.Raise(scoring.UnreachableDomainVolume, d.evidence(w, ev.SrcIP, name.Name))
}

// reset opens a new window at t: the tally is zero but for start and
// explained. The name bitmaps are cleared only when an NXDOMAIN answer
// was counted since they last were: only such answers set their bits, and
// most sources' windows see none, while the bitmaps are most of the
// tally (a source whose lookups are more than a window apart reset it on
// every lookup: BenchmarkProcessDNS, feeds config, 2,057 -> 2,036
// instructions an event).
func (w *tally) reset(t int64) {
	if w.nx != 0 {
		w.seen, w.seenDomains = [seenBits / 64]uint64{}, [256 / 64]uint64{}
	}
	w.start, w.last, w.answered, w.nx, w.names, w.domains, w.raised = t, 0, 0, 0, 0, 0, false
}

// dgaRaised reports whether an earlier detector (dga runs before this one
// in the engine) raised dga_volume for this event.
func dgaRaised(r *scoring.Report) bool {
	for i := range r.Hits {
		if r.Hits[i].Threat == scoring.DGAVolume {
			return true
		}
	}
	return false
}

func (d *Detector) evidence(w *tally, src netip.Addr, lastName string) scoring.Evidence {
	return scoring.Evidence{
		Detector:  d.Name(),
		Rule:      "nxdomain_names",
		Entry:     strings.Clone(lastName),
		Indicator: src.String(),
		Window:    d.cfg.Window,
		Figures: []scoring.Figure{
			{Name: "nxdomain_names", Value: float64(w.names)},
			{Name: "nxdomain_domains", Value: float64(w.domains)},
			{Name: "nxdomain_answers", Value: float64(w.nx)},
			{Name: "answers", Value: float64(w.answered)},
			{Name: "nxdomain_ratio", Value: math.Round(float64(w.nx)/float64(w.answered)*100) / 100},
			{Name: "seconds", Value: math.Round(float64(w.last-w.start)/1e7) / 100},
		},
	}
}

// reversedAddress reports a subdomain that starts with a reversed IPv4
// address (four decimal octets), the shape of DNSBL lookups. Most names
// do not start with a digit: that check is inlined into the caller.
func reversedAddress(sub string) bool {
	return sub != "" && sub[0]-'0' <= 9 && reversedOctets(sub)
}

// reversedOctets is reversedAddress past its first check.
func reversedOctets(sub string) bool {
	for i := 0; i < 4; i++ {
		if sub == "" || sub[0] < '0' || sub[0] > '9' {
			return false // no octet: most names fail here, without a search for the dot
		}
		dot := strings.IndexByte(sub, '.')
		label := sub
		if dot >= 0 {
			label = sub[:dot]
		}
		if !scoring.DecimalOctet(label) {
			return false
		}
		if dot < 0 {
			return i == 3
		}
		sub = sub[dot+1:]
	}
	return true
}
