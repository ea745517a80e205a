package engine

import (
	"net/netip"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

// Evidence rules of the intel stage: where the indicator matched.
const (
	RuleQueryName  = "query-name"  // the DNS query, HTTP host or TLS SNI (or a parent domain)
	RuleAnswerIP   = "answer-ip"   // an address in the DNS answer
	RuleAnswerName = "answer-name" // a CNAME/NS name in the DNS answer
	RuleAuthority  = "authority"   // an NS name in the DNS authority section
	RuleDstIP      = "dst-ip"      // the destination address (or its CIDR)
	RuleDstIPPort  = "dst-ip-port" // the destination address and port
	RuleDstPort    = "dst-port"    // the destination port of a flow carrying data
	RuleApp        = "app"         // the application identified from the flow's payload (or named by Zeek/Suricata)
)

// matchIntel runs the intel stage: it records matched categories, raises
// each category's threat (or flags categories that carry none) with the
// list, entry and source note as evidence.
func (e *Engine) matchIntel(ix *intel.Index, ev *scoring.Event, r *scoring.Report) {
	// The memoised exits (a name or destination that matched nothing
	// before, most events) are taken here, without the calls.
	if e.name.Valid && (e.memo == nil || !e.memo.clean) {
		e.matchQueryName(ix, r)
	}
	if ev.Type == scoring.TypeDNS {
		e.matchAnswers(ix, ev, r)
	}
	if ev.DstIP.IsValid() && ix.HasIPs() && (e.cleanDst != netip.AddrPortFrom(ev.DstIP, ev.DstPort) || e.cleanDstIx != ix) {
		e.matchDestination(ix, ev, r)
	}
	if ev.Type == scoring.TypeFlow && ev.DstPort != 0 && e.carriesData(ev) {
		e.inds = ix.AppendPort(e.inds[:0], ev.Proto, ev.DstPort)
		for _, ind := range e.inds {
			e.intelHit(r, ind, RuleDstPort)
		}
	}
	if ev.Type == scoring.TypeFlow && ev.Flow.App != "" {
		matchApp(ev, r)
	}
}

// appInbound reports whether ev is a flow carrying an identified
// application that the scope check should also try from the responder's
// side: a BitTorrent peer or a VPN client that connects to an in-scope
// host shows that the in-scope host runs the application.
func appInbound(ev *scoring.Event) bool {
	return ev.Type == scoring.TypeFlow && ev.Flow.App != "" && ev.Flow.AppConfidence != "low"
}

// matchApp raises the category of the application the flow carries, with
// the identifier's row and matched bytes as evidence. Low confidence
// identifications (one weak message) are recorded, not raised.
func matchApp(ev *scoring.Event, r *scoring.Report) {
	fl := &ev.Flow
	cat, list, note, ok := intel.AppCategory(fl.App)
	if !ok || fl.AppConfidence == "low" {
		return
	}
	ref := fl.AppEvidence
	if ref == "" {
		ref = note // Zeek and Suricata name the application, not the bytes
	}
	r.AddCategory(cat)
	evd := scoring.Evidence{Detector: "intel", Rule: RuleApp, List: list, Entry: fl.App, Ref: ref, Indicator: fl.App}
	if t, ok := intel.AppThreat(fl.App); ok {
		r.Raise(t, evd)
	}
}

// matchQueryName matches the event's name and its parent domains. Names
// that match nothing are remembered in their memo (per index): a
// resolver's clients look up the same names over and over, and
// matchIntel does not call it for those.
func (e *Engine) matchQueryName(ix *intel.Index, r *scoring.Report) {
	e.inds = ix.AppendName(e.inds[:0], &e.name)
	if len(e.inds) == 0 {
		if e.memo != nil {
			e.memo.clean = true
		}
		return
	}
	for _, ind := range e.inds {
		if intel.MatchesQueryName(ind.Category) {
			e.intelHit(r, ind, RuleQueryName)
		}
	}
}

// useCleanCaches forgets which names and answers matched nothing when the
// index is not the one that was found of them.
func (e *Engine) useCleanCaches(ix *intel.Index) {
	if e.cleanIx != ix {
		e.names.Reset()
		clear(e.cleanAnswers[:])
		e.cleanIx = ix
	}
}

// matchAnswers matches DNS answers (addresses and names) and authority NS
// names against the categories recognised there (sinkhole, c2, malware).
func (e *Engine) matchAnswers(ix *intel.Index, ev *scoring.Event, r *scoring.Report) {
	for _, a := range ev.DNS.Answers {
		key, cacheable := packAnswer(a)
		var slot *answerText
		if cacheable {
			slot = &e.cleanAnswers[key.slot()]
			if *slot == key {
				continue // an address that matched nothing
			}
		}
		if addr, ok := parseAnswerAddr(a); ok {
			if !e.matchAnswerAddr(ix, r, addr) && slot != nil {
				*slot = key
			}
			continue
		}
		e.matchAnswerName(ix, r, a, RuleAnswerName)
	}
	for _, ns := range ev.DNS.Authority {
		e.matchAnswerName(ix, r, ns, RuleAuthority)
	}
}

// matchAnswerAddr matches one answer address and reports whether it
// matched an indicator. Answers repeat (CDN and popular sites'
// addresses), so matchAnswers remembers those that match nothing.
func (e *Engine) matchAnswerAddr(ix *intel.Index, r *scoring.Report, addr netip.Addr) bool {
	e.inds = ix.AppendIP(e.inds[:0], addr)
	if len(e.inds) == 0 {
		return false
	}
	e.answerHits(r, RuleAnswerIP)
	return true
}

func (e *Engine) matchAnswerName(ix *intel.Index, r *scoring.Report, raw, rule string) {
	if raw == "" || strings.IndexByte(raw, ' ') >= 0 {
		return // TXT data, not a name
	}
	e.answer.Parse(raw)
	if !e.answer.Valid {
		return
	}
	e.inds = ix.AppendName(e.inds[:0], &e.answer)
	e.answerHits(r, rule)
}

func (e *Engine) answerHits(r *scoring.Report, rule string) {
	for _, ind := range e.inds {
		if intel.MatchesAnswer(ind.Category) {
			e.intelHit(r, ind, rule)
		}
	}
}

// matchDestination matches the destination address, and address:port.
// The last destination that matched nothing is remembered per index: most
// events of a stream go to the same resolver or proxy, and matchIntel
// does not call it for those.
func (e *Engine) matchDestination(ix *intel.Index, ev *scoring.Event, r *scoring.Report) {
	ap := netip.AddrPortFrom(ev.DstIP, ev.DstPort)
	start := len(r.Hits) + len(r.Flags)
	e.matchDestinationUncached(ix, ev, r)
	if len(r.Hits)+len(r.Flags) == start {
		e.cleanDst, e.cleanDstIx = ap, ix
	}
}

func (e *Engine) matchDestinationUncached(ix *intel.Index, ev *scoring.Event, r *scoring.Report) {
	e.inds = ix.AppendIP(e.inds[:0], ev.DstIP)
	for _, ind := range e.inds {
		e.intelHit(r, ind, RuleDstIP)
	}
	if ev.DstPort != 0 {
		e.inds = ix.AppendAddrPort(e.inds[:0], netip.AddrPortFrom(ev.DstIP, ev.DstPort))
		for _, ind := range e.inds {
			e.intelHit(r, ind, RuleDstIPPort)
		}
	}
}

// carriesData reports whether a flow qualifies for port-only indicators.
func (e *Engine) carriesData(ev *scoring.Event) bool {
	if !e.cfg.Intel.PortRequiresData {
		return true
	}
	return ev.Flow.OrigBytes > 0 && ev.Flow.RespBytes > 0
}

// intelHit records one matched indicator.
func (e *Engine) intelHit(r *scoring.Report, ind *intel.Indicator, rule string) {
	r.AddCategory(ind.Category)
	evd := scoring.Evidence{
		Detector:  "intel",
		Rule:      rule,
		List:      ind.List,
		Entry:     ind.Entry,
		Ref:       ind.Ref,
		Indicator: ind.Entry,
	}
	if t, ok := intel.ThreatFor(ind.Category); ok {
		r.Raise(t, evd)
		return
	}
	r.Flag(ind.Category, evd)
}

// parseAnswerAddr parses an answer that is an address. Dotted-quad IPv4,
// by far the most common answer, is parsed inline (four fields of one to
// three digits, no leading zeros, at most 255); anything with a colon goes
// to netip.ParseAddr.
func parseAnswerAddr(s string) (netip.Addr, bool) {
	if a, ok := scoring.ParseIPv4(s); ok {
		return a, true
	}
	if strings.IndexByte(s, ':') >= 0 {
		a, err := netip.ParseAddr(s)
		return a, err == nil
	}
	return netip.Addr{}, false
}
