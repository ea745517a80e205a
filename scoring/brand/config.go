// Package brand detects brand impersonation: a registered domain that is
// not a brand's own but imitates it by Unicode confusables (TR39 skeleton),
// ASCII look-alikes, typos (transposition, omission, repetition, keyboard
// replacement and insertion, bitsquatting, hyphenation, vowel swap), a TLD
// swap, the brand combined with lure words (paypal-login.com) or the brand as
// a label on another domain (paypal.com.account-verify.tk). Lookups use
// indexes built once (exact, look-alike fold, deletion neighbourhood,
// Aho-Corasick), so a name costs well under a microsecond and ASCII names
// that match nothing allocate nothing. It must not do I/O.
//
// # Precision
//
// What is not an impersonation, whatever it looks like:
//   - a registered domain ranked in the popularity prior (popular_rank;
//     see package intel): a brand's own (microsoftonline.us) or a real
//     company near one (visma.com);
//   - a brand's own domains (each built-in brand lists them: other TLDs,
//     CDN and service zones; users add theirs in brands) and names under a
//     closed brand TLD of a brand's owner (chime.aws is Amazon's);
//   - names under a CDN, edge, analytics or time service that carry a
//     customer's name (apple.map.fastly.net, amazon.pool.ntp.org,
//     paypal.com.cdn.cloudflare.net), and names the intel stage tags with
//     exempt_categories (cdn, allowlist);
//   - an edit typo (omission, insertion, replacement, transposition,
//     bitsquatting, vowel swap) under a suffix the brand does not use other
//     than com, net and org: typosquatters keep the suffix the user means
//     to type, and a name one edit from a short brand under another ccTLD
//     is most often a local namesake (icc.re.kr, ceti.pl); ASCII
//     look-alikes (paypa1) count everywhere;
//   - a lookup answered NXDOMAIN: a mistyped name nobody registered hosts
//     no site; and one whose answer names a domain of the brand itself
//     (a defensive registration pointing into the brand's own zones).
//
// `make eval` measures what is left on a simulated enterprise day (the
// alert budget) and recall on generated permutations with names ranked by
// the prior.
package brand

import (
	"fmt"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"golang.org/x/net/publicsuffix"
)

// Config holds the brand detector's settings (the engine.brand section of config.yml).
type Config struct {
	// Enabled runs the detector.
	Enabled bool `yaml:"enabled"`
	// Brands adds brands to the built-in list, or domains and keywords to a
	// built-in brand of the same name (case-insensitive).
	Brands []BrandConfig `yaml:"brands"`
	// Allow lists registered domains that are never flagged.
	Allow []string `yaml:"allow"`
	// MinTypoLength is the shortest brand keyword that typos which drop or
	// change a letter (omission, transposition, replacement, insertion,
	// bitsquatting, vowel swap) apply to. Default 4: typos of every
	// built-in brand are caught. 5 leaves out those of 4-letter brands
	// (usaa, citi, hsbc, visa), which collide with some ordinary short
	// names (usa.net, xiti.com, sbc.com): half the false positives on
	// popular domains. Range 4..16.
	MinTypoLength int `yaml:"min_typo_length"`
	// PopularRank: a name whose registered domain ranks 1 to PopularRank
	// in the popularity prior (intel.builtin_popularity and feeds of
	// category popular) is never an impersonation: a popular site is a
	// brand's own or a real company near one (visma.com, not Visa), and
	// phishing lives on fresh, unranked domains or on shared platforms'
	// user zones, which never rank. 0 ignores the prior. Default 100000
	// (the whole built-in prior).
	PopularRank int `yaml:"popular_rank"`
	// ExemptCategories are intel categories (set by the intel stage) whose
	// names are never impersonations. Default cdn, allowlist.
	ExemptCategories []string `yaml:"exempt_categories"`
}

// BrandConfig is one user brand.
type BrandConfig struct {
	// Name is the brand's name, as evidence and nfr explain report it; a
	// built-in brand's name extends that brand.
	Name string `yaml:"name"`
	// Domains are the brand's own registered domains, main one first.
	Domains []string `yaml:"domains"`
	// Keywords are the labels to protect; default: the leftmost label of
	// each domain.
	Keywords []string `yaml:"keywords"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{Enabled: true, MinTypoLength: DefaultMinTypoLength, PopularRank: 100_000,
		ExemptCategories: []string{"cdn", "allowlist"}}
}

// Defaults, On and NewDetector make Config this detector's section of the
// engine's registry (a scoring.DetectorConfig).
func (Config) Defaults() scoring.DetectorConfig { return DefaultConfig() }
func (c Config) On() bool                       { return c.Enabled }
func (c Config) NewDetector() scoring.Detector  { return New(c) }

// Validate checks c; errors name the offending key.
func (c Config) Validate() error {
	if c.MinTypoLength < 4 || c.MinTypoLength > 16 {
		return &scoring.ConfigError{Key: "min_typo_length", Msg: fmt.Sprintf("%d is not between 4 and 16", c.MinTypoLength)}
	}
	if c.PopularRank < 0 {
		return &scoring.ConfigError{Key: "popular_rank", Msg: "must be 0 (ignore the prior) or a rank"}
	}
	for _, cat := range c.ExemptCategories {
		if cat == "" {
			return &scoring.ConfigError{Key: "exempt_categories", Msg: "empty category"}
		}
	}
	for i, bc := range c.Brands {
		key := fmt.Sprintf("brands[%d]", i)
		if strings.TrimSpace(bc.Name) == "" {
			return &scoring.ConfigError{Key: key + ".name", Msg: "a brand needs a name"}
		}
		if len(bc.Domains) == 0 {
			return &scoring.ConfigError{Key: key + ".domains", Msg: fmt.Sprintf("brand %q needs at least one domain", bc.Name)}
		}
		for j, d := range bc.Domains {
			if _, err := registered(d); err != nil {
				return &scoring.ConfigError{Key: fmt.Sprintf("%s.domains[%d]", key, j), Msg: err.Error()}
			}
		}
		for j, k := range bc.Keywords {
			if !validKeyword(k) {
				return &scoring.ConfigError{Key: fmt.Sprintf("%s.keywords[%d]", key, j),
					Msg: fmt.Sprintf("%q is not a label of 3 to 63 lower-case letters, digits or hyphens", k)}
			}
		}
	}
	for i, d := range c.Allow {
		if _, err := registered(d); err != nil {
			return &scoring.ConfigError{Key: fmt.Sprintf("allow[%d]", i), Msg: err.Error()}
		}
	}
	return nil
}

// registered returns the registrable domain of d ("www.paypal.com" gives
// "paypal.com"), or an error saying why d has none.
func registered(d string) (string, error) {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if d == "" || strings.ContainsAny(d, " /:@") {
		return "", fmt.Errorf("%q is not a domain name", d)
	}
	r, err := publicsuffix.EffectiveTLDPlusOne(d)
	if err != nil {
		return "", fmt.Errorf("%q has no registrable domain: %v", d, err)
	}
	return r, nil
}

func validKeyword(k string) bool {
	if len(k) < 3 || len(k) > 63 || k[0] == '-' || k[len(k)-1] == '-' {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
