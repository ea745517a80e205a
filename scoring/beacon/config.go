package beacon

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Config holds the beacon detector's settings (the engine.beacon section of
// config.yml). The defaults and how they were chosen are in the package
// documentation.
type Config struct {
	// Enabled runs the detector.
	Enabled bool `yaml:"enabled"`
	// MinCallbacks is the number of callbacks (connections or lookups, a
	// burst within min_interval counting once) a series needs. Default 12.
	MinCallbacks int `yaml:"min_callbacks"`
	// MinSpan is the event time a series must cover. Default 10m.
	MinSpan time.Duration `yaml:"min_span"`
	// MinInterval merges callbacks closer than this into one. Default 2s.
	MinInterval time.Duration `yaml:"min_interval"`
	// MaxGap restarts a series after this long without a callback.
	// Default 6h.
	MaxGap time.Duration `yaml:"max_gap"`
	// IntervalDispersion is the largest median absolute deviation of the
	// intervals, relative to their median, that counts as regular.
	// Default 0.2.
	IntervalDispersion float64 `yaml:"interval_dispersion"`
	// SizeDispersion is the same bound for the bytes sent per connection.
	// Default 0.1.
	SizeDispersion float64 `yaml:"size_dispersion"`
	// Window is how long after raising a series stays quiet. Default 1h.
	Window time.Duration `yaml:"window"`
	// Lookups also measures repeated DNS lookups of one name by one source.
	// Default false: a caching resolver turns any polled name into
	// lookups at TTL expiry, as regular as a beacon.
	Lookups bool `yaml:"lookups"`
	// IgnorePorts are destination ports of protocols that are periodic by
	// design: DNS, NTP, NetBIOS, DHCP, SSDP, mDNS, LLMNR. Default 53, 67,
	// 68, 123, 137, 138, 1900, 5353, 5355.
	IgnorePorts []uint16 `yaml:"ignore_ports"`
	// InternalNetworks are destinations not measured (monitoring polls,
	// scrapes and agents inside the site are periodic by design). Default
	// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and fc00::/7: the RFC 1918
	// and RFC 4193 ranges.
	InternalNetworks []string `yaml:"internal_networks"`
	// ExemptCategories are intel categories whose destinations are not
	// measured. Default cdn, telemetry, update, allowlist.
	ExemptCategories []string `yaml:"exempt_categories"`
	// MaxKeys caps the (source, destination) series tracked. Default 32768.
	MaxKeys int `yaml:"max_keys"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Enabled:            true,
		MinCallbacks:       12,
		MinSpan:            10 * time.Minute,
		MinInterval:        2 * time.Second,
		MaxGap:             6 * time.Hour,
		IntervalDispersion: 0.2,
		SizeDispersion:     0.1,
		Window:             time.Hour,
		Lookups:            false,
		IgnorePorts:        []uint16{53, 67, 68, 123, 137, 138, 1900, 5353, 5355},
		InternalNetworks:   []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"},
		ExemptCategories:   []string{"cdn", "telemetry", "update", "allowlist"},
		MaxKeys:            32768,
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
	case c.MinCallbacks < 4 || c.MinCallbacks > ringLen+1:
		return &scoring.ConfigError{Key: "min_callbacks", Msg: fmt.Sprintf("must be between 4 and %d", ringLen+1)}
	case c.MinSpan < 0:
		return &scoring.ConfigError{Key: "min_span", Msg: "must not be negative"}
	case c.MinInterval < 0:
		return &scoring.ConfigError{Key: "min_interval", Msg: "must not be negative"}
	case c.MaxGap <= c.MinInterval:
		return &scoring.ConfigError{Key: "max_gap", Msg: "must be longer than min_interval"}
	case c.MaxGap > 1000*time.Hour:
		return &scoring.ConfigError{Key: "max_gap", Msg: "must be at most 1000h"}
	case c.IntervalDispersion <= 0 || c.IntervalDispersion >= 1:
		return &scoring.ConfigError{Key: "interval_dispersion", Msg: "must be between 0 and 1, exclusive"}
	case c.SizeDispersion <= 0 || c.SizeDispersion >= 1:
		return &scoring.ConfigError{Key: "size_dispersion", Msg: "must be between 0 and 1, exclusive"}
	case c.Window < 0:
		return &scoring.ConfigError{Key: "window", Msg: "must not be negative"}
	case c.MaxKeys < 1 || c.MaxKeys > 1<<24:
		return &scoring.ConfigError{Key: "max_keys", Msg: "must be between 1 and 16777216"}
	}
	for i, s := range c.InternalNetworks {
		if _, err := netip.ParsePrefix(s); err != nil {
			return &scoring.ConfigError{Key: fmt.Sprintf("internal_networks[%d]", i), Msg: fmt.Sprintf("%q is not a CIDR prefix", s)}
		}
	}
	for i, cat := range c.ExemptCategories {
		if cat == "" {
			return &scoring.ConfigError{Key: fmt.Sprintf("exempt_categories[%d]", i), Msg: "empty category"}
		}
	}
	return nil
}
