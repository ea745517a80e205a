#!/usr/bin/env bash
# Usage: build/pgo.sh (make pgo)
# Writes plugin/fluentbit/default.pgo, the CPU profile Go's
# profile-guided optimisation builds out_nfr.so with (`go build` reads a
# main package's default.pgo by itself: -pgo=auto). The profile is of the
# plugin's own flush benchmarks (plugin/flb), cut to the flush (the
# benchmarks' set-up is left out): BenchmarkFlushZeekJSON, the records
# Fluent Bit makes of Zeek JSON lines, and BenchmarkFlushPipeline, four
# event layouts and time encodings. With it the flush takes 4 to 7% less
# CPU (plugin/fluentbit/README.md, step fourteen); scoring does not
# change, only how the compiler inlines and lays out the code.
#
# Regenerate it after large changes to the flush path; a stale profile
# still builds (the compiler ignores what no longer matches), it only
# helps less. The profile depends on sampling, so two runs differ in
# their bytes: commit it when the code it profiles changed, not on every
# run.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/flb.test" ./plugin/flb
# profile BENCH N: a CPU profile of N flushes of the benchmark BENCH
# (1000 records each), run from the package directory as go test would.
profile() {
  (cd plugin/flb && "$tmp/flb.test" -test.run '^$' -test.bench "^$1\$" -test.benchtime "$2x" \
    -test.cpu 1 -test.cpuprofile "$tmp/$1.pprof" >/dev/null)
}
profile BenchmarkFlushZeekJSON 20000
profile BenchmarkFlushPipeline 20000
# Only the samples under Instance.Flush: the rest is the benchmarks'
# generating of records, which the plugin never runs.
go tool pprof -proto -focus '^github.com/netflightrecorder/nfr/plugin/flb.\(\*Instance\).Flush$' \
  "$tmp/BenchmarkFlushZeekJSON.pprof" "$tmp/BenchmarkFlushPipeline.pprof" >"$tmp/default.pgo" 2>/dev/null
mv "$tmp/default.pgo" plugin/fluentbit/default.pgo
echo "wrote plugin/fluentbit/default.pgo ($(wc -c <plugin/fluentbit/default.pgo) bytes)"
