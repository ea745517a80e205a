// Package scan detects port scans and address scans. It must not do I/O.
package scan

// Config holds the scan detector's settings (the engine.scan section of config.yml).
type Config struct {
	Enabled bool `yaml:"enabled"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Enabled: true} }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error { return nil }
