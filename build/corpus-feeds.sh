#!/usr/bin/env bash
# Prints an nfr config.yml that loads every threat feed of the evaluation
# corpus (maltrail trails, Tor lists, NoCoin hosts), each with its category
# and format. Used by `make eval` and `make bench`. Usage: corpus-feeds.sh FEEDS_DIR
set -euo pipefail
feeds=$(cd "$1" && pwd)
feed() { printf '    - {name: %s, path: "%s", category: %s, format: %s}\n' "$(basename "$1" | sed 's/\.[a-z]*$//')" "$1" "$2" "$3"; }
echo "intel:"
echo "  builtin: true"
echo "  feeds:"
feed "$feeds/maltrail/onion.txt" tor maltrail
feed "$feeds/maltrail/i2p.txt" i2p maltrail
feed "$feeds/maltrail/crypto_mining.txt" mining maltrail
feed "$feeds/maltrail/dynamic_domain.txt" dyndns maltrail
feed "$feeds/maltrail/anonymous_web_proxy.txt" proxy maltrail
feed "$feeds/maltrail/dns_tunneling_service.txt" tunnel maltrail
for f in "$feeds"/maltrail/sinkhole/*.txt; do feed "$f" sinkhole maltrail; done
feed "$feeds/tor/tor-exit-nodes.lst" tor plain
feed "$feeds/tor/tor-nodes.lst" tor plain
feed "$feeds/nocoin/hosts.txt" cryptojacking hosts
echo "scope: {path: ''}"
