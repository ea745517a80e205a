// Package appid names the application a flow carries from the first
// payload bytes each side sends, as nDPI and Zeek's dynamic protocol
// detection do: BitTorrent (peer wire, uTP, DHT), WireGuard, OpenVPN,
// IKE/IPsec NAT-T, Monero levin, Stratum mining, iodine's raw mode (a DNS
// tunnel sending straight to the server's DNS port) and Tor (its TLS
// client hello's random server name, decided by the sniffer, see TorSNI).
//
// Each identifier is a row of a table (one file per application) that
// looks at one payload's first Window bytes and its length. State holds
// what was found for one flow in a fixed-size value (StateBytes bytes, no
// pointers): the best match, the sides that matched and how many payloads
// of each side were read, at most MaxPayloads a side. Nothing is
// reassembled, nothing is allocated, and a payload that matches no row
// leaves the flow unknown.
//
// The package must not do I/O, keep state outside State, or guess: a
// row matches fixed protocol bytes and lengths, never a port alone.
package appid
