package nxdomain

import (
	"fmt"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Config holds the nxdomain detector's settings (the engine.nxdomain
// section of config.yml). The defaults and how they were chosen are in the
// package documentation.
type Config struct {
	// Enabled runs the detector.
	Enabled bool `yaml:"enabled"`
	// Window is the event-time window over which a source is measured.
	// Default 10m.
	Window time.Duration `yaml:"window"`
	// MinNames is the number of distinct names answered NXDOMAIN that a
	// source must receive in a window. Default 40.
	MinNames int `yaml:"min_names"`
	// MinRatio is the share of the source's answered lookups that must be
	// NXDOMAIN. Default 0.3.
	MinRatio float64 `yaml:"min_ratio"`
	// ExemptCategories are intel categories whose names are not counted.
	// Default dnsbl, antivirus, allowlist.
	ExemptCategories []string `yaml:"exempt_categories"`
	// MaxKeys caps the sources tracked. Default 65536.
	MaxKeys int `yaml:"max_keys"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Enabled:          true,
		Window:           10 * time.Minute,
		MinNames:         40,
		MinRatio:         0.3,
		ExemptCategories: []string{"dnsbl", "antivirus", "allowlist"},
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
	case c.MinNames < 2 || c.MinNames > seenBits/4:
		return &scoring.ConfigError{Key: "min_names", Msg: fmt.Sprintf("must be between 2 and %d", seenBits/4)}
	case c.MinRatio < 0 || c.MinRatio > 1:
		return &scoring.ConfigError{Key: "min_ratio", Msg: "must be between 0 and 1"}
	case c.MaxKeys < 1 || c.MaxKeys > 1<<24:
		return &scoring.ConfigError{Key: "max_keys", Msg: "must be between 1 and 16777216"}
	}
	for i, cat := range c.ExemptCategories {
		if cat == "" {
			return &scoring.ConfigError{Key: fmt.Sprintf("exempt_categories[%d]", i), Msg: "empty category"}
		}
	}
	return nil
}
