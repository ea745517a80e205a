// Package scope decides which events nfr scores: an event is scored when
// its source address is in scope of at least one group (inside one of the
// group's in_scope prefixes and outside all of its out_scope prefixes) and
// its destination is not trusted by one of those groups. It holds compiled
// sets only (formats/config compiles scope.yml into a Set); it does no I/O
// and lookups do not allocate.
package scope

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

// GroupSpec is one group as configured.
type GroupSpec struct {
	Label string
	Desc  string
	// InScope and OutScope are source prefixes (single addresses as /32 or /128).
	InScope  []netip.Prefix
	OutScope []netip.Prefix
	// TrustedDomains: "*.x" matches x and its subdomains; a bare "x" only x.
	TrustedDomains []string
	// TrustedIPs are destination prefixes never scored.
	TrustedIPs []netip.Prefix
}

// group is a compiled GroupSpec.
type group struct {
	info        scoring.Group
	in, out     intel.PrefixMap[struct{}]
	exact       map[string]struct{} // bare trusted domains
	suffixes    map[string]struct{} // "*.x" trusted domains, stored as x
	trustedIPs  intel.PrefixMap[struct{}]
	hasTrustDom bool
	// few lists the trusted domains when there are at most fewMax of
	// them, so the common short list is checked without hashing.
	few []trustedDomain
}

type trustedDomain struct {
	name string
	wild bool // "*.name": name and its subdomains
}

const fewMax = 8

// Set is a compiled scope: an ordered list of groups. Immutable; safe for
// concurrent reads.
type Set struct {
	groups []group
}

// New compiles specs. Labels must be unique and non-empty; domains must be
// valid names (optionally "*."-prefixed).
func New(specs []GroupSpec) (*Set, error) {
	s := &Set{groups: make([]group, 0, len(specs))}
	seen := map[string]bool{}
	for i, sp := range specs {
		if sp.Label == "" {
			return nil, fmt.Errorf("scope group %d: label is required", i)
		}
		if seen[sp.Label] {
			return nil, fmt.Errorf("scope group %d: duplicate label %q", i, sp.Label)
		}
		seen[sp.Label] = true
		g, err := compile(sp)
		if err != nil {
			return nil, fmt.Errorf("scope group %q: %w", sp.Label, err)
		}
		s.groups = append(s.groups, g)
	}
	return s, nil
}

func compile(sp GroupSpec) (group, error) {
	g := group{
		info:     scoring.Group{Label: sp.Label, Desc: sp.Desc},
		exact:    map[string]struct{}{},
		suffixes: map[string]struct{}{},
	}
	for _, p := range sp.InScope {
		g.in.Insert(p, struct{}{})
	}
	for _, p := range sp.OutScope {
		g.out.Insert(p, struct{}{})
	}
	for _, p := range sp.TrustedIPs {
		g.trustedIPs.Insert(p, struct{}{})
	}
	for _, d := range sp.TrustedDomains {
		wild := strings.HasPrefix(d, "*.")
		name, err := intel.NormaliseDomain(strings.TrimPrefix(d, "*."))
		if err != nil {
			return group{}, fmt.Errorf("trusted domain: %w", err)
		}
		if wild {
			g.suffixes[name] = struct{}{}
		} else {
			g.exact[name] = struct{}{}
		}
		g.few = append(g.few, trustedDomain{name: name, wild: wild})
		g.hasTrustDom = true
	}
	if len(g.few) > fewMax {
		g.few = nil
	}
	return g, nil
}

// Len is the number of groups.
func (s *Set) Len() int { return len(s.groups) }

// Group returns the label and description of group i.
func (s *Set) Group(i int) scoring.Group { return s.groups[i].info }

// AppendMembers appends the indices of the groups whose scope holds src
// (in some in_scope prefix, in no out_scope prefix), in configuration order.
func (s *Set) AppendMembers(dst []int, src netip.Addr) []int {
	for i := range s.groups {
		g := &s.groups[i]
		if g.in.Contains(src) && !g.out.Contains(src) {
			dst = append(dst, i)
		}
	}
	return dst
}

// TrustedDomain reports whether some group of members trusts name
// (normalised: lower case, no trailing dot).
func (s *Set) TrustedDomain(members []int, name string) bool {
	if name == "" {
		return false
	}
	for _, i := range members {
		if s.groups[i].trustsDomain(name) {
			return true
		}
	}
	return false
}

// MaskGroups is the most groups TrustMask answers for.
const MaskGroups = 64

// TrustMask returns the groups that trust name (normalised), as a bit per
// group index; groups past MaskGroups are left out. A caller that
// memoises it per name checks trust with one AND.
func (s *Set) TrustMask(name string) uint64 {
	var m uint64
	if name == "" {
		return 0
	}
	for i := range min(len(s.groups), MaskGroups) {
		if s.groups[i].trustsDomain(name) {
			m |= 1 << i
		}
	}
	return m
}

// TrustedIP reports whether some group of members trusts destination a.
func (s *Set) TrustedIP(members []int, a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, i := range members {
		if s.groups[i].trustedIPs.Contains(a) {
			return true
		}
	}
	return false
}

func (g *group) trustsDomain(name string) bool {
	if !g.hasTrustDom {
		return false
	}
	if g.few != nil {
		for _, d := range g.few {
			if name == d.name || d.wild && len(name) > len(d.name) &&
				name[len(name)-len(d.name)-1] == '.' && strings.HasSuffix(name, d.name) {
				return true
			}
		}
		return false
	}
	if _, ok := g.exact[name]; ok {
		return true
	}
	return scoring.UnderZone(name, g.suffixes)
}
