// Package dga detects algorithmically generated domain names (per event) and hosts resolving many of them (dga_volume). It must not do I/O.
package dga

// Config holds the dga detector's settings (the engine.dga section of config.yml).
type Config struct {
	Enabled bool `yaml:"enabled"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Enabled: true} }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error { return nil }
