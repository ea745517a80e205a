#!/usr/bin/env bash
# Behavioural detectors: ns per event and allocations per event on the
# no-alert path (must be 0), one row per detector.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== behaviour: Inspect per event (dnstunnel, icmptunnel, scan, lateral, beacon, nxdomain)"
for p in dnstunnel icmptunnel scan lateral beacon nxdomain; do
  go test -run '^$' -bench 'BenchmarkInspect' -benchmem "./scoring/$p/" | grep -E '^Benchmark' | sed "s/^/$p: /"
done
