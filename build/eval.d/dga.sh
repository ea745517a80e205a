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
echo "== dga: the embedded model on the corpus it trained on (does not count: it bounds what this model learns even from names it has seen)"
go run ./scoring/dga/train -eval "$dir"
