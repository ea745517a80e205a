// Package intel matches events' names, addresses and ports against threat
// indicators: nfr's built-in lists and user feeds. It holds compiled,
// immutable sets only: reading feed files is formats/feeds' job, and this
// package must not do I/O or read the clock.
//
// Matching is by hash: a domain is looked up once per label suffix (so a
// listed domain matches its subdomains), an address once per prefix length
// in use (IPs exactly, CIDRs by longest prefix), ip:port pairs and ports
// exactly. Lookups do not allocate.
//
// Applications recognised from a flow's payload (scoring.Flow.App, from
// nfr-sniffer's identifiers or Zeek's service and Suricata's app_proto)
// map onto categories too (AppCategory: tor, bittorrent -> p2p, wireguard,
// openvpn, ike -> vpn, monero, stratum -> mining); the engine raises the
// category's threat when the identification is of medium or high
// confidence.
//
// # The popularity prior
//
// Besides indicators, an index ranks registered domains by popularity
// (Index.Rank; the engine copies the rank into scoring.FQDN.Rank once per
// distinct name). Detectors that judge a name by its shape weigh it:
//   - brand (popular_rank): a ranked registered domain is never an
//     impersonation. visma.com is a real company one letter from visa.com,
//     microsoftonline.us and tiktokv.eu are the brands' own.
//   - dga (popular_rank): a ranked registered domain is neither flagged
//     nor counted toward dga_volume; load balancers and CDN edges of
//     popular services name hosts by machine.
//   - dnstunnel (popular_rank): a zone ranked r needs sqrt(100000 / r)
//     times the evidence (at most 64 times: office.net at rank 43 needs
//     about 48 times ten distinct names); a tunnel needs the attacker to
//     run the zone's authoritative server.
//
// What still alerts on popular domains: every intel match (a C2, phishing,
// sinkhole, malware, mining or anonymity-network list, sinkhole answers),
// whatever the rank; a zone tagged tunnel (a tunnelling service) is judged
// by dnstunnel without the popularity factor; the behaviour detectors
// that do not judge names (scans, lateral movement, beaconing, ICMP
// tunnels, NXDOMAIN volume); and a tunnel through a popular zone that
// shows the multiplied evidence.
//
// Shared zones never rank, so they are judged per user zone: under a
// suffix of the public suffix list's private section (github.io,
// duckdns.org, azurewebsites.net) the registered domain is the user's own,
// which no list ranks, and a ranked domain that the index lists as dyndns
// (a dynamic DNS provider outside the public suffix list) ranks 0.
//
// The built-in prior (config intel.builtin_popularity) is the Tranco top
// 100,000 registered domains (Le Pochat et al., "Tranco: A
// Research-Oriented Top Sites Ranking Hardened Against Manipulation", NDSS
// 2019), 404 of which are public suffixes and are left out. It is embedded
// whole as 1.35 MB of plain text (inflating a gzipped copy was 40% of nfr's
// start-up), built once per process in about 22 million instructions into a
// 2.1 MB table without pointers whose slots point into the embedded list
// (internal/poptable); a rank lookup costs 6 to 12 ns (as the machine is
// loaded) and allocates nothing (`make bench`). A smaller list would save
// little and leave popular sites to the
// heuristics: `make eval` measures the alert budget both with it and with a
// held-out prior of the top 50,000 only, traffic still drawn from all
// 100,000. Feeds of category popular (format tranco: `rank,domain` lines as
// Tranco publishes them; or plain: one domain a line, ranked in file
// order) extend it, a domain taking its best rank; with
// builtin_popularity off they replace it. They load, show in `nfr feeds`
// and reload on SIGHUP (and in the plugin) like every other feed. `make
// prior` rebuilds the embedded list from a newer Tranco CSV placed at
// ../shared/corpus/domains/benign/tranco-top100k.csv.
package intel

import (
	"encoding/binary"
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel/internal/poptable"
)

// Source describes where a group of indicators comes from. Indicators of one
// list share Source values, so an indicator costs one pointer for them.
type Source struct {
	// List names the list in evidence: a feed's name, or "builtin:<category>".
	List string
	// Category is what a match means (c2, sinkhole, tor, mining...).
	Category string
	// Ref is the source note: a reference URL or description, else the feed path.
	Ref string
	// Builtin is true for nfr's own indicators.
	Builtin bool
}

// Indicator is one listed entry.
type Indicator struct {
	// Entry is the canonical indicator text: "example.com", "192.0.2.1",
	// "198.51.100.0/24", "192.0.2.1:3333", "tcp/3333".
	Entry string
	*Source
}

// Kind is what an indicator matches.
type Kind uint8

// Indicator kinds.
const (
	KindDomain Kind = iota
	KindIP          // a single address or a CIDR
	KindAddrPort
	KindPort
)

// ListInfo summarises one list of an Index.
type ListInfo struct {
	Name     string
	Category string
	Builtin  bool
	Entries  int
}

type portKey struct {
	proto scoring.Proto
	port  uint16
}

// Index is a compiled, immutable set of indicators. Safe for concurrent reads.
type Index struct {
	domains   map[string][]*Indicator
	ips       PrefixMap[[]*Indicator]
	addrPorts map[netip.AddrPort][]*Indicator
	ports     map[portKey][]*Indicator
	lists     []ListInfo
	filter    filter // over domains, prefixes and ip:ports; see filter.go
	// builtinRanks and userRanks are the popularity prior (popularity.go):
	// the built-in table (read in place, "" when not used) and feeds' ranks.
	builtinRanks poptable.Table
	userRanks    ranks
}

var (
	builtinOnce  sync.Once
	builtinIndex *Index
)

// Builtin returns the index of nfr's built-in indicators and popularity
// prior (built once, shared).
func Builtin() *Index {
	builtinOnce.Do(func() {
		b := NewBuilder()
		b.AddBuiltin()
		b.UseBuiltinPopularity()
		builtinIndex = b.Build()
	})
	return builtinIndex
}

// Empty returns an index with no indicators.
func Empty() *Index { return NewBuilder().Build() }

// Lists describes the index's lists in the order they were added.
func (ix *Index) Lists() []ListInfo { return append([]ListInfo(nil), ix.lists...) }

// Len is the number of distinct indicator keys (domains, prefixes,
// ip:port pairs and ports).
func (ix *Index) Len() int {
	return len(ix.domains) + ix.ips.Len() + len(ix.addrPorts) + len(ix.ports)
}

// HasIPs reports whether any address or CIDR indicator exists.
func (ix *Index) HasIPs() bool { return ix.ips.Len() > 0 || len(ix.addrPorts) > 0 }

// AppendDomain appends the indicators matching name or one of its parent
// domains, most specific first; a list contributes only its most specific
// match. name must be normalised (lower case, no trailing dot), as in
// scoring.FQDN.Name.
func (ix *Index) AppendDomain(dst []*Indicator, name string) []*Indicator {
	return ix.appendDomain(dst, name, nil)
}

// AppendName is AppendDomain of a valid name's Name, whose filter keys of
// the whole name and of its registered domain are the hashes f holds
// (FQDN.Hash, FQDN.RegisteredHash), not computed again.
func (ix *Index) AppendName(dst []*Indicator, f *scoring.FQDN) []*Indicator {
	return ix.appendDomain(dst, f.Name, f)
}

// appendDomain is AppendDomain, with the hashes of f (nil: none), whose
// Name is name.
func (ix *Index) appendDomain(dst []*Indicator, name string, f *scoring.FQDN) []*Indicator {
	if len(ix.domains) == 0 {
		return dst
	}
	start := len(dst)
	for rest := name; rest != ""; {
		if ix.filter.has(domainKey(rest, f)) {
			if inds, ok := ix.domains[rest]; ok {
				dst = appendNewLists(dst, start, inds)
			}
		}
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
	}
	return dst
}

// domainKey is filterKey(domain) for domain, a suffix of f.Name (f nil:
// of a name without hashes): the whole name's and the registered domain's
// (suffixes too, so the same length means the same text) are f's.
func domainKey(domain string, f *scoring.FQDN) uint64 {
	if f != nil {
		switch len(domain) {
		case len(f.Name):
			return f.Hash
		case len(f.Registered):
			return f.RegisteredHash()
		}
	}
	return filterKey(domain)
}

// AppendIP appends the indicators whose address or CIDR contains a, longest
// prefix first; a list contributes only its longest match.
func (ix *Index) AppendIP(dst []*Indicator, a netip.Addr) []*Indicator {
	p := &ix.ips
	if len(p.m) == 0 || !a.IsValid() {
		return dst
	}
	if a = a.Unmap(); a.Is4() {
		return ix.appendIPv4(dst, a)
	}
	a = a.WithZone("")
	start := len(dst)
	for _, l := range p.lens6 {
		pfx, err := a.Prefix(l)
		if err != nil {
			continue
		}
		if !ix.filter.has(hashPrefix(pfx)) {
			continue
		}
		if inds, ok := p.m[pfx]; ok {
			dst = appendNewLists(dst, start, inds)
		}
	}
	return dst
}

// appendIPv4 is AppendIP for an IPv4 address: each prefix is masked and
// hashed from the address's 32 bits (hashPrefix4), and only one the filter
// may hold is built as a netip.Prefix for the map.
func (ix *Index) appendIPv4(dst []*Indicator, a netip.Addr) []*Indicator {
	b := a.As4()
	v := binary.BigEndian.Uint32(b[:])
	start := len(dst)
	for _, l := range ix.ips.lens4 {
		masked := v &^ (1<<(32-l) - 1) // l is 0 to 32
		if !ix.filter.has(hashPrefix4(masked, l)) {
			continue
		}
		binary.BigEndian.PutUint32(b[:], masked)
		if inds, ok := ix.ips.m[netip.PrefixFrom(netip.AddrFrom4(b), l)]; ok {
			dst = appendNewLists(dst, start, inds)
		}
	}
	return dst
}

// AppendAddrPort appends the indicators listing exactly ap.
func (ix *Index) AppendAddrPort(dst []*Indicator, ap netip.AddrPort) []*Indicator {
	if len(ix.addrPorts) == 0 {
		return dst
	}
	ap = netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port())
	if !ix.filter.has(hashAddrPort(ap)) {
		return dst
	}
	return append(dst, ix.addrPorts[ap]...)
}

// AppendPort appends the indicators listing port for proto (or for any protocol).
func (ix *Index) AppendPort(dst []*Indicator, proto scoring.Proto, port uint16) []*Indicator {
	if len(ix.ports) == 0 {
		return dst
	}
	dst = append(dst, ix.ports[portKey{proto, port}]...)
	if proto != scoring.ProtoUnknown {
		dst = append(dst, ix.ports[portKey{scoring.ProtoUnknown, port}]...)
	}
	return dst
}

// DomainCategories returns the categories (e.g. "tor", "mining") that f
// matches, sorted; nil when none. It allocates only when something matches.
func (ix *Index) DomainCategories(f *scoring.FQDN) []string {
	if f == nil || !f.Valid {
		return nil
	}
	var buf [8]*Indicator
	hits := ix.AppendName(buf[:0], f)
	if len(hits) == 0 {
		return nil
	}
	var cats []string
	for _, h := range hits {
		if !containsString(cats, h.Category) {
			cats = append(cats, h.Category)
		}
	}
	sort.Strings(cats)
	return cats
}

// appendNewLists appends those of inds whose list is not already among dst[start:].
func appendNewLists(dst []*Indicator, start int, inds []*Indicator) []*Indicator {
	for _, ind := range inds {
		seen := false
		for _, d := range dst[start:] {
			if d.List == ind.List {
				seen = true
				break
			}
		}
		if !seen {
			dst = append(dst, ind)
		}
	}
	return dst
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
