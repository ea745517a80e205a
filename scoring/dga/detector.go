package dga

import (
	"net/netip"
	"strconv"
	"time"
	"unsafe"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// maxRecent is how many recent DGA lookups are kept per source.
const maxRecent = 64

// lookup is one DGA lookup remembered for a source.
type lookup struct {
	at     int64  // event time, Unix nanoseconds
	name   uint64 // hash of the name
	weight float32
}

// host is a source's recent DGA lookups, a ring of the newest maxRecent.
type host struct {
	recent    [maxRecent]lookup
	tags      [maxRecent]uint8 // ringTag(recent[i].name), 0 when unused (tags.go)
	next      int              // ring position of the next write
	n         int              // entries in use
	lastRaise int64
	burst     burst // the host rule's failed lookups
}

// Detector is the dga detector. Not safe for concurrent use.
type Detector struct {
	model *Model // the embedded one unless NewWithModel; nil: none decoded
	cfg   Config
	hosts *state.LRU[netip.Addr, host]
	// Verdicts remembered by whole name, and scores by the scored label
	// and what follows it (Name.Key: the subdomains of one domain share
	// it); both nil when disabled.
	byName *state.NameCache[verdict]
	byKey  *state.NameCache[float64]
	rule   string
	known  knownSet // domains seen resolving at this sensor
	// scratch is judge's answer for a name it does not cache.
	scratch verdict
}

// New returns a detector with configuration cfg (already validated).
func New(cfg Config) *Detector {
	d := &Detector{
		cfg:    cfg,
		hosts:  state.NewLRUHash[netip.Addr, host](cfg.MaxHosts, state.HashAddr, nil),
		byName: state.NewNameCache[verdict](cfg.ScoreCache).WithDoorkeeper(),
		byKey:  state.NewNameCache[float64](cfg.ScoreCache).WithDoorkeeper(),
		rule:   "score>=" + strconv.FormatFloat(cfg.Threshold, 'g', -1, 64),
		known:  newKnownSet(cfg.KnownDomains),
	}
	d.model, _ = embedded()
	return d
}

// NewWithModel is New with another model than the embedded one (for
// evaluating a freshly trained model).
func NewWithModel(cfg Config, m *Model) *Detector {
	d := New(cfg)
	d.model = m
	return d
}

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "dga" }

// State implements scoring.StateReporter.
func (d *Detector) State() scoring.StateStats {
	return scoring.StateStats{
		Entries:   d.hosts.Len(),
		Capacity:  d.hosts.Cap(),
		Evictions: d.hosts.Evictions(),
		Bytes:     int64(d.hosts.Cap())*int64(unsafeSizeofHost) + d.known.bytes(), // at capacity, as StateStats asks
	}
}

// unsafeSizeofHost approximates one host entry (rings, sample, counters,
// LRU links).
const unsafeSizeofHost = int(unsafe.Sizeof(host{})) + 64

// Inspect implements scoring.Detector: on a DNS event whose name scores at
// or above the threshold it flags "dga", and it raises dga_volume when the
// source's weighted distinct DGA lookups within the window reach the
// configured count (the volume rule), or when its failed lookups of
// unknown domains add up to the host rule's evidence (see the package
// documentation).
func (d *Detector) Inspect(ev *scoring.Event, name *scoring.FQDN, r *scoring.Report) {
	if !d.cfg.Enabled || ev.Type != scoring.TypeDNS || !name.Valid || localName(name) ||
		d.cfg.Popular(name) || r.HasAnyCategory(d.cfg.ExemptCategories) {
		return
	}
	v := d.judge(name)
	if d.cfg.HostRule && v.domain != 0 {
		d.inspectHost(ev, name, v, r)
	}
	d.inspectName(ev, name, v.score, r)
}

// inspectHost applies the host rule (host.go) and raises dga_volume when
// the source reaches its evidence, at most once per HostWindow.
func (d *Detector) inspectHost(ev *scoring.Event, name *scoring.FQDN, v *verdict, r *scoring.Report) {
	if !ev.SrcIP.IsValid() || v.known && resolvedAnswer(&ev.DNS) {
		return // hostInspect's first exit, the common one (a name that resolves, resolving again), without the call
	}
	h, s, raise := d.hostInspect(ev, name, v)
	if !raise {
		return
	}
	h.lastRaise = ev.Time.UnixNano()
	r.Raise(scoring.DGAVolume, d.hostEvidence(&h.burst, s))
}

// internalZone reports a name under a top-level domain that is neither
// ICANN's nor an alternative root's: an organisation's internal zone
// (.contoso), where leaked and devolved names fail by design.
func internalZone(f *scoring.FQDN, n *Name) bool {
	return !f.ICANN && f.Suffix == f.TLD && !n.AltRoot
}

// inspectName flags a name the model scores at or above the threshold and
// applies the volume rule.
func (d *Detector) inspectName(ev *scoring.Event, name *scoring.FQDN, score float64, r *scoring.Report) {
	if score < d.cfg.Threshold {
		return
	}
	r.Flag("dga", scoring.Evidence{
		Detector: "dga",
		Rule:     d.rule,
		Entry:    name.Name,
		Figures:  []scoring.Figure{{Name: "score", Value: score}},
	})
	if !ev.SrcIP.IsValid() {
		return
	}
	weight := 1.0
	if ev.DNS.NXDomain() {
		weight = d.cfg.NXDomainWeight
	}
	h := d.host(ev)
	now := ev.Time.UnixNano()
	h.add(now, name.Hash, float32(weight), d.cfg.VolumeWindow) // name.Hash: HashString(name.Name)
	if h.lastRaise != 0 && now-h.lastRaise < int64(d.cfg.VolumeWindow) {
		return // already raised for this window: the window's figures are not needed
	}
	total, names, nx := h.figures(now, d.cfg.VolumeWindow)
	if total < d.cfg.VolumeMinLookups {
		return
	}
	h.lastRaise = now
	r.Raise(scoring.DGAVolume, scoring.Evidence{
		Detector:  "dga",
		Rule:      "weighted_lookups>=" + strconv.FormatFloat(d.cfg.VolumeMinLookups, 'g', -1, 64),
		Entry:     name.Name,
		Indicator: "dga_volume",
		Window:    d.cfg.VolumeWindow,
		Figures: []scoring.Figure{
			{Name: "weighted_lookups", Value: total},
			{Name: "distinct_names", Value: float64(names)},
			{Name: "nxdomain_names", Value: float64(nx)},
			{Name: "score", Value: score},
		},
	})
}

// add records a lookup (or raises the weight of a name already held
// within window of at).
func (h *host) add(at int64, name uint64, weight float32, window time.Duration) {
	found := false
	t := ringTag(name)
	for w := 0; w*8 < h.n; w++ {
		for m := tagMatches(h.tags[:], w, t); m != 0; m &= m - 1 {
			if h.recent[tagSlot(w, m)].merge(at, name, weight, window) {
				found = true
			}
		}
	}
	if !found {
		h.push(at, name, weight, t)
	}
}

// merge counts a lookup of name at at, of weight, in e when e holds name
// within window of at, and reports whether it did.
func (e *lookup) merge(at int64, name uint64, weight float32, window time.Duration) bool {
	if e.name != name || at-e.at >= int64(window) {
		return false
	}
	e.weight = max(e.weight, weight)
	e.at = max(e.at, at)
	return true
}

// push records a lookup of name (whose tag is t) at at, of weight, over
// the ring's oldest entry.
func (h *host) push(at int64, name uint64, weight float32, t uint8) {
	h.recent[h.next] = lookup{at: at, name: name, weight: weight}
	h.tags[h.next] = t
	h.next = (h.next + 1) % maxRecent
	h.n = min(h.n+1, maxRecent)
}

// figures returns the weighted total, distinct names and NXDOMAIN-weighted
// names within window of at. Only a source not raised within the window
// needs them: one raised already (most of a DGA host's lookups) is spared
// the pass over its ring (BenchmarkScoreZeekTSV 7,604 -> 7,553 instructions an
// event).
func (h *host) figures(at int64, window time.Duration) (total float64, names, heavy int) {
	for i := range h.recent[:h.n] {
		e := &h.recent[i]
		if at-e.at >= int64(window) || e.at-at >= int64(window) {
			continue // outside the window (either side: events may arrive out of order)
		}
		total += float64(e.weight)
		names++
		if e.weight > 1 {
			heavy++
		}
	}
	return total, names, heavy
}

// localName reports names that are not resolved on the Internet: reverse
// lookups and local zones, whose labels are often random by design.
func localName(f *scoring.FQDN) bool {
	switch f.TLD {
	case "arpa", "local", "localhost", "localdomain", "lan", "home", "internal", "corp", "intranet", "test", "invalid":
		return true
	}
	return false
}

// verdict is what the detector remembers of a name: the model's score
// and the hash of the domain the host rule counts it under (Name.Key's,
// never 0; 0 when the name is not counted: no scorable label, or an
// internal zone).
type verdict struct {
	score  float64
	domain uint64
	class  uint16 // the domain's class in the known set (classOf(Name.Key))
	// known: the domain was put in the known-domain memory since this
	// verdict was cached, so another resolution of the name need not
	// touch the memory (the hot path's cost).
	known bool
}

// judge returns name's verdict, through the caches (which copy their keys:
// they keep no event memory alive): a pointer into the cache, or to
// scratch space valid until the next call when the name is not cached.
func (d *Detector) judge(name *scoring.FQDN) *verdict {
	if v := d.byName.RefHashed(name.Name, name.Hash); v != nil {
		return v
	}
	n := scoredName(name)
	var v verdict
	if n.Label != "" {
		key := keyHash(name, n.Key)
		v.score = d.scoreName(n, key)
		if !internalZone(name, &n) {
			v.domain = key | 1
			v.class = classOf(n.Key)
		}
	}
	if p := d.byName.InsertHashed(name.Name, name.Hash, v); p != nil {
		return p
	}
	d.scratch = v
	return &d.scratch
}

// keyHash is HashString(key) for key, a suffix of name.Name (Name.Key):
// the whole name's hash, or the registered domain's (also a suffix of
// Name, so the same length means the same text), which the FQDN already
// holds or hashes once per name, else a fresh hash.
func keyHash(name *scoring.FQDN, key string) uint64 {
	switch len(key) {
	case len(name.Name):
		return name.Hash
	case len(name.Registered):
		return name.RegisteredHash()
	}
	return scoring.HashString(key)
}

// score is the model's score of name (cached).
func (d *Detector) score(name *scoring.FQDN) float64 { return d.judge(name).score }

// scoreName is the model's score of n, through the cache by Name.Key
// (whose hash is key).
func (d *Detector) scoreName(n Name, key uint64) float64 {
	m := d.model
	if m == nil {
		return 0
	}
	if v := d.byKey.RefHashed(n.Key, key); v != nil {
		return *v
	}
	s := m.ScoreName(n)
	d.byKey.InsertHashed(n.Key, key, s)
	return s
}
