// Package icmptunnel detects ICMP tunneling and exfiltration: data carried
// in echo request and reply payloads. State is kept per (client, server)
// echo conversation over a tumbling event-time window rather than per echo
// id, because exfiltration tools change the id from packet to packet
// (pyexfil) while one ping run keeps it. It raises icmp_tunneling at most
// once per conversation and window. It must not do I/O, read the clock or
// keep state beyond max_keys conversations.
//
// # Compared with standard ping
//
// Every payload is compared with what the common ping implementations send
// at the same length (profile.go): iputils/BSD ping (timestamp, then byte
// i = i: 0x10..0x37 for the default 56 bytes), Windows ping (the same
// "abcdefghijklmnopqrstuvw..." bytes in every packet, 32 by default), and
// zero or constant fills (fping, busybox, ping -p), entropy <= 1.5 bits per
// byte. The sniffer supplies each payload's length, Shannon entropy and a
// digest; a payload under 16 bytes is not judged. An entropy within
// entropy_tolerance (0.25 bit) of the patterned ping of that length, or a
// fill, is ping-like; Windows' profile also requires the same bytes as an
// earlier request (its first packet of a size is not judged).
//
// # Rules (defaults)
//
//   - reply_mismatch: at least min_mismatch (3) echo replies, and a quarter
//     of all replies, that carry other bytes than the request with the same
//     id and sequence, or answer no request seen. RFC 792 requires the
//     reply to return the request's data; tunnels (ptunnel-ng,
//     icmptunnel) answer with their own. Flow summaries (Zeek conn.log)
//     show it as different mean sizes per direction.
//   - non_ping_payload: at least min_packets (3) requests unlike any
//     standard ping, at least half of those judged, carrying min_bytes
//     (256) or more (hping3 --file: text chunks of a fixed size).
//   - size_variation: max_sizes (4) distinct request sizes in the window
//     with at least one non-ping payload (tools that send each chunk as it
//     comes: pyexfil, tunnels of interactive traffic). A ping run keeps one
//     size; a hand-made MTU search sends patterned payloads, which are
//     ping-like.
//   - volume: volume_bytes (1 MiB) of echo payload in one window, whatever
//     it looks like.
//
// Echo replies in a window without any request (a channel that sends its
// data in replies nobody asked for) are judged as requests are; the replies
// of ordinary pings seen alone (asymmetric capture) stay ping-like. The
// evidence says whether the peer is internal (internal_peer: RFC 1918,
// ULA, CGNAT, link-local), as when data goes over ICMP to a pivot inside
// the network that relays it out, and how many replies were judged alone
// (reply_only_payloads).
//
// Measured: iputils, Windows and fping traffic (generated in the tests, and
// the zeek-icmp pcaps of the corpus) stays ping-like; the hping3 and pyexfil
// exfiltration pcaps of the corpus (448-byte text file) fire on their third
// and fourth request respectively.
//
// What it cannot see: a tunnel that pads every payload to a ping's length
// with ping-like entropy and echoes requests faithfully moves data only in
// requests; it is caught by volume, or not at all below it.
package icmptunnel
