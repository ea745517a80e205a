// Package icmptunnel detects ICMP tunneling and exfiltration per ICMP flow. It must not do I/O.
package icmptunnel

// Config holds the icmptunnel detector's settings (the engine.icmptunnel section of config.yml).
type Config struct {
	Enabled bool `yaml:"enabled"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Enabled: true} }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error { return nil }
