#!/usr/bin/env bash
# nfr score end to end (issue 19's CLI target: 1,000,000 events per
# CPU-second): bin/nfr over generated Zeek TSV and Zeek JSON DNS logs
# (plugin/fluentbit/harness/fbgen, the equivalence test's generator),
# every default detector on, alerts to a file; events per second of the
# process's CPU time (user+sys). NFR_BENCH_SCORE_LINES sets the lookups
# per file (default 1,000,000).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${NFR_BENCH_SCORE_LINES:-1000000}
[ -x bin/nfr ] || make --no-print-directory nfr >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'scope: {path: ""}\noutputs:\n  - {sink: "file:%s/alerts.json", format: json}\n' "$tmp" >"$tmp/config.yml"
echo "== score: nfr score over $n generated DNS lookups, every detector, alerts to a file"
# Each file is scored NFR_BENCH_SCORE_RUNS times (default 3) and the run
# of median CPU time reported: on a shared or virtual machine one run can
# be a quarter off.
runs=${NFR_BENCH_SCORE_RUNS:-3}
for format in zeek-tsv zeek-json; do
  go run ./plugin/fluentbit/harness/fbgen -format "$format" -n "$n" >"$tmp/$format.log"
  all=
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%U %S' -o "$tmp/time" bin/nfr score --config "$tmp/config.yml" --stats "$tmp/$format.log" 2>"$tmp/stats" >/dev/null
    events=$(awk '/events/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^events/) { print $i; exit } }' "$tmp/stats")
    all="$all $(awk '{ printf "%.2f", $1 + $2 }' "$tmp/time")"
  done
  cpu=$(echo $all | tr ' ' '\n' | sort -n | awk -v k=$(((runs + 1) / 2)) 'NR == k')
  rate=$(awk -v e="${events:-0}" -v c="$cpu" 'BEGIN { if (c > 0) printf "%d", e / c }')
  echo "$format: ${events:-?} events, CPU-s of $runs runs:$all"
  echo "ROW|nfr score: $format DNS log, $n lookups|$rate events per CPU-second (${cpu} CPU-s)|user+sys of bin/nfr score --stats, every detector on, median of $runs runs ($(echo $all | sed 's/ /, /g') CPU-s; aim 1,000,000)"
done
# Instructions (valgrind), which other load does not change, where the
# CPU-seconds above move by up to a quarter between runs: the whole process,
# collector included, on a log of only the TSV header (its start-up: an
# empty file is an unreadable input, exit status 1) and on the first
# NFR_BENCH_SCORE_COUNTED lookups (default 200,000) of the TSV log; the
# difference divided by the lookups is the cost of a line end to end.
# GOMAXPROCS=1: valgrind runs one thread at a time, and with two
# processors the runtime's threads spinning for work were counted too (one
# run of 200,000 lines read 48,803 instructions a line, the next 7,389).
k=${NFR_BENCH_SCORE_COUNTED:-200000}
if ! command -v valgrind >/dev/null; then
  echo "ROW|nfr score: instructions, start-up and per line|n/a|valgrind not installed (build/deps.sh bench installs it)"
  exit 0
fi
irefs() { GOMAXPROCS=1 bash build/irefs.sh bin/nfr score --config "$tmp/config.yml" "$1"; }
go run ./plugin/fluentbit/harness/fbgen -format zeek-tsv -n "$k" >"$tmp/counted.log"
awk '!/^#/ { exit } 1' "$tmp/counted.log" >"$tmp/header.log"
start=$(irefs "$tmp/header.log") whole=$(irefs "$tmp/counted.log")
if [ -z "$start" ] || [ -z "$whole" ]; then
  echo "ROW|nfr score: instructions, start-up and per line|n/a|a run under valgrind failed"
  exit 0
fi
echo "ROW|nfr score: instructions of its start-up (a log of only its header)|$((start / 1000000)) million|valgrind, the whole process (runtime, package inits, config, tables, collector)"
echo "ROW|nfr score: instructions per zeek-tsv line, end to end|$(((whole - start) / k))|valgrind, the whole process on $k lookups ($((whole / 1000000)) million) minus its start-up"
