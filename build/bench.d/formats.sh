#!/usr/bin/env bash
# Zeek TSV dns.log decoding (formats/zeek, 10k generated lines per op):
# lines per wall-clock second, per CPU second of the process, and heap
# allocations per line.
set -euo pipefail
out=$(go test ./formats/zeek -run '^$' -bench '^BenchmarkZeekTSVDNS$' -benchmem -count 1 -benchtime 2s)
line=$(grep '^BenchmarkZeekTSVDNS' <<<"$out") || { echo "$out"; exit 1; }
metric() { awk -v unit="$1" '{ for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1) }' <<<"$line"; }
printf 'zeek tsv decode | %.0f lines/s | %.0f lines/cpu-s | %s allocs/line | %s ns/op (10k lines)\n' \
  "$(metric lines/s)" "$(metric lines/cpu-s)" "$(metric allocs/line)" "$(metric ns/op)"
