#!/usr/bin/env bash
# Fluent Bit plugin throughput: records/s/core through the C loader that
# drives bin/out_nfr.so as Fluent Bit does, then allocations per record
# from the Go benchmarks of the same path (decoder alone, decoder and
# mapping without scoring, whole flush).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f bin/out_nfr.so ] || make --no-print-directory plugin >/dev/null
echo "== plugin: Fluent Bit output plugin (harness, decoder, whole flush)"
go run ./plugin/fluentbit/harness/benchplugin -so bin/out_nfr.so
go test -run '^$' -bench 'BenchmarkDecode$|BenchmarkDecodeMap$|BenchmarkFlushPipeline$' -benchmem ./formats/chunk ./plugin/flb |
  grep -E '^Benchmark'
