#!/usr/bin/env bash
# Detection figures on the shared evaluation corpus. Skips when it is absent.
set -euo pipefail
corpus=${1:-../shared/corpus}
if [ ! -d "$corpus" ]; then
  echo "eval: skipped: no corpus at $corpus"
  exit 0
fi
corpus=$(cd "$corpus" && pwd)
for script in build/eval.d/*.sh; do
  [ -e "$script" ] || continue
  bash "$script" "$corpus"
done
