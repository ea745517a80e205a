package engine

import (
	"encoding/binary"
	"math/bits"
	"net/netip"

	"github.com/netflightrecorder/nfr/scoring/scope"
)

// memberSlots is the size of the direct-mapped cache of sources' scope
// groups (32 bytes a slot).
const (
	memberBits  = 12
	memberSlots = 1 << memberBits
)

// memberSlot remembers the groups (a bit per group index) a source is a
// member of. Addresses are held as their 16-byte form plus a zone-free
// flag, so the cache holds no pointers for the collector to scan.
type memberSlot struct {
	hi, lo uint64
	filled bool
	is4    bool
	groups uint64
}

// appendMembers appends the indexes of the scope groups src is a member
// of, and sets e.memberMask to them. Sources repeat (a handful of clients
// and resolvers make most events), so when the scope is maskable the
// answer is cached per address.
func (e *Engine) appendMembers(dst []int, src netip.Addr) []int {
	if !e.maskable || src.Zone() != "" {
		start := len(dst)
		dst = e.scope.AppendMembers(dst, src)
		e.memberMask = groupMask(dst[start:])
		return dst
	}
	b := src.As16()
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	slot := &e.memberCache[((hi^lo)*0x9E3779B97F4A7C15)>>(64-memberBits)]
	if !slot.filled || slot.hi != hi || slot.lo != lo || slot.is4 != src.Is4() {
		start := len(dst)
		dst = e.scope.AppendMembers(dst, src)
		*slot = memberSlot{hi: hi, lo: lo, filled: true, is4: src.Is4(), groups: groupMask(dst[start:])}
	} else {
		for m := slot.groups; m != 0; m &= m - 1 {
			dst = append(dst, bits.TrailingZeros64(m))
		}
	}
	e.memberMask = slot.groups
	return dst
}

// groupMask is groups (indexes below scope.MaskGroups) as a bit set.
func groupMask(groups []int) uint64 {
	var m uint64
	for _, i := range groups {
		if i < scope.MaskGroups {
			m |= 1 << i
		}
	}
	return m
}

// trustMask is the scope's TrustMask of name (0 without a scope).
func (e *Engine) trustMask(name string) uint64 {
	if e.scope == nil {
		return 0
	}
	return e.scope.TrustMask(name)
}
