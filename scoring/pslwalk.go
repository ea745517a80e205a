package scoring

import (
	_ "embed"
	"strings"

	"golang.org/x/net/publicsuffix"
)

//go:generate go run ./internal/pslgen

// The public suffix list tables of the golang.org/x/net/publicsuffix
// version in go.mod (copied by internal/pslgen; Copyright 2012 The Go
// Authors, BSD-style license), walked by pslWalk exactly as the library
// walks them. TestPSLTableMatchesLibrary checks that they are the
// library's (same list version) and that the walk gives the library's
// answer for every rule of the list and the corpus domain lists.
var (
	//go:embed psldata/text
	pslText string
	//go:embed psldata/nodes
	pslNodes string
	//go:embed psldata/children
	pslChildren string
)

// publicSuffix is publicsuffix.PublicSuffix(domain) without its
// allocation: the library first parses domain as an IP address, and the
// parse error it discards is allocated for every name. A name that cannot
// be an address (one with a byte other than digits and dots, and no colon)
// of at most 255 bytes is walked here; the rest go to the library. The walk
// finds a label's node with one hash (pslIndex), not a binary search, so it
// needs no cache: about 65 ns for a three-label name, as long as the hit
// of the two-way cache it replaces took.
func publicSuffix(domain string) (string, bool) {
	if len(domain) > 255 || mayBeAddr(domain) {
		return publicsuffix.PublicSuffix(domain)
	}
	var dots dotSet
	dots.collect(domain)
	return pslWalk(domain, &dots)
}

// mayBeAddr reports whether netip.ParseAddr could accept s: it parses only
// digits and dots as IPv4, and IPv6 needs a colon.
func mayBeAddr(s string) bool {
	if strings.IndexByte(s, ':') >= 0 {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// pslWalk is the rule walk of publicsuffix.PublicSuffix (list.go), over
// the copied tables; dots holds domain's dots.
func pslWalk(domain string, dots *dotSet) (publicSuffix string, icann bool) {
	lo, hi := uint32(0), uint32(pslNumTLD)
	end, suffix, icannNode, wildcard := len(domain), len(domain), false, false // the walk is at domain[:end]
loop:
	for {
		dot := dots.before(end)
		if wildcard {
			icann = icannNode
			suffix = 1 + dot
		}
		if lo == hi {
			break
		}
		f := pslFind(domain[1+dot:end], lo, hi)
		if f == pslNotFound {
			break
		}

		u := uint32(pslNode(f) >> (pslNodesBitsTextOffset + pslNodesBitsTextLength))
		icannNode = u&(1<<pslNodesBitsICANN-1) != 0
		u >>= pslNodesBitsICANN
		u = pslChild(u & (1<<pslNodesBitsChildren - 1))
		lo = u & (1<<pslChildrenBitsLo - 1)
		u >>= pslChildrenBitsLo
		hi = u & (1<<pslChildrenBitsHi - 1)
		u >>= pslChildrenBitsHi
		switch u & (1<<pslChildrenBitsNodeType - 1) {
		case pslNodeTypeNormal:
			suffix = 1 + dot
		case pslNodeTypeException:
			suffix = 1 + end
			break loop
		}
		u >>= pslChildrenBitsNodeType
		wildcard = u&(1<<pslChildrenBitsWildcard-1) != 0
		if !wildcard {
			icann = icannNode
		}

		if dot == -1 {
			break
		}
		end = dot
	}
	if suffix == len(domain) {
		// No rule matches: the prevailing rule is "*".
		return domain[1+strings.LastIndexByte(domain, '.'):], icann
	}
	return domain[suffix:], icann
}

const pslNotFound uint32 = 1<<32 - 1

// pslFind returns the node in [lo, hi) whose label is label, or
// pslNotFound: what the library's binary search over the range (a
// parent's children, sorted by label) returns, found instead in
// pslIndex with one hash of the label, where the search compares a dozen
// labels for a name's top-level domain alone.
func pslFind(label string, lo, hi uint32) uint32 {
	t := &pslIndex
	for i := pslSlot(label, lo); ; i = (i + 1) & (pslIndexSize - 1) {
		e := t[i]
		if e == 0 {
			return pslNotFound
		}
		if f := e - 1; f >= lo && f < hi && pslLabel(f) == label {
			return f
		}
	}
}

// pslIndexSize is the number of slots of pslIndex, a power of two above
// twice the list's nodes (10,533 in 2026).
const pslIndexSize = 1 << 15

// pslIndex holds every node (its index plus one; 0 is empty) at the slot
// of its label and the first node of its parent's children (open
// addressing, linear probing): 128 KiB, built once when the package loads.
var pslIndex = buildPSLIndex()

func pslSlot(label string, lo uint32) uint32 {
	return uint32((HashString(label) ^ uint64(lo)*0x9E3779B97F4A7C15) >> 49) // 15 bits
}

// buildPSLIndex adds every node reachable from the top-level domains, each
// under the range of its parent's children (the ranges the walk searches).
func buildPSLIndex() (t [pslIndexSize]uint32) {
	n := 0
	var add func(lo, hi uint32)
	add = func(lo, hi uint32) {
		for f := lo; f < hi; f++ {
			i := pslSlot(pslLabel(f), lo)
			for t[i] != 0 {
				i = (i + 1) & (pslIndexSize - 1)
			}
			t[i] = f + 1
			if n++; 2*n > pslIndexSize {
				panic("scoring: the public suffix list outgrew pslIndexSize")
			}
			clo, chi := pslChildRange(f)
			add(clo, chi)
		}
	}
	add(0, pslNumTLD)
	return t
}

// pslChildRange is the range of node f's children in the nodes table.
func pslChildRange(f uint32) (lo, hi uint32) {
	u := uint32(pslNode(f) >> (pslNodesBitsTextOffset + pslNodesBitsTextLength + pslNodesBitsICANN))
	u = pslChild(u & (1<<pslNodesBitsChildren - 1))
	return u & (1<<pslChildrenBitsLo - 1), u >> pslChildrenBitsLo & (1<<pslChildrenBitsHi - 1)
}

func pslLabel(i uint32) string {
	x := pslNode(i)
	length := x & (1<<pslNodesBitsTextLength - 1)
	x >>= pslNodesBitsTextLength
	offset := x & (1<<pslNodesBitsTextOffset - 1)
	return pslText[offset : offset+length]
}

// pslNode is node i: a big-endian 40-bit integer.
func pslNode(i uint32) uint64 {
	u := pslNodes[i*(pslNodesBits/8):]
	_ = u[4]
	return uint64(u[4]) | uint64(u[3])<<8 | uint64(u[2])<<16 | uint64(u[1])<<24 | uint64(u[0])<<32
}

// pslChild is entry i of the children table: a big-endian uint32.
func pslChild(i uint32) uint32 {
	u := pslChildren[i*4:]
	_ = u[3]
	return uint32(u[3]) | uint32(u[2])<<8 | uint32(u[1])<<16 | uint32(u[0])<<24
}
