package lateral

import (
	"math"
	"net/netip"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// seenBits is the size of each source's destination bitmap.
const seenBits = 512

// fanout is one internal source's administrative contacts in a window.
type fanout struct {
	start, last int64
	attempts    uint32
	failed      uint32
	distinct    uint32
	ports       uint64 // bit i: Config.Ports[i] was used
	seen        [seenBits / 64]uint64
	raised      bool
}

// Detector is the lateral detector. Not safe for concurrent use.
type Detector struct {
	cfg      Config
	internal *intel.PrefixSet
	port     *scoring.PortSet // administrative ports
	state    *state.LRU[netip.Addr, fanout]
}

// New returns a detector with configuration cfg (already validated).
func New(cfg Config) *Detector {
	return &Detector{cfg: cfg, state: state.NewLRUHash[netip.Addr, fanout](cfg.MaxKeys, state.HashAddr, nil),
		internal: intel.NewPrefixSet(cfg.InternalNetworks), port: scoring.NewPortSet(cfg.Ports)}
}

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "lateral" }

// State implements scoring.StateReporter.
func (d *Detector) State() scoring.StateStats {
	const size = 8*2 + 4*3 + 8 + seenBits/8 + 8
	return scoring.StateStats{
		Entries: d.state.Len(), Capacity: d.state.Cap(), Evictions: d.state.Evictions(),
		Bytes: int64(d.state.Cap()) * (size + 24 + 48),
	}
}

// Wants implements scoring.EventFilter: flows.
func (d *Detector) Wants(t scoring.EventType) bool { return t == scoring.TypeFlow }

// Inspect implements scoring.Detector.
func (d *Detector) Inspect(ev *scoring.Event, _ *scoring.FQDN, r *scoring.Report) {
	if !d.cfg.Enabled || ev.Type != scoring.TypeFlow || (ev.Proto != scoring.ProtoTCP && ev.Proto != scoring.ProtoUDP) {
		return
	}
	if !d.port.Has(ev.DstPort) || ev.SrcIP == ev.DstIP {
		return
	}
	if !(ev.Flow.LocalOrig || d.internal.Contains(ev.SrcIP)) || !(ev.Flow.LocalResp || d.internal.Contains(ev.DstIP)) {
		return
	}
	t := ev.Time.UnixNano()
	f, inserted := d.state.GetOrInsert(ev.SrcIP)
	if inserted || t-f.start >= int64(d.cfg.Window) || f.start-t >= int64(d.cfg.Window) {
		*f = fanout{start: t}
	}
	f.last = max(f.last, t)
	f.attempts++
	if failed(&ev.Flow) {
		f.failed++
	}
	f.ports |= 1 << d.portIndex(ev.DstPort)
	if scoring.SetBit(f.seen[:], state.HashAddr(ev.DstIP)%seenBits) {
		f.distinct++
	}
	if !f.raised && int(f.distinct) >= d.cfg.MinHosts {
		f.raised = true
		r.Raise(scoring.LateralMovement, d.evidence(f, ev.SrcIP))
	}
}

func (d *Detector) portIndex(p uint16) uint {
	for i, q := range d.cfg.Ports {
		if q == p {
			return uint(i)
		}
	}
	return 63
}

func (d *Detector) evidence(f *fanout, src netip.Addr) scoring.Evidence {
	ev := scoring.Evidence{
		Detector:  d.Name(),
		Rule:      "admin_fanout",
		Entry:     src.String(),
		Indicator: src.String(),
		Window:    d.cfg.Window,
		Figures: []scoring.Figure{
			{Name: "distinct_hosts", Value: float64(f.distinct)},
			{Name: "attempts", Value: float64(f.attempts)},
			{Name: "failed_attempts", Value: float64(f.failed)},
			{Name: "seconds", Value: math.Round(float64(f.last-f.start)/1e7) / 100},
		},
	}
	for i, p := range d.cfg.Ports {
		if f.ports&(1<<uint(i)) != 0 {
			ev.Figures = append(ev.Figures, scoring.Figure{Name: "port", Value: float64(p)})
		}
	}
	return ev
}

// failed reports a connection that was refused or never answered.
func failed(f *scoring.Flow) bool {
	switch f.ConnState {
	case "S0", "REJ", "RSTOS0", "RSTRH", "SH", "SHR":
		return true
	case "":
		return f.RespPkts == 0 && f.RespBytes == 0
	}
	return false
}
