// Package dnstunnel detects DNS tunneling and exfiltration: data carried in
// the names a host looks up, measured per (source, registered domain) over
// a tumbling event-time window. It raises dns_tunneling at most once per
// pair and window. It must not do I/O, read the clock or keep state beyond
// max_keys pairs.
//
// # What is measured
//
// For each pair and window: queries, distinct subdomains (a 1024-bit
// bitmap, so repeats of a cached name count once), and for each distinct
// name an estimate of the payload it carries: the length of its varying
// part (dots excluded) times the Shannon entropy of its characters, in
// bytes. The varying part is what remains after removing
//   - the right-hand labels shared, position by position, with the previous
//     distinct name of the pair ("tunnel" in data.tunnel.example.org): fixed
//     structure carries nothing;
//   - a leading reversed address: four decimal octets (DNSBL and PTR style
//     4.3.2.1.zen...) or eight or more single-nibble labels (reversed IPv6),
//     which name an address rather than carry data.
//
// Also kept, for the rules and as evidence: the share of queries for
// record types whose answers can carry kilobytes (NULL, TXT, KEY, CNAME, MX,
// private-use types such as iodine's 65399), names with characters host
// names never use (base64 '+', '/', '=', raw 8-bit bytes), the longest
// label, response bytes, and the query rate.
//
// # Rules (defaults)
//
// No rule fires before min_unique (10) distinct subdomains. Then:
//   - encoded_names: mean payload per distinct name >= name_bytes (20).
//   - tunnel_rrtypes: at least half the queries use high-capacity types and
//     the mean payload is >= name_bytes/4: a channel that asks for TXT or
//     NULL answers under ever new names needs only a short nonce or
//     sequence number in them while idle (dnscat2 polls with 18 hex
//     characters, about 8 bytes). Benign TXT and MX lookups go to fixed
//     names (SPF, DKIM, verification) and stay under min_unique.
//   - volume: payload summed over the window >= window_bytes (4096), for
//     exfiltration in many short names.
//
// Measured on the netrack corpus (build/eval.d/behaviour.sh): the
// iodine, dns2tcp and dnscat-style streams carry 28 to 68 bytes per
// distinct name at the point they are flagged, short polling queries
// included, and every stream is flagged at its 10th or 11th query; the
// plain names and 50 hosts browsing the OpenDNS lists for an hour raise
// nothing. By the same estimate common host labels (www, api, static)
// carry 1 to 3 bytes, a CDN edge id such as d1a2b3c4d5e6f about 6, a UUID
// label about 17. name_bytes = 20 sits between, and ten distinct names keep
// one-off long names (a verification TXT record, a single telemetry GUID)
// silent. iodine between two namespaces (cmd/nfr netns test) is flagged by
// tunnel_rrtypes (NULL queries) at its 10th query, during the handshake.
//
// # False positives: CDN, DNSBL, antivirus, telemetry
//
// Controlled by statistics and intel categories, never by a list of names:
//   - CDN and cloud names vary but carry few bytes each (short host ids,
//     region codes); their per-name payload stays well under name_bytes and
//     one host rarely looks up the hundreds of distinct names the volume
//     rule needs.
//   - DNSBL and PTR lookups: the reversed-address prefix is removed before
//     measuring, and .arpa names are not measured at all (no one can
//     register a tunnel domain there). Windows whose answers are mostly
//     127.0.0.0/8 (RFC 5782 list answers, also used by antivirus
//     reputation services) are judged on volume only.
//   - Hash-based reputation lookups (antivirus file hashes, DNSBL hash
//     lists) and chatty telemetry really do carry data in names; they are
//     recognised by the intel stage, which tags the event with a category,
//     and events whose Report.Categories hold one of exempt_categories are
//     not measured.
package dnstunnel
