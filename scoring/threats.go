package scoring

// ThreatID names a threat in the catalogue. IDs are stable: SIEM rules key on them.
type ThreatID string

// The threat catalogue's ids.
const (
	C2Communication         ThreatID = "c2_communication"
	SinkholedDestination    ThreatID = "sinkholed_destination"
	DGAVolume               ThreatID = "dga_volume"
	DNSTunneling            ThreatID = "dns_tunneling"
	ICMPTunneling           ThreatID = "icmp_tunneling"
	PhishingDomain          ThreatID = "phishing_domain"
	LateralMovement         ThreatID = "lateral_movement"
	BrandImpersonation      ThreatID = "brand_impersonation"
	Cryptomining            ThreatID = "cryptomining"
	Cryptojacking           ThreatID = "cryptojacking"
	PortScan                ThreatID = "port_scan"
	AddressScan             ThreatID = "address_scan"
	C2Beaconing             ThreatID = "c2_beaconing"
	TorUsage                ThreatID = "tor_usage"
	I2PUsage                ThreatID = "i2p_usage"
	FreenetUsage            ThreatID = "freenet_usage"
	VPNUsage                ThreatID = "vpn_usage"
	P2PUsage                ThreatID = "p2p_usage"
	UnreachableDomainVolume ThreatID = "unreachable_domain_volume"
)

// Threat is one entry of the catalogue.
type Threat struct {
	ID       ThreatID
	Severity int  // 1 (lowest) to 5
	Policy   bool // a policy violation rather than a compromise indicator
	Desc     string
	Response string // what a SOC analyst should do first
}

// Catalogue lists every threat nfr raises, most severe first. The README's
// table is checked against it by a test.
var Catalogue = []Threat{
	{C2Communication, 5, false, "Communication with a known command-and-control server",
		"Isolate the host, capture memory, hunt for the implant; block the indicator."},
	{SinkholedDestination, 4, false, "Traffic to a sinkholed domain or address (a sign of infection)",
		"The host runs malware whose C2 was seized: identify the process making the lookups and reimage."},
	{DGAVolume, 4, false, "Host resolving many algorithmically generated domains",
		"Likely malware trying DGA rendezvous: find the process, check for successful lookups, contain."},
	{DNSTunneling, 4, false, "Data carried in DNS queries (tunnel or exfiltration)",
		"Check the destination domain's owner, the volume moved and the process; block the domain."},
	{ICMPTunneling, 4, false, "Data carried in ICMP echo payloads (tunnel or exfiltration)",
		"Compare payloads with ordinary ping; find the process; block ICMP to that peer."},
	{PhishingDomain, 4, false, "Lookup of or connection to a known phishing domain",
		"Ask the user what they entered there; reset exposed credentials; block the domain."},
	{LateralMovement, 4, false, "Internal host fanning out over administrative protocols",
		"Verify with the host's owner; check for credential theft and remote execution; contain."},
	{BrandImpersonation, 3, false, "Domain impersonating a well-known brand (homoglyph, typo, combo)",
		"Check whether the user submitted credentials; report the domain for takedown; block it."},
	{Cryptomining, 3, false, "Connection to a cryptocurrency mining pool",
		"Find the miner process; check whether it is authorised; remove and look for the dropper."},
	{Cryptojacking, 3, false, "In-browser cryptojacking script loaded",
		"Identify the page that loaded it; block the script domain; check the site if it is yours."},
	{PortScan, 3, false, "One source probing many ports on one host",
		"Confirm the scanner is not an authorised tool; if internal, the source may be compromised."},
	{AddressScan, 3, false, "One source probing many hosts on one port",
		"Confirm the scanner is not an authorised tool; look for worm-like spread from the source."},
	{C2Beaconing, 3, false, "Regular, automated callbacks to one destination",
		"Identify the process; compare the destination with threat intel; a match means compromise."},
	{TorUsage, 3, true, "Use of the Tor anonymity network",
		"Policy: confirm whether Tor is allowed; Tor is also used by malware for C2."},
	{I2PUsage, 3, true, "Use of the I2P anonymity network",
		"Policy: confirm whether I2P is allowed; remove the router if not."},
	{FreenetUsage, 3, true, "Use of the Freenet/Hyphanet anonymity network",
		"Policy: confirm whether Freenet is allowed; remove it if not."},
	{VPNUsage, 2, true, "Use of a third-party VPN service",
		"Policy: a consumer VPN bypasses monitoring; ask the user to remove it."},
	{P2PUsage, 2, true, "Peer-to-peer file sharing (BitTorrent and similar)",
		"Policy: check for licensing and data-leak exposure; remove the client."},
	{UnreachableDomainVolume, 2, false, "Host receiving many NXDOMAIN answers",
		"Misconfiguration or malware probing for C2; look at the names it asks for."},
}

var catalogueIndex = func() map[ThreatID]int {
	m := make(map[ThreatID]int, len(Catalogue))
	for i, t := range Catalogue {
		m[t.ID] = i
	}
	return m
}()

// LookupThreat returns the catalogue entry for id.
func LookupThreat(id ThreatID) (Threat, bool) {
	i, ok := catalogueIndex[id]
	if !ok {
		return Threat{}, false
	}
	return Catalogue[i], true
}
