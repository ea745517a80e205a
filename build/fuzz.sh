#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each.
set -euo pipefail
fuzztime=${1:-30s}
status=0
while read -r file; do
  dir=$(dirname "$file")
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | awk '{print $2}'); do
    echo "== fuzz $dir $target ($fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./$dir" || status=1
  done
done < <(grep -rlE '^func Fuzz' --include='*_test.go' . | sort)
exit $status
