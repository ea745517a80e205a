#!/usr/bin/env bash
# DGA scoring speed and allocations (Score must not allocate).
set -euo pipefail
echo "== dga: Score and Inspect"
go test -run '^$' -bench 'BenchmarkScore|BenchmarkInspect' -benchmem ./scoring/dga/ | grep -E '^Benchmark'
