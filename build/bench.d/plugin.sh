#!/usr/bin/env bash
# Fluent Bit plugin throughput: records/s/core through the C loader that
# drives bin/out_nfr.so as Fluent Bit does, then allocations per record
# from the Go benchmarks of the same path (decoder alone, whole flush).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f bin/out_nfr.so ] || make --no-print-directory plugin >/dev/null
go run ./plugin/fluentbit/harness/benchplugin -so bin/out_nfr.so
go test -run '^$' -bench 'BenchmarkDecode$|BenchmarkFlushPipeline$' -benchmem ./formats/chunk ./plugin/flb |
  awk '/^Benchmark/ { printf "%-28s %s\n", $1, substr($0, index($0, $3)) }'
