#!/usr/bin/env bash
# Loads every feed of the corpus (maltrail trails, Tor lists, NoCoin hosts)
# with `nfr feeds` and checks that every non-comment line of every file is
# either loaded (entry or duplicate), skipped as format metadata, or
# reported as malformed. Usage: feeds.sh CORPUS_DIR
set -euo pipefail
corpus=${1:-../shared/corpus}
if [ ! -d "$corpus/feeds" ]; then
  echo "eval feeds: skipped: no feeds at $corpus/feeds"
  exit 0
fi
feeds=$(cd "$corpus/feeds" && pwd)
nfr=${NFR:-bin/nfr}
[ -x "$nfr" ] || go build -o "${nfr}" ./cmd/nfr

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bash build/corpus-feeds.sh "$feeds" >"$tmp/config.yml"

status=0
"$nfr" feeds --config "$tmp/config.yml" >"$tmp/out.txt" || status=$?
cat "$tmp/out.txt"
if [ "$status" -ne 0 ]; then
  echo "eval feeds: FAIL: nfr feeds exited $status"
  exit 1
fi

# Every non-comment, non-blank line must be accounted for.
fail=0
checked=0
while read -r name path; do
  want=$(grep -cvE '^[[:space:]]*(#|$)' "$path" || true)
  got=$(awk -v n="$name" '$1 == n && $3 != "builtin" { print $5 + $6 + $9 + $10 }' "$tmp/out.txt")
  checked=$((checked + 1))
  if [ "$want" != "$got" ]; then
    echo "eval feeds: MISMATCH $name: $want non-comment lines, $got loaded+duplicate+skipped+malformed"
    fail=1
  fi
done < <(grep -oE 'name: [^,]+, path: "[^"]+"' "$tmp/config.yml" | sed -E 's/name: ([^,]+), path: "([^"]+)"/\1 \2/')
if [ "$fail" -ne 0 ]; then
  echo "eval feeds: FAIL"
  exit 1
fi
echo "eval feeds: ok: $checked feeds, every non-comment line loaded or reported"
