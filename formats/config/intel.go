package config

import (
	"fmt"

	"github.com/netflightrecorder/nfr/scoring"
)

// Intel is the intel section: built-in indicators and user feeds.
type Intel struct {
	// Builtin enables the indicators shipped inside nfr.
	Builtin bool `yaml:"builtin"`
	// BuiltinPopularity enables the popularity prior shipped inside nfr
	// (the Tranco top 100,000 registered domains): heuristic detectors do
	// not call a popular registered domain an impersonation or a DGA name,
	// and want far more evidence before calling it a tunnel. Feeds of
	// category popular extend it; turn this off to replace it with them.
	BuiltinPopularity bool `yaml:"builtin_popularity"`
	// Feeds are threat-intel files, each with a category and a format.
	Feeds []Feed `yaml:"feeds"`
	// ASNDatabase is an optional MaxMind-format ASN database (.mmdb).
	ASNDatabase string `yaml:"asn_database"`
}

// Feed is one user-supplied indicator file.
type Feed struct {
	// Name identifies the feed in evidence; defaults to the file's base name.
	Name string `yaml:"name"`
	// Path is the feed file; a relative path is relative to config.yml's directory.
	Path string `yaml:"path"`
	// Category is what a match means: c2, sinkhole, phishing, mining,
	// cryptojacking, tor, i2p, freenet, vpn, p2p, malware, dyndns, proxy;
	// popular ranks registered domains for the popularity prior instead
	// (formats tranco or plain).
	Category string `yaml:"category"`
	// Format is one of plain, hosts, maltrail, csv, tor-exit, tranco
	// (`rank,domain` lines, as Tranco publishes its list; category
	// popular only). A plain list of category popular ranks its entries
	// in file order.
	Format string `yaml:"format"`
	// Column is the 0-based CSV column holding the indicator (format csv).
	Column int `yaml:"column"`
}

// DefaultIntel enables the built-in indicators and no feeds.
func DefaultIntel() Intel { return Intel{Builtin: true, BuiltinPopularity: true} }

// FeedFormats are the accepted feed formats.
var FeedFormats = []string{"plain", "hosts", "maltrail", "csv", "tor-exit", "tranco"}

// FeedCategories are the accepted feed categories. The first group raises
// threats; the second (cdn, dnsbl, antivirus, telemetry, update, allowlist)
// raises nothing but tells detectors that a name's odd shape is by design
// (reputation lookups carry hashes and reversed addresses in their names).
// popular is not an indicator category: it feeds the popularity prior.
var FeedCategories = []string{"c2", "sinkhole", "phishing", "mining", "cryptojacking", "tor",
	"i2p", "freenet", "vpn", "p2p", "malware", "dyndns", "proxy", "tunnel",
	"cdn", "dnsbl", "antivirus", "telemetry", "update", "allowlist", "popular"}

// Validate checks the intel section.
func (in Intel) Validate() error {
	for i, f := range in.Feeds {
		key := fmt.Sprintf("feeds[%d]", i)
		if f.Path == "" {
			return &scoring.ConfigError{Key: key + ".path", Msg: "is required"}
		}
		if !oneOf(f.Format, FeedFormats) {
			return &scoring.ConfigError{Key: key + ".format", Msg: fmt.Sprintf("%q is not one of %v", f.Format, FeedFormats)}
		}
		if !oneOf(f.Category, FeedCategories) {
			return &scoring.ConfigError{Key: key + ".category", Msg: fmt.Sprintf("%q is not one of %v", f.Category, FeedCategories)}
		}
		popular := f.Category == "popular"
		if popular != (f.Format == "tranco") && !(popular && f.Format == "plain") {
			return &scoring.ConfigError{Key: key + ".format",
				Msg: "category popular takes format tranco or plain, and format tranco only category popular"}
		}
		if f.Column < 0 {
			return &scoring.ConfigError{Key: key + ".column", Msg: "must be 0 or more"}
		}
	}
	return nil
}

func oneOf(s string, set []string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}
