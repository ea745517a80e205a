#!/usr/bin/env bash
# Sidecar throughput: events/s over loopback HTTP with NDJSON batches of 1,000.
set -euo pipefail
echo "== sidecar: HTTP throughput"
out=$(go test -run '^$' -bench 'BenchmarkServeHTTP' -benchtime 20x ./plugin/serve/ | grep -E '^Benchmark')
echo "$out" | awk '{for(i=1;i<=NF;i++) if($(i+1)=="events/s") printf "ROW|sidecar: HTTP NDJSON batches of 1000 over loopback, scored|%s events/s|go test -bench BenchmarkServeHTTP (client and server on the same 2 cores)\n", $i}'
