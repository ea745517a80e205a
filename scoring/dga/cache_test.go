package dga

import (
	"fmt"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
)

// TestScoreCacheAgreesWithModel: a cached score is the model's score
// (from the whole-name cache, or the label cache for a new subdomain of a
// name seen before), the caches stay within their caps, and disabled
// caches give the same scores.
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
			if got := cached.score(&f); got != want {
				t.Fatalf("cached score of %s = %v, model %v", f.Name, got, want)
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
