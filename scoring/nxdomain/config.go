// Package nxdomain detects hosts receiving many NXDOMAIN answers (unreachable_domain_volume). It must not do I/O.
package nxdomain

// Config holds the nxdomain detector's settings (the engine.nxdomain section of config.yml).
type Config struct {
	Enabled bool `yaml:"enabled"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Enabled: true} }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error { return nil }
