// Package beacon detects C2 beaconing: regular callbacks with regular sizes. It must not do I/O.
package beacon

// Config holds the beacon detector's settings (the engine.beacon section of config.yml).
type Config struct {
	Enabled bool `yaml:"enabled"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Enabled: true} }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error { return nil }
