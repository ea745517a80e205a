package config

import (
	"fmt"
	"net/netip"

	"github.com/netflightrecorder/nfr/scoring/scope"
)

// Compile turns scope.yml's groups into the scope.Set the engine checks
// sources against. Addresses are parsed as in Validate; errors name the
// group and key.
func (sf *ScopeFile) Compile() (*scope.Set, error) {
	specs := make([]scope.GroupSpec, 0, len(sf.Groups))
	for i, g := range sf.Groups {
		spec := scope.GroupSpec{Label: g.Label, Desc: g.Desc, TrustedDomains: g.TrustedDomains}
		var err error
		if spec.InScope, err = parsePrefixes(g.InScope, i, "in_scope"); err != nil {
			return nil, err
		}
		if spec.OutScope, err = parsePrefixes(g.OutScope, i, "out_scope"); err != nil {
			return nil, err
		}
		if spec.TrustedIPs, err = parsePrefixes(g.TrustedIPs, i, "trusted_ips"); err != nil {
			return nil, err
		}
		specs = append(specs, spec)
	}
	set, err := scope.New(specs)
	if err != nil {
		return nil, fmt.Errorf("scope: %w", err)
	}
	return set, nil
}

func parsePrefixes(list []string, group int, key string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for j, s := range list {
		p, err := ParsePrefix(s)
		if err != nil {
			return nil, keyErr(fmt.Sprintf("groups[%d].%s[%d]", group, key, j), err.Error())
		}
		out = append(out, p)
	}
	return out, nil
}
