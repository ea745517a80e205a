package intel

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/idna"

	"github.com/netflightrecorder/nfr/scoring"
)

// Builder collects indicators and compiles them into an Index. A Builder is
// not safe for concurrent use; the Index it builds is immutable.
type Builder struct {
	ix        *Index
	listIndex map[string]int // list name -> position in ix.lists
	// popularSeen holds "list\x00domain" of AddPopular, for duplicates.
	popularSeen map[string]bool
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{
		ix: &Index{
			domains:   map[string][]*Indicator{},
			addrPorts: map[netip.AddrPort][]*Indicator{},
			ports:     map[portKey][]*Indicator{},
		},
		listIndex: map[string]int{},
	}
}

// Build returns the compiled index. The builder must not be used afterwards.
func (b *Builder) Build() *Index {
	ix := b.ix
	b.ix = nil
	ix.buildFilter()
	return ix
}

// ErrDuplicate reports an indicator already present in the same list.
var ErrDuplicate = errors.New("duplicate entry")

// Add parses one indicator — a domain ("example.com", "*.example.com"), an
// IP address, a CIDR, or "ip:port" / "[ipv6]:port" — and adds it for src.
// It returns the kind added, ErrDuplicate when src's list already holds it,
// or an error saying why the text is not an indicator.
func (b *Builder) Add(text string, src *Source) (Kind, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, errors.New("empty entry")
	}
	if ap, err := netip.ParseAddrPort(text); err == nil {
		return KindAddrPort, b.AddAddrPort(ap, src)
	}
	if strings.Contains(text, "/") {
		p, err := netip.ParsePrefix(text)
		if err != nil {
			return 0, fmt.Errorf("%q is not a valid CIDR", text)
		}
		return KindIP, b.AddPrefix(p, src)
	}
	if a, err := netip.ParseAddr(text); err == nil {
		return KindIP, b.AddPrefix(netip.PrefixFrom(a, a.BitLen()), src)
	}
	if looksNumeric(text) {
		return 0, fmt.Errorf("%q is not a valid IP address", text)
	}
	return KindDomain, b.AddDomain(text, src)
}

// AddDomain adds a domain (matching it and its subdomains). A leading "*."
// or "." is dropped; Unicode names are converted to punycode.
func (b *Builder) AddDomain(name string, src *Source) error {
	norm, err := NormaliseDomain(name)
	if err != nil {
		return err
	}
	return b.add(KindDomain, norm, src, func(ind *Indicator) bool {
		return addTo(b.ix.domains, norm, ind)
	})
}

// AddPrefix adds an address (as /32 or /128) or a CIDR.
func (b *Builder) AddPrefix(p netip.Prefix, src *Source) error {
	if !p.IsValid() {
		return errors.New("invalid prefix")
	}
	p = canonPrefix(p)
	entry := p.String()
	if p.IsSingleIP() {
		entry = p.Addr().String()
	}
	return b.add(KindIP, entry, src, func(ind *Indicator) bool {
		old, _ := b.ix.ips.Get(p)
		if hasList(old, ind.List) {
			return false
		}
		b.ix.ips.Insert(p, append(old, ind))
		return true
	})
}

// AddAddrPort adds an exact address and port.
func (b *Builder) AddAddrPort(ap netip.AddrPort, src *Source) error {
	if !ap.IsValid() || ap.Port() == 0 {
		return fmt.Errorf("%q is not a valid ip:port", ap.String())
	}
	ap = netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port())
	return b.add(KindAddrPort, ap.String(), src, func(ind *Indicator) bool {
		return addTo(b.ix.addrPorts, ap, ind)
	})
}

// AddPort adds a destination port for proto (ProtoUnknown: any protocol).
func (b *Builder) AddPort(proto scoring.Proto, port uint16, src *Source) error {
	if port == 0 {
		return errors.New("port 0 is not a valid port")
	}
	entry := strconv.Itoa(int(port))
	if proto != scoring.ProtoUnknown {
		entry = proto.String() + "/" + entry
	}
	k := portKey{proto, port}
	return b.add(KindPort, entry, src, func(ind *Indicator) bool {
		return addTo(b.ix.ports, k, ind)
	})
}

// add creates the indicator, lets insert store it (false: duplicate) and
// counts it for its list.
func (b *Builder) add(kind Kind, entry string, src *Source, insert func(*Indicator) bool) error {
	if src == nil || src.List == "" || src.Category == "" {
		return errors.New("indicator source needs a list name and a category")
	}
	if !insert(&Indicator{Entry: entry, Source: src}) {
		return ErrDuplicate
	}
	i, ok := b.listIndex[src.List]
	if !ok {
		i = len(b.ix.lists)
		b.listIndex[src.List] = i
		b.ix.lists = append(b.ix.lists, ListInfo{Name: src.List, Category: src.Category, Builtin: src.Builtin})
	}
	b.ix.lists[i].Entries++
	return nil
}

func addTo[K comparable](m map[K][]*Indicator, k K, ind *Indicator) bool {
	old := m[k]
	if hasList(old, ind.List) {
		return false
	}
	m[k] = append(old, ind)
	return true
}

func hasList(inds []*Indicator, list string) bool {
	for _, x := range inds {
		if x.List == list {
			return true
		}
	}
	return false
}

// NormaliseDomain returns name in the form indicators are stored and
// looked up in: lower case ASCII (punycode), no trailing dot, no leading
// "*." or ".". It rejects names with empty labels, labels over 63 bytes,
// names over 253 bytes and characters other than letters, digits, '-' and '_'.
func NormaliseDomain(name string) (string, error) {
	n := strings.TrimSuffix(strings.TrimSpace(name), ".")
	n = strings.TrimPrefix(n, "*.")
	n = strings.TrimPrefix(n, ".")
	if n == "" {
		return "", fmt.Errorf("%q is not a domain", name)
	}
	if !isASCII(n) {
		a, err := idna.Lookup.ToASCII(n)
		if err != nil {
			return "", fmt.Errorf("%q is not a valid domain: %v", name, err)
		}
		n = a
	}
	n = strings.ToLower(n)
	if len(n) > 253 {
		return "", fmt.Errorf("%q is longer than 253 bytes", name)
	}
	for _, label := range strings.Split(n, ".") {
		if label == "" || len(label) > 63 {
			return "", fmt.Errorf("%q has an empty or over-long label", name)
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return "", fmt.Errorf("%q is not a domain, IP or CIDR (character %q)", name, c)
			}
		}
	}
	return n, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// looksNumeric reports whether s is made of digits, dots and colons only:
// a broken address rather than a domain.
func looksNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}
