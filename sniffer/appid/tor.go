package appid

// Tor: a Tor client's TLS ClientHello to a relay names a random server,
// "www." + 4 to 25 base32 characters ([a-z2-7]) + ".com" (tor's
// tor_tls_new; relays' certificates use ".net"), offers no ALPN, and the
// client never looked the name up. The sniffer decides these rows: it has
// the hello and the names looked up (see TorSNI). The random label must
// hold a digit (real names rarely have one of 2-7 and none of 0, 1, 8, 9;
// about nine in ten of Tor's names do): without one, www.google.com from a
// client without ALPN would match, so such a hello stays unknown. High
// needs also a relay port.
var torRules = []Rule{
	{Tor, "tor tls client hello: sni www.<base32 with a digit>.com|net never looked up, no alpn", TCP, Medium, nil},
	{Tor, "tor tls client hello: sni www.<base32 with a digit>.com|net never looked up, no alpn, to a relay port (9001, 9030)", TCP, High, nil},
}

// Indexes of the Tor rows (the sniffer passes them to State.Set).
var (
	RuleTorRandom    = RuleIndex(torRules[0].Name)
	RuleTorRelayPort = RuleIndex(torRules[1].Name)
)

// TorSNI reports whether sni has the shape of a Tor client's random
// server name, and whether its random label holds a digit.
func TorSNI(sni []byte) (shape, digit bool) {
	const minLabel, maxLabel = 4, 25
	if !hasPrefix(sni, "www.") || len(sni) < len("www.")+minLabel+len(".com") {
		return false, false
	}
	tld := sni[len(sni)-4:]
	if string(tld) != ".com" && string(tld) != ".net" {
		return false, false
	}
	label := sni[4 : len(sni)-4]
	if len(label) > maxLabel {
		return false, false
	}
	for _, c := range label {
		switch {
		case c >= 'a' && c <= 'z':
		case c >= '2' && c <= '7':
			digit = true
		default:
			return false, false
		}
	}
	return true, digit
}

// TorRelayPort reports whether port is one relays customarily listen on
// (ORPort 9001, DirPort 9030).
func TorRelayPort(port uint16) bool { return port == 9001 || port == 9030 }
