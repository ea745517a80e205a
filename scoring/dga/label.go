package dga

import (
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
)

// namedZones are dynamic-DNS and free-hosting zones where the label to the
// left of the zone is the name a customer (or malware) chose. Some are
// private public suffixes (ddns.net), others are ordinary registered
// domains (mooo.com); both are handled.
var namedZones = map[string]bool{
	// No-IP
	"ddns.net": true, "hopto.org": true, "zapto.org": true, "sytes.net": true, "no-ip.org": true,
	"no-ip.biz": true, "no-ip.info": true, "no-ip.com": true, "noip.me": true, "myftp.biz": true,
	"myftp.org": true, "serveftp.com": true, "servehttp.com": true, "serveblog.net": true,
	"servebeer.com": true, "servegame.com": true, "redirectme.net": true, "webhop.me": true,
	"viewdns.net": true, "bounceme.net": true, "myvnc.com": true, "ddnsking.com": true,
	"3utilities.com": true, "gotdns.ch": true, "onthewifi.com": true, "podzone.net": true,
	// Dyn
	"dyndns.org": true, "dyndns.info": true, "dyndns.biz": true, "dyndns.tv": true, "dyndns.ws": true,
	"homeip.net": true, "homelinux.com": true, "homelinux.org": true, "homeunix.com": true,
	"dynalias.com": true, "dynalias.org": true, "dnsalias.com": true, "dnsalias.org": true,
	"dnsalias.net": true, "is-a-geek.com": true, "selfip.com": true, "dyndns-ip.com": true,
	"dyndns-home.com": true, "dyndns-server.com": true, "dyndns-remote.com": true,
	// FreeDNS (afraid.org) shared zones and others
	"mooo.com": true, "us.to": true, "yi.org": true, "chickenkiller.com": true, "crabdance.com": true,
	"strangled.net": true, "twilightparadox.com": true, "ignorelist.com": true, "jumpingcrab.com": true,
	"dynserv.com": true, "dynserv.org": true, "dynu.com": true, "dynu.net": true, "duckdns.org": true,
	"changeip.com": true, "changeip.net": true, "dns04.com": true, "dns05.com": true, "ddns.info": true,
	"3322.org": true, "f3322.net": true, "oicp.net": true, "dnsdojo.com": true, "freedns.org": true,
	"ddnss.de": true, "dyn.com": true, "dynv6.net": true, "nsupdate.info": true, "freeddns.org": true,
	"kozow.com": true, "accesscam.org": true, "camdvr.org": true, "ddnsfree.com": true,
	"ddnsgeek.com": true, "giize.com": true, "gleeze.com": true, "loseyourip.com": true,
	"mywire.org": true, "ooguy.com": true, "theworkpc.com": true, "webredirect.org": true,
	// free hosting where the left label is the site's chosen name
	"000webhostapp.com": true, "github.io": true, "gitlab.io": true, "blogspot.com": true,
	"wordpress.com": true, "weebly.com": true, "wixsite.com": true, "herokuapp.com": true,
	"netlify.app": true, "pages.dev": true, "vercel.app": true, "glitch.me": true, "repl.co": true,
}

// NameLabel returns the label that carries the name f stands for: the
// registered domain's label, or, under a dynamic-DNS or free-hosting zone,
// the label chosen under that zone. It returns "" when no label should be
// scored: names under other private suffixes (cloud and CDN hostnames such
// as d1234.cloudfront.net, whose labels are random by design) and names
// that are themselves public suffixes, and internationalised labels
// (punycode "xn--..." encodes Unicode, which the character models do not
// describe; look-alike IDNs are the brand detector's business).
func NameLabel(f *scoring.FQDN) string {
	l := nameLabel(f)
	if strings.HasPrefix(l, "xn--") {
		return ""
	}
	return l
}

func nameLabel(f *scoring.FQDN) string {
	if !f.Valid || f.Registered == "" {
		return ""
	}
	if !f.ICANN && strings.IndexByte(f.Suffix, '.') >= 0 {
		// Private suffix: only zones known to hold chosen names.
		if !namedZones[f.Suffix] {
			return ""
		}
		return f.RegisteredLabel()
	}
	if f.Subdomain != "" && namedZones[f.Registered] {
		sub := f.Subdomain
		return sub[strings.LastIndexByte(sub, '.')+1:]
	}
	return f.RegisteredLabel()
}

// Name is what the model scores: the label that carries a name, and what
// its top-level domain says.
type Name struct {
	Label string
	// TLD is the name's last label ("" when not known).
	TLD string
	// AltRoot is true when the TLD belongs to an alternative DNS root
	// (altRootTLDs: Namecoin's .bit, Emercoin's .coin and .bazar,
	// OpenNIC's), outside the ICANN root. Other unknown TLDs are most
	// often an organisation's internal zones (.acme, .contoso), not this.
	AltRoot bool
	// Key is the part of the name the score depends on (the label and
	// everything right of it), for caching scores.
	Key string
}

// scoredName is NameOf as scoring sees it: a name under a zone only
// governments and academia register in (FQDN.RestrictedZone: bldrdoc.gov,
// x.ac.uk) gets no label, as no DGA can register there. The trainer reads
// NameOf, so such names still teach the model what benign labels look like.
func scoredName(f *scoring.FQDN) Name {
	if f.RestrictedZone() {
		return Name{}
	}
	return NameOf(f)
}

// NameOf returns what the model scores of f (a zero Label when nothing
// should be scored; see NameLabel).
func NameOf(f *scoring.FQDN) Name {
	l := NameLabel(f)
	if l == "" {
		return Name{}
	}
	start := len(f.Name) - len(f.Registered) // the registered domain's label
	if len(l) != len(f.RegisteredLabel()) || !strings.HasPrefix(f.Name[start:], l) {
		start = len(f.Subdomain) - len(l) // the label under a named zone
	}
	return Name{Label: l, TLD: f.TLD, AltRoot: !f.ICANN && f.Suffix == f.TLD && altRootTLDs[f.TLD], Key: f.Name[start:]}
}

// altRootTLDs are the top-level domains of alternative DNS roots, which
// resolve only through their own resolvers or blockchain name systems and
// which malware uses for rendezvous names: Namecoin (.bit), Emercoin
// (emercoin.com EmerDNS: .coin .emc .lib .bazar) and OpenNIC
// (opennic.org: its TLDs that ICANN has not delegated).
var altRootTLDs = map[string]bool{
	"bit":  true,
	"coin": true, "emc": true, "lib": true, "bazar": true,
	"bbs": true, "chan": true, "cyb": true, "dyn": true, "geek": true, "gopher": true, "indy": true,
	"libre": true, "neo": true, "null": true, "oss": true, "oz": true, "parody": true, "pirate": true,
}
