// Package brand detects brand impersonation by Unicode confusables, typo permutations and brand-combo names. It must not do I/O.
package brand

// Config holds the brand detector's settings (the engine.brand section of config.yml).
type Config struct {
	Enabled bool `yaml:"enabled"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Enabled: true} }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error { return nil }
