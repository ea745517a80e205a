package encdns

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

// Rule is the evidence's rule name.
const Rule = "encrypted-dns-by-address"

// List is the evidence's list name.
const List = "public_dns_resolvers"

// Detector is the encdns detector. It keeps no state.
type Detector struct {
	cfg       Config
	addrs     intel.PrefixMap[int32] // address or prefix → index in resolvers
	resolvers []Resolver
}

// New returns a detector with configuration cfg (already validated):
// the built-in resolvers and cfg.ExtraResolvers.
func New(cfg Config) *Detector {
	d := &Detector{cfg: cfg}
	for _, r := range append(append([]Resolver(nil), builtin...), cfg.ExtraResolvers...) {
		i := int32(len(d.resolvers))
		d.resolvers = append(d.resolvers, r)
		for _, a := range r.Addresses {
			p, err := parsePrefix(a)
			if err != nil {
				continue // Validate rejects these
			}
			d.addrs.Insert(p, i)
		}
	}
	return d
}

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "encdns" }

// Wants implements scoring.EventFilter: TLS handshakes.
func (d *Detector) Wants(t scoring.EventType) bool { return t == scoring.TypeTLS }

// Inspect implements scoring.Detector.
func (d *Detector) Inspect(ev *scoring.Event, _ *scoring.FQDN, r *scoring.Report) {
	if !d.cfg.Enabled || ev.Type != scoring.TypeTLS || !slices.Contains(d.cfg.DstPorts, ev.DstPort) {
		return
	}
	i, ok := d.resolver(ev.DstIP)
	if !ok {
		return
	}
	res := &d.resolvers[i]
	sni := strings.TrimSuffix(ev.TLS.SNI, ".")
	if sni != "" && ownName(sni, res.Domains) {
		return
	}
	if sni == "" && !slices.Contains(d.cfg.NoSNIPorts, ev.DstPort) {
		return
	}
	present := 0.0
	if sni != "" {
		present = 1
	}
	r.Raise(scoring.DNSTunneling, scoring.Evidence{
		Detector: d.Name(),
		Rule:     Rule,
		List:     List + ":" + res.Name,
		Entry:    ev.DstIP.Unmap().String(),
		Ref:      res.Source,
		Figures: []scoring.Figure{
			{Name: "dst_port", Value: float64(ev.DstPort)},
			{Name: "sni_present", Value: present},
		},
	})
}

// resolver returns the index of the resolver answering on a (the most
// specific address or prefix listed).
func (d *Detector) resolver(a netip.Addr) (int32, bool) {
	_, i, ok := d.addrs.Longest(a)
	return i, ok
}

// ownName reports whether sni is one of domains or a name under one.
func ownName(sni string, domains []string) bool {
	for _, dom := range domains {
		if len(sni) == len(dom) && strings.EqualFold(sni, dom) {
			return true
		}
		if len(sni) > len(dom) && sni[len(sni)-len(dom)-1] == '.' && strings.EqualFold(sni[len(sni)-len(dom):], dom) {
			return true
		}
	}
	return false
}
