package intel

import (
	"net/netip"
	"slices"
)

// PrefixMap maps IP prefixes (CIDRs and single addresses as /32 or /128) to
// values. Lookups mask the address once per distinct prefix length present,
// longest first, so a lookup costs one hash probe per length in use (a
// handful in practice) and does not allocate. Build it with Insert, then
// only read it: reads are safe for concurrent use, writes are not.
type PrefixMap[V any] struct {
	m     map[netip.Prefix]V
	lens4 []int // distinct IPv4 prefix lengths, longest first
	lens6 []int // distinct IPv6 prefix lengths, longest first
	// small holds the prefixes, longest first, while there are few of
	// them: a linear scan of a handful beats hashing per length.
	small []netip.Prefix
}

// PrefixSet is a set of prefixes: a PrefixMap with no values.
type PrefixSet = PrefixMap[struct{}]

// NewPrefixSet returns the set of cidrs; entries that do not parse are
// left out (callers pass validated configuration).
func NewPrefixSet(cidrs []string) *PrefixSet {
	s := new(PrefixSet)
	for _, c := range cidrs {
		if p, err := netip.ParsePrefix(c); err == nil {
			s.Insert(p, struct{}{})
		}
	}
	return s
}

// smallMax is the size up to which lookups scan small linearly.
const smallMax = 16

// Len is the number of prefixes held.
func (p *PrefixMap[V]) Len() int { return len(p.m) }

// Get returns the value stored for exactly pfx.
func (p *PrefixMap[V]) Get(pfx netip.Prefix) (V, bool) {
	v, ok := p.m[canonPrefix(pfx)]
	return v, ok
}

// Insert stores v for pfx (masked; IPv4-mapped IPv6 becomes IPv4),
// replacing any previous value.
func (p *PrefixMap[V]) Insert(pfx netip.Prefix, v V) {
	if p.m == nil {
		p.m = map[netip.Prefix]V{}
	}
	pfx = canonPrefix(pfx)
	_, existed := p.m[pfx]
	p.m[pfx] = v
	p.updateSmall(pfx, existed)
	if pfx.Addr().Is4() {
		p.lens4 = addLen(p.lens4, pfx.Bits())
	} else {
		p.lens6 = addLen(p.lens6, pfx.Bits())
	}
}

// updateSmall keeps small in step with m while m has at most smallMax keys.
func (p *PrefixMap[V]) updateSmall(pfx netip.Prefix, existed bool) {
	switch {
	case len(p.m) > smallMax:
		p.small = nil
	case !existed:
		p.small = append(p.small, pfx)
		slices.SortStableFunc(p.small, func(a, b netip.Prefix) int { return b.Bits() - a.Bits() })
	}
}

// Walk calls fn for every stored prefix containing a, longest first, until
// fn returns false.
func (p *PrefixMap[V]) Walk(a netip.Addr, fn func(netip.Prefix, V) bool) {
	if len(p.m) == 0 || !a.IsValid() {
		return
	}
	a = a.Unmap().WithZone("")
	if p.small != nil {
		for _, pfx := range p.small {
			if pfx.Contains(a) && !fn(pfx, p.m[pfx]) {
				return
			}
		}
		return
	}
	lens := p.lens6
	if a.Is4() {
		lens = p.lens4
	}
	for _, l := range lens {
		pfx, err := a.Prefix(l)
		if err != nil {
			continue
		}
		if v, ok := p.m[pfx]; ok {
			if !fn(pfx, v) {
				return
			}
		}
	}
}

// Longest returns the value of the longest stored prefix containing a.
func (p *PrefixMap[V]) Longest(a netip.Addr) (pfx netip.Prefix, v V, ok bool) {
	p.Walk(a, func(q netip.Prefix, w V) bool {
		pfx, v, ok = q, w, true
		return false
	})
	return pfx, v, ok
}

// Contains reports whether some stored prefix contains a.
func (p *PrefixMap[V]) Contains(a netip.Addr) bool {
	if p.small != nil && a.IsValid() {
		a = a.Unmap().WithZone("")
		for _, pfx := range p.small {
			if pfx.Contains(a) {
				return true
			}
		}
		return false
	}
	_, _, ok := p.Longest(a)
	return ok
}

func canonPrefix(pfx netip.Prefix) netip.Prefix {
	a := pfx.Addr()
	bits := pfx.Bits()
	if a.Is4In6() {
		a = a.Unmap()
		bits -= 96
		if bits < 0 {
			bits = 0
		}
	}
	return netip.PrefixFrom(a.WithZone(""), bits).Masked()
}

func addLen(lens []int, l int) []int {
	if slices.Contains(lens, l) {
		return lens
	}
	lens = append(lens, l)
	slices.SortFunc(lens, func(a, b int) int { return b - a })
	return lens
}
