package simday

import (
	"os"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// TestCorpusDay streams a full default day from the shared corpus (when
// NFR_CORPUS names it) and reports its size and NXDOMAIN share.
func TestCorpusDay(t *testing.T) {
	dir := os.Getenv("NFR_CORPUS")
	if dir == "" {
		t.Skip("NFR_CORPUS not set: no corpus day")
	}
	lists, err := LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var n, nx int
	var last time.Time
	if err := Run(Config{Seed: 1}, lists, func(ev *scoring.Event) error {
		if ev.Time.Before(last) {
			t.Fatalf("event %d out of order", n)
		}
		last = ev.Time
		n++
		if ev.DNS.NXDomain() {
			nx++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("simday: %d events (%d NXDOMAIN) for 200 hosts x 24 h in %v", n, nx, time.Since(start).Round(time.Millisecond))
}
