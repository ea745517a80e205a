#!/usr/bin/env bash
# nfr-sniffer -r vs tcpdump -nn -r on a generated pcap of 1M DNS packets:
# whole-process wall time of both, in the same run, and their ratio (aim
# <= 1.0); then the decoder's and the application identifiers' Go
# benchmarks (ns and allocs per packet, per pair of payloads).
set -euo pipefail
packets=${NFR_BENCH_PACKETS:-1000000}
pcap=${NFR_BENCH_PCAP:-/tmp/nfr-bench-dns-$packets.pcap}
bin=${NFR_SNIFFER:-bin/nfr-sniffer}
[ -x "$bin" ] || go build -o "$bin" ./cmd/nfr-sniffer
if [ ! -s "$pcap" ]; then
  go run ./sniffer/pcapgen/gendns -n "$packets" -o "$pcap"
fi
if ! command -v tcpdump >/dev/null; then
  echo "bench sniffer: skipped: tcpdump not installed"
  exit 0
fi
wall() { # prints the wall time in seconds of "$@" with stdout to /dev/null
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}
echo "== sniffer: nfr-sniffer -r vs tcpdump -nn -r, then the decoder's Go benchmarks"
cat "$pcap" >/dev/null # warm the page cache for both
t_tcpdump=$(wall tcpdump -nn -r "$pcap")
t_nfr=$(wall "$bin" -r "$pcap" --output stdout)
ratio=$(awk -v a="$t_nfr" -v b="$t_tcpdump" 'BEGIN { printf "%.3f", a / b }')
printf 'sniffer  %d DNS packets  tcpdump -nn -r %.2fs  nfr-sniffer -r --output stdout %.2fs  ratio %.2f (aim <= 1.0)\n' \
  "$packets" "$t_tcpdump" "$t_nfr" "$ratio"
printf 'ROW|sniffer vs tcpdump, %d generated DNS packets|ratio %.2f (nfr-sniffer %.2fs, tcpdump %.2fs)|wall time of nfr-sniffer -r --output stdout vs tcpdump -nn -r, same run\n' \
  "$packets" "$ratio" "$t_nfr" "$t_tcpdump"
go test -run '^$' -bench . -benchmem -benchtime 200000x ./sniffer/ ./sniffer/appid/ | grep -E '^Benchmark'
