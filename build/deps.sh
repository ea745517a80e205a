#!/usr/bin/env bash
# Installs what a fresh Debian machine with Go lacks for nfr's build, tests,
# demo and benchmarks. Idempotent: installs only missing packages.
set -euo pipefail
pkgs=(libpcap-dev tcpdump tshark rsyslog rsyslog-gnutls liblognorm-utils gnutls-bin
      iodine ptunnel-ng nmap dnsmasq dnsutils iproute2 iputils-ping wamerican wbritish logrotate)
# `build/deps.sh model` adds the word lists the DGA model is trained on
# (make model): benign names come from many languages, not English alone.
if [ "${1:-}" = model ]; then
  pkgs+=(wngerman wfrench wspanish witalian wdutch wportuguese wpolish wswedish wdanish wnorwegian
         wcatalan hunspell-ru hunspell-tr hunspell-vi hunspell-id hunspell-cs hunspell-ro hunspell-hu)
fi
# `build/deps.sh bench` adds valgrind: make bench counts instructions per
# event, a figure other load on the machine does not change.
if [ "${1:-}" = bench ]; then
  pkgs+=(valgrind)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
