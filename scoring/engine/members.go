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

// findMembers sets the current event's scope groups to those src is a
// member of (e.memberMask, and e.members or, when maskable, the pending
// list memberList builds from the mask) and reports whether there is
// any. Sources repeat (a handful of clients and resolvers make most
// events), so when the scope is maskable the groups are cached per
// address, and most events, which the name memo's trust mask decides,
// never list them.
func (e *Engine) findMembers(src netip.Addr) bool {
	e.membersPending = false
	if !e.maskable || src.Zone() != "" {
		e.members = e.scope.AppendMembers(e.members[:0], src)
		e.memberMask = groupMask(e.members)
		return len(e.members) > 0
	}
	b := src.As16()
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	slot := &e.memberCache[((hi^lo)*0x9E3779B97F4A7C15)>>(64-memberBits)]
	if !slot.filled || slot.hi != hi || slot.lo != lo || slot.is4 != src.Is4() {
		e.members = e.scope.AppendMembers(e.members[:0], src)
		*slot = memberSlot{hi: hi, lo: lo, filled: true, is4: src.Is4(), groups: groupMask(e.members)}
	} else {
		e.membersPending = true
	}
	e.memberMask = slot.groups
	return slot.groups != 0 // a maskable scope's group indexes are all in the mask
}

// memberList returns the current event's scope groups (set by
// findMembers), building the list from the mask when it is pending.
func (e *Engine) memberList() []int {
	if e.membersPending {
		e.members = e.members[:0]
		for m := e.memberMask; m != 0; m &= m - 1 {
			e.members = append(e.members, bits.TrailingZeros64(m))
		}
		e.membersPending = false
	}
	return e.members
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
