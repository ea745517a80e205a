package encdns

// builtin lists well-known public resolvers' anycast addresses, with the
// hostnames their DoH/DoT clients send as SNI and the page the addresses
// were taken from. Filtering variants (malware, family, unfiltered) of a
// service share its domains.
var builtin = []Resolver{
	{
		Name: "Cloudflare",
		Addresses: []string{"1.1.1.1", "1.0.0.1", "1.1.1.2", "1.0.0.2", "1.1.1.3", "1.0.0.3",
			"2606:4700:4700::1111", "2606:4700:4700::1001", "2606:4700:4700::1112",
			"2606:4700:4700::1002", "2606:4700:4700::1113", "2606:4700:4700::1003"},
		Domains: []string{"cloudflare-dns.com", "one.one.one.one"},
		Source:  "https://developers.cloudflare.com/1.1.1.1/ip-addresses/",
	},
	{
		Name:      "Google",
		Addresses: []string{"8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844"},
		Domains:   []string{"dns.google", "dns.google.com", "8888.google"},
		Source:    "https://developers.google.com/speed/public-dns/docs/using",
	},
	{
		Name: "Quad9",
		Addresses: []string{"9.9.9.9", "149.112.112.112", "9.9.9.10", "149.112.112.10", "9.9.9.11", "149.112.112.11",
			"2620:fe::fe", "2620:fe::9", "2620:fe::10", "2620:fe::fe:10", "2620:fe::11", "2620:fe::fe:11"},
		Domains: []string{"quad9.net"},
		Source:  "https://www.quad9.net/service/service-addresses-and-features",
	},
	{
		Name: "OpenDNS",
		Addresses: []string{"208.67.222.222", "208.67.220.220", "208.67.222.123", "208.67.220.123",
			"2620:119:35::35", "2620:119:53::53", "2620:0:ccc::2", "2620:0:ccd::2"},
		Domains: []string{"opendns.com", "umbrella.com"},
		Source:  "https://support.opendns.com/hc/en-us/articles/360038086532",
	},
	{
		Name: "AdGuard",
		Addresses: []string{"94.140.14.14", "94.140.15.15", "94.140.14.15", "94.140.15.16", "94.140.14.140", "94.140.14.141",
			"2a10:50c0::ad1:ff", "2a10:50c0::ad2:ff", "2a10:50c0::bad1:ff", "2a10:50c0::bad2:ff", "2a10:50c0::1:ff", "2a10:50c0::2:ff"},
		Domains: []string{"adguard-dns.com", "adguard-dns.io", "adguard.com"},
		Source:  "https://adguard-dns.io/kb/general/dns-providers/",
	},
	{
		Name: "CleanBrowsing",
		Addresses: []string{"185.228.168.9", "185.228.169.9", "185.228.168.10", "185.228.169.11", "185.228.168.168", "185.228.169.168",
			"2a0d:2a00:1::2", "2a0d:2a00:2::2", "2a0d:2a00:1::1", "2a0d:2a00:2::1", "2a0d:2a00:1::", "2a0d:2a00:2::"},
		Domains: []string{"cleanbrowsing.org"},
		Source:  "https://cleanbrowsing.org/support/troubleshooting/firewall-dns-requirements",
	},
	{
		// NextDNS answers each profile on its own address inside these
		// anycast ranges (45.90.28.x, 45.90.30.x, 2a07:a8c0::/32, 2a07:a8c1::/32).
		Name:      "NextDNS",
		Addresses: []string{"45.90.28.0/24", "45.90.30.0/24", "2a07:a8c0::/32", "2a07:a8c1::/32"},
		Domains:   []string{"nextdns.io"},
		Source:    "https://nextdns.io (setup page: per-profile addresses in 45.90.28.0/24, 45.90.30.0/24, 2a07:a8c0::/32, 2a07:a8c1::/32)",
	},
}

// Builtin returns a copy of the built-in resolver list.
func Builtin() []Resolver {
	out := make([]Resolver, len(builtin))
	copy(out, builtin)
	return out
}
