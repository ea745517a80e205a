#!/usr/bin/env bash
# Input formats on the shared corpus: every Zeek log through nfr's own
# decoders (input.Open, as `nfr score` uses them), with an independent count
# of data lines and masked timestamps; then the domain lists and the hosts
# file. Prints per file: format, lines, events, skipped and bad by reason,
# and every bad line as FILE:LINE: reason.
set -euo pipefail
corpus=${1:-../shared/corpus}
if [ ! -d "$corpus/zeek" ]; then
  echo "formats: skipped: no Zeek corpus at $corpus/zeek"
  exit 0
fi
tool=$(mktemp -d)/formatstats
trap 'rm -rf "$(dirname "$tool")"' EXIT
go build -o "$tool" ./formats/input/internal/formatstats
echo "== formats: Zeek logs (every data line an event, masked timestamps reported as bad input)"
"$tool" -check $(find "$corpus/zeek" -type f -name '*.log*' | sort)
if [ -d "$corpus/domains" ]; then
  echo "== formats: domain lists"
  "$tool" -format domains $(find "$corpus/domains" -type f -name '*.txt' | sort) | grep -v '^  '
fi
if [ -f "$corpus/feeds/nocoin/hosts.txt" ]; then
  echo "== formats: hosts file"
  "$tool" "$corpus/feeds/nocoin/hosts.txt" | head -20
fi
