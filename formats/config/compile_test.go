package config

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCompileScope(t *testing.T) {
	sf, err := ParseScope("scope.yml", []byte(`groups:
  - label: office
    desc: Office LAN
    in_scope: [10.0.0.0/8, 192.168.1.10]
    out_scope: [10.9.0.0/16]
    trusted_domains: ["*.corp.example", "exact.example"]
    trusted_ips: [192.0.2.53]
  - label: guests
    in_scope: ["192.168.50.0/24"]
`))
	if err != nil {
		t.Fatal(err)
	}
	set, err := sf.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 2 || set.Group(0).Label != "office" || set.Group(0).Desc != "Office LAN" {
		t.Fatalf("groups: %d, %+v", set.Len(), set.Group(0))
	}
	member := func(a string) []int { return set.AppendMembers(nil, netip.MustParseAddr(a)) }
	if m := member("192.168.1.10"); len(m) != 1 || m[0] != 0 {
		t.Errorf("bare address in_scope: %v", m)
	}
	if m := member("10.9.1.1"); len(m) != 0 {
		t.Errorf("out_scope source in scope: %v", m)
	}
	if m := member("192.168.50.7"); len(m) != 1 || m[0] != 1 {
		t.Errorf("guests: %v", m)
	}
	office := []int{0}
	if !set.TrustedDomain(office, "corp.example") || !set.TrustedDomain(office, "a.corp.example") ||
		!set.TrustedDomain(office, "exact.example") || set.TrustedDomain(office, "www.exact.example") {
		t.Error("trusted domains compiled wrongly")
	}
	if !set.TrustedIP(office, netip.MustParseAddr("192.0.2.53")) {
		t.Error("trusted ip not compiled")
	}
	def, err := DefaultScopeFile().Compile()
	if err != nil || def.Len() != 1 || len(def.AppendMembers(nil, netip.MustParseAddr("172.16.3.4"))) != 1 {
		t.Errorf("default scope: %v", err)
	}
}

func TestCompileScopeErrors(t *testing.T) {
	sf := &ScopeFile{Groups: []ScopeGroup{{Label: "a", InScope: []string{"10.0.0.0/8"}, TrustedIPs: []string{"nope"}}}}
	if _, err := sf.Compile(); err == nil || !strings.Contains(err.Error(), "groups[0].trusted_ips[0]") {
		t.Errorf("err = %v", err)
	}
	sf = &ScopeFile{Groups: []ScopeGroup{{Label: "a"}, {Label: "a"}}}
	if _, err := sf.Compile(); err == nil || !strings.Contains(err.Error(), "duplicate label") {
		t.Errorf("err = %v", err)
	}
}
