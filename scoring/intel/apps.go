package intel

import "github.com/netflightrecorder/nfr/scoring"

// appCategories maps the applications named by payload identification
// (scoring.Flow.App: nfr-sniffer's identifiers, Zeek's service, Suricata's
// app_proto) onto indicator categories, with the note evidence carries.
var appCategories = map[string]appCategory{
	"tor":        {CatTor, "appid:tor", "Tor client: TLS hello with Tor's random www.<base32>.com server name, never looked up, no ALPN"},
	"bittorrent": {CatP2P, "appid:bittorrent", "BitTorrent: peer wire handshake, uTP, DHT (KRPC) or UDP tracker protocol"},
	"wireguard":  {CatVPN, "appid:wireguard", "WireGuard tunnel: handshake messages by type and size"},
	"openvpn":    {CatVPN, "appid:openvpn", "OpenVPN tunnel: control channel hard reset"},
	"ike":        {CatVPN, "appid:ike", "IPsec VPN key exchange (IKE, NAT-T); site-to-site gateways are often sanctioned: allowlist them"},
	"monero":     {CatMining, "appid:monero", "Monero P2P (levin protocol): a node, or a miner's own node"},
	"stratum":    {CatMining, "appid:stratum", "Stratum mining protocol: a miner talking to a pool"},
	"iodine":     {CatTunnel, "appid:iodine", "iodine DNS tunnel in raw mode: UDP to the server's DNS port under iodine's raw header"},
}

type appCategory struct {
	category, list, note string
}

// AppCategory returns the category of an identified application, the
// list name its evidence carries ("appid:<app>") and a note saying what
// was recognised. AppThreat says what it raises.
func AppCategory(app string) (category, list, note string, ok bool) {
	c, ok := appCategories[app]
	return c.category, c.list, c.note, ok
}

// AppThreat returns the threat an identified application raises: its
// category's, except for a tunnel, which carries data whatever its
// transport (a tunnel category on a name only flags it for dns_tunnel).
func AppThreat(app string) (scoring.ThreatID, bool) {
	c, ok := appCategories[app]
	if !ok {
		return "", false
	}
	if c.category == CatTunnel {
		return scoring.DNSTunneling, true
	}
	return ThreatFor(c.category)
}
