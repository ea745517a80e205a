#!/usr/bin/env bash
# Sidecar throughput: events/s over loopback HTTP with NDJSON batches of 1,000.
set -euo pipefail
out=$(go test -run '^$' -bench 'BenchmarkServeHTTP' -benchtime 20x ./plugin/serve/ | grep -E '^Benchmark')
echo "$out" | awk '{for(i=1;i<=NF;i++) if($(i+1)=="events/s") printf "sidecar HTTP NDJSON (batches of 1000, loopback) | %s events/s | go test -bench BenchmarkServeHTTP\n", $i}'
