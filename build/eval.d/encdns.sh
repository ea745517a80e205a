#!/usr/bin/env bash
# Encrypted DNS by address (scoring/encdns) and the sniffer's TLS decoding on
# the corpus captures:
#  - every pcap: TLS handshakes decoded, encdns alerts raised (only
#    pcaps/dns2tcp_tunnel.pcap, DoH to 1.1.1.1 without SNI, may raise);
#  - with tshark installed: the sniffer's JA3/JA3S equal tshark's for every
#    handshake.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-../shared/corpus}
if [ ! -d "$corpus/pcaps" ]; then
  echo "eval encdns: skipped: no corpus at $corpus"
  exit 0
fi
corpus=$(cd "$corpus" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/nfr" ./cmd/nfr
go build -o "$tmp/nfr-sniffer" ./cmd/nfr-sniffer
echo 'engine: {}' >"$tmp/config.yml"
echo "== encdns: TLS handshakes and encrypted-DNS-by-address alerts per capture"
fail=0
for f in "$corpus"/pcaps/*.pcap "$corpus"/pcaps/*.pcapng; do
  [ -f "$f" ] || continue
  name=${f#"$corpus"/}
  "$tmp/nfr-sniffer" -r "$f" --output stdout 2>/dev/null | grep '"_type":"tls"' >"$tmp/tls.ndjson" || true
  hellos=$(wc -l <"$tmp/tls.ndjson")
  alerts=$("$tmp/nfr" score --config "$tmp/config.yml" --format pcap "$f" 2>/dev/null | grep -c '"detector":"encdns"' || true)
  echo "$name: tls handshakes $hellos, encdns alerts $alerts"
  case "$name" in
    pcaps/dns2tcp_tunnel.pcap) [ "$alerts" -ge 1 ] || { echo "  FAIL: expected dns_tunneling from encdns"; fail=1; } ;;
    *) [ "$alerts" -eq 0 ] || { echo "  FAIL: unexpected encdns alert"; fail=1; } ;;
  esac
  if command -v tshark >/dev/null && [ "$hellos" -gt 0 ]; then
    ours=$(grep -o '"ja3":"[0-9a-f]*"\(,"ja3s":"[0-9a-f]*"\)\?' "$tmp/tls.ndjson" | sed 's/"ja3s\?"://g; s/"//g' | sort)
    theirs=$(tshark -r "$f" -T fields -E separator=, -e tls.handshake.ja3 -e tls.handshake.ja3s \
      -Y 'tls.handshake.type==1 || tls.handshake.type==2' 2>/dev/null | tr -d ',' | paste -sd, | sed 's/,,*/,/g; s/^,//; s/,$//' | tr ',' '\n' |
      paste -d, - - | sort)
    if [ "$ours" = "$theirs" ]; then
      echo "  ja3/ja3s equal to tshark's: $ours"
    else
      echo "  FAIL: ja3/ja3s differ: ours [$ours] tshark [$theirs]"
      fail=1
    fi
  fi
done
exit $fail
