#!/usr/bin/env bash
# Sidecar throughput: events/s over loopback HTTP with NDJSON batches of 1,000.
set -euo pipefail
echo "== sidecar: HTTP throughput"
out=$(go test -run '^$' -bench 'BenchmarkServeHTTP' -benchtime 20x ./plugin/serve/ | grep -E '^Benchmark')
echo "$out" | awk '{for(i=1;i<=NF;i++) if($(i+1)=="events/s") printf "ROW|sidecar: HTTP NDJSON batches of 1000 over loopback, scored|%s events/s|go test -bench BenchmarkServeHTTP (client and server on the same 2 cores)\n", $i}'
# Memory under hostile concurrency (issue 21): 32 gzipped bodies of max_body
# (16 MiB decoded, under 1 MB on the wire) at once; the peak RSS growth of
# the process serving them against docs/vector.md's bound from the config.
echo "== sidecar: RSS under 32 concurrent max_body bodies"
line=$(go test -count=1 -run '^TestMemoryBudgetUnderConcurrentBodies$' -v ./plugin/serve/ | grep 'peak RSS\|; bound' || true)
echo "$line"
grow=$(echo "$line" | sed -n 's/.*(+\([0-9]*\) MB); bound +\([0-9]*\) MB.*/\1/p')
bound=$(echo "$line" | sed -n 's/.*(+\([0-9]*\) MB); bound +\([0-9]*\) MB.*/\2/p')
echo "ROW|sidecar: RSS growth, 32 concurrent 16 MiB gzipped bodies|+${grow:-?} MB (bound +${bound:-?} MB)|TestMemoryBudgetUnderConcurrentBodies, memory_budget 128 MiB; bound 4 x memory_budget + buffers"
