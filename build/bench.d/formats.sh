#!/usr/bin/env bash
# Input decoding benchmarks. Zeek TSV dns.log through formats/zeek (10k
# generated lines per op): lines per wall-clock second, per CPU second of
# the process, heap allocations per line. Then the record mapper paths
# (Fluent Bit fields, a Zeek JSON line, an encoding/json map): ns and
# allocations per record. Then instructions per line of Zeek TSV and JSON.
set -euo pipefail
echo "== formats: input decoding and record mapping"
out=$(go test ./formats/zeek -run '^$' -bench '^BenchmarkZeekTSVDNS$' -benchmem -count 1 -benchtime 2s)
line=$(grep '^BenchmarkZeekTSVDNS' <<<"$out") || { echo "$out"; exit 1; }
metric() { awk -v unit="$1" '{ for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1) }' <<<"$line"; }
printf 'ROW|zeek tsv dns.log decode (formats/zeek)|%.0f lines/s, %.0f lines/cpu-s, %s allocs/line|go test -bench BenchmarkZeekTSVDNS, 10k generated lines per op\n' \
  "$(metric lines/s)" "$(metric lines/cpu-s)" "$(metric allocs/line)"
out=$(go test ./formats/record -run '^$' -bench '^Benchmark(MapperFields|ZeekJSONLine|MapJSON)$' -benchmem -count 1)
while read -r name _ ns _ rest; do
  allocs=$(awk '{ for (i = 2; i <= NF; i++) if ($i == "allocs/op") print $(i-1) }' <<<"$rest")
  printf 'ROW|record mapper: %s|%s ns/record, %s allocs/record|go test -bench ./formats/record\n' "${name%-*}" "$ns" "$allocs"
done < <(grep '^Benchmark' <<<"$out")

# Instructions per line of the logs nfr score is measured on (issue 19:
# the equivalence test's lookups, a third unique names), decoded and
# mapped into events; valgrind, so other load does not change them.
for format in TSV JSON; do
  echo "ROW|zeek $format dns.log, decode and map, instructions per line|$(bash build/instructions.sh ./formats/zeek "BenchmarkZeekLookups$format\$" 2 6 10000)|build/instructions.sh, 6 minus 2 passes over 10k generated lookups"
done
