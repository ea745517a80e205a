#!/usr/bin/env bash
# make eval: detection figures on the shared evaluation corpus. Runs every
# build/eval.d/*.sh (each prints its detailed tables and how it measured),
# then one summary table. Skips with one line when the corpus is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
if [ ! -d "$corpus" ]; then
  echo "eval: skipped: no corpus at $corpus"
  exit 0
fi
corpus=$(cd "$corpus" && pwd)
[ -x bin/nfr ] || make --no-print-directory nfr >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for script in build/eval.d/*.sh; do
  bash "$script" "$corpus" 2>&1 | tee -a "$log"
done

row() { printf '%-52s | %s\n' "$1" "$2"; }
echo
echo "== nfr evaluation summary (corpus: $corpus)"
row "measure" "result (how: the section above with the same name)"
row "----------------------------------------------------" "------------------------------------------------"
ok=$(grep -c 'check: .*: OK$' "$log" || true); bad=$(grep -c 'check: .*: FAIL' "$log" || true)
row "formats: Zeek corpus logs decoded as expected" "$ok files OK, $bad failed (masked timestamps reported as FILE:LINE)"
row "sniffer: query names equal to tshark's" "$(grep -cE '^[^ ]+\.pcap(ng)? .* match' "$log" || true) captures match, $(grep -ciE 'mismatch|failed' <(grep -A40 'tshark     nfr queries' "$log") || true) differ"
row "feeds: corpus threat feeds loaded" "$(grep -m1 -E '^[0-9]+ feeds: ' "$log" || echo n/a)"
grep -E '^(pcaps|zeek)/[^ ]+: ' "$log" | grep -v 'tls handshakes' | while IFS= read -r line; do
  row "score: ${line%%: *}" "${line#*: }"
done
row "apps: flows identified per application (corpus pcaps)" "$(grep -m1 '^eval apps identified:' "$log" | sed 's/^eval apps identified: //')"
row "apps: captures raising what the README says" "$(grep -m1 '^eval apps checks:' "$log" | sed 's/^eval apps checks: //')"
row "dns tunnel: netrack tunnel streams" "$(grep -m1 '^eval dnstunnel tunnel:' "$log" | sed 's/^eval dnstunnel tunnel: //')"
row "dns tunnel: netrack plain streams" "$(grep -m1 '^eval dnstunnel plain:' "$log" | sed 's/^eval dnstunnel plain: //')"
awk '/^(budget|apart|planted) [a-z-]+: / { k = $2; sub(/:$/, "", k); v = $0; sub(/^[^:]*: /, "", v); x[$1, k] = v; seen[k] = 1 }
     END { for (k in seen) {
             printf "%-52s | %s; %s\n", "alert budget, " k ": false, sev >= 3", x["budget", k], x["planted", k]
             printf "%-52s | %s\n", "alert budget, " k ": not counted as false", x["apart", k] } }' "$log" | sort
row "behaviour: 50 benign hosts browsing for 1 h" "$(grep -m1 '^eval browsing:' "$log" | sed 's/^eval browsing: //')"
awk '/^family +kind +scheme/ { t = 1; next } /^benign list/ && !seen { t = 0; b = 1; seen = 1; next } /^held-out flagged/ { b = 0 }
     t && $2 == "random-character" { n++; r = $NF + 0; if (r >= 95) ok++; else low = low " " $1 "=" $NF }
     t && $2 == "wordlist" { w = w " " $1 "=" $NF }
     b && /^opendns-/ { fp = fp " " $1 "=" $NF }
     END { printf "%-52s | %d of %d families >= 95%%; below:%s\n", "dga: random-character families (held out, 4-fold CV)", ok, n, low
           printf "%-52s | %s\n", "dga: wordlist family (aim >= 60%)", w
           printf "%-52s | %s\n", "dga: benign names flagged, held out (aim <= 0.5%)", fp }' "$log"
awk '/^== dga: held-out detection under training seeds/ { s = 1; next } /^== / { s = 0 }
     s && $1 != "list" && $1 !~ /^(suppobox|opendns-)/ { n++; if ($2 + 0 >= 95) a++; if ($3 + 0 >= 95) b++ }
     s && /^opendns-/ { fp = fp " " $1 "=" $2 "/" $3 }
     END { if (n) printf "%-52s | families >= 95%%: %d and %d of %d; benign flagged (seed 2/3):%s\n", "dga: held out, training seeds 2 and 3", a, b, n, fp }' "$log"
awk '/^== dga: the embedded model on the corpus it trained on/ { e = 1; next } /^== / { e = 0 } /^benign list/ { e = 0 }
     e && $2 == "random-character" { n++; r = $NF + 0; if (r >= 95) ok++; else low = low " " $1 "=" $NF }
     END { if (n) printf "%-52s | %d of %d families >= 95%%; below:%s\n", "dga: on names it trained on (does not count; a bound)", ok, n, low }' "$log"
awk '/^where the held-out flagged benign names sit/ { a = 1; next } /^dga_volume/ { a = 0 }
     a && /^opendns-/ { list = $1 } a && /flagged outside those ranks/ { printf "%-52s | %s: %s of %s %s\n", "dga: benign flagged outside a dense band (label noise)", list, $5, $7, $8 }' "$log"
awk '/^== dgahost:/ { h = 1; next } /^== / { h = 0 }
     h && $1 != "family" && $5 ~ /%$/ { n++; if ($5 + 0 >= 95) ok++; else low = low " " $1 "=" $5 }
     /^eval dgahost benign:/ { fp = $0; sub(/^eval dgahost benign: /, "", fp) }
     END { if (n) printf "%-52s | %d of %d kinds >= 95%%;%s benign day: %s\n", "dga_volume per host at 20 lookups/10 min (aim >= 95%)", ok, n, (low ? " below:" low ";" : ""), fp }' "$log"
awk '/^== brand: .*default settings/ { b = 1; next } /^== / { b = 0 }
     b && /^opendns-.*flagged/ { printf "%-52s | %s flagged of %s (%s)\n", "brand: impersonation false positives, " $1, $4, $2, $6 }' "$log"
