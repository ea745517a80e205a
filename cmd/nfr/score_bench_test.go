package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/input"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
)

// BenchmarkScoreZeekTSV and BenchmarkScoreZeekJSON run nfr score's loop
// (decode, score, encode and write the alerts) over the lookups issue 19
// is measured on, 10,000 lines an iteration, with one pipeline throughout
// (its setup is not measured).
func BenchmarkScoreZeekTSV(b *testing.B)  { benchScore(b, "zeek-tsv") }
func BenchmarkScoreZeekJSON(b *testing.B) { benchScore(b, "zeek-json") }

func benchScore(b *testing.B, format string) {
	dir := b.TempDir()
	file := filepath.Join(dir, "dns.log")
	if err := os.WriteFile(file, []byte(harness.WriteLog(format, harness.Lookups(7, 10000))), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	out := config.DefaultOutput()
	out.Sink = "file:" + filepath.Join(dir, "alerts.json")
	p, err := pipeline.New(cfg, nil, pipeline.Options{Outputs: []config.Output{out}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	d := &deliverer{p: p, retryFor: 0, logf: b.Logf}
	defer d.close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := scoreFile(d, file, scoreOpts{format: "auto", maxErrors: 5}, input.Options{}, newSummary()); err != nil {
			b.Fatal(err)
		}
	}
}
