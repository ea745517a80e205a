package engine

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
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
	e, set := scopedEngine(t, specs)
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
			got := memberGroups(t, e, src)
			want := set.AppendMembers(nil, src)
			if !slices.Equal(got, want) {
				t.Fatalf("round %d: groups of %v = %v, want %v", round, src, got, want)
			}
		}
	}
	if got := fmt.Sprint(memberGroups(t, e, netip.MustParseAddr("10.1.2.3"))); got != "[0 1]" {
		t.Fatalf("groups of 10.1.2.3 = %s, want [0 1]", got)
	}
}

// memberGroups returns the groups findMembers finds for src, through
// memberList, checking its answer and the mask against them.
func memberGroups(t *testing.T, e *Engine, src netip.Addr) []int {
	t.Helper()
	found := e.findMembers(src)
	got := slices.Clone(e.memberList())
	if found != (len(got) > 0) || e.memberMask != groupMask(got) {
		t.Fatalf("groups of %v: %v, found %v, mask %#x", src, got, found, e.memberMask)
	}
	return got
}

// TestNameMemo parses names twice (the second time from the memo): the
// breakdown is the same, and address literals are never names.
func TestNameMemo(t *testing.T) {
	e, err := New(DefaultConfig(), Deps{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"www.example.co.uk", "10.1.2.3", "[::1]", "2001:db8::1", "4.3.2.1.in-addr.arpa", "WWW.Example.COM."} {
		var first string
		for round := range 2 {
			e.parseName(&scoring.Event{DNS: scoring.DNS{Query: q}}, e.Intel())
			got := fmt.Sprintf("%v %q %q %q %q", e.name.Valid, e.name.Name, e.name.Registered, e.name.Subdomain, e.name.TLD)
			if round == 0 {
				first = got
			} else if got != first {
				t.Errorf("%q: memoised %s, parsed %s", q, got, first)
			}
		}
		literal := q == "10.1.2.3" || q == "2001:db8::1" || q == "[::1]"
		if e.name.Valid == literal {
			t.Errorf("%q: valid %v", q, e.name.Valid)
		}
	}
}

// countingDetector counts the events it is shown.
type countingDetector struct {
	seen map[scoring.EventType]int
}

func (c *countingDetector) Name() string { return "counting" }
func (c *countingDetector) Inspect(ev *scoring.Event, _ *scoring.FQDN, _ *scoring.Report) {
	c.seen[ev.Type]++
}

type flowOnlyDetector struct{ countingDetector }

func (f *flowOnlyDetector) Wants(t scoring.EventType) bool { return t == scoring.TypeFlow }

// TestEventFilter: a detector that filters by type sees only its type; one
// that does not sees every event, including types the engine has no list
// for.
func TestEventFilter(t *testing.T) {
	all := &countingDetector{seen: map[scoring.EventType]int{}}
	flows := &flowOnlyDetector{countingDetector{seen: map[scoring.EventType]int{}}}
	e, err := newEngine(DefaultConfig(), Deps{}, []scoring.Detector{all, flows})
	if err != nil {
		t.Fatal(err)
	}
	src := netip.MustParseAddr("10.0.0.1")
	for _, typ := range []scoring.EventType{scoring.TypeDNS, scoring.TypeFlow, scoring.TypeICMP, scoring.TypeTLS, 42} {
		e.Process(&scoring.Event{Type: typ, SrcIP: src, DNS: scoring.DNS{Query: "a.example.com"}}, func(*scoring.Alert) {})
	}
	if len(all.seen) != 5 {
		t.Errorf("unfiltered detector saw %v, want all five types", all.seen)
	}
	if len(flows.seen) != 2 || flows.seen[scoring.TypeFlow] != 1 || flows.seen[42] != 1 {
		t.Errorf("flow-only detector saw %v, want the flow (and the unknown type 42)", flows.seen)
	}
}

// TestManyGroups: past scope.MaskGroups groups the engine uses the scope's
// own lookups (no per-source cache, no trust masks) and gets the same
// answers: membership of the last group, and its trusted domain.
func TestManyGroups(t *testing.T) {
	var specs []scope.GroupSpec
	for i := range scope.MaskGroups + 6 {
		specs = append(specs, scope.GroupSpec{Label: fmt.Sprintf("g%d", i),
			InScope: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16)}})
	}
	last := len(specs) - 1
	specs[last].TrustedDomains = []string{"*.trusted.example"}
	e, _ := scopedEngine(t, specs)
	src := netip.AddrFrom4([4]byte{10, byte(last), 1, 1})
	for range 2 {
		if got := memberGroups(t, e, src); len(got) != 1 || got[0] != last {
			t.Fatalf("groups of %v = %v, want [%d]", src, got, last)
		}
		e.Process(&scoring.Event{Type: scoring.TypeDNS, SrcIP: src, DNS: scoring.DNS{Query: "www.trusted.example"}}, func(*scoring.Alert) {})
	}
	if st := e.Stats(); st.Trusted != 2 {
		t.Errorf("trusted %d of 2 lookups of a domain the source's group trusts", st.Trusted)
	}
}

// scopedEngine is an engine with default settings and the scope of specs,
// and that scope.
func scopedEngine(t *testing.T, specs []scope.GroupSpec) (*Engine, *scope.Set) {
	t.Helper()
	set, err := scope.New(specs)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(DefaultConfig(), Deps{Scope: set})
	if err != nil {
		t.Fatal(err)
	}
	return e, set
}

// TestNameMemoStoredOrSpare: the name memo stores a name on its second
// sighting (state.WithDoorkeeper); the first is read from the spare memo.
// Trust is decided alike on every sighting, stored or not, for a source
// whose group trusts the name and for one whose group does not.
func TestNameMemoStoredOrSpare(t *testing.T) {
	specs := []scope.GroupSpec{
		{Label: "a", InScope: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}, TrustedDomains: []string{"*.trusted.example"}},
		{Label: "b", InScope: []netip.Prefix{netip.MustParsePrefix("10.2.0.0/16")}},
	}
	e, _ := scopedEngine(t, specs)
	trusting, other := netip.MustParseAddr("10.1.0.5"), netip.MustParseAddr("10.2.0.5")
	lookup := func(src netip.Addr) {
		e.Process(&scoring.Event{Type: scoring.TypeDNS, SrcIP: src, DNS: scoring.DNS{Query: "www.trusted.example"}}, func(*scoring.Alert) {})
	}
	for i := range 4 {
		lookup(trusting)
		if stored := e.names.Len(); stored != min(i, 1) {
			t.Fatalf("after sighting %d the memo holds %d names, want %d", i+1, stored, min(i, 1))
		}
		if st := e.Stats(); st.Trusted != uint64(i+1) {
			t.Fatalf("sighting %d: %d trusted, want %d", i+1, st.Trusted, i+1)
		}
		lookup(other)
		if st := e.Stats(); st.Trusted != uint64(i+1) || st.Scored != uint64(i+1) {
			t.Fatalf("sighting %d from the other group: %d trusted, %d scored; want %d and %d", i+1, st.Trusted, st.Scored, i+1, i+1)
		}
	}
}
