package simday

import (
	"strconv"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
)

// browse looks up a name under a registered domain drawn by popularity
// (or, sometimes, from the long tail). A domain behind a CDN answers with
// its CNAME chain then addresses; a filtered ad domain answers 0.0.0.0.
func (h *benignHost) browse() {
	domain := h.lists.popular(h.r)
	if h.r.Float64() < h.tail {
		domain = h.pick(h.lists.LongTail)
	}
	name := under(h.pick(subdomains), domain)
	x := scoring.HashString(domain)
	switch {
	case x%50 == 7: // the DNS filter's blocklist holds it
		h.add(name, scoring.RcodeNoError, "0.0.0.0")
	case x%3 == 0:
		chain := cdns[x/3%uint64(len(cdns))](firstLabel(domain), domain)
		last := chain[len(chain)-1]
		h.add(name, scoring.RcodeNoError, append(chain, addrs(last, 2)...)...)
		if h.r.Float64() < 0.3 {
			h.aaaa(name)
		}
		if h.r.Float64() < 0.15 { // the CDN name looked up itself
			h.add(last, scoring.RcodeNoError, addrs(last, 2)...)
		}
	default:
		h.add(name, scoring.RcodeNoError, addrs(domain, 1+h.r.IntN(2))...)
		if h.r.Float64() < 0.3 {
			h.aaaa(name)
		}
	}
}

// aaaa follows an A lookup with the AAAA lookup of the same name (no
// IPv6 at this site: an empty NOERROR answer).
func (h *benignHost) aaaa(name string) {
	h.add(name, scoring.RcodeNoError).DNS.QType = 28
}

// service looks up an OS or background service name: "*" becomes a random
// tenant- or shard-like label, "#" a digit 0-3.
func (h *benignHost) service() {
	name := h.pick(services)
	if strings.Contains(name, "*") {
		name = strings.Replace(name, "*", randomAlnum(h, 6+h.r.IntN(8)), 1)
	}
	if strings.Contains(name, "#") {
		name = strings.Replace(name, "#", strconv.Itoa(h.r.IntN(4)), 1)
	}
	h.add(name, scoring.RcodeNoError, addrs(name, 1+h.r.IntN(3))...)
}

// randomAlnum returns n random characters a-z0-9.
func randomAlnum(h *benignHost, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[h.r.IntN(len(alphabet))]
	}
	return string(b)
}

// devolve tries a short name under the search suffix: mostly NXDOMAIN
// (wpad, printer, or a popular name tried as relative before absolute), an
// intranet name that exists now and then.
func (h *benignHost) devolve() {
	switch x := h.r.Float64(); {
	case x < 0.2:
		name := h.pick(intranet) + "." + h.suffix
		h.add(name, scoring.RcodeNoError, addrs(name, 1)...)
	case x < 0.5:
		domain := h.lists.popular(h.r)
		h.add(under(h.pick(subdomains), domain)+"."+h.suffix, scoring.RcodeNXDomain)
		h.add(under("www", domain), scoring.RcodeNoError, addrs(domain, 1)...)
	default:
		h.add(h.pick(shortNames)+"."+h.suffix, scoring.RcodeNXDomain)
	}
}

// typo looks up a popular name with one letter dropped, doubled, swapped
// or replaced: NXDOMAIN.
func (h *benignHost) typo() {
	domain := h.lists.popular(h.r)
	label := firstLabel(domain)
	if len(label) < 3 {
		h.add("www."+domain+"x", scoring.RcodeNXDomain)
		return
	}
	b := []byte(label)
	i := 1 + h.r.IntN(len(b)-2)
	switch h.r.IntN(4) {
	case 0:
		b = append(b[:i], b[i+1:]...)
	case 1:
		b = append(append([]byte(label[:i+1]), label[i]), label[i+1:]...)
	case 2:
		b[i], b[i+1] = b[i+1], b[i]
	default:
		b[i] = byte('a' + h.r.IntN(26))
	}
	h.add(under(h.pick([]string{"www", ""}), string(b)+domain[len(label):]), scoring.RcodeNXDomain)
}

// ad looks up an ad or tracking name, sinkholed by the DNS filter.
func (h *benignHost) ad() {
	h.add(under(h.pick(adPrefixes), h.pick(adDomains)), scoring.RcodeNoError, "0.0.0.0")
}

// leak sends a name meant for mDNS or LLMNR to the DNS: a peer's .local
// name, a DNS-SD browse name, or a Windows-style single-label host name.
func (h *benignHost) leak() {
	peer := h.r.IntN(h.peers)
	switch x := h.r.Float64(); {
	case x < 0.4:
		h.add(peerName(h.seed, peer)+".local", scoring.RcodeNXDomain)
	case x < 0.55:
		h.add(h.pick([]string{"_services._dns-sd._udp.local", "lb._dns-sd._udp." + h.suffix,
			"_printer._tcp.local", "_ipp._tcp.local"}), scoring.RcodeNXDomain)
	default:
		h.add(peerName(h.seed, peer), scoring.RcodeNXDomain)
	}
}

// peerName is host i's name: desktop- and 7 characters, as Windows names
// machines by default.
func peerName(seed uint64, i int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	x := scoring.HashString(strconv.FormatUint(seed, 10) + "/" + strconv.Itoa(i))
	b := []byte("desktop-0000000")
	for j := 8; j < len(b); j++ {
		b[j] = alphabet[x%36]
		x /= 36
	}
	return string(b)
}

// probes sends Chrome's intranet redirect probes when the browser starts:
// the first activity of a working day after 07:00 and, on 70% of days,
// the first after 13:00. Each probe is a random single label of 7-15
// letters, NXDOMAIN, then tried under the search suffix.
func (h *benignHost) probes() {
	if h.server {
		return
	}
	day := int(h.t.Unix()/86400) + 1
	hour := h.t.Hour()
	switch {
	case hour >= 7 && h.probed[0] != day:
		h.probed[0] = day
	case hour >= 13 && h.probed[1] != day:
		h.probed[1] = day
		if h.r.Float64() >= 0.7 {
			return
		}
	default:
		return
	}
	for i := 0; i < 3; i++ {
		label := randomLetters(h.r, 7+h.r.IntN(9))
		h.add(label, scoring.RcodeNXDomain)
		h.add(label+"."+h.suffix, scoring.RcodeNXDomain)
	}
}
