#!/usr/bin/env bash
# Go benchmarks and whole-process comparisons; each part prints its rows.
set -euo pipefail
for script in build/bench.d/*.sh; do
  [ -e "$script" ] || continue
  bash "$script"
done
