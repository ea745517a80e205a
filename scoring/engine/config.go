// Package engine wires nfr's detectors into one scoring pipeline: events in,
// alerts out. It owns scope filtering, the FQDN breakdown, intel matching,
// suppression and the bounded state of every detector. It does no I/O and
// reads no clock: windows run on event time.
//
// # Speed
//
// Resolvers' clients look up the same names and get the same answers over
// and over, so the work that depends on a name alone is done once per
// distinct name: a fixed-size memo per query name holds its breakdown
// (scoring.NameLayout), the scope groups that trust it and whether it
// matched no domain indicator; a per-source cache holds each source's
// scope groups; answers that matched nothing are remembered by their
// text. Detectors memoise their own name-only verdicts (brand, dga) and
// say which event types they examine (scoring.EventFilter). Memoising
// changes no result: every cache holds pure functions of its key, and
// those tied to the intel index are emptied when it changes. Figures:
// `make bench` (instructions and time per DNS event, with every corpus
// feed loaded).
package engine

import (
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Config is the engine section of config.yml: the engine's own keys and,
// inline, one section per registered detector (Detectors).
type Config struct {
	// Suppress controls alert suppression (engine.suppress).
	Suppress SuppressConfig `yaml:"suppress"`
	// Intel controls the intel stage (engine.intel).
	Intel IntelConfig `yaml:"intel"`

	Detectors `yaml:",inline"`
}

// SuppressConfig: the same (source, threat, indicator) seen again within
// Window of the alert that opened the window is counted, not alerted; the
// next alert after the window carries the count.
type SuppressConfig struct {
	// Window is the suppression window in event time; 0 disables suppression.
	Window time.Duration `yaml:"window"`
	// MaxEntries caps the (source, threat, indicator) keys remembered; the
	// least recently seen key is evicted (and counted) when full.
	MaxEntries int `yaml:"max_entries"`
}

// IntelConfig controls which intel matches the intel stage makes.
type IntelConfig struct {
	// Enabled turns the intel stage on.
	Enabled bool `yaml:"enabled"`
	// PortRequiresData: a port-only indicator (Stratum, BitTorrent ports)
	// matches a flow only when both directions carried payload bytes.
	PortRequiresData bool `yaml:"port_requires_data"`
}

// DefaultConfig returns the documented defaults of every engine key.
func DefaultConfig() Config {
	return Config{
		Suppress:  SuppressConfig{Window: 10 * time.Minute, MaxEntries: 100000},
		Intel:     IntelConfig{Enabled: true, PortRequiresData: true},
		Detectors: defaultDetectors(),
	}
}

// Validate checks the engine's own keys, then every detector section. The
// error is a *scoring.ConfigError whose key is relative to the engine
// section ("suppress.window", "dga.threshold").
func (c Config) Validate() error {
	if err := c.validateOwn(); err != nil {
		return err
	}
	for _, s := range c.Sections() {
		if err := s.Config.Validate(); err != nil {
			if ce, ok := err.(*scoring.ConfigError); ok {
				return &scoring.ConfigError{Key: s.Name + "." + ce.Key, Msg: ce.Msg}
			}
			return &scoring.ConfigError{Key: s.Name, Msg: err.Error()}
		}
	}
	return nil
}

// validateOwn checks the engine's own keys (suppress, intel).
func (c Config) validateOwn() error {
	if c.Suppress.Window < 0 {
		return &scoring.ConfigError{Key: "suppress.window", Msg: "must be 0 (off) or positive"}
	}
	if c.Suppress.MaxEntries < 1 {
		return &scoring.ConfigError{Key: "suppress.max_entries", Msg: "must be at least 1"}
	}
	if c.Suppress.MaxEntries > 100_000_000 {
		return &scoring.ConfigError{Key: "suppress.max_entries", Msg: "must be at most 100000000"}
	}
	return nil
}
