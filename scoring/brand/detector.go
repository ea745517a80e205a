package brand

import (
	"net/netip"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// Detector is the brand detector. Its index is immutable; Inspect keeps
// bounded caches of verdicts per registered domain and of names that
// matched nothing, so Inspect is not safe for concurrent use (the engine
// serialises it). Match uses no cache and is safe for concurrent use.
type Detector struct {
	cfg      Config
	ix       *index
	verdicts *state.NameCache[verdict]  // registered domain → matchRegistered
	clean    *state.NameCache[struct{}] // whole names that impersonate nothing
}

// verdictCacheSlots bounds the verdict cache (about 100 bytes a slot) and
// cleanCacheSlots the cache of clean names (64 bytes a slot).
const (
	verdictCacheSlots = 8192
	cleanCacheSlots   = 16384
)

// New returns a detector with configuration cfg (already validated). With
// no extra brands, no allow list and the default typo length it shares the
// built-in index.
func New(cfg Config) *Detector {
	ix := builtin()
	editLen := cfg.MinTypoLength
	if editLen == 0 {
		editLen = DefaultMinTypoLength
	}
	if len(cfg.Brands) > 0 || len(cfg.Allow) > 0 || editLen != DefaultMinTypoLength {
		ix = buildIndex(mergeBrands(cfg.Brands), cfg.Allow, editLen, true)
	}
	return &Detector{cfg: cfg, ix: ix, verdicts: state.NewNameCache[verdict](verdictCacheSlots),
		clean: state.NewNameCache[struct{}](cleanCacheSlots).WithDoorkeeper()}
}

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "brand" }

// Brands returns the brands the detector protects (built-in and configured).
func (d *Detector) Brands() []Brand { return d.ix.brands }

// Match reports whether f's registered domain impersonates a brand, and how
// (a popular registered domain never does: f.Rank, see Config.PopularRank).
// It does not allocate unless it matches or the name is an IDN.
func (d *Detector) Match(f *scoring.FQDN) (Match, bool) {
	if d.popular(f) {
		return Match{}, false
	}
	return d.ix.match(f)
}

// popular reports whether f's registered domain ranks within PopularRank.
func (d *Detector) popular(f *scoring.FQDN) bool {
	return d.cfg.PopularRank > 0 && f.Popular(uint32(d.cfg.PopularRank))
}

// Inspect implements scoring.Detector: it raises brand_impersonation for an
// event whose name (DNS query, HTTP host or TLS SNI) imitates a brand,
// unless its registered domain is popular, the intel stage tagged it with
// one of ExemptCategories (a CDN, an allow list), or the lookup was
// answered NXDOMAIN (a typo of a name nobody registered: there is no site
// to phish with, and users mistype brands all day) or with a name in the
// brand's own domains (a defensive registration). Evidence: Rule is
// the technique, List the brand, Entry the brand's real domain, Indicator
// the imitating registered domain.
func (d *Detector) Inspect(ev *scoring.Event, name *scoring.FQDN, r *scoring.Report) {
	if !d.cfg.Enabled || !name.Valid || d.popular(name) || r.HasAnyCategory(d.cfg.ExemptCategories) {
		return
	}
	if ev.Type == scoring.TypeDNS && ev.DNS.NXDomain() {
		return // a mistyped name that is not registered: no site imitates anything
	}
	if name.Registered == "" || d.clean.RefHashed(name.Name, name.Hash) != nil {
		return // no registered domain, or a name that matched nothing before (most): without match's call and empty Match
	}
	m, ok := d.match(name)
	if !ok || d.answeredByBrand(ev, m.Brand) {
		return
	}
	r.Raise(scoring.BrandImpersonation, scoring.Evidence{
		Detector:  "brand",
		Rule:      m.Technique,
		List:      m.Brand,
		Entry:     m.Domain,
		Indicator: name.Registered,
		Figures: []scoring.Figure{
			{Name: "edit_distance", Value: float64(m.Distance)},
			{Name: "keyword_length", Value: float64(len(m.Keyword))},
		},
	})
}

// match is index.match memoised, for a valid name with a registered
// domain that is not in d.clean: names that matched nothing are
// remembered whole there (a name's verdict is a pure function of it;
// Inspect looks them up before calling), and the checks of the
// registered domain per registered domain (the subdomain checks still
// run for each new name under it).
func (d *Detector) match(f *scoring.FQDN) (Match, bool) {
	v, ok := d.verdicts.Get(f.Registered)
	if !ok || v.icann != f.ICANN {
		v = d.ix.matchRegistered(f)
		if !ok {
			d.verdicts.Put(f.Registered, v)
		}
	}
	m, hit := d.ix.finish(f, v)
	if !hit {
		d.clean.InsertHashed(f.Name, f.Hash, struct{}{})
	}
	return m, hit
}

// answeredByBrand reports whether a DNS answer names a registered domain
// of the brand itself: a look-alike the brand registered defensively
// points into the brand's own zones (paypal-prepaid.net CNAME
// www.paypal.com). Only matches reach it, so its parsing is off the hot path.
func (d *Detector) answeredByBrand(ev *scoring.Event, brandName string) bool {
	if ev.Type != scoring.TypeDNS {
		return false
	}
	for _, a := range ev.DNS.Answers {
		if maybeAddr(a) {
			if _, err := netip.ParseAddr(a); err == nil {
				continue // registered would refuse it, allocating the error
			}
		}
		reg, err := registered(a)
		if err != nil {
			continue // an address or TXT data
		}
		if bi, own := d.ix.own[reg]; own && d.ix.brands[bi].Name == brandName {
			return true
		}
	}
	return false
}

// maybeAddr reports text that may be an IP address: it ends in a digit
// or holds a colon (a name's last label, its TLD, is never numeric).
func maybeAddr(s string) bool {
	return s != "" && ('0' <= s[len(s)-1] && s[len(s)-1] <= '9' || strings.IndexByte(s, ':') >= 0)
}

// CacheStats reports the verdict cache's entries, capacity and evictions.
func (d *Detector) CacheStats() (entries, capacity int, evictions uint64) {
	return d.verdicts.Len(), d.verdicts.Cap(), d.verdicts.Evictions()
}

// State implements scoring.StateReporter: both caches together.
func (d *Detector) State() scoring.StateStats {
	n, c, ev := d.CacheStats()
	return scoring.StateStats{Entries: n + d.clean.Len(), Capacity: c + d.clean.Cap(),
		Evictions: ev + d.clean.Evictions(), Bytes: d.verdicts.Bytes() + d.clean.Bytes()}
}
