#!/usr/bin/env bash
# DGA detection rate per family and flagged rate per benign list, at the
# default threshold, on $1/domains (the shared corpus). Skips when absent.
set -euo pipefail
dir=${1:-../shared/corpus}/domains
if [ ! -d "$dir/dga" ] && [ ! -d "$dir/benign" ]; then
  echo "eval dga: skipped: no domain lists at $dir"
  exit 0
fi
echo "== dga: per-family detection and benign false positives"
go run ./scoring/dga/train -eval "$dir"
