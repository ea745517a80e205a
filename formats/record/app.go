package record

import "strings"

// serviceApps maps the names Zeek's dynamic protocol detection writes in
// conn.log's service (core analyzers and the Spicy packages, whose names
// start "spicy_") and Suricata's app_proto onto the application names of
// scoring.Flow.App. A name matches an entry it starts with, after
// lower-casing and dropping "spicy_"; a service list ("ssl,http") is read
// element by element.
var serviceApps = []struct{ prefix, app string }{
	{"bittorrent", "bittorrent"}, // Zeek BitTorrent and BitTorrentTracker; Suricata bittorrent-dht
	{"wireguard", "wireguard"},   // zeek/spicy-wireguard
	{"openvpn", "openvpn"},       // corelight/zeek-spicy-openvpn (openvpn_udp, openvpn_tcp, _hmac_*)
	{"ike", "ike"},               // Suricata ike, ikev2
	{"ipsec", "ike"},             // corelight/zeek-spicy-ipsec (ipsec_ike_udp, ipsec_udp)
	{"stratum", "stratum"},       // mining-pool analyzers
}

// ServiceApp returns the application a service or app_proto value names,
// or "".
func ServiceApp(service string) string {
	if service == "" || service == "dns" || service == "ssl" || service == "http" {
		return "" // the common cases, without a scan
	}
	for len(service) > 0 {
		name := service
		if i := strings.IndexByte(service, ','); i >= 0 {
			name, service = service[:i], service[i+1:]
		} else {
			service = ""
		}
		if app := nameApp(name); app != "" {
			return app
		}
	}
	return ""
}

func nameApp(name string) string {
	var low [32]byte
	if len(name) > len(low) {
		name = name[:len(low)]
	}
	n := copy(low[:], name)
	for i := range n {
		if c := low[i]; c >= 'A' && c <= 'Z' {
			low[i] = c + 'a' - 'A'
		}
	}
	s := strings.TrimPrefix(string(low[:n]), "spicy_")
	if s == "tor" { // a Tor analyzer; not a prefix: "torrent..."
		return "tor"
	}
	for _, e := range serviceApps {
		if strings.HasPrefix(s, e.prefix) {
			return e.app
		}
	}
	return ""
}
