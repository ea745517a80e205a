#!/usr/bin/env bash
# Alert encoding speed and allocations per alert (JSON: one line; CEF: the
# sample alert has two threats, so two lines). Both must not allocate.
set -euo pipefail
echo "== alerts: JSON and CEF encoding (per alert)"
go test -run '^$' -bench 'BenchmarkAppend' -benchmem ./formats/alert/ | grep -E '^Benchmark'
echo "== alerts: syslog framing and loopback TCP send (per alert)"
go test -run '^$' -bench 'BenchmarkFrame|BenchmarkSendTCP' -benchmem ./formats/sink/ | grep -E '^Benchmark'
