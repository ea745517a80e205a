package intel

import "github.com/netflightrecorder/nfr/scoring"

// Indicator categories. A feed's category (config intel.feeds[].category)
// is one of these.
const (
	CatC2            = "c2"
	CatMalware       = "malware"
	CatSinkhole      = "sinkhole"
	CatPhishing      = "phishing"
	CatMining        = "mining"
	CatCryptojacking = "cryptojacking"
	CatTor           = "tor"
	CatI2P           = "i2p"
	CatFreenet       = "freenet"
	CatVPN           = "vpn"
	CatP2P           = "p2p"
	CatDynDNS        = "dyndns"
	CatProxy         = "proxy"
	CatTunnel        = "tunnel"
)

var categoryThreats = map[string]scoring.ThreatID{
	CatC2:            scoring.C2Communication,
	CatMalware:       scoring.C2Communication, // malware infrastructure: treated as C2
	CatSinkhole:      scoring.SinkholedDestination,
	CatPhishing:      scoring.PhishingDomain,
	CatMining:        scoring.Cryptomining,
	CatCryptojacking: scoring.Cryptojacking,
	CatTor:           scoring.TorUsage,
	CatI2P:           scoring.I2PUsage,
	CatFreenet:       scoring.FreenetUsage,
	CatVPN:           scoring.VPNUsage,
	CatP2P:           scoring.P2PUsage,
}

// ThreatFor returns the threat a match of category cat raises. Categories
// without a threat (dyndns, proxy, tunnel) only flag the event: they are
// context for other detectors and analysts, not alerts by themselves.
func ThreatFor(cat string) (scoring.ThreatID, bool) {
	t, ok := categoryThreats[cat]
	return t, ok
}

// MatchesQueryName reports whether a category's domains are matched against
// the name an event asks for (DNS query, HTTP host, TLS SNI). Sinkhole
// names are not: a sinkhole is recognised by what a lookup resolves to.
func MatchesQueryName(cat string) bool { return cat != CatSinkhole }

// MatchesAnswer reports whether a category's indicators are matched against
// DNS answers (addresses, CNAME/NS targets) and authority NS names: a name
// resolving to a sinkhole or C2 address, or delegated to a sinkhole
// nameserver.
func MatchesAnswer(cat string) bool {
	return cat == CatSinkhole || cat == CatC2 || cat == CatMalware
}
