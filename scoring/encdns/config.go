package encdns

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
)

// Config holds the encdns detector's settings (the engine.encdns
// section of config.yml).
type Config struct {
	// Enabled runs the detector.
	Enabled bool `yaml:"enabled"`
	// DstPorts are the TCP destination ports of encrypted DNS judged: DNS over
	// HTTPS and DNS over TLS. Default 443, 853.
	DstPorts []uint16 `yaml:"ports"`
	// NoSNIPorts are the ports (among ports) on which a handshake without
	// SNI is enough to raise; on the others only an SNI that is not the
	// resolver's raises. Default 443: opportunistic DNS over TLS (Android
	// Private DNS "automatic", systemd-resolved given an address without a
	// #name) connects to 853 by address without SNI.
	NoSNIPorts []uint16 `yaml:"no_sni_ports"`
	// ExtraResolvers are public or organisation resolvers added to the
	// built-in list (Cloudflare, Google, Quad9, OpenDNS, AdGuard,
	// CleanBrowsing, NextDNS).
	ExtraResolvers []Resolver `yaml:"extra_resolvers"`
}

// Resolver is one encrypted-DNS service: the addresses it answers on and
// the names its clients put in the SNI.
type Resolver struct {
	// Name identifies the resolver in evidence.
	Name string `yaml:"name"`
	// Addresses are IPv4 or IPv6 addresses or prefixes (CIDR).
	Addresses []string `yaml:"addresses"`
	// Domains are the resolver's DoH/DoT hostnames; an SNI equal to one or
	// under one (a profile id subdomain) is the resolver's own.
	Domains []string `yaml:"domains"`
	// Source says where the addresses come from (shown as the evidence's ref).
	Source string `yaml:"source"`
}

// DefaultConfig returns the defaults: enabled, ports 443 and 853, no SNI
// judged on 443 only, no extra resolvers.
func DefaultConfig() Config {
	return Config{Enabled: true, DstPorts: []uint16{443, 853}, NoSNIPorts: []uint16{443}}
}

// Defaults, On and NewDetector make Config this detector's section of the
// engine's registry (a scoring.DetectorConfig).
func (Config) Defaults() scoring.DetectorConfig { return DefaultConfig() }
func (c Config) On() bool                       { return c.Enabled }
func (c Config) NewDetector() scoring.Detector  { return New(c) }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error {
	if len(c.DstPorts) == 0 {
		return &scoring.ConfigError{Key: "ports", Msg: "must list at least one port"}
	}
	for i, p := range c.DstPorts {
		if p == 0 {
			return &scoring.ConfigError{Key: fmt.Sprintf("ports[%d]", i), Msg: "port 0 is not a port"}
		}
	}
	for i, p := range c.NoSNIPorts {
		if !slices.Contains(c.DstPorts, p) {
			return &scoring.ConfigError{Key: fmt.Sprintf("no_sni_ports[%d]", i), Msg: fmt.Sprintf("port %d is not in ports", p)}
		}
	}
	for i, r := range c.ExtraResolvers {
		if err := r.validate(); err != nil {
			err.Key = fmt.Sprintf("extra_resolvers[%d].%s", i, err.Key)
			return err
		}
	}
	return nil
}

func (r Resolver) validate() *scoring.ConfigError {
	if strings.TrimSpace(r.Name) == "" {
		return &scoring.ConfigError{Key: "name", Msg: "must not be empty"}
	}
	if len(r.Addresses) == 0 {
		return &scoring.ConfigError{Key: "addresses", Msg: "must list at least one address or prefix"}
	}
	for j, a := range r.Addresses {
		if _, err := parsePrefix(a); err != nil {
			return &scoring.ConfigError{Key: fmt.Sprintf("addresses[%d]", j), Msg: fmt.Sprintf("%q is not an IP address or prefix", a)}
		}
	}
	for j, d := range r.Domains {
		if d == "" || strings.ContainsAny(d, " /:*") || strings.HasPrefix(d, ".") {
			return &scoring.ConfigError{Key: fmt.Sprintf("domains[%d]", j), Msg: fmt.Sprintf("%q is not a host name", d)}
		}
	}
	return nil
}

// parsePrefix accepts "192.0.2.1", "2001:db8::1" or "192.0.2.0/24".
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}
