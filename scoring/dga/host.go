package dga

import (
	"math"
	"strconv"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// maxFailed is how many distinct failed domains are kept per source: more
// than the evidence threshold can need within a window.
const maxFailed = 32

// sampleNames is how many of a source's latest failed domains are kept as
// text for the evidence, each truncated to sampleLen bytes.
const (
	sampleNames = 4
	sampleLen   = 40
)

// failed is one domain a source failed to resolve.
type failed struct {
	at      int64   // latest lookup, Unix nanoseconds
	key     uint64  // hash of the domain (Name.Key: the label and what follows)
	label   uint32  // hash of the label: sibling TLDs share it
	tld     uint32  // hash of the TLD
	weight  float32 // HostBaseWeight plus the model's score
	length  uint8   // label length (capped at 255)
	repeats uint8   // lookups after the first (capped)
}

// burst is a source's failed lookups of unknown domains: the per-host
// evidence behind dga_volume's host rule.
type burst struct {
	failed [maxFailed]failed
	tags   [maxFailed]uint8 // ringTag(failed[i].key), 0 when unused (tags.go)
	next   int              // ring position of the next write
	n      int              // entries in use
	// resolved is the decayed count of domains new to the sensor that
	// this source resolved (time constant HostWindow), at resolvedAt.
	resolved   float32
	resolvedAt int64
	sample     [sampleNames][sampleLen]byte
	sampleLen  [sampleNames]uint8
	sampleNext uint8
	// typoChecks counts the typo checks made since typoSince (one window).
	typoChecks uint8
	typoSince  int64
}

// burstStats sums a source's failures within the window.
type burstStats struct {
	domains    int     // distinct failed domains
	lookups    int     // failed lookups (domains plus repeats)
	weight     float64 // sum of their evidence weights
	lengthMode float64 // largest share with label lengths within 1 of each other
	tldMode    float64 // largest share under one TLD
	siblings   float64 // share whose label also failed under another TLD
	share      float64 // failed / (failed + resolved new domains)
	evidence   float64
}

// typoCheckAfter is how many failures a source must already have in the
// window before a new one is checked for being a typo: the check costs
// tens of microseconds, and a source failing less cannot reach the
// threshold. A source holding maxFailed failures within the window is
// flooding: no person mistypes that often, and the check is skipped, so
// a flood costs no more than other lookups.
const typoCheckAfter = 2

// maxTypoChecks caps the typo checks per source and window: people mistype
// a few names an hour, while a source failing steadily just under maxFailed
// a window would otherwise pay tens of microseconds for every failure (it
// doubled nfr score's CPU on a log with a few such hosts). Failures past
// the cap count unchecked; a typo's low model score and irregular shape
// keep it from raising the evidence much.
const maxTypoChecks = 8

// hostInspect applies the host rule to a DNS answer for name (whose
// verdict v counts it under a domain; Inspect has already passed over
// popular names). A resolved domain new to the sensor counts for the
// source's share; a failed one, unless known or a typo of a known one,
// adds to its burst. It returns the source's state
// and figures, and whether it reaches the evidence threshold.
func (d *Detector) hostInspect(ev *scoring.Event, name *scoring.FQDN, v *verdict) (*host, burstStats, bool) {
	now, window := ev.Time.UnixNano(), d.cfg.HostWindow.Nanoseconds()
	if resolvedAnswer(&ev.DNS) {
		if v.known {
			return nil, burstStats{}, false // inserted since the name was cached
		}
		v.known = true
		if d.known.insert(v.domain, v.class) {
			h := d.host(ev)
			h.burst.decay(now, window)
			h.burst.resolved++
		}
		return nil, burstStats{}, false
	}
	if !failedAnswer(&ev.DNS) || d.known.has(v.domain) {
		return nil, burstStats{}, false
	}
	h := d.host(ev)
	b := &h.burst
	if b.repeat(now, v.domain, window) {
		return nil, burstStats{}, false
	}
	n := scoredName(name)
	if b.typoBudgetLeft(now, window) && b.typoCheckDue(now, window) &&
		b.typoBudget(now, window) && d.known.typoOf(n.Label, n.Key[len(n.Label):]) {
		return nil, burstStats{}, false // a mistyped known name
	}
	b.add(now, v.domain, &n, float32(d.cfg.HostBaseWeight+v.score))
	b.keepSample(n.Key)
	if h.lastRaise != 0 && now-h.lastRaise < window {
		return nil, burstStats{}, false // raised for this window already
	}
	s := b.stats(now, window)
	return h, s, s.domains >= d.cfg.HostMinDomains && s.share >= d.cfg.HostMinFailedShare && s.evidence >= d.cfg.HostMinEvidence
}

// host returns the event's source's state, inserted when new (hashing
// the address here, not through the LRU's hash function).
func (d *Detector) host(ev *scoring.Event) *host {
	h, _ := d.hosts.GetOrInsertHashed(ev.SrcIP, state.HashAddr(ev.SrcIP))
	return h
}

// resolvedAnswer reports an answer that says the name exists: NOERROR,
// with or without records (many logs carry the rcode but not the answers;
// an empty NOERROR still proves the name, so its domain, exists).
func resolvedAnswer(d *scoring.DNS) bool {
	return d.Rcode == scoring.RcodeNoError
}

// failedAnswer reports an NXDOMAIN or SERVFAIL answer: a name that was
// never registered, or whose registration lapsed or was never delegated.
// An empty NOERROR answer is not one (the name exists without the asked
// record type: an AAAA lookup on an IPv4-only site).
func failedAnswer(d *scoring.DNS) bool {
	return d.Rcode == scoring.RcodeNXDomain || d.Rcode == scoring.RcodeServFail
}

// decay brings the resolved count to time now.
func (b *burst) decay(now, window int64) {
	if dt := now - b.resolvedAt; dt > 0 && b.resolved > 0 {
		b.resolved *= float32(math.Exp(-float64(dt) / float64(window)))
	}
	b.resolvedAt = max(b.resolvedAt, now)
}

// repeat reports whether the domain already failed within the window,
// and counts the repeat.
func (b *burst) repeat(now int64, key uint64, window int64) bool {
	t := ringTag(key)
	for w := 0; w*8 < b.n; w++ {
		for m := tagMatches(b.tags[:], w, t); m != 0; m &= m - 1 {
			if b.failed[tagSlot(w, m)].repeat(now, key, window) {
				return true
			}
		}
	}
	return false
}

// repeat counts a repeated failure of key at now in f when f holds key
// within window of now, and reports whether it did.
func (f *failed) repeat(now int64, key uint64, window int64) bool {
	if f.key != key || now-f.at >= window {
		return false
	}
	f.at = max(f.at, now)
	f.repeats = min(f.repeats+1, 255)
	return true
}

// add records a newly failed domain, replacing the oldest when full.
func (b *burst) add(now int64, key uint64, n *Name, weight float32) {
	b.failed[b.next] = failed{at: now, key: key, label: uint32(scoring.HashString(n.Label)),
		tld: uint32(scoring.HashString(n.TLD)), weight: weight, length: uint8(min(len(n.Label), 255))}
	b.tags[b.next] = ringTag(key)
	b.next = (b.next + 1) % maxFailed
	b.n = min(b.n+1, maxFailed)
}

// keepSample keeps domain as one of the latest failed names for evidence.
func (b *burst) keepSample(domain string) {
	i := b.sampleNext % sampleNames
	b.sampleLen[i] = uint8(copy(b.sample[i][:], domain))
	b.sampleNext++
}

// stats computes the burst's figures over the failures within window of now.
func (b *burst) stats(now, window int64) burstStats {
	var s burstStats
	var lengths [64]uint8
	for i := range b.failed[:b.n] {
		f := &b.failed[i]
		if now-f.at >= window || f.at-now >= window {
			continue
		}
		s.domains++
		s.lookups += 1 + int(f.repeats)
		s.weight += float64(f.weight)
		lengths[min(f.length, 63)]++
		s.tldMode = max(s.tldMode, float64(b.count(now, window, func(g *failed) bool { return g.tld == f.tld })))
		if b.count(now, window, func(g *failed) bool { return g.label == f.label && g.tld != f.tld }) > 0 {
			s.siblings++
		}
	}
	if s.domains == 0 {
		return s
	}
	for l := 1; l < 63; l++ {
		s.lengthMode = max(s.lengthMode, float64(lengths[l-1])+float64(lengths[l])+float64(lengths[l+1]))
	}
	n := float64(s.domains)
	s.lengthMode, s.tldMode, s.siblings = s.lengthMode/n, s.tldMode/n, s.siblings/n
	b.decay(now, window)
	s.share = n / (n + float64(b.resolved))
	s.evidence = s.weight * shapeFactor(s) * repeatFactor(s)
	return s
}

// count is how many failures within window of now satisfy match.
func (b *burst) count(now, window int64, match func(*failed) bool) int {
	c := 0
	for i := range b.failed[:b.n] {
		g := &b.failed[i]
		if now-g.at < window && g.at-now < window && match(g) {
			c++
		}
	}
	return c
}

// shapeFactor scales the evidence by how regular the burst is: families
// emit names of one length (or a narrow range) and reuse labels under
// sibling TLDs; benign failures (typos, dead bookmarks) are of every
// length. 0.75 for no regularity up to 1.5.
func shapeFactor(s burstStats) float64 {
	regular := max(s.lengthMode, s.siblings)
	return 0.75 + 0.75*regular
}

// repeatFactor lowers the evidence of a source that keeps retrying the
// same few names (a dead bookmark, an application's stale setting): DGA
// names are tried about once each.
func repeatFactor(s burstStats) float64 {
	per := float64(s.lookups) / float64(s.domains)
	if per <= 2 {
		return 1
	}
	return 2 / per
}

// hostEvidence is the evidence of a host rule raise.
// Entry lists the latest failed domains (newest first).
func (d *Detector) hostEvidence(b *burst, s burstStats) scoring.Evidence {
	round := func(x float64) float64 { return math.Round(x*100) / 100 }
	return scoring.Evidence{
		Detector:  "dga",
		Rule:      "host_evidence>=" + strconv.FormatFloat(d.cfg.HostMinEvidence, 'g', -1, 64),
		Entry:     b.sampleText(),
		Indicator: "dga_volume",
		Window:    d.cfg.HostWindow,
		Figures: []scoring.Figure{
			{Name: "failed_domains", Value: float64(s.domains)},
			{Name: "failed_lookups", Value: float64(s.lookups)},
			{Name: "evidence", Value: round(s.evidence)},
			{Name: "model_weight", Value: round(s.weight)},
			{Name: "length_regularity", Value: round(s.lengthMode)},
			{Name: "tld_regularity", Value: round(s.tldMode)},
			{Name: "sibling_tlds", Value: round(s.siblings)},
			{Name: "failed_share", Value: round(s.share)},
		},
	}
}

// sampleText lists the latest failed domains, newest first, separated
// by spaces.
func (b *burst) sampleText() string {
	out := ""
	for k := 0; k < sampleNames; k++ {
		i := (int(b.sampleNext) - 1 - k + 2*sampleNames) % sampleNames
		if b.sampleLen[i] == 0 {
			continue
		}
		if out != "" {
			out += " "
		}
		out += string(b.sample[i][:b.sampleLen[i]])
	}
	return out
}

// typoCheckDue reports whether the source's failures within the window
// make a new one worth a typo check: typoCheckAfter or more, but fewer
// than maxFailed (a flood).
func (b *burst) typoCheckDue(now, window int64) bool {
	c := 0
	for i := range b.failed[:b.n] {
		g := &b.failed[i]
		if now-g.at < window && g.at-now < window {
			c++
		}
	}
	return c >= typoCheckAfter && c < maxFailed
}

// typoBudgetLeft reports whether typoBudget would grant a check, without
// taking it (typoBudget refusing changes nothing, so asking this first
// saves counting the failures of a source that has used its checks).
func (b *burst) typoBudgetLeft(now, window int64) bool {
	return now-b.typoSince >= window || now < b.typoSince || b.typoChecks < maxTypoChecks
}

// typoBudget takes one of the source's typo checks for the window that
// began at its first check, and reports whether one was left.
func (b *burst) typoBudget(now, window int64) bool {
	if now-b.typoSince >= window || now < b.typoSince {
		b.typoSince, b.typoChecks = now, 0
	}
	if b.typoChecks >= maxTypoChecks {
		return false
	}
	b.typoChecks++
	return true
}
