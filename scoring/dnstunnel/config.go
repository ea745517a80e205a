package dnstunnel

import (
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Config holds the dnstunnel detector's settings (the engine.dnstunnel
// section of config.yml). The defaults and how they were chosen are in the
// package documentation.
type Config struct {
	// Enabled runs the detector.
	Enabled bool `yaml:"enabled"`
	// Window is the event-time window over which a (source, registered
	// domain) pair is measured. Default 10m.
	Window time.Duration `yaml:"window"`
	// MinUnique is how many distinct subdomains a pair must show in a window
	// before any rule may fire. Default 10.
	MinUnique int `yaml:"min_unique"`
	// NameBytes is the mean payload estimate, in bytes per distinct name, at
	// or above which names are judged to carry encoded data. Default 20.
	NameBytes float64 `yaml:"name_bytes"`
	// WindowBytes is the payload estimate summed over a window's distinct
	// names at or above which the pair is judged to move data whatever the
	// name shape (exfiltration in many short names). Default 4096.
	WindowBytes float64 `yaml:"window_bytes"`
	// MaxKeys caps the (source, registered domain) pairs tracked. Default 16384.
	MaxKeys int `yaml:"max_keys"`
	// ExemptCategories are intel categories (set on the event by the intel
	// stage) whose names are not measured: reputation services answer
	// data-bearing names by design. Default cdn, dnsbl, antivirus,
	// telemetry, allowlist.
	ExemptCategories []string `yaml:"exempt_categories"`
	// PopularRank: a registered domain ranked r (1 to PopularRank) in the
	// popularity prior needs sqrt(PopularRank / r) times the evidence
	// (at most 64 times) before a rule fires: min_unique and window_bytes
	// are multiplied by that factor, name_bytes by at most 2. A tunnel
	// needs the attacker to run the zone's authoritative server, which a
	// popular service's zone is not; its many data-like names are its
	// own (telemetry, edge ids). A zone the intel stage tags tunnel (a
	// tunnelling service) is judged unscaled whatever its rank. 0 ignores
	// the prior. Default 100000.
	PopularRank int `yaml:"popular_rank"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Enabled:          true,
		Window:           10 * time.Minute,
		MinUnique:        10,
		NameBytes:        20,
		WindowBytes:      4096,
		MaxKeys:          16384,
		ExemptCategories: []string{"cdn", "dnsbl", "antivirus", "telemetry", "allowlist"},
		PopularRank:      100_000,
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
	case c.MinUnique < 2:
		return &scoring.ConfigError{Key: "min_unique", Msg: "must be at least 2"}
	case c.NameBytes <= 0:
		return &scoring.ConfigError{Key: "name_bytes", Msg: "must be positive"}
	case c.WindowBytes <= 0:
		return &scoring.ConfigError{Key: "window_bytes", Msg: "must be positive"}
	case c.MaxKeys < 1 || c.MaxKeys > 1<<24:
		return &scoring.ConfigError{Key: "max_keys", Msg: "must be between 1 and 16777216"}
	case c.PopularRank < 0:
		return &scoring.ConfigError{Key: "popular_rank", Msg: "must be 0 (ignore the prior) or a rank"}
	}
	for _, cat := range c.ExemptCategories {
		if cat == "" {
			return &scoring.ConfigError{Key: "exempt_categories", Msg: "empty category"}
		}
	}
	return nil
}
