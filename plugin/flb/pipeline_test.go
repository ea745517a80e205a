package flb

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
)

// TestRealPipelineConcurrentInstances runs two instances with different
// settings on the real pipeline, each flushed from four goroutines (Fluent
// Bit's workers); run with -race.
func TestRealPipelineConcurrentInstances(t *testing.T) {
	dir := t.TempDir()
	gen := harness.NewGen(5)
	feed := filepath.Join(dir, "c2.txt")
	if err := os.WriteFile(feed, []byte(strings.Join(gen.Listed, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var chunks [][]byte
	records := 0
	for i := 0; i < 40; i++ {
		c, recs := gen.Chunk(50)
		chunks = append(chunks, c)
		records += len(recs)
	}
	var instances []*Instance
	for _, props := range []MapGetter{
		{"Output": "file:" + filepath.Join(dir, "a"), "Format": "json", "Feeds": "c2=" + feed, "Log_Level": "error"},
		{"Output": "file:" + filepath.Join(dir, "b"), "Format": "cef", "Input": "zeek", "Feeds": "mining=" + feed, "Log_Level": "error"},
	} {
		instances = append(instances, openInstance(t, "nfr.t", props))
	}
	var wg sync.WaitGroup
	for _, in := range instances {
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(in *Instance, w int) {
				defer wg.Done()
				for i := w; i < len(chunks); i += 4 {
					if rc := in.Flush(chunks[i], "t"); rc != OK {
						t.Errorf("rc %d", rc)
					}
				}
			}(in, w)
		}
	}
	wg.Wait()
	for i, in := range instances {
		if got := in.Stats.Records.Load(); got != int64(records) {
			t.Errorf("instance %d: %d records, want %d", i, got, records)
		}
		if in.Stats.Alerts.Load() == 0 {
			t.Errorf("instance %d raised no alerts", i)
		}
		if err := in.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if a, _ := os.ReadFile(filepath.Join(dir, "a")); !strings.Contains(string(a), "{") {
		t.Errorf("instance a wrote no JSON alerts")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "b")); !strings.Contains(string(b), "CEF:") {
		t.Errorf("instance b wrote no CEF alerts: %.300q (stats %d alerts)", b, instances[1].Stats.Alerts.Load())
	}
}
