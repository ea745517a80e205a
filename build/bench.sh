#!/usr/bin/env bash
# make bench: runs every build/bench.d/*.sh (Go benchmarks and whole-process
# comparisons), shows their output as it comes, then prints one table: each
# Go benchmark (ns/op, allocs/op and its own metrics such as events/s) and
# each whole-process figure (rows the scripts print as ROW|name|value|how).
# The machine's other load distorts wall-clock figures: benchmarks that can
# also report CPU time or instruction counts do so.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for script in build/bench.d/*.sh; do
  bash "$script" 2>&1 | tee -a "$log" | grep -v '^ROW|' || true
done
echo
echo "== nfr benchmark summary ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1 /proc/loadavg))"
printf '%-58s | %-34s | %s\n' "measure" "result" "how"
printf '%-58s-+-%-34s-+-%s\n' "$(printf -- '-%.0s' {1..58})" "$(printf -- '-%.0s' {1..34})" "------"
awk -F'|' '/^ROW\|/ { printf "%-58s | %-34s | %s\n", $2, $3, $4 }' "$log"
# Go benchmark lines (name, iterations, then value/unit pairs), named after
# the section header ("== engine: ...") or the "pkg: " prefix before them.
awk '/^== / { ctx = substr($0, 4); sub(/:.*/, "", ctx); next }
  /^[a-z0-9]+: Benchmark/ { sub(/:$/, "", $1); ctx = $1; $0 = substr($0, index($0, $2)) }
  /^Benchmark[^ \t]*[ \t]+[0-9]+[ \t]/ {
  name=$1; sub(/-[0-9]+$/, "", name); name = ctx ": " name; res=""
  for (i = 3; i < NF; i += 2) {
    if ($(i+1) == "B/op") continue
    res = res (res == "" ? "" : ", ") $i " " $(i+1)
  }
  printf "%-58s | %s | go test -bench\n", name, res
}' "$log"
