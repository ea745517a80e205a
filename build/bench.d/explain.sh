#!/usr/bin/env bash
# nfr explain's full analysis per name (FQDN parse + DGA score + brand check
# + intel categories; aim <= 2 us), with and without the JSON line, and the
# brand check alone (misses must not allocate).
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== explain: full analysis per name, and the brand check alone"
go test -run '^$' -bench 'BenchmarkExplain' -benchmem ./cmd/nfr/ | grep -E '^Benchmark'
go test -run '^$' -bench 'BenchmarkMatch' -benchmem ./scoring/brand/ | grep -E '^Benchmark'
