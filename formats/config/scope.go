package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// Scope is the scope section of config.yml: where scope.yml lives.
type Scope struct {
	// Path of scope.yml; relative paths are relative to config.yml.
	// Empty means the built-in default group.
	Path string `yaml:"path"`
}

// DefaultScope points at scope.yml beside config.yml.
func DefaultScope() Scope { return Scope{Path: "scope.yml"} }

// Validate checks the scope section.
func (s Scope) Validate() error { return nil }

// ScopeFile is the whole of scope.yml.
type ScopeFile struct {
	Groups []ScopeGroup `yaml:"groups"`
}

// ScopeGroup is one group of sources that nfr scores.
type ScopeGroup struct {
	Label string `yaml:"label"`
	Desc  string `yaml:"desc"`
	// InScope and OutScope are IP addresses or CIDRs of sources.
	InScope  []string `yaml:"in_scope"`
	OutScope []string `yaml:"out_scope"`
	// TrustedDomains: "*.x" matches x and its subdomains; a bare "x" only x.
	TrustedDomains []string `yaml:"trusted_domains"`
	// TrustedIPs are destination addresses or CIDRs never scored.
	TrustedIPs []string `yaml:"trusted_ips"`
}

// DefaultScopeFile is the group used when no scope.yml exists: RFC 1918 and
// ULA sources in scope; local and reverse-lookup names trusted.
func DefaultScopeFile() *ScopeFile {
	return &ScopeFile{Groups: []ScopeGroup{{
		Label:          "internal",
		Desc:           "RFC 1918 and ULA sources",
		InScope:        []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"},
		TrustedDomains: []string{"*.arpa", "*.local", "*.lan", "*.internal"},
	}}}
}

// LoadScope reads scope.yml. An empty path, or the default path missing,
// means DefaultScopeFile.
func LoadScope(path string, explicit bool) (*ScopeFile, error) {
	if path == "" {
		return DefaultScopeFile(), nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return DefaultScopeFile(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("scope: %w", err)
	}
	return ParseScope(path, data)
}

// ScopePath resolves the configured scope.yml path against the config's directory.
func (c *Config) ScopePath() string {
	p := c.Scope.Path
	if p == "" || filepath.IsAbs(p) || c.Dir == "" {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// ParseScope decodes scope.yml contents strictly.
func ParseScope(name string, data []byte) (*ScopeFile, error) {
	sf := &ScopeFile{}
	doc, _, err := decodeStrict(name, data, sf)
	if err != nil {
		return nil, err
	}
	if err := sf.Validate(); err != nil {
		return nil, locate(name, doc, err)
	}
	return sf, nil
}

// Validate checks every group's addresses and names.
func (sf *ScopeFile) Validate() error {
	for i, g := range sf.Groups {
		key := fmt.Sprintf("groups[%d]", i)
		if g.Label == "" {
			return keyErr(key+".label", "is required")
		}
		for name, list := range map[string][]string{"in_scope": g.InScope, "out_scope": g.OutScope, "trusted_ips": g.TrustedIPs} {
			for j, s := range list {
				if _, err := ParsePrefix(s); err != nil {
					return keyErr(fmt.Sprintf("%s.%s[%d]", key, name, j), err.Error())
				}
			}
		}
		for j, d := range g.TrustedDomains {
			if strings.TrimPrefix(d, "*.") == "" || strings.ContainsAny(d, " /") {
				return keyErr(fmt.Sprintf("%s.trusted_domains[%d]", key, j), fmt.Sprintf("%q is not a domain or *.domain", d))
			}
		}
	}
	return nil
}

// ParsePrefix accepts a CIDR ("10.0.0.0/8") or a bare address (a /32 or /128).
func ParsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a valid CIDR", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a valid IP address or CIDR", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func keyErr(key, msg string) error {
	return &KeyError{Key: key, Msg: fmt.Sprintf("invalid value for key %q: %s", key, msg)}
}
