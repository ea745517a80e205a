package intel

import (
	"net/netip"

	"github.com/netflightrecorder/nfr/scoring"
)

// builtinGroup is a set of built-in indicators sharing a category and a
// source note. Only well-known, stable infrastructure belongs here; volatile
// lists (exit nodes, C2) come from feeds.
type builtinGroup struct {
	category string
	note     string
	domains  []string
	ips      []string // addresses or CIDRs
	ports    []builtinPorts
}

// builtinPorts is an inclusive destination port range for one protocol.
type builtinPorts struct {
	proto    scoring.Proto
	from, to uint16
}

var builtinGroups = []builtinGroup{
	// Tor.
	{category: CatTor, note: "RFC 7686: .onion names resolve only inside Tor; a DNS lookup leaks Tor use",
		domains: []string{"onion"}},
	{category: CatTor, note: "tor2web gateway: proxies .onion sites to the clear web",
		domains: []string{"tor2web.org", "tor2web.io", "onion.to", "onion.city", "onion.cab",
			"onion.link", "onion.ws", "onion.ly", "onion.pet", "onion.sh", "onion.dog"}},
	{category: CatTor, note: "Tor Project: bridge distribution (BridgeDB) and Tor Browser update servers",
		domains: []string{"bridges.torproject.org", "aus1.torproject.org", "aus2.torproject.org"}},
	{category: CatTor, note: "Tor directory authority (tor source, src/app/config/auth_dirs.inc)",
		ips: []string{"128.31.0.39", "217.196.147.77", "45.66.35.11", "131.188.40.189",
			"193.23.244.244", "171.25.193.9", "199.58.81.140", "204.13.164.118",
			"216.218.219.41", "66.111.2.131",
			"2a02:16a8:662:2203::1", "2001:638:a000:4140::ffff:189", "2001:678:558:1000::244",
			"2001:67c:289c::9", "2620:13:4000:6000::1000:118"}},

	// I2P.
	{category: CatI2P, note: "I2P: .i2p names resolve only inside I2P; a DNS lookup leaks I2P use",
		domains: []string{"i2p"}},
	{category: CatI2P, note: "I2P reseed host: new routers fetch their first peers here (I2P router reseed list)",
		domains: []string{"reseed.i2p-projekt.de", "reseed.diva.exchange", "reseed.stormycloud.org",
			"reseed2.i2p.net", "reseed-fr.i2pd.xyz", "reseed-pl.i2pd.xyz", "www2.mk16.de",
			"i2p.ghativega.in", "i2pseed.creativecowpat.net", "reseed.onion.im", "reseed.memcpy.io",
			"banana.incognet.io", "coconut.incognet.io", "reseed.i2pgit.org", "i2p.novg.net"}},

	// Freenet / Hyphanet.
	{category: CatFreenet, note: "Freenet/Hyphanet project: node installer, updates and seed node list",
		domains: []string{"freenetproject.org", "hyphanet.org"}},

	// Cryptomining.
	{category: CatMining, note: "public cryptocurrency mining pool (pool's published Stratum endpoints)",
		domains: []string{"minexmr.com", "supportxmr.com", "nanopool.org", "2miners.com", "f2pool.com",
			"ethermine.org", "flypool.org", "minergate.com", "moneroocean.stream", "hashvault.pro",
			"herominers.com", "nicehash.com", "slushpool.com", "stratum.braiins.com", "antpool.com",
			"viabtc.com", "c3pool.com", "unmineable.com", "xmrpool.eu", "dwarfpool.com", "hiveon.net",
			"monerohash.com", "mining-dutch.nl", "zpool.ca", "prohashing.com", "kano.is", "poolin.com"}},
	{category: CatMining, note: "XMRig donation pool: miners built from XMRig connect here by default",
		domains: []string{"donate.v2.xmrig.com", "donate.ssl.xmrig.com"}},
	{category: CatMining, note: "common Stratum mining port (pool and XMRig defaults); matched only on flows carrying data",
		ports: []builtinPorts{{scoring.ProtoTCP, 3333, 3333}, {scoring.ProtoTCP, 4444, 4444},
			{scoring.ProtoTCP, 5555, 5555}, {scoring.ProtoTCP, 7777, 7777},
			{scoring.ProtoTCP, 14433, 14433}, {scoring.ProtoTCP, 14444, 14444}}},

	// Cryptojacking.
	{category: CatCryptojacking, note: "in-browser mining script host (Coinhive and successors)",
		domains: []string{"coinhive.com", "coin-hive.com", "authedmine.com", "cnhv.co", "crypto-loot.com",
			"cryptoloot.pro", "webmine.cz", "webminepool.com", "coinimp.com", "jsecoin.com", "minero.cc",
			"ppoi.org", "projectpoi.com", "coinhave.com", "cryptonoter.com", "monerominer.rocks",
			"mineralt.io", "minemytraffic.com", "coinblind.com", "browsermine.com", "coinerra.com"}},

	// VPN.
	{category: CatVPN, note: "commercial VPN provider: its client apps contact the provider's domain",
		domains: []string{"nordvpn.com", "expressvpn.com", "surfshark.com", "protonvpn.com", "protonvpn.ch",
			"privateinternetaccess.com", "cyberghostvpn.com", "ipvanish.com", "mullvad.net", "windscribe.com",
			"tunnelbear.com", "purevpn.com", "hotspotshield.com", "vyprvpn.com", "ivpn.net", "airvpn.org",
			"torguard.net", "strongvpn.com", "hide.me", "privatevpn.com", "atlasvpn.com", "hidemyass.com",
			"zenmate.com", "astrill.com", "psiphon.ca"}},

	{category: CatVPN, note: "VPN client API host: the provider's app logs in and fetches its server list here; the rest of the company's domain (mail, web) is not listed",
		domains: []string{"vpn-api.proton.me", "vpn.mozilla.org", "controlplane.tailscale.com", "log.tailscale.io"}},
	{category: CatVPN, note: "VPN service zone used only by the client and its servers (Cloudflare WARP registration, Opera VPN proxies, PIA server list and servers)",
		domains: []string{"cloudflareclient.com", "sec-tunnel.com", "piaservers.net", "privacy.network"}},

	// P2P.
	{category: CatP2P, note: "public BitTorrent tracker",
		domains: []string{"tracker.opentrackr.org", "open.stealth.si", "tracker.openbittorrent.com",
			"exodus.desync.com", "tracker.torrent.eu.org", "open.demonii.com", "tracker.tiny-vps.com",
			"tracker.dler.org", "explodie.org", "tracker.internetwarriors.net", "tracker.pirateparty.gr",
			"tracker.leechers-paradise.org", "tracker.coppersurfer.tk", "tracker.publicbt.com",
			"open.tracker.cl", "opentracker.i2p.rocks", "tracker.moeking.me", "tracker.theoks.net",
			"bt1.archive.org", "bt2.archive.org"}},
	{category: CatP2P, note: "BitTorrent DHT bootstrap node (client defaults)",
		domains: []string{"router.bittorrent.com", "router.utorrent.com", "dht.transmissionbt.com",
			"dht.libtorrent.org", "dht.aelitis.com", "router.bitcomet.com"}},
	{category: CatP2P, note: "BitTorrent default listen ports 6881-6889 and tracker port 6969; matched only on flows carrying data",
		ports: []builtinPorts{{scoring.ProtoTCP, 6881, 6889}, {scoring.ProtoUDP, 6881, 6889},
			{scoring.ProtoTCP, 6969, 6969}, {scoring.ProtoUDP, 6969, 6969}}},

	// Dynamic DNS (flag only: context, not a threat by itself).
	{category: CatDynDNS, note: "dynamic DNS provider zone: anyone can point a name here at any address",
		domains: []string{"duckdns.org", "no-ip.com", "no-ip.org", "no-ip.biz", "no-ip.info", "ddns.net",
			"hopto.org", "zapto.org", "sytes.net", "servebeer.com", "serveftp.com", "myftp.org",
			"dyndns.org", "dynu.com", "dynu.net", "afraid.org", "mooo.com", "changeip.com", "dynv6.net",
			"ydns.eu", "nsupdate.info", "dynalias.com", "homeip.net", "dnsalias.com", "3utilities.com"}},

	// Sinkholes.
	{category: CatSinkhole, note: "sinkhole operator's nameservers (Shadowserver, Microsoft DCU, Kryptos Logic, Zinkhole, CERT Polska)",
		domains: []string{"sinkhole.shadowserver.org", "microsoftinternetsafety.net",
			"kryptoslogicsinkhole.com", "kryptoslogicsinkhole.net", "kryptoslogicsinkhole.org",
			"zinkhole.org", "sinkhole.cert.pl"}},
	{category: CatSinkhole, note: "Microsoft Digital Crimes Unit sinkhole addresses",
		ips: []string{"199.2.137.0/24", "131.253.18.11", "131.253.18.12"}},
}

// AddBuiltin adds nfr's built-in indicators, one list per category named
// "builtin:<category>". The table is code: an entry that does not parse is
// a bug, so it panics (covered by tests).
func (b *Builder) AddBuiltin() {
	for i := range builtinGroups {
		g := &builtinGroups[i]
		src := &Source{List: "builtin:" + g.category, Category: g.category, Ref: g.note, Builtin: true}
		for _, d := range g.domains {
			must(b.AddDomain(d, src))
		}
		for _, s := range g.ips {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				a, aerr := netip.ParseAddr(s)
				must(aerr)
				p = netip.PrefixFrom(a, a.BitLen())
			}
			must(b.AddPrefix(p, src))
		}
		for _, r := range g.ports {
			for port := r.from; port >= r.from && port <= r.to; port++ {
				must(b.AddPort(r.proto, port, src))
			}
		}
	}
}

func must(err error) {
	if err != nil {
		panic("intel: bad built-in indicator: " + err.Error())
	}
}
