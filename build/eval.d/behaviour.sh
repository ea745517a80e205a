#!/usr/bin/env bash
# Behavioural detectors on the evaluation corpus:
#  - domains/tunnel/netrack-train.csv replayed as query streams (tunnel and
#    plain names separately, 3 hosts each): tunnel streams must be flagged
#    within 50 queries, plain streams never;
#  - the benign domain lists replayed as 50 hosts browsing for an hour:
#    nothing of severity >= 3;
#  - with bin/nfr built, the threats `nfr score` raises on the corpus pcaps
#    and the RITA dns.log (figures only; acceptance is judged by reading).
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-../shared/corpus}
if [ ! -f "$corpus/domains/tunnel/netrack-train.csv" ] || [ ! -f "$corpus/domains/benign/opendns-top10k.txt" ]; then
  echo "eval behaviour: skipped: no corpus at $corpus"
  exit 0
fi
corpus=$(cd "$corpus" && pwd)
echo "== behaviour: netrack query streams and benign browsing replay"
NFR_CORPUS="$corpus" go test -count=1 -v -run 'TestEval(Netrack|Browsing)$' ./scoring/dnstunnel/ |
  grep -E '^(eval |--- FAIL|FAIL|ok )|_test.go'

if [ -x bin/nfr ]; then
  echo "== behaviour: nfr score on corpus captures and logs (threat: alerts)"
  conf=$(mktemp)
  trap 'rm -f "$conf"' EXIT
  echo 'engine: {}' >"$conf"
  for f in "$corpus"/pcaps/dns2tcp_tunnel.pcap "$corpus"/pcaps/icmp-exfil-*.pcap "$corpus"/pcaps/zeek-icmp-*.pcap \
           "$corpus"/pcaps/tcp_scan.pcapng "$corpus"/zeek/rita-json/dns.log; do
    [ -f "$f" ] || continue
    fmt=auto
    case "$f" in *.pcap|*.pcapng) fmt=pcap ;; esac
    out=$(bin/nfr score --config "$conf" --format "$fmt" "$f" 2>/dev/null || true)
    threats=""
    for id in dns_tunneling icmp_tunneling port_scan address_scan lateral_movement c2_beaconing unreachable_domain_volume dga_volume; do
      n=$(grep -c "\"$id\":{" <<<"$out" || true)
      [ "$n" -gt 0 ] && threats="${threats:+$threats, }$id: $n alert(s)"
    done
    echo "${f#"$corpus"/}: ${threats:-nothing}"
  done
fi
