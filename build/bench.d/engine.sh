#!/usr/bin/env bash
# Whole-engine DNS throughput: scope, FQDN breakdown, intel (built-ins plus
# a large feed) and every default detector, per event; allocations per
# event must be 0. "events/cpu-s" is events per second of this process's
# CPU time, which other processes' load changes less than wall time (a
# busy sibling hardware thread still slows it); the instruction count at
# the end does not change with load. When the corpus feeds exist
# (../shared/corpus or $CORPUS), the same benchmark runs with all of them
# loaded.
set -euo pipefail
corpus=${CORPUS:-../shared/corpus}
echo "== engine (all detectors, synthetic 200k-domain + 100k-IP feed): DNS events through the whole engine"
go test -run '^$' -bench 'BenchmarkProcessDNS' -benchmem -count 3 ./scoring/engine/ | grep -E '^Benchmark'
echo "== engine (core only, detectors off): DNS events"
NFR_BENCH_INTEL_ONLY=1 go test -run '^$' -bench 'BenchmarkProcessDNS$' -benchmem -count 3 ./scoring/engine/ | grep -E '^Benchmark'

if [ ! -d "$corpus/feeds" ]; then
  echo "== engine: corpus feeds skipped: no $corpus/feeds"
else
  feeds=$(cd "$corpus/feeds" && pwd)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  bash build/corpus-feeds.sh "$feeds" >"$tmp/config.yml"
  echo "== engine (all detectors, every corpus feed): DNS events through the whole engine"
  NFR_BENCH_CONFIG="$tmp/config.yml" go test -run '^$' -bench 'BenchmarkProcessDNS$' -benchmem -count 3 ./scoring/engine/ | grep -E '^Benchmark'
  export NFR_BENCH_CONFIG="$tmp/config.yml"
fi

# Instructions per event, which other load on the machine does not change
# (build/instructions.sh). With the corpus feeds when present.
feeds=${NFR_BENCH_CONFIG:+every corpus feed}
echo "ROW|engine: instructions per DNS event (${feeds:-synthetic feed})|$(bash build/instructions.sh ./scoring/engine 'BenchmarkProcessDNS$' 100000 300000 1)|valgrind, 300k minus 100k events"
echo "ROW|engine: instructions per DNS event, issue 19's lookup mix (${feeds:-synthetic feed})|$(bash build/instructions.sh ./scoring/engine 'BenchmarkProcessLookups$' 100000 300000 1)|valgrind, 300k minus 100k events of harness.Lookups (a third unique names), every default detector"

# The popularity prior: one rank lookup (the engine memoises it per name)
# and parsing the embedded list (once per process).
echo "== popularity prior: rank lookup and start-up parse"
prior=$(go test -run '^$' -bench 'BenchmarkRank$|BenchmarkParseBuiltinPrior$' -benchmem ./scoring/intel/ | grep -E '^Benchmark')
echo "$prior"
echo "ROW|popularity prior: rank lookup|$(awk '/^BenchmarkRank/ { print $3 " ns, " $7 " allocs" }' <<<"$prior")|go test -bench BenchmarkRank ./scoring/intel"
echo "ROW|popularity prior: parse at start-up (once per process)|$(awk '/^BenchmarkParseBuiltin/ { printf "%.1f ms, %.1f MB\n", $3 / 1e6, $5 / 1e6 }' <<<"$prior")|go test -bench BenchmarkParseBuiltinPrior ./scoring/intel"
