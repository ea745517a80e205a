#!/usr/bin/env bash
# DGA detection rate per family and flagged rate per benign list at the
# default threshold, dga_volume on simulated hosts, and the threshold
# trade-off, on $1/domains (the shared corpus). Skips when absent.
set -euo pipefail
dir=${1:-../shared/corpus}/domains
if [ ! -d "$dir/dga" ] && [ ! -d "$dir/benign" ]; then
  echo "eval dga: skipped: no domain lists at $dir"
  exit 0
fi
echo "== dga: per-family detection, benign false positives, dga_volume"
go run ./scoring/dga/train -eval "$dir" -sweep "$dir"
