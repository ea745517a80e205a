#!/usr/bin/env bash
# Per-host DGA detection (dga_volume) on a simulated enterprise
# (build/simday, built from $1/domains/benign): for every corpus DGA family
# ($1/domains/dga) and every generated kind (scoring/dga/gen), 20 infected
# workstations running the family for 30 minutes at 10, 20 and 40 lookups
# per 10 minutes (a tenth of the names resolve, the rest NXDOMAIN) among
# 200 benign hosts; the share raising dga_volume and the time to the first
# alert. Then the benign side: 200 hosts x 24 h x 3 days, false dga_volume
# alerts per 10,000 host-hours. Everything runs through the engine with its
# default configuration. Skips when the corpus is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-../shared/corpus}
if [ ! -d "$corpus/domains/dga" ] || [ ! -f "$corpus/domains/benign/tranco-top100k.csv" ]; then
  echo "eval dgahost: skipped: no domain lists at $corpus/domains"
  exit 0
fi
corpus=$(cd "$corpus" && pwd)
echo "== dgahost: infected hosts raising dga_volume (share, first alert median/slowest) per rate of DGA lookups"
NFR_CORPUS="$corpus" GOMAXPROCS=${GOMAXPROCS:-1} go test -count=1 -v -timeout 30m -run 'TestEvalHost(Families|BenignDay)$' ./scoring/dga/ |
  grep -vE '^(=== RUN|--- PASS|PASS$|ok )'
