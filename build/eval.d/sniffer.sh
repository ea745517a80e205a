#!/usr/bin/env bash
# nfr-sniffer over every capture of the corpus: no crash, malformed packets
# counted, and query names equal, one for one and in order, to tshark's
#   tshark -r FILE -Y "dns.flags.response == 0" -T fields -e dns.qry.name
# Usage: build/eval.d/sniffer.sh CORPUS   (prints a skip line without it)
set -euo pipefail
corpus=${1:-../shared/corpus}
pcaps="$corpus/pcaps"
if [ ! -d "$pcaps" ]; then
  echo "eval sniffer: skipped: no $pcaps"
  exit 0
fi
for tool in tshark python3; do
  command -v "$tool" >/dev/null || { echo "eval sniffer: skipped: $tool not installed"; exit 0; }
done
bin=${NFR_SNIFFER:-bin/nfr-sniffer}
[ -x "$bin" ] || go build -o "$bin" ./cmd/nfr-sniffer
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
printf '%-34s %6s %7s %9s %7s %7s %s\n' file packets records malformed tshark nfr queries
for f in "$pcaps"/*.pcap "$pcaps"/*.pcapng; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  if ! "$bin" -r "$f" --output stdout >"$tmp/out.json" 2>"$tmp/err.txt"; then
    echo "$name: nfr-sniffer failed: $(tail -1 "$tmp/err.txt")"; fail=1; continue
  fi
  tshark -r "$f" -Y "dns.flags.response == 0" -T fields -e dns.qry.name >"$tmp/tshark.txt" 2>/dev/null || true
  python3 - "$name" "$tmp/out.json" "$tmp/tshark.txt" "$tmp/err.txt" <<'PY' || fail=1
import json, re, sys
name, out, tsh, err = sys.argv[1:]

def tshark_style(q):
    # tshark escapes bytes outside printable ASCII as \ooo; the root is <Root>.
    if q == "":
        return "<Root>"
    res = []
    for ch in q.encode("utf-8", "surrogateescape"):
        res.append(chr(ch) if 0x20 <= ch < 0x7f else "\\%03o" % ch)
    return "".join(res)

def unzeek(q):
    # AppendJSON writes non-UTF-8 bytes as the text \xHH.
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), q)

ours, records = [], 0
for line in open(out, encoding="utf-8"):
    records += 1
    r = json.loads(line)
    if r["_type"] == "dns" and not r["is_response"]:
        ours.append(tshark_style(unzeek(r["query"])))
theirs = [l.rstrip("\n") for l in open(tsh, encoding="utf-8", errors="surrogateescape")]
summary = open(err).read().strip().splitlines()[-1]
packets = int(re.search(r"(\d+) packets", summary).group(1))
bad = sum(int(n) for n in re.findall(r":(\d+)", summary.split("malformed", 1)[1].split("]")[0])) if "malformed" in summary else 0
# tshark prints malformed names as "<...>" (or nothing); nfr counts those
# packets as malformed instead of emitting a record.
comparable = [t for t in theirs if t == "<Root>" or not (t == "" or (t.startswith("<") and t.endswith(">")))]
malformed_names = len(theirs) - len(comparable)
verdict = "match" if ours == comparable else "MISMATCH"
note = f" ({malformed_names} malformed in tshark too)" if malformed_names else ""
print(f"{name:34s} {packets:6d} {records:7d} {bad:9d} {len(theirs):7d} {len(ours):7d} {verdict}{note}")
if ours != comparable:
    import difflib
    for l in list(difflib.unified_diff(comparable, ours, "tshark", "nfr-sniffer", lineterm=""))[:12]:
        print("    " + l)
    sys.exit(1)
PY
done
exit $fail
