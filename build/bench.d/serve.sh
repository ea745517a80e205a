#!/usr/bin/env bash
# Sidecar throughput (issue 19: at least 500k events/s per core on NDJSON).
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== sidecar: HTTP throughput"
out=$(go test -run '^$' -bench 'BenchmarkServeHTTP' -benchtime 200x ./plugin/serve/ | grep -E '^Benchmark')
echo "$out" | awk '{
  kind = ($1 ~ /Gzip/) ? "gzipped " : ""
  for (i = 1; i < NF; i++) {
    if ($(i+1) == "events/s") printf "ROW|sidecar: %sHTTP NDJSON batches of 1000 over loopback, scored|%s events/s|go test -bench %s (client and server on the same 2 cores)\n", kind, $i, $1
    if ($(i+1) == "events/cpu-s") printf "ROW|sidecar: %sHTTP NDJSON batches of 1000, per CPU-second|%s events per CPU-second|go test -bench %s, getrusage of the process (the client counted too)\n", kind, $i, $1
  }
}'
# Instructions per event (valgrind), which other load does not change.
ins=$(bash build/instructions.sh ./plugin/serve/ 'BenchmarkServeHTTP$' 20 100 1000)
echo "ROW|sidecar: HTTP NDJSON batches of 1000, instructions per event|$ins|build/instructions.sh, BenchmarkServeHTTP (client, server and scoring)"
# Whole process: bin/nfr serve, every default detector on, alerts to a
# file, fed by a load generator in a process of its own (plugin/serve/loadgen)
# with generated Zeek JSON DNS lookups (the fbgen generator score.sh uses):
# NDJSON POST bodies of 1,000 lines on 2 keep-alive connections, and one
# NDJSON stream over TCP. Events per CPU-second of the nfr serve process
# only (utime+stime from /proc/PID/stat, from the first byte sent until its
# metrics count every event scored). NFR_BENCH_SERVE_LINES sets the lookups
# (default 1,000,000).
n=${NFR_BENCH_SERVE_LINES:-1000000}
[ -x bin/nfr ] || make --no-print-directory nfr >/dev/null
tmp=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/loadgen" ./plugin/serve/loadgen
go run ./plugin/fluentbit/harness/fbgen -format zeek-json -n "$n" >"$tmp/dns.json"
go run ./plugin/fluentbit/harness/fbgen -format zeek-json -n "$n" -skip "$n" >"$tmp/next.json"
printf 'scope: {path: ""}\noutputs:\n  - {sink: "file:%s/alerts.json", format: json}\n' "$tmp" >"$tmp/config.yml"
echo "== sidecar: bin/nfr serve, $n generated Zeek JSON lookups, server CPU only"
# Each mode runs NFR_BENCH_SERVE_RUNS times (default 3), a fresh server each
# time (the same detector state at the start); the run of median server
# CPU is reported. A fresh server's first lookups also pay for its heap
# growing to its working size (page faults: about a tenth of its CPU on
# the 2-core VM of docs/vector.md), so each server is then sent the next
# $n lookups of the same network (fbgen -skip: later times, new random
# names), the figure of a server that has been running.
runs=${NFR_BENCH_SERVE_RUNS:-3}
# median prints the rate and CPU of the run of median CPU of its input
# (lines of "cpu-seconds rate cpu-text"), then every run's rate.
median() {
  read -r _ rate cpu <<<"$(printf '%s' "$1" | sort -n | awk -v k=$(((runs + 1) / 2)) 'NR == k')"
  echo "$rate ($cpu)|$(printf '%s' "$1" | awk '{printf "%s%s", sep, $2; sep=", "}')"
}
# result turns loadgen's line into "cpu-seconds rate cpu-text".
result() { echo "$1" | awk '{for(i=1;i<=NF;i++) if($i=="server-cpu") cpu=$(i+1); else if($i=="events/cpu-s") rate=$(i+1); print cpu+0, rate, cpu}'; }
for mode in http tcp; do
  how="POST bodies of 1000 lines, 2 connections"
  [ "$mode" = tcp ] && how="one NDJSON stream over TCP"
  results= warm=
  for _ in $(seq "$runs"); do
    bin/nfr serve --config "$tmp/config.yml" --listen 127.0.0.1:0 --tcp 127.0.0.1:0 2>"$tmp/$mode.log" &
    srv=$!
    for _ in $(seq 100); do grep -q 'listening on' "$tmp/$mode.log" && break; sleep 0.1; done
    addr=$(sed -n 's/.*listening on \([^ ]*\) \[\([^]]*\)\].*/\1/p' "$tmp/$mode.log")
    tcp=$(sed -n 's/.*listening on \([^ ]*\) \[\([^]]*\)\].*/\2/p' "$tmp/$mode.log")
    [ -n "$addr" ] && [ -n "$tcp" ] || { cat "$tmp/$mode.log"; exit 1; }
    args=(-http "http://$addr" -pid "$srv")
    [ "$mode" = tcp ] && args+=(-tcp "$tcp" -conns 1)
    res=$("$tmp/loadgen" "${args[@]}" -in "$tmp/dns.json")
    echo "$mode: $res"
    results="$results$(result "$res")"$'\n'
    res=$("$tmp/loadgen" "${args[@]}" -in "$tmp/next.json")
    echo "$mode, the next $n: $res"
    warm="$warm$(result "$res")"$'\n'
    kill -TERM "$srv"; wait "$srv" || true; srv=
  done
  IFS='|' read -r figure all <<<"$(median "$results")"
  echo "ROW|sidecar: nfr serve, $how|$figure events per CPU-second|utime+stime of bin/nfr serve only, loadgen in its own process, a fresh server; median of $runs runs ($all); aim 500,000"
  IFS='|' read -r figure all <<<"$(median "$warm")"
  echo "ROW|sidecar: nfr serve, $how, the next $n lookups|$figure events per CPU-second|as above, the same server, fed the lookups that follow; median of $runs runs ($all); aim 500,000"
done
# Memory under hostile concurrency (issue 21): 32 gzipped bodies of max_body
# (16 MiB decoded, under 1 MB on the wire) at once; the peak RSS growth of
# the process serving them against docs/vector.md's bound from the config.
echo "== sidecar: RSS under 32 concurrent max_body bodies"
line=$(go test -count=1 -run '^TestMemoryBudgetUnderConcurrentBodies$' -v ./plugin/serve/ | grep 'peak RSS\|; bound' || true)
echo "$line"
grow=$(echo "$line" | sed -n 's/.*(+\([0-9]*\) MB); bound +\([0-9]*\) MB.*/\1/p')
bound=$(echo "$line" | sed -n 's/.*(+\([0-9]*\) MB); bound +\([0-9]*\) MB.*/\2/p')
echo "ROW|sidecar: RSS growth, 32 concurrent 16 MiB gzipped bodies|+${grow:-?} MB (bound +${bound:-?} MB)|TestMemoryBudgetUnderConcurrentBodies, memory_budget 128 MiB; bound 4 x memory_budget + buffers"
