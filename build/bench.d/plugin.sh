#!/usr/bin/env bash
# Fluent Bit plugin throughput: records/s/core through the C loader that
# drives bin/out_nfr.so as Fluent Bit does, then allocations per record
# from the Go benchmarks of the same path (decoder alone, decoder and
# mapping without scoring, whole flush; and the whole flush on the records
# Fluent Bit makes of the Zeek JSON lines of fluentbit.sh's row). The
# harness loads bin/out_nfr.so, built with plugin/fluentbit/default.pgo
# (make pgo) as shipped; go test builds the benchmarks without it, so
# their figures and instruction counts compare with earlier steps'.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f bin/out_nfr.so ] || make --no-print-directory plugin >/dev/null
echo "== plugin: Fluent Bit output plugin (harness, decoder, whole flush)"
go run ./plugin/fluentbit/harness/benchplugin -so bin/out_nfr.so
go test -run '^$' -bench 'BenchmarkDecode$|BenchmarkDecodeMap$|BenchmarkFlushPipeline$|BenchmarkFlushZeekJSON$' -benchmem ./formats/chunk ./plugin/flb |
  grep -E '^Benchmark'
# Instructions per record, which other load does not change: decoding and
# mapping, then the whole flush (each iteration is one 1000-record chunk).
echo "ROW|plugin: instructions per record, decode+map|$(bash build/instructions.sh ./plugin/flb 'BenchmarkDecodeMap$' 20 60 1000)|valgrind, 60 minus 20 chunks of 1000 records (four event layouts, four time encodings)"
echo "ROW|plugin: instructions per record, decode+map, Fluent Bit 2+ layout|$(bash build/instructions.sh ./plugin/flb 'BenchmarkDecodeMapFB2$' 20 60 1000)|valgrind, the same records as [[EventTime, {}], record], the one layout Fluent Bit 2+ writes"
echo "ROW|plugin: instructions per record, whole flush|$(bash build/instructions.sh ./plugin/flb 'BenchmarkFlushPipeline$' 5 15 1000)|valgrind, 15 minus 5 chunks of 1000 records"
