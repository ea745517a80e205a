#!/usr/bin/env bash
# Usage: build/irefs.sh COMMAND [ARGS...]
# Prints how many instructions COMMAND ran, counted by valgrind's
# cachegrind without cache simulation (its output is discarded), or
# nothing when valgrind is missing or the run failed or took over 10
# minutes: a failed run's count would be of a part of it. Environment such
# as GOMAXPROCS or GOGC is passed on. build/instructions.sh and
# build/bench.d/score.sh count with it.
set -uo pipefail
command -v valgrind >/dev/null || exit 0
# Valgrind 3.19 does not know RDTSCP, which the Go runtime uses for its
# tick counter on CPUs that have it: the program dies of SIGILL at a
# random point. GODEBUG=cpu.rdtscp=off has the runtime use RDTSC instead.
export GODEBUG="cpu.rdtscp=off${GODEBUG:+,$GODEBUG}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
timeout 600 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --log-file="$log" "$@" >/dev/null 2>&1 || exit 0
awk '/I[[:space:]]+refs:/ { gsub(",", "", $NF); print $NF }' "$log"
