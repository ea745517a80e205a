package dga

import (
	"fmt"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
)

// TestScoreCacheAgreesWithModel: a cached score is the model's score, the
// cache stays within its cap, and a disabled cache gives the same scores.
func TestScoreCacheAgreesWithModel(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ScoreCache = 64
	cached := New(cfg)
	cfg.ScoreCache = 0
	plain := New(cfg)
	var f scoring.FQDN
	for round := 0; round < 3; round++ {
		for i := 0; i < 200; i++ {
			f.Parse(fmt.Sprintf("www.%s%d.com", []string{"xkqzvbwpl", "weather", "qqjx7r2m", "bakery"}[i%4], i%90))
			want := Score(&f)
			if got := cached.score(&f); got != want {
				t.Fatalf("cached score of %s = %v, model %v", f.Name, got, want)
			}
			if got := plain.score(&f); got != want {
				t.Fatalf("uncached score of %s = %v, model %v", f.Name, got, want)
			}
		}
	}
	if cached.scores.Len() > 64 || cached.scores.Evictions() == 0 {
		t.Fatalf("cache len %d evictions %d", cached.scores.Len(), cached.scores.Evictions())
	}
}
