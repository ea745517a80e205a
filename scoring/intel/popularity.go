package intel

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel/internal/poptable"
)

// The popularity prior: how popular a registered domain is, by its rank in
// a list of the most visited registered domains (1 = most popular). Name
// detectors read it from scoring.FQDN.Rank, which the engine fills from
// the index: a popular registered domain is neither an impersonation nor
// a DGA name, and a tunnel through it would need its owner's
// authoritative server.
//
// The built-in prior is popular.txt: the Tranco list's top 100,000
// registered domains (Le Pochat et al., "Tranco: A Research-Oriented Top
// Sites Ranking Hardened Against Manipulation", NDSS 2019), one a line in
// rank order; an empty line is a rank whose entry is not a registrable
// domain under the public suffix list nfr links (`make prior` regenerates
// it from the evaluation corpus). Users replace or
// extend it with feeds of category "popular" (config
// intel.builtin_popularity, intel.feeds).

// CatPopular is the feed category of popularity lists: their entries rank
// registered domains, they are not indicators.
const CatPopular = "popular"

// BuiltinPopularityList names the built-in prior in Lists.
const BuiltinPopularityList = "builtin:popularity"

// popularList is the built-in prior, one registered domain a line in rank
// order (plain text: git compresses it in the repository, and the table
// is built without inflating it first).
//
//go:embed popular.txt
var popularList string

// builtinTable builds the prior's table (internal/poptable: read in place,
// no pointers for the garbage collector) once per process, when an index
// first uses it.
var builtinTable = sync.OnceValue(func() poptable.Table {
	t, err := poptable.Build(popularList)
	if err != nil {
		panic("intel: embedded popularity prior: " + err.Error()) // a build defect, covered by tests
	}
	return t
})

// ranks maps the seeded hash of a registered domain to its rank (feeds of
// category popular). A seeded hash (filterSeed) keeps crafted names from
// colliding with popular ones.
type ranks map[uint64]uint32

// add records rank for domain, keeping the better (lower) rank of two.
func (r ranks) add(domain string, rank uint32) {
	h := hashString(domain)
	if old, ok := r[h]; !ok || rank < old {
		r[h] = rank
	}
}

func (r ranks) get(domain string) uint32 { return r[hashString(domain)] }

// UseBuiltinPopularity makes the built-in prior part of the index.
func (b *Builder) UseBuiltinPopularity() {
	if !b.ix.builtinRanks.Empty() {
		return
	}
	b.ix.builtinRanks = builtinTable()
	b.ix.lists = append(b.ix.lists, ListInfo{Name: BuiltinPopularityList, Category: CatPopular,
		Builtin: true, Entries: b.ix.builtinRanks.Len()})
}

// AddPopular ranks a registered domain for list (a feed of category
// "popular"). A domain ranked by several lists, or by a list and the
// built-in prior, takes its best rank. It returns ErrDuplicate when list
// already ranked domain, and an error when domain is not a registered
// domain (a public suffix plus one label).
func (b *Builder) AddPopular(domain string, rank uint32, list string) error {
	norm, err := NormaliseDomain(domain)
	if err != nil {
		return err
	}
	var f scoring.FQDN
	f.Parse(norm)
	if f.Registered != norm {
		return fmt.Errorf("%q is not a registered domain (a public suffix plus one label)", domain)
	}
	if rank == 0 {
		return fmt.Errorf("rank 0 for %q: ranks start at 1", domain)
	}
	key := list + "\x00" + norm
	if b.popularSeen == nil {
		b.popularSeen = map[string]bool{}
	}
	if b.popularSeen[key] {
		return ErrDuplicate
	}
	b.popularSeen[key] = true
	if b.ix.userRanks == nil {
		b.ix.userRanks = ranks{}
	}
	b.ix.userRanks.add(norm, rank)
	i, ok := b.listIndex[list]
	if !ok {
		i = len(b.ix.lists)
		b.listIndex[list] = i
		b.ix.lists = append(b.ix.lists, ListInfo{Name: list, Category: CatPopular})
	}
	b.ix.lists[i].Entries++
	return nil
}

// Rank returns f's registered domain's rank in the prior (best of the
// built-in one and user lists), 0 when unranked. Names in a shared zone
// are never ranked: under a suffix of the public suffix list's private
// section (github.io, duckdns.org) f.Registered is the user's own zone,
// and a registered domain listed as dynamic DNS (category dyndns) hands
// out subdomains to anyone. It does not allocate.
func (ix *Index) Rank(f *scoring.FQDN) uint32 {
	if !f.Valid || f.Registered == "" || (ix.builtinRanks.Empty() && ix.userRanks == nil) {
		return 0
	}
	var best uint32
	if !ix.builtinRanks.Empty() {
		best = ix.builtinRanks.RankHashed(f.Registered, f.RegisteredHash())
	}
	if ix.userRanks != nil {
		if u, ok := ix.userRanks[hashString(f.Registered)]; ok && (best == 0 || u < best) {
			best = u
		}
	}
	if best != 0 && ix.sharedZone(f) {
		return 0
	}
	return best
}

// sharedZone reports whether f's registered domain is listed as dynamic DNS.
func (ix *Index) sharedZone(f *scoring.FQDN) bool {
	if !ix.filter.has(f.RegisteredHash()) { // filterKey(f.Registered)
		return false
	}
	for _, ind := range ix.domains[f.Registered] {
		if ind.Category == CatDynDNS {
			return true
		}
	}
	return false
}

// PopularityEntries is the number of registered domains the prior ranks.
func (ix *Index) PopularityEntries() int {
	n := len(ix.userRanks)
	if !ix.builtinRanks.Empty() {
		n += ix.builtinRanks.Len()
	}
	return n
}
