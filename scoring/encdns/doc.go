// Package encdns detects DNS tunnels that hide in encrypted DNS: a TLS
// handshake (DNS over HTTPS on 443, DNS over TLS on 853) to a well-known
// public resolver's anycast address without that resolver's own hostname
// in the SNI. It raises dns_tunneling for the handshake's source. It must
// not do I/O, read the clock or keep state: each TLS event is judged
// alone, and repeats are left to the engine's suppression (one alert per
// source and resolver address per window).
//
// # Rule (defaults)
//
// A TLS handshake (sniffer, Zeek ssl.log, Suricata tls) to an address of
// the built-in list (Cloudflare, Google, Quad9, OpenDNS, AdGuard,
// CleanBrowsing, NextDNS; IPv4 and IPv6, each with its source) or of
// extra_resolvers, on a port of ports (443, 853), raises when
//   - its SNI is present but is not the resolver's own hostname, or
//   - it has no SNI and the port is in no_sni_ports (443).
//
// # Why this is a tunnel signal
//
// Tunnel tools that carry data in DNS (dnstt, dns2tcp or iodine behind a
// DoH/DoT wrapper) speak to a public resolver to reach their own
// authoritative server, and connect to it by address: the resolver's
// address is configured, no name is resolved first, so the ClientHello
// carries no SNI, or an SNI that is not the resolver's. The names they
// query, which the dnstunnel detector would measure, are encrypted.
//
// # How false positives are controlled
//
// Legitimate encrypted-DNS clients name the resolver they talk to:
// browsers (Firefox, Chrome, Edge, Safari), Windows, Android Private DNS,
// Apple's encrypted DNS profiles, systemd-resolved and stubby send the
// resolver's DoH/DoT hostname (cloudflare-dns.com, one.one.one.one,
// dns.google, dns.quad9.net, doh.opendns.com, dns.adguard-dns.com,
// doh.cleanbrowsing.org, dns.nextdns.io, ...) in the SNI, because the
// resolver's certificate is checked against it. A handshake is therefore
// quiet when its SNI is the resolver's hostname or a name under one of the
// resolver's domains (NextDNS profiles use <id>.dns.nextdns.io). Only the
// listed resolver addresses on the listed ports are considered, so TLS to
// any other destination is never judged here. What remains and looks the
// same: a person opening https://1.1.1.1/ or https://8.8.8.8/ in a browser
// (address literal, hence no SNI), and DoT clients configured with an
// address and no authentication name: opportunistic DoT (RFC 7858
// section 4.1, RFC 8310), which Android Private DNS in automatic mode and
// systemd-resolved (DNS=1.1.1.1 without #name) do on 853. That is why a
// missing SNI is judged on 443 only by default (no_sni_ports): a tunnel
// tool using DoT by address (dnstt -dot 1.1.1.1:853) is then missed,
// which adding 853 to no_sni_ports changes where no opportunistic DoT
// client runs. A browser opened on https://1.1.1.1/ is rare and the
// evidence says which resolver, port and SNI state fired;
// extra_resolvers adds an organisation's own resolvers and hostnames.
//
// # Flows without a handshake
//
// A flow (conn.log, Suricata flow, sniffer flow) to a listed resolver on
// 853 carrying data is DNS over TLS, which Android Private DNS and
// systemd-resolved use every day: without the handshake there is no SNI
// to tell the tunnel tool from the phone, so flows alone raise nothing.
package encdns
