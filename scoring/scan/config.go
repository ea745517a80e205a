package scan

import (
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Config holds the scan detector's settings (the engine.scan section of
// config.yml). The defaults and how they were chosen are in the package
// documentation.
type Config struct {
	// Enabled runs the detector.
	Enabled bool `yaml:"enabled"`
	// Window is the event-time window over which a source is measured.
	// Default 10m.
	Window time.Duration `yaml:"window"`
	// MinPorts is the number of distinct ports one source must try on one
	// destination before port_scan may fire. Default 6.
	MinPorts int `yaml:"min_ports"`
	// MinHosts is the number of distinct destinations one source must try
	// on one port before address_scan may fire. Default 10.
	MinHosts int `yaml:"min_hosts"`
	// BenignSuccess is the probability that a benign source's first
	// contact succeeds (TRW's theta0). Default 0.9.
	BenignSuccess float64 `yaml:"benign_success"`
	// ScannerSuccess is the probability that a scanner's first contact
	// succeeds (TRW's theta1). Default 0.2.
	ScannerSuccess float64 `yaml:"scanner_success"`
	// DetectionRate is the share of scanners TRW must catch (its PD); with
	// FalseAlarmRate it sets TRW's decision thresholds. Default 0.99.
	DetectionRate float64 `yaml:"detection_rate"`
	// FalseAlarmRate is the share of benign sources TRW may call scanners
	// (its PF). Default 0.01.
	FalseAlarmRate float64 `yaml:"false_alarm_rate"`
	// MaxKeys caps the tracked (source, destination) and (source, port)
	// pairs, each. Default 65536.
	MaxKeys int `yaml:"max_keys"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Enabled:        true,
		Window:         10 * time.Minute,
		MinPorts:       6,
		MinHosts:       10,
		BenignSuccess:  0.9,
		ScannerSuccess: 0.2,
		DetectionRate:  0.99,
		FalseAlarmRate: 0.01,
		MaxKeys:        65536,
	}
}

// Defaults, On and NewDetector make Config this detector's section of the
// engine's registry (a scoring.DetectorConfig).
func (Config) Defaults() scoring.DetectorConfig { return DefaultConfig() }
func (c Config) On() bool                       { return c.Enabled }
func (c Config) NewDetector() scoring.Detector  { return New(c) }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error {
	prob := func(v float64) bool { return v > 0 && v < 1 }
	switch {
	case c.Window < time.Second:
		return &scoring.ConfigError{Key: "window", Msg: "must be at least 1s"}
	case c.MinPorts < 2 || c.MinPorts > seenBits/4:
		return &scoring.ConfigError{Key: "min_ports", Msg: "must be between 2 and 256"}
	case c.MinHosts < 2 || c.MinHosts > seenBits/4:
		return &scoring.ConfigError{Key: "min_hosts", Msg: "must be between 2 and 256"}
	case !prob(c.BenignSuccess):
		return &scoring.ConfigError{Key: "benign_success", Msg: "must be a probability strictly between 0 and 1"}
	case !prob(c.ScannerSuccess) || c.ScannerSuccess >= c.BenignSuccess:
		return &scoring.ConfigError{Key: "scanner_success", Msg: "must be strictly between 0 and benign_success"}
	case !prob(c.DetectionRate):
		return &scoring.ConfigError{Key: "detection_rate", Msg: "must be a probability strictly between 0 and 1"}
	case !prob(c.FalseAlarmRate) || c.FalseAlarmRate >= c.DetectionRate:
		return &scoring.ConfigError{Key: "false_alarm_rate", Msg: "must be strictly between 0 and detection_rate"}
	case c.MaxKeys < 1 || c.MaxKeys > 1<<24:
		return &scoring.ConfigError{Key: "max_keys", Msg: "must be between 1 and 16777216"}
	}
	return nil
}
