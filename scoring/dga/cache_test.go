package dga

import (
	"fmt"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
)

// TestScoreCacheAgreesWithModel: a cached score is the model's score
// (from the whole-name cache, or the label cache for a new subdomain of a
// name seen before), the caches stay within their caps, and disabled
// caches give the same scores. Each name is scored twice in a row: the
// caches store a name on its second fill (state.WithDoorkeeper).
func TestScoreCacheAgreesWithModel(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ScoreCache = 64
	cached := New(cfg)
	cfg.ScoreCache = 0
	plain := New(cfg)
	var f scoring.FQDN
	for round := 0; round < 3; round++ {
		for i := 0; i < 200; i++ {
			f.Parse(fmt.Sprintf("h%d.%s%d.com", i%7, []string{"xkqzvbwpl", "weather", "qqjx7r2m", "bakery"}[i%4], i%90))
			want := Score(&f)
			for range 2 {
				if got := cached.score(&f); got != want {
					t.Fatalf("cached score of %s = %v, model %v", f.Name, got, want)
				}
			}
			if got := plain.score(&f); got != want {
				t.Fatalf("uncached score of %s = %v, model %v", f.Name, got, want)
			}
		}
	}
	for _, c := range []interface {
		Len() int
		Evictions() uint64
	}{cached.byName, cached.byKey} {
		if c.Len() > 64 || c.Evictions() == 0 {
			t.Fatalf("cache len %d evictions %d, want at most 64 and some", c.Len(), c.Evictions())
		}
	}
	if plain.byName != nil || plain.byKey != nil {
		t.Fatal("score_cache 0 built caches")
	}
}

// TestKeyHashMatchesHashString checks keyHash, which takes the name's or
// its registered domain's hash when the key is that whole suffix, against
// hashing the key itself, for names whose keys are the whole name, the
// registered domain and a label under a named zone, hashed before and
// after the registered domain's hash is taken.
func TestKeyHashMatchesHashString(t *testing.T) {
	names := []string{"example.com", "www.example.com", "a.b.example.co.uk", "x7kq2p.duckdns.org", "host.blogspot.com",
		"qwertyuiop.com", "login.secure.example.net", "a.example.invalidtld", "www.gov.uk", "com",
		"www.myblog.wordpress.com", "cdn.x7kq2p.weebly.com"}
	var cases [3]int // keys that are the name, the registered domain, or neither
	for _, s := range names {
		for _, hashFirst := range []bool{false, true} {
			var f scoring.FQDN
			f.Parse(s)
			if hashFirst {
				f.RegisteredHash()
			}
			n := scoredName(&f)
			if n.Label == "" {
				continue
			}
			if got, want := keyHash(&f, n.Key), scoring.HashString(n.Key); got != want {
				t.Errorf("keyHash(%q, %q) = %#x, want %#x", s, n.Key, got, want)
			}
			switch n.Key {
			case f.Name:
				cases[0]++
			case f.Registered:
				cases[1]++
			default:
				cases[2]++
			}
		}
	}
	if cases[0] == 0 || cases[1] == 0 || cases[2] == 0 {
		t.Errorf("keys that are the name, the registered domain, neither: %v; want each", cases)
	}
}
