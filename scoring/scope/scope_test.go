package scope

import (
	"net/netip"
	"testing"
)

func pfx(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

func testSet(t *testing.T) *Set {
	t.Helper()
	s, err := New([]GroupSpec{
		{Label: "office", Desc: "office LAN", InScope: pfx("10.0.0.0/8"), OutScope: pfx("10.9.0.0/16"),
			TrustedDomains: []string{"*.corp.example", "update.vendor.example"},
			TrustedIPs:     pfx("10.0.0.53/32", "192.0.2.0/24")},
		{Label: "servers", InScope: pfx("10.1.0.0/16", "2001:db8::/32")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func labels(s *Set, members []int) []string {
	var out []string
	for _, i := range members {
		out = append(out, s.Group(i).Label)
	}
	return out
}

func TestMembers(t *testing.T) {
	s := testSet(t)
	cases := map[string][]string{
		"10.2.3.4":      {"office"},
		"10.1.2.3":      {"office", "servers"},
		"10.9.1.1":      nil, // office out_scope, not in servers
		"172.16.0.1":    nil,
		"2001:db8::10":  {"servers"},
		"::ffff:10.2.0": nil,
	}
	for a, want := range cases {
		addr, err := netip.ParseAddr(a)
		if err != nil {
			continue
		}
		got := labels(s, s.AppendMembers(nil, addr))
		if len(got) != len(want) {
			t.Errorf("%s: groups %v, want %v", a, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: groups %v, want %v", a, got, want)
			}
		}
	}
	if got := labels(s, s.AppendMembers(nil, netip.MustParseAddr("::ffff:10.2.3.4"))); len(got) != 1 || got[0] != "office" {
		t.Errorf("IPv4-mapped source: %v", got)
	}
	if s.Group(0).Desc != "office LAN" {
		t.Errorf("desc lost: %+v", s.Group(0))
	}
}

func TestTrustedDomains(t *testing.T) {
	s := testSet(t)
	office := []int{0}
	servers := []int{1}
	cases := []struct {
		name    string
		members []int
		want    bool
	}{
		{"corp.example", office, true}, // *.x matches x itself
		{"mail.corp.example", office, true},
		{"a.b.corp.example", office, true},
		{"notcorp.example", office, false},
		{"update.vendor.example", office, true}, // bare: exact
		{"cdn.update.vendor.example", office, false},
		{"vendor.example", office, false},
		{"mail.corp.example", servers, false}, // another group's trust does not apply
		{"mail.corp.example", []int{1, 0}, true},
		{"", office, false},
	}
	for _, c := range cases {
		if got := s.TrustedDomain(c.members, c.name); got != c.want {
			t.Errorf("TrustedDomain(%v, %q) = %v", c.members, c.name, got)
		}
		var mask uint64
		for _, i := range c.members {
			mask |= 1 << i
		}
		if got := s.TrustMask(c.name)&mask != 0; got != c.want {
			t.Errorf("TrustMask(%q) = %b, members %v: trusted %v, want %v", c.name, s.TrustMask(c.name), c.members, got, c.want)
		}
	}
}

func TestTrustedIPs(t *testing.T) {
	s := testSet(t)
	for a, want := range map[string]bool{"10.0.0.53": true, "10.0.0.54": false, "192.0.2.200": true, "198.51.100.1": false} {
		if got := s.TrustedIP([]int{0}, netip.MustParseAddr(a)); got != want {
			t.Errorf("TrustedIP(%s) = %v", a, got)
		}
	}
	if s.TrustedIP([]int{1}, netip.MustParseAddr("10.0.0.53")) {
		t.Error("servers group does not trust office's resolver")
	}
	if s.TrustedIP([]int{0}, netip.Addr{}) {
		t.Error("invalid address trusted")
	}
}

func TestNewRejectsBadGroups(t *testing.T) {
	for _, specs := range [][]GroupSpec{
		{{Label: ""}},
		{{Label: "a"}, {Label: "a"}},
		{{Label: "a", TrustedDomains: []string{"bad domain"}}},
	} {
		if _, err := New(specs); err == nil {
			t.Errorf("New(%+v) accepted bad groups", specs)
		}
	}
}

func TestLookupsDoNotAllocate(t *testing.T) {
	s := testSet(t)
	buf := make([]int, 0, 4)
	a := netip.MustParseAddr("10.1.2.3")
	d := netip.MustParseAddr("192.0.2.9")
	allocs := testing.AllocsPerRun(1000, func() {
		buf = s.AppendMembers(buf[:0], a)
		s.TrustedDomain(buf, "x.mail.corp.example")
		s.TrustedIP(buf, d)
	})
	if allocs != 0 {
		t.Errorf("scope lookups allocate %.1f times", allocs)
	}
}

func TestManyTrustedDomainsUseTheMaps(t *testing.T) {
	var domains []string
	for _, d := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		domains = append(domains, "*."+d+".example", "exact-"+d+".example")
	}
	s, err := New([]GroupSpec{{Label: "g", TrustedDomains: domains}})
	if err != nil {
		t.Fatal(err)
	}
	if s.groups[0].few != nil {
		t.Fatal("20 trusted domains still scanned linearly")
	}
	for name, want := range map[string]bool{"j.example": true, "x.j.example": true, "exact-j.example": true,
		"x.exact-j.example": false, "k.example": false, "xj.example": false} {
		if got := s.TrustedDomain([]int{0}, name); got != want {
			t.Errorf("TrustedDomain(%q) = %v", name, got)
		}
	}
}
