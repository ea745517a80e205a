package dga

import (
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Config holds the dga detector's settings (the engine.dga section of
// config.yml). How the defaults were chosen is in the package documentation.
type Config struct {
	// Enabled runs the detector.
	Enabled bool `yaml:"enabled"`
	// Threshold is the score (0..1) at or above which a name is flagged dga.
	// Default 0.992 (see the package documentation).
	Threshold float64 `yaml:"threshold"`
	// VolumeWindow is the event-time window over which a source's DGA
	// lookups are counted for dga_volume. Default 5m.
	VolumeWindow time.Duration `yaml:"volume_window"`
	// VolumeMinLookups is the weighted count of distinct DGA names a source
	// must look up within VolumeWindow for dga_volume to fire; a resolved
	// (or unanswered) lookup counts 1, an NXDOMAIN counts NXDomainWeight.
	// Default 18. At most 64.
	VolumeMinLookups float64 `yaml:"volume_min_lookups"`
	// NXDomainWeight is what one NXDOMAIN answer to a DGA name counts:
	// malware tries many names that were never registered. Default 4.
	NXDomainWeight float64 `yaml:"nxdomain_weight"`
	// MaxHosts caps the sources whose recent DGA lookups and failed
	// lookups are kept (about 2.8 KiB each). Default 16384.
	MaxHosts int `yaml:"max_hosts"`
	// ScoreCache is the number of slots (130 bytes each: a slot starts a
	// cache line, and the cache's doorkeeper takes 2) in each of
	// the two score caches, by whole name and by the scored label with
	// what follows it, so a name seen again, or a new subdomain of a
	// domain seen before, costs a lookup instead of the model: real
	// traffic repeats names heavily. Names longer than 62 bytes are not
	// cached. 0 disables. Default 16384.
	ScoreCache int `yaml:"score_cache"`
	// HostRule enables the host rule of dga_volume: a source whose failed
	// lookups (NXDOMAIN, SERVFAIL) of distinct unknown, unpopular domains
	// add up to HostMinEvidence within HostWindow (see the package
	// documentation). Default true.
	HostRule bool `yaml:"host_rule"`
	// HostWindow is the event-time window of the host rule. Default 10m.
	HostWindow time.Duration `yaml:"host_window"`
	// HostMinDomains is the fewest distinct failed domains within
	// HostWindow for the host rule to fire. Default 8. At most 32.
	HostMinDomains int `yaml:"host_min_domains"`
	// HostMinEvidence is the evidence (failed domains weighted by
	// HostBaseWeight plus their model score, scaled by the burst's shape
	// and repetition) at which the host rule fires. Default 8.
	HostMinEvidence float64 `yaml:"host_min_evidence"`
	// HostBaseWeight is what a failed domain counts before its model
	// score is added: a name the model takes for a real one still counts
	// this much. Default 0.5.
	HostBaseWeight float64 `yaml:"host_base_weight"`
	// HostMinFailedShare is the least share that failed domains must make
	// of the source's failed plus newly resolved domains within the window:
	// a host resolving hundreds of new domains (a proxy, a mail server, a
	// crawler) fails some of them without being infected. Default 0.3.
	HostMinFailedShare float64 `yaml:"host_min_failed_share"`
	// KnownDomains caps the sensor's memory of domains it has seen
	// resolve (9 bytes each: a fingerprint and a byte of tag; rounded up to
	// a power of two; the least recently confirmed are forgotten first):
	// their failed lookups never count for the host rule. 0 disables.
	// Default 262144 (2.25 MiB).
	KnownDomains int `yaml:"known_domains"`
	// ExemptCategories are intel categories (set by the intel stage) whose
	// names are neither flagged nor counted. Default cdn, allowlist.
	ExemptCategories []string `yaml:"exempt_categories"`
	// PopularRank: a name whose registered domain ranks 1 to PopularRank
	// in the popularity prior (intel.builtin_popularity, feeds of
	// category popular) is neither flagged nor counted: a DGA registers
	// fresh names by the thousand, which no popularity list ranks, while
	// popular services name hosts by machine (load balancers, CDN edges:
	// alb-<random>.<region>.alb.aliyuncsslbintl.com). 0 ignores the
	// prior. Default 100000 (the whole built-in prior). The host rule of
	// dga_volume never counts such a name either.
	PopularRank int `yaml:"popular_rank"`
}

// Popular reports whether f's registered domain ranks within PopularRank.
func (c *Config) Popular(f *scoring.FQDN) bool {
	return c.PopularRank > 0 && f.Popular(uint32(c.PopularRank))
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Enabled:          true,
		Threshold:        0.992,
		VolumeWindow:     5 * time.Minute,
		VolumeMinLookups: 18,
		NXDomainWeight:   4,
		MaxHosts:         16384,
		ScoreCache:       16384,
		ExemptCategories: []string{"cdn", "allowlist"},

		HostRule:           true,
		HostWindow:         10 * time.Minute,
		HostMinDomains:     8,
		HostMinEvidence:    8,
		HostBaseWeight:     0.5,
		HostMinFailedShare: 0.3,
		PopularRank:        100000,
		KnownDomains:       1 << 18,
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
	case !(c.Threshold > 0 && c.Threshold <= 1):
		return &scoring.ConfigError{Key: "threshold", Msg: "must be in (0, 1]"}
	case c.VolumeWindow < time.Second:
		return &scoring.ConfigError{Key: "volume_window", Msg: "must be at least 1s"}
	case !(c.VolumeMinLookups >= 1 && c.VolumeMinLookups <= maxRecent):
		return &scoring.ConfigError{Key: "volume_min_lookups", Msg: "must be between 1 and 64"}
	case !(c.NXDomainWeight >= 1 && c.NXDomainWeight <= 100):
		return &scoring.ConfigError{Key: "nxdomain_weight", Msg: "must be between 1 and 100"}
	case c.MaxHosts < 1 || c.MaxHosts > 1<<22:
		return &scoring.ConfigError{Key: "max_hosts", Msg: "must be between 1 and 4194304"}
	case c.ScoreCache < 0 || c.ScoreCache > 1<<22:
		return &scoring.ConfigError{Key: "score_cache", Msg: "must be between 0 and 4194304"}
	case c.PopularRank < 0:
		return &scoring.ConfigError{Key: "popular_rank", Msg: "must be 0 (ignore the prior) or a rank"}
	}
	return c.validateHost()
}

// validateHost checks the host rule's keys.
func (c Config) validateHost() error {
	switch {
	case c.HostWindow < time.Second:
		return &scoring.ConfigError{Key: "host_window", Msg: "must be at least 1s"}
	case c.HostMinDomains < 2 || c.HostMinDomains > maxFailed:
		return &scoring.ConfigError{Key: "host_min_domains", Msg: "must be between 2 and 32"}
	case !(c.HostMinEvidence > 0 && c.HostMinEvidence <= 100):
		return &scoring.ConfigError{Key: "host_min_evidence", Msg: "must be in (0, 100]"}
	case !(c.HostBaseWeight >= 0 && c.HostBaseWeight <= 10):
		return &scoring.ConfigError{Key: "host_base_weight", Msg: "must be between 0 and 10"}
	case !(c.HostMinFailedShare >= 0 && c.HostMinFailedShare <= 1):
		return &scoring.ConfigError{Key: "host_min_failed_share", Msg: "must be between 0 and 1"}
	case c.KnownDomains < 0 || c.KnownDomains > 1<<26:
		return &scoring.ConfigError{Key: "known_domains", Msg: "must be between 0 and 67108864"}
	}
	for _, cat := range c.ExemptCategories {
		if cat == "" {
			return &scoring.ConfigError{Key: "exempt_categories", Msg: "empty category"}
		}
	}
	return nil
}
