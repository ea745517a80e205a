package beacon

import (
	"math"
	"net/netip"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// ringLen is how many recent intervals and sizes a series keeps.
const ringLen = 32

type key struct {
	src, dst netip.Addr
	name     uint64 // hash of the looked-up name; 0 for connections
	port     uint16
	proto    scoring.Proto
}

// series is one source's callbacks to one destination.
type series struct {
	first, last int64 // event time (Unix ns) of the first and latest callback
	raisedAt    int64
	callbacks   uint32
	intervals   [ringLen]uint32 // ms
	sizes       [ringLen]uint32 // bytes sent by the source
	n, pos      uint8
	skip        uint8 // callbacks to wait before judging again
	misses      uint8 // judgements in a row that found no beacon
	raised      bool
}

// Detector is the beacon detector. Not safe for concurrent use.
type Detector struct {
	cfg      Config
	internal *intel.PrefixSet
	ignore   *scoring.PortSet
	state    *state.LRU[key, series]
}

// New returns a detector with configuration cfg (already validated).
func New(cfg Config) *Detector {
	return &Detector{cfg: cfg, state: state.NewLRUHash[key, series](cfg.MaxKeys, hashKey, nil),
		internal: intel.NewPrefixSet(cfg.InternalNetworks), ignore: scoring.NewPortSet(cfg.IgnorePorts)}
}

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "beacon" }

// State implements scoring.StateReporter.
func (d *Detector) State() scoring.StateStats {
	const size = 8*3 + 4 + 4*ringLen*2 + 2 + 1
	return scoring.StateStats{
		Entries: d.state.Len(), Capacity: d.state.Cap(), Evictions: d.state.Evictions(),
		Bytes: int64(d.state.Cap()) * (size + 64 + 48),
	}
}

// Wants implements scoring.EventFilter: flows, and DNS lookups when lookups are on.
func (d *Detector) Wants(t scoring.EventType) bool {
	return t == scoring.TypeFlow || t == scoring.TypeDNS && d.cfg.Lookups
}

// Inspect implements scoring.Detector.
func (d *Detector) Inspect(ev *scoring.Event, name *scoring.FQDN, r *scoring.Report) {
	if !d.cfg.Enabled || r.HasAnyCategory(d.cfg.ExemptCategories) {
		return
	}
	switch ev.Type {
	case scoring.TypeFlow:
		if ev.Proto != scoring.ProtoTCP && ev.Proto != scoring.ProtoUDP ||
			d.ignore.Has(ev.DstPort) || d.internal.Contains(ev.DstIP) {
			return
		}
		k := key{src: ev.SrcIP, dst: ev.DstIP, port: ev.DstPort, proto: ev.Proto}
		if s := d.observe(k, ev.Time.UnixNano(), ev.Flow.OrigBytes); s != nil {
			ind := netip.AddrPortFrom(ev.DstIP, ev.DstPort).String() + "/" + ev.Proto.String()
			r.Raise(scoring.C2Beaconing, d.evidence(s, "regular_connections", ind))
		}
	case scoring.TypeDNS:
		if !d.cfg.Lookups || !name.Valid || localName(name) {
			return
		}
		k := key{src: ev.SrcIP, name: hashString(name.Name)}
		if s := d.observe(k, ev.Time.UnixNano(), 0); s != nil {
			r.Raise(scoring.C2Beaconing, d.evidence(s, "regular_lookups", strings.Clone(name.Name)))
		}
	}
}

// observe adds a callback at t of size bytes to k's series and returns the
// series when it has just been judged a beacon.
func (d *Detector) observe(k key, t int64, size uint64) *series {
	s, inserted := d.state.GetOrInsert(k)
	gap := t - s.last
	if inserted || gap > int64(d.cfg.MaxGap) {
		*s = series{first: t, last: t, callbacks: 1}
		return nil
	}
	if gap < int64(d.cfg.MinInterval) {
		return nil // same burst, or out of order
	}
	s.last = t
	s.callbacks++
	s.push(uint32(min(gap/1e6, math.MaxUint32)), size)
	if s.raised && t-s.raisedAt < int64(d.cfg.Window) {
		return nil
	}
	if int(s.callbacks) < d.cfg.MinCallbacks || t-s.first < int64(d.cfg.MinSpan) {
		return nil
	}
	if s.skip > 0 {
		s.skip--
		return nil
	}
	if !d.regular(s) {
		// Back off: an irregular series is judged again after 1, 2, ... 8
		// callbacks. Half the ring must turn over before a new pattern
		// shows anyway, so this delays a detection by at most 8.
		s.misses = min(s.misses+1, 8)
		s.skip = s.misses - 1
		return nil
	}
	s.misses = 0
	s.raised, s.raisedAt = true, t
	return s
}

// regular reports whether both the intervals and the sizes of s are
// regular enough.
func (d *Detector) regular(s *series) bool {
	if ivDisp, _ := dispersion(s.intervals[:], int(s.n)); ivDisp > d.cfg.IntervalDispersion {
		return false
	}
	szDisp, _ := dispersion(s.sizes[:], int(s.n))
	return szDisp <= d.cfg.SizeDispersion
}

// push records the interval since the previous callback and the size of
// the callback that ended it.
func (s *series) push(interval uint32, size uint64) {
	s.intervals[s.pos] = interval
	s.sizes[s.pos] = uint32(min(size, math.MaxUint32))
	s.pos = (s.pos + 1) % ringLen
	s.n = min(s.n+1, ringLen)
}

// dispersion returns the median absolute deviation of the first n values
// relative to their median, and the median. It sorts copies on the stack.
func dispersion(vals []uint32, n int) (float64, float64) {
	var a, dev [ringLen]uint32
	copy(a[:n], vals[:n])
	med := median(a[:n])
	for i := 0; i < n; i++ {
		dev[i] = absDiff(2*a[i], med) // both sides doubled: med may be a half
	}
	mad := median(dev[:n]) / 2
	if med == 0 {
		if mad == 0 {
			return 0, 0
		}
		return math.Inf(1), 0
	}
	return float64(mad) / float64(med), float64(med) / 2
}

// median sorts a in place (insertion sort: at most ringLen values) and
// returns twice its median, so that the mean of two middle values stays
// an integer.
func median(a []uint32) uint32 {
	for i := 1; i < len(a); i++ {
		v := a[i]
		j := i
		for ; j > 0 && a[j-1] > v; j-- {
			a[j] = a[j-1]
		}
		a[j] = v
	}
	if len(a) == 0 {
		return 0
	}
	m := len(a) / 2
	if len(a)%2 == 1 {
		return 2 * a[m]
	}
	return a[m-1] + a[m]
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func (d *Detector) evidence(s *series, rule, indicator string) scoring.Evidence {
	ivDisp, ivMed := dispersion(s.intervals[:], int(s.n))
	szDisp, szMed := dispersion(s.sizes[:], int(s.n))
	return scoring.Evidence{
		Detector:  d.Name(),
		Rule:      rule,
		Entry:     indicator,
		Indicator: indicator,
		Window:    d.cfg.Window,
		Figures: []scoring.Figure{
			{Name: "callbacks", Value: float64(s.callbacks)},
			{Name: "span_seconds", Value: math.Round(float64(s.last-s.first) / 1e9)},
			{Name: "median_interval_seconds", Value: round2(ivMed / 1000)},
			{Name: "interval_dispersion", Value: round2(ivDisp)},
			{Name: "median_bytes", Value: szMed},
			{Name: "size_dispersion", Value: round2(szDisp)},
		},
	}
}

// localName reports names no outside party can register: reverse-map
// names and names under a suffix the public suffix list does not know
// (.local, .lan, .corp, .internal).
func localName(f *scoring.FQDN) bool {
	return f.TLD == "arpa" || !f.ICANN && strings.IndexByte(f.Suffix, '.') < 0
}

func hashString(s string) uint64 {
	return scoring.HashString(s) | 1 // never 0, which marks connections
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// hashKey hashes a series' key for the state LRU.
func hashKey(k key) uint64 {
	h := state.Mix(state.HashAddr(k.src), state.HashAddr(k.dst))
	return state.Mix(h, k.name^uint64(k.port)<<48^uint64(k.proto)<<40)
}
