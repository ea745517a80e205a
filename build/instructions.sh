#!/usr/bin/env bash
# Usage: build/instructions.sh PKG BENCH N1 N2 PER
# Prints how many instructions one unit of PKG's benchmark BENCH costs, a
# figure other load on the machine does not change: valgrind counts the
# instructions of two runs (-benchtime N1x and N2x) and their difference is
# divided by (N2-N1)*PER, PER being the units (events, records) one
# iteration handles. Environment such as NFR_BENCH_CONFIG is passed on.
# Prints "n/a" without valgrind (build/deps.sh bench installs it) or when a
# run fails or takes over 10 minutes.
set -euo pipefail
pkg=$1 bench=$2 n1=$3 n2=$4 per=$5
command -v valgrind >/dev/null || { echo n/a; exit 0; }
irefs_sh=$(cd "$(dirname "$0")" && pwd)/irefs.sh
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" "$pkg"
# irefs N prints the instructions of a run of N iterations, nothing when
# the run failed (build/irefs.sh).
irefs() {
  (cd "$pkg" && GOGC=off bash "$irefs_sh" "$bin" -test.run '^$' -test.bench "$bench" -test.benchtime "$1x" -test.cpu 1)
}
a=$(irefs "$n1") b=$(irefs "$n2")
if [ -z "$a" ] || [ -z "$b" ]; then
  echo n/a
else
  echo $(((b - a) / ((n2 - n1) * per)))
fi
