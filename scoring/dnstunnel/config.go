// Package dnstunnel detects DNS tunneling and exfiltration per (source, registered domain) over an event-time window. It must not do I/O.
package dnstunnel

// Config holds the dnstunnel detector's settings (the engine.dnstunnel section of config.yml).
type Config struct {
	Enabled bool `yaml:"enabled"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Enabled: true} }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error { return nil }
