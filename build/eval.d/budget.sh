#!/usr/bin/env bash
# The alert budget (issue 16): a simulated enterprise day built from the
# corpus (build/simday) with the demo's planted threats, scored with the
# shipped popularity prior and with a held-out prior (build/alertbudget);
# then impersonation recall on dnstwist-style permutations of every brand
# with names ranked by the built-in prior (scoring/brand's recall test).
# Skips when the corpus is absent.
set -euo pipefail
corpus=${1:-../shared/corpus}
cd "$(dirname "$0")/../.."
if [ ! -f "$corpus/domains/benign/tranco-top100k.csv" ]; then
  echo "eval budget: skipped: no corpus at $corpus"
  exit 0
fi
go run ./build/alertbudget -corpus "$corpus"
echo "== brand: recall on generated permutations, names ranked by the built-in popularity prior"
go test -count=1 -v -run 'TestPermutationRecall$' ./scoring/brand/ |
  awk '/min_typo_length=4/ { on = 1 } /min_typo_length=5/ { on = 0 } on && /brand_test.go:[0-9]+: / { sub(/^ *brand_test.go:[0-9]+: /, ""); print }' |
  sed -n '1,20p' | grep -v '^===' | sed 's/^/  /'
