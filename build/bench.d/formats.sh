#!/usr/bin/env bash
# Input decoding benchmarks. Zeek TSV dns.log through formats/zeek (10k
# generated lines per op): lines per wall-clock second, per CPU second of
# the process, heap allocations per line. Then the record mapper paths
# (Fluent Bit fields, a Zeek JSON line, an encoding/json map): ns and
# allocations per record.
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

# Instructions per Zeek TSV line, independent of machine load (valgrind;
# opt-in: NFR_BENCH_INSTR=1). The two runs differ by 40k decoded lines.
if [ -n "${NFR_BENCH_INSTR:-}" ] && command -v valgrind >/dev/null; then
  bin=$(mktemp)
  go test -c -o "$bin" ./formats/zeek
  irefs() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$bin" \
      -test.run '^$' -test.bench '^BenchmarkZeekTSVDNS$' -test.benchtime "$1x" -test.cpu 1 2>&1 |
      awk '/I[[:space:]]+refs:/ { gsub(",", "", $NF); print $NF }'
  }
  a=$(irefs 2)
  b=$(irefs 6)
  echo "zeek tsv decode | $(( (b - a) / 40000 )) instructions/line (valgrind)"
  rm -f "$bin"
fi
