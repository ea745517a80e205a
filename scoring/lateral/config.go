// Package lateral detects lateral movement: internal fan-out over administrative protocols. It must not do I/O.
package lateral

// Config holds the lateral detector's settings (the engine.lateral section of config.yml).
type Config struct {
	Enabled bool `yaml:"enabled"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Enabled: true} }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error { return nil }
