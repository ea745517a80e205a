#!/usr/bin/env bash
# DGA model, measured honestly on $1/domains (the shared corpus): k-fold
# cross-validation by family (each DGA family wholly held out in one fold,
# benign names split by a hash of their label), so every detection and
# false-positive figure comes from a model that never saw those names; plus
# the trade-off at other thresholds and dga_volume on simulated hosts.
# Trains one model per fold (about 20 s each on one core). Skips when absent.
set -euo pipefail
dir=${1:-../shared/corpus}/domains
if [ ! -d "$dir/dga" ] && [ ! -d "$dir/benign" ]; then
  echo "eval dga: skipped: no domain lists at $dir"
  exit 0
fi
echo "== dga: held-out detection per family, held-out benign false positives, dga_volume"
GOMAXPROCS=${GOMAXPROCS:-1} go run ./scoring/dga/train -cv -corpus "$dir"

# The same cross-validation with two other training seeds (in parallel):
# how far a figure moves with training noise alone.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for seed in 2 3; do
  GOMAXPROCS=1 go run ./scoring/dga/train -cv -seed "$seed" -corpus "$dir" >"$tmp/seed$seed" 2>/dev/null &
done
wait
echo "== dga: held-out detection under training seeds 2 and 3 (the spread is training noise)"
awk '/^family +kind +scheme/ { t = 1; next } /^benign list/ { t = 0; b = 1; next } /^held-out flagged/ { b = 0 }
     t || (b && /^opendns-/) { v[$1] = v[$1] " " $NF; if (!seen[$1]++) order[++n] = $1 }
     END { printf "%-17s %9s %9s\n", "list", "seed 2", "seed 3"; for (i = 1; i <= n; i++) { split(v[order[i]], a, " "); printf "%-17s %9s %9s\n", order[i], a[1], a[2] } }' "$tmp/seed2" "$tmp/seed3"
echo "== dga: the embedded model on the corpus it trained on (does not count: it bounds what this model learns even from names it has seen)"
go run ./scoring/dga/train -eval "$dir"
