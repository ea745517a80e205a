package flb

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/chunk"
	"github.com/netflightrecorder/nfr/formats/chunk/chunktest"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
)

// BenchmarkFlushPipeline is the plugin's whole flush (decode, map, score,
// encode JSON alerts to a file) on realistic chunks; allocs/record is the
// figure to watch.
func BenchmarkFlushPipeline(b *testing.B) {
	dir := b.TempDir()
	gen := harness.NewGen(42)
	feed := filepath.Join(dir, "c2.txt")
	if err := os.WriteFile(feed, []byte(strings.Join(gen.Listed, "\n")+"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	in := openInstance(b, "nfr.0", MapGetter{"Output": "file:" + filepath.Join(dir, "alerts"), "Feeds": "c2=" + feed, "Log_Level": "error"})
	defer in.Close()
	const perChunk = 1000
	chunks := make([][]byte, 20)
	for i := range chunks {
		chunks[i], _ = gen.Chunk(perChunk)
	}
	flushRing(b, in, chunks)
	records := float64(b.N * perChunk)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/records, "ns/record")
	b.ReportMetric(records/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(testing.AllocsPerRun(1, func() { in.Flush(chunks[0], "bench") }))/perChunk, "allocs/record")
}

// BenchmarkDecodeMap is the flush without scoring: chunk decoding and
// mapping records to events (the pull decoder, as Flush does), on the
// same chunks as BenchmarkFlushPipeline, which mix every event layout and
// time encoding.
func BenchmarkDecodeMap(b *testing.B) {
	gen := harness.NewGen(42)
	chunks := make([][]byte, 20)
	for i := range chunks {
		chunks[i], _ = gen.Chunk(benchPerChunk)
	}
	benchDecodeMap(b, chunks)
}

// BenchmarkDecodeMapFB2 is BenchmarkDecodeMap on the same records in the
// one layout Fluent Bit 2 and later write: [[EventTime, {}], record].
func BenchmarkDecodeMapFB2(b *testing.B) {
	gen := harness.NewGen(42)
	chunks := make([][]byte, 20)
	for i := range chunks {
		_, recs := gen.Chunk(benchPerChunk)
		for j, r := range recs {
			chunks[i] = chunktest.Append(chunks[i], chunktest.Event{Time: time.Unix(1732600000+int64(j), 5000),
				Record: r.Record, Layout: chunktest.V2Fixmap, TimeEnc: chunktest.FixExt8})
		}
	}
	benchDecodeMap(b, chunks)
}

const benchPerChunk = 1000

func benchDecodeMap(b *testing.B, chunks [][]byte) {
	var dec chunk.Decoder
	m := record.NewMapper(record.InputAuto)
	events := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dec.Reset(chunks[i%len(chunks)])
		for {
			err := dec.NextMapped(m)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, err := m.EndEvent(); err == nil {
				events++
			}
		}
	}
	b.StopTimer()
	if events == 0 {
		b.Fatal("no events")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchPerChunk), "ns/record")
}

// BenchmarkFlushZeekJSON is the whole flush on the records Fluent Bit
// makes of the Zeek JSON lines make bench's real-Fluent-Bit row feeds it
// (fbgen's lookups, tail + the zeek_json parser of examples/fluent-bit,
// the FB2+ layout), in chunks of 1000: nfr's share of that row without
// Fluent Bit's. Its ring of zeekJSONChunks chunks holds 100k lookups,
// more than the engine's name caches, so the third of them with random
// names are scored as new names, as they are in a 1M-line run; a ring of
// 20 chunks would score them from the caches and read about a fifth
// cheaper. The 1M-line run itself, each lookup once (a ring of 1000
// chunks, whose set-up takes 17 s and 1.4 GB), reads 7 to 13% dearer than
// this ring (602 and 641 ns against 563 and 565): what nfr's flushes cost
// inside Fluent Bit over the same lines (plugin/fluentbit/README.md, step
// fourteen).
func BenchmarkFlushZeekJSON(b *testing.B) {
	parsers, err := harness.LoadParsers("../../examples/fluent-bit/parsers.conf")
	if err != nil {
		b.Fatal(err)
	}
	chunks := make([][]byte, zeekJSONChunks)
	for i, l := range harness.Lookups(1, zeekJSONChunks*benchPerChunk) {
		c := i / benchPerChunk
		chunks[c] = chunktest.Append(chunks[c], chunktest.Event{Time: l.Time,
			Record: parsers["zeek_json"].Record(harness.ZeekJSON(l)), Layout: chunktest.V2Fixmap, TimeEnc: chunktest.FixExt8})
	}
	in := openInstance(b, "nfr.0", MapGetter{"Output": "file:" + filepath.Join(b.TempDir(), "alerts"), "Log_Level": "error"})
	defer in.Close()
	flushRing(b, in, chunks)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchPerChunk), "ns/record")
}

// zeekJSONChunks is BenchmarkFlushZeekJSON's ring of 1000-record chunks.
const zeekJSONChunks = 100

// flushRing times b.N flushes of the chunks in turn.
func flushRing(b *testing.B, in *Instance, chunks [][]byte) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rc := in.Flush(chunks[i%len(chunks)], "bench"); rc != OK {
			b.Fatalf("rc %d", rc)
		}
	}
	b.StopTimer()
}
