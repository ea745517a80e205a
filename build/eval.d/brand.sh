#!/usr/bin/env bash
# Brand impersonation false positives on the benign domain lists of $1
# (the shared corpus): rate per list at the default settings and with
# min_typo_length 5, each followed by every flagged name with the brand and
# technique, for review. Skips when absent.
set -euo pipefail
dir=${1:-../shared/corpus}/domains/benign
lists=(opendns-top10k.txt opendns-random10k.txt)
if [ ! -f "$dir/${lists[0]}" ] && [ ! -f "$dir/${lists[1]}" ]; then
  echo "eval brand: skipped: no benign domain lists at $dir"
  exit 0
fi
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nfr=${NFR:-$tmp/nfr}
[ -x "$nfr" ] || go build -o "$nfr" ./cmd/nfr
printf 'engine:\n  brand:\n    min_typo_length: 5\n' >"$tmp/typo5.yml"
# run LABEL CONFIG: the false-positive rate per list, and the flagged names.
run() {
  echo "== brand: impersonation false positives on benign lists, $1 (aim: well under 0.5%)"
  for list in "${lists[@]}"; do
    f="$dir/$list"
    if [ ! -f "$f" ]; then
      echo "$list: skipped: absent"
      continue
    fi
    # Invalid lines are reported on stderr and counted by nfr; exit 1 then is expected.
    "$nfr" explain --config "$2" --json - <"$f" 2>/dev/null | awk -v list="$list" '
      { n++ }
      /"impersonation":\{/ {
        flagged++
        match($0, /"domain":"[^"]*"/); d = substr($0, RSTART + 10, RLENGTH - 11)
        match($0, /"brand":"[^"]*"/); b = substr($0, RSTART + 9, RLENGTH - 10)
        match($0, /"technique":"[^"]*"/); t = substr($0, RSTART + 13, RLENGTH - 14)
        rows[flagged] = sprintf("    %-34s %-18s %s", d, b, t)
      }
      END {
        printf "%-24s %6d names %4d flagged  %.2f%%\n", list, n, flagged, n ? 100 * flagged / n : 0
        for (i = 1; i <= flagged; i++) print rows[i]
      }' || true
  done
}
printf '' >"$tmp/default.yml"
run "default settings" "$tmp/default.yml"
run "min_typo_length 5 (no typos of 4-letter brands)" "$tmp/typo5.yml"
