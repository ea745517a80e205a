package icmptunnel

import (
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Config holds the icmptunnel detector's settings (the engine.icmptunnel
// section of config.yml). The defaults and how they were chosen are in the
// package documentation.
type Config struct {
	// Enabled runs the detector.
	Enabled bool `yaml:"enabled"`
	// Window is the event-time window over which a (client, server) echo
	// pair is measured. Default 10m.
	Window time.Duration `yaml:"window"`
	// MinPackets is how many echo requests whose payload does not look like
	// any standard ping must be seen before non_ping_payload fires. Default 3.
	MinPackets int `yaml:"min_packets"`
	// MinBytes is the non-ping payload, in bytes, non_ping_payload also
	// needs. Default 256.
	MinBytes int `yaml:"min_bytes"`
	// MinMismatch is how many echo replies whose payload differs from the
	// request (or that answer no request) reply_mismatch needs. Default 3.
	MinMismatch int `yaml:"min_mismatch"`
	// MaxSizes is the number of distinct request payload sizes at which
	// size_variation fires. Default 4.
	MaxSizes int `yaml:"max_sizes"`
	// VolumeBytes is the echo payload (both directions) in one window at
	// which volume fires whatever the payload looks like. Default 1 MiB.
	VolumeBytes int64 `yaml:"volume_bytes"`
	// EntropyTolerance is how far, in bits per byte, a payload's entropy may
	// be from a standard ping's of the same length. Default 0.25.
	EntropyTolerance float64 `yaml:"entropy_tolerance"`
	// MaxKeys caps the (client, server) pairs tracked. Default 16384.
	MaxKeys int `yaml:"max_keys"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Enabled:          true,
		Window:           10 * time.Minute,
		MinPackets:       3,
		MinBytes:         256,
		MinMismatch:      3,
		MaxSizes:         4,
		VolumeBytes:      1 << 20,
		EntropyTolerance: 0.25,
		MaxKeys:          16384,
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
	case c.MinPackets < 1:
		return &scoring.ConfigError{Key: "min_packets", Msg: "must be at least 1"}
	case c.MinBytes < 0:
		return &scoring.ConfigError{Key: "min_bytes", Msg: "must not be negative"}
	case c.MinMismatch < 1:
		return &scoring.ConfigError{Key: "min_mismatch", Msg: "must be at least 1"}
	case c.MaxSizes < 2 || c.MaxSizes > maxSizes:
		return &scoring.ConfigError{Key: "max_sizes", Msg: "must be between 2 and 8"}
	case c.VolumeBytes < 1:
		return &scoring.ConfigError{Key: "volume_bytes", Msg: "must be positive"}
	case c.EntropyTolerance < 0 || c.EntropyTolerance > 2:
		return &scoring.ConfigError{Key: "entropy_tolerance", Msg: "must be between 0 and 2"}
	case c.MaxKeys < 1 || c.MaxKeys > 1<<24:
		return &scoring.ConfigError{Key: "max_keys", Msg: "must be between 1 and 16777216"}
	}
	return nil
}
