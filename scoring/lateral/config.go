package lateral

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Config holds the lateral detector's settings (the engine.lateral section
// of config.yml). The defaults and how they were chosen are in the package
// documentation.
type Config struct {
	// Enabled runs the detector.
	Enabled bool `yaml:"enabled"`
	// Window is the event-time window over which a source is measured.
	// Default 10m.
	Window time.Duration `yaml:"window"`
	// MinHosts is the number of distinct internal destinations one internal
	// source must reach over administrative ports in a window. Default 10.
	MinHosts int `yaml:"min_hosts"`
	// Ports are the administrative TCP/UDP ports. Default 22 (SSH),
	// 23 (Telnet), 135 (MS-RPC), 139 and 445 (SMB), 3389 (RDP), 5985 and
	// 5986 (WinRM).
	Ports []uint16 `yaml:"ports"`
	// InternalNetworks are the prefixes counted as internal, besides hosts
	// the input marks local (Zeek local_orig/local_resp). Default
	// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and fc00::/7: the RFC 1918
	// and RFC 4193 ranges.
	InternalNetworks []string `yaml:"internal_networks"`
	// MaxKeys caps the sources tracked. Default 65536.
	MaxKeys int `yaml:"max_keys"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Enabled:          true,
		Window:           10 * time.Minute,
		MinHosts:         10,
		Ports:            []uint16{22, 23, 135, 139, 445, 3389, 5985, 5986},
		InternalNetworks: []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"},
		MaxKeys:          65536,
	}
}

// Defaults, On and NewDetector make Config this detector's section of the
// engine's registry (a scoring.DetectorConfig).
func (Config) Defaults() scoring.DetectorConfig { return DefaultConfig() }
func (c Config) On() bool                       { return c.Enabled }
func (c Config) NewDetector() scoring.Detector  { return New(c) }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error {
	switch {
	case c.Window < time.Second:
		return &scoring.ConfigError{Key: "window", Msg: "must be at least 1s"}
	case c.MinHosts < 2 || c.MinHosts > seenBits/4:
		return &scoring.ConfigError{Key: "min_hosts", Msg: "must be between 2 and 128"}
	case len(c.Ports) == 0 || len(c.Ports) > 64:
		return &scoring.ConfigError{Key: "ports", Msg: "must list 1 to 64 ports"}
	case c.MaxKeys < 1 || c.MaxKeys > 1<<24:
		return &scoring.ConfigError{Key: "max_keys", Msg: "must be between 1 and 16777216"}
	}
	for i, p := range c.Ports {
		if p == 0 {
			return &scoring.ConfigError{Key: fmt.Sprintf("ports[%d]", i), Msg: "port 0 is not a port"}
		}
	}
	for i, s := range c.InternalNetworks {
		if _, err := netip.ParsePrefix(s); err != nil {
			return &scoring.ConfigError{Key: fmt.Sprintf("internal_networks[%d]", i), Msg: fmt.Sprintf("%q is not a CIDR prefix", s)}
		}
	}
	return nil
}
