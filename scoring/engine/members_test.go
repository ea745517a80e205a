package engine

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/netflightrecorder/nfr/scoring/scope"
)

// TestMemberCacheAgreesWithScope asks for the groups of many sources, each
// several times, through the cache (so slots are reused and collide): the
// answer is always the scope's own.
func TestMemberCacheAgreesWithScope(t *testing.T) {
	specs := []scope.GroupSpec{
		{Label: "lan", InScope: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
			OutScope: []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}},
		{Label: "servers", InScope: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("fd00::/8")}},
		{Label: "v4mapped", InScope: []netip.Prefix{netip.MustParsePrefix("::ffff:10.2.0.0/112")}},
	}
	set, err := scope.New(specs)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(DefaultConfig(), Deps{Scope: set})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var srcs []netip.Addr
	for range 3 * memberSlots {
		v4 := netip.AddrFrom4([4]byte{10, byte(r.IntN(12)), byte(r.IntN(256)), byte(r.IntN(256))})
		srcs = append(srcs, v4, netip.AddrFrom16(v4.As16()),
			netip.AddrFrom16([16]byte{0xfd, 15: byte(r.IntN(256))}))
	}
	srcs = append(srcs, netip.MustParseAddr("fe80::1%eth0"), netip.MustParseAddr("192.0.2.1"))
	for round := range 3 {
		for _, src := range srcs {
			got := e.appendMembers(nil, src)
			want := set.AppendMembers(nil, src)
			if !slices.Equal(got, want) {
				t.Fatalf("round %d: groups of %v = %v, want %v", round, src, got, want)
			}
		}
	}
	if got := fmt.Sprint(e.appendMembers(nil, netip.MustParseAddr("10.1.2.3"))); got != "[0 1]" {
		t.Fatalf("groups of 10.1.2.3 = %s, want [0 1]", got)
	}
}
