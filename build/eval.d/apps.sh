#!/usr/bin/env bash
# Application identification on the corpus captures:
#  - per capture, the flow records nfr-sniffer writes and how many carry an
#    app (by application and confidence);
#  - per capture, the threats `nfr score` raises, checked against what the
#    corpus README says each capture holds (bittorrent_utp -> p2p_usage,
#    wireguard -> vpn_usage, icmp-exfil-* -> icmp_tunneling, dns2tcp ->
#    dns_tunneling, tcp_scan -> port_scan) and against silence on the
#    benign ones (zeek-icmp pings, plain DNS).
# Usage: build/eval.d/apps.sh CORPUS   (prints a skip line without it)
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-../shared/corpus}
pcaps="$corpus/pcaps"
if [ ! -d "$pcaps" ]; then
  echo "eval apps: skipped: no $pcaps"
  exit 0
fi
command -v python3 >/dev/null || { echo "eval apps: skipped: python3 not installed"; exit 0; }
sniffer=${NFR_SNIFFER:-bin/nfr-sniffer}
[ -x "$sniffer" ] || go build -o "$sniffer" ./cmd/nfr-sniffer
[ -x bin/nfr ] || go build -o bin/nfr ./cmd/nfr
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo 'engine: {}' >"$tmp/config.yml"

expect() { # the threat a capture must raise, "-" for benign (nothing), "" for no claim
  case "$1" in
    bittorrent_utp.pcap) echo p2p_usage ;;
    wireguard.pcap) echo vpn_usage ;;
    icmp-exfil-*) echo icmp_tunneling ;;
    dns2tcp_tunnel.pcap) echo dns_tunneling ;;
    tcp_scan.pcapng) echo port_scan ;;
    zeek-icmp-*|dns.pcap|gopacket-test_dns.pcap|dns_fragmented.pcap|dns_long_domainname.pcap|zeek-dns-two-responses.pcap|zeek-dns-txt-multiple.pcap) echo - ;;
    *) echo "" ;;
  esac
}

echo "== apps: application identified from payload (nfr-sniffer flow records) and threats raised (nfr score)"
printf '%-32s %5s %-34s %s\n' capture flows "identified (app/confidence=flows)" "threats (alerts)"
for f in "$pcaps"/*.pcap "$pcaps"/*.pcapng; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  "$sniffer" -r "$f" --output stdout >"$tmp/rec.json" 2>/dev/null || true
  bin/nfr score --config "$tmp/config.yml" --format pcap --output stdout "$f" >"$tmp/alerts.json" 2>/dev/null || true
  python3 - "$name" "$tmp/rec.json" "$tmp/alerts.json" "$(expect "$name")" <<'PY'
import collections, json, sys
name, recs, alerts, want = sys.argv[1:]
flows, apps = 0, collections.Counter()
for line in open(recs, encoding="utf-8", errors="replace"):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if r.get("_type") != "flow":
        continue
    flows += 1
    if r.get("app"):
        apps[f'{r["app"]}/{r.get("app_confidence", "")}'] += 1
threats = collections.Counter()
for line in open(alerts, encoding="utf-8", errors="replace"):
    try:
        threats.update(json.loads(line).get("threats", {}).keys())
    except ValueError:
        pass
ident = " ".join(f"{k}={v}" for k, v in sorted(apps.items())) or "-"
raised = ", ".join(f"{k} ({v})" for k, v in sorted(threats.items())) or "nothing"
print(f"{name:32s} {flows:5d} {ident:34s} {raised}")
for k, v in sorted(apps.items()):
    print(f"eval apps flows: {name} {k.split('/')[0]} {k.split('/')[1]} {v} {flows}")
if want == "-":
    print(f"eval apps expect: {name}: benign, silent: {'OK' if not threats else 'FAIL (' + raised + ')'}")
elif want:
    print(f"eval apps expect: {name}: raises {want}: {'OK' if threats[want] else 'FAIL (' + raised + ')'}")
PY
done | tee "$tmp/out.txt" | grep -v '^eval apps flows: '
python3 - "$tmp/out.txt" <<'PY'
import collections, sys
strong, low, total = collections.Counter(), collections.Counter(), {}  # (app, capture) -> flows; capture -> flows
for line in open(sys.argv[1]):
    if line.startswith("eval apps flows: "):
        name, app, conf, n, flows = line.split()[3:]
        (low if conf == "low" else strong)[(app, name)] += int(n)
        total[name] = int(flows)
keys = sorted(set(strong) | set(low))
parts = [f"{app} {strong[(app, name)]}/{total[name]} flows of {name}" + (f" (+{low[(app, name)]} low)" if low[(app, name)] else "")
         for app, name in keys]
print("eval apps identified: " + ("; ".join(parts) or "none") + " (medium/high confidence)")
checks = [l for l in open(sys.argv[1]) if l.startswith("eval apps expect: ")]
ok = sum(l.rstrip().endswith(": OK") for l in checks)
print(f"eval apps checks: {ok} of {len(checks)} captures raise what the corpus README says (or stay silent when benign)")
PY
