package simday

// Names the package writes itself: services every managed workstation
// talks to, an intranet, the ad-tech a DNS filter blocks. They are
// illustrative, not a list of anyone's real infrastructure.

// subdomains are the labels put in front of a browsed registered domain
// ("" is the apex).
var subdomains = []string{"www", "www", "www", "", "", "api", "cdn", "static", "login", "mail", "img", "m"}

// cdnChain names the CDN a registered domain sits behind: the CNAME
// targets its answer carries, built from the site label and name.
type cdnChain func(label, site string) []string

var cdns = []cdnChain{
	func(label, _ string) []string { return []string{label + ".map.fastly.net"} },
	func(_, site string) []string { return []string{site + ".cdn.cloudflare.net"} },
	func(label, site string) []string {
		return []string{site + ".edgekey.net", "e" + label[:1] + "12.a.akamaiedge.net"}
	},
	func(label, _ string) []string { return []string{"d" + label + "x7q2.cloudfront.net"} },
	func(label, _ string) []string { return []string{label + "-prod.azureedge.net"} },
	func(label, _ string) []string {
		return []string{label + "-tm.trafficmanager.net", label + "-eu.cloudapp.azure.com"}
	},
}

// services are background lookups (OS telemetry, updates, push, time,
// certificates). A "*" is replaced by a random label of the kind the
// service uses (see expandService).
var services = []string{
	"settings-win.data.microsoft.com", "v10.events.data.microsoft.com", "v20.events.data.microsoft.com",
	"ctldl.windowsupdate.com", "fe3cr.delivery.mp.microsoft.com", "slscr.update.microsoft.com",
	"login.microsoftonline.com", "time.windows.com", "www.msftconnecttest.com", "dns.msftncsi.com",
	"*.courier.push.apple.com", "gsp-ssl.ls.apple.com", "mesu.apple.com", "time.apple.com",
	"#.pool.ntp.org", "#.europe.pool.ntp.org",
	"*.cosmic.office.net", "*.res.office.net", "*.config.office.net", "outlook.office365.com",
	"ecs.office.com", "nexus.officeapps.live.com",
	"ocsp.digicert.com", "crl3.digicert.com", "ocsp.pki.goog", "crl.pki.goog", "r3.o.lencr.org",
	"ocsp.sectigo.com", "crl.usertrust.com",
	"update.googleapis.com", "clients2.google.com", "safebrowsing.googleapis.com",
	"*.wns.notify.trafficmanager.net", "client.wns.windows.com",
}

// adDomains are ad and tracking registered domains the site's DNS filter
// sinkholes (answered 0.0.0.0), in the style of public blocklists.
var adDomains = []string{
	"doubleclick.net", "googlesyndication.com", "adnxs.com", "criteo.com", "taboola.com",
	"outbrain.com", "scorecardresearch.com", "adsrvr.org", "rubiconproject.com", "pubmatic.com",
	"moatads.com", "quantserve.com", "openx.net", "casalemedia.com", "bidswitch.net",
	"demdex.net", "krxd.net", "rlcdn.com", "mathtag.com", "adform.net",
}

// adPrefixes are the subdomains ad lookups use.
var adPrefixes = []string{"", "ad", "ads", "pixel", "sync", "match", "tag", "cm", "ib", "x"}

// shortNames are the single labels and short names users and software try
// that the resolver devolves under the search suffix.
var shortNames = []string{
	"wpad", "isatap", "printer", "intranet", "fileserver", "proxy", "mail", "wiki", "jira",
	"sharepoint", "helpdesk", "vpn", "dc01", "nas", "backup", "hr", "timesheet", "localhost",
}

// intranet are names under the search suffix that do resolve.
var intranet = []string{"intranet", "wiki", "jira", "vpn", "dc01", "dc02", "mail", "fileserver"}
