#!/usr/bin/env bash
# Builds dist/nfr_<version>_amd64.deb with nfpm (fetched through the Go
# module proxy by `go run`), then checks it: contents, conffiles, an
# extraction into a throwaway root, and systemd-analyze verify on the units.
set -euo pipefail
NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
version=$(git describe --tags --always 2>/dev/null | sed 's/^v//')
[[ $version =~ ^[0-9]+\.[0-9]+ ]] || version="0.1.0~git${version}"
mkdir -p dist
rm -f dist/nfr_*.deb
NFR_VERSION=$version go run $NFPM package --config build/deb/nfpm.yaml --packager deb --target dist/ >/dev/null
deb=$(ls dist/nfr_*.deb)
echo "deb: built $deb"

fail() { echo "deb: FAIL: $*" >&2; exit 1; }
listing=$(dpkg-deb -c "$deb")
for f in ./usr/bin/nfr ./usr/bin/nfr-sniffer ./usr/lib/nfr/out_nfr.so ./etc/nfr/config.yml ./etc/nfr/scope.yml \
         ./lib/systemd/system/nfr-serve.service ./lib/systemd/system/nfr-sniffer.service \
         ./usr/share/doc/nfr/README.md ./usr/share/doc/nfr/examples/fluent-bit/fluent-bit.conf \
         ./usr/share/doc/nfr/examples/vector/vector.yaml; do
  grep -qF " $f" <<<"$listing" || fail "missing $f"
done
conffiles=$(dpkg-deb -I "$deb" conffiles)
[ "$(sort <<<"$conffiles" | tr '\n' ' ')" = "/etc/nfr/config.yml /etc/nfr/scope.yml " ] || fail "conffiles are: $conffiles"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/nfr" version >/dev/null || fail "packaged nfr does not run"
NFR_CONFIG="$root/etc/nfr/config.yml" "$root/usr/bin/nfr" check >/dev/null || fail "packaged config does not load"
if command -v systemd-analyze >/dev/null; then
  for unit in "$root"/lib/systemd/system/*.service; do
    # The unit's own syntax and directives are judged; that its binary is not
    # installed on this machine (it lives in the throwaway root) is not.
    out=$(systemd-analyze verify --man=no "$unit" 2>&1 | grep -v 'is not executable: No such file or directory' || true)
    [ -z "$out" ] || fail "systemd-analyze verify $(basename "$unit"): $out"
  done
  echo "deb: systemd-analyze verify: units clean"
else
  echo "deb: systemd-analyze not installed: unit lint skipped"
fi
echo "deb: contents and conffiles ok"
