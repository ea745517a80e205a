// Package engine wires nfr's detectors into one scoring pipeline: events in,
// alerts out. It owns scope filtering, the FQDN breakdown, intel matching,
// suppression and the bounded state of every detector. It does no I/O and
// reads no clock: windows run on event time.
package engine

import (
	"github.com/netflightrecorder/nfr/scoring/beacon"
	"github.com/netflightrecorder/nfr/scoring/brand"
	"github.com/netflightrecorder/nfr/scoring/dga"
	"github.com/netflightrecorder/nfr/scoring/dnstunnel"
	"github.com/netflightrecorder/nfr/scoring/icmptunnel"
	"github.com/netflightrecorder/nfr/scoring/lateral"
	"github.com/netflightrecorder/nfr/scoring/nxdomain"
	"github.com/netflightrecorder/nfr/scoring/scan"
)

// Config is the engine section of config.yml.
type Config struct {
	DGA        dga.Config        `yaml:"dga"`
	Brand      brand.Config      `yaml:"brand"`
	DNSTunnel  dnstunnel.Config  `yaml:"dns_tunnel"`
	ICMPTunnel icmptunnel.Config `yaml:"icmp_tunnel"`
	Scan       scan.Config       `yaml:"scan"`
	Lateral    lateral.Config    `yaml:"lateral"`
	Beacon     beacon.Config     `yaml:"beacon"`
	NXDomain   nxdomain.Config   `yaml:"nxdomain"`
}

// DefaultConfig returns the documented defaults of every engine key.
func DefaultConfig() Config {
	return Config{
		DGA:        dga.DefaultConfig(),
		Brand:      brand.DefaultConfig(),
		DNSTunnel:  dnstunnel.DefaultConfig(),
		ICMPTunnel: icmptunnel.DefaultConfig(),
		Scan:       scan.DefaultConfig(),
		Lateral:    lateral.DefaultConfig(),
		Beacon:     beacon.DefaultConfig(),
		NXDomain:   nxdomain.DefaultConfig(),
	}
}
