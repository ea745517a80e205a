// Package sniffer turns captured packets (libpcap, live or from pcap and
// pcapng files) into scoring.Events — one per DNS message, one per ICMP
// message, one per flow report — and encodes them as nfr's msgpack or
// NDJSON records (key names in formats/record, layout in README.md). It is
// the only packet decoder in nfr: `nfr score FILE.pcap` uses OpenFile.
// It does not score, and it does not send: sniffer/forward does.
package sniffer
