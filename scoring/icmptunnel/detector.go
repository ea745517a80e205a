package icmptunnel

import (
	"math"
	"net/netip"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// Rule names, as they appear in evidence.
const (
	RuleReplyMismatch = "reply_mismatch"   // replies that do not echo the request
	RuleNonPing       = "non_ping_payload" // payloads unlike any standard ping
	RuleSizeVariation = "size_variation"   // payload sizes change within the pair
	RuleVolume        = "volume"           // bulk data over echo
)

const (
	maxSizes = 8  // distinct request sizes remembered
	ringLen  = 16 // outstanding requests remembered for reply matching
)

// ICMP echo types.
const (
	echoReply     = 0
	echoRequest   = 8
	echoReplyV6   = 129
	echoRequestV6 = 128
)

type key struct{ client, server netip.Addr }

type sent struct {
	id, seq uint16
	digest  uint64
}

// pair is the state of one (client, server) echo conversation.
type pair struct {
	start, last  int64
	requests     uint32
	replies      uint32
	reqBytes     uint64
	repBytes     uint64
	judged       uint32
	nonPing      uint32
	nonPingBytes uint64
	entropySum   float64
	sizes        [maxSizes]uint16
	nSizes       uint8
	ring         [ringLen]sent
	ringPos      uint8
	matched      uint32
	mismatched   uint32
	unsolicited  uint32
	replyOnly    uint32 // replies judged because the window has no request
	flowPkts     uint64 // from flow summaries (Zeek conn.log)
	raised       bool
	ids          uint32 // changes of echo id between requests
	lastID       uint16
	haveRequest  bool
}

// Detector is the icmptunnel detector. Not safe for concurrent use.
type Detector struct {
	cfg   Config
	state *state.LRU[key, pair]
}

// New returns a detector with configuration cfg (already validated).
func New(cfg Config) *Detector {
	return &Detector{cfg: cfg, state: state.NewLRUHash[key, pair](cfg.MaxKeys, hashKey, nil)}
}

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "icmptunnel" }

// State implements scoring.StateReporter.
func (d *Detector) State() scoring.StateStats {
	return scoring.StateStats{
		Entries: d.state.Len(), Capacity: d.state.Cap(), Evictions: d.state.Evictions(),
		Bytes: int64(d.state.Cap()) * (pairSize + 64 + 48),
	}
}

const pairSize = 8*2 + 4*2 + 8*2 + 4*2 + 8*2 + 2*maxSizes + 8 + 8 + 16*ringLen + 8 + 4*4 + 8 + 16

// Wants implements scoring.EventFilter: ICMP messages and flows.
func (d *Detector) Wants(t scoring.EventType) bool {
	return t == scoring.TypeICMP || t == scoring.TypeFlow
}

// Inspect implements scoring.Detector.
func (d *Detector) Inspect(ev *scoring.Event, _ *scoring.FQDN, r *scoring.Report) {
	if !d.cfg.Enabled {
		return
	}
	switch {
	case ev.Type == scoring.TypeICMP:
		d.message(ev, r)
	case ev.Type == scoring.TypeFlow && (ev.Proto == scoring.ProtoICMP || ev.Proto == scoring.ProtoICMPv6):
		d.flow(ev, r)
	}
}

// message handles one ICMP message from the sniffer.
func (d *Detector) message(ev *scoring.Event, r *scoring.Report) {
	m := &ev.ICMP
	var k key
	request := false
	switch m.Type {
	case echoRequest, echoRequestV6:
		k, request = key{ev.SrcIP, ev.DstIP}, true
	case echoReply, echoReplyV6:
		k = key{ev.DstIP, ev.SrcIP}
	default:
		return
	}
	p := d.pair(k, ev.Time.UnixNano())
	n := max(m.PayloadLen, 0)
	if request {
		d.request(p, m, n)
	} else {
		d.reply(p, m, n)
	}
	d.decide(p, k, r)
}

func (d *Detector) request(p *pair, m *scoring.ICMP, n int) {
	p.requests++
	p.reqBytes += uint64(n)
	if p.haveRequest && m.ID != p.lastID {
		p.ids++
	}
	p.haveRequest, p.lastID = true, m.ID
	d.judge(p, m, n)
}

// judge compares a payload the client side chose (a request, or a reply
// sent without any request: replyOnly) with standard pings and remembers
// it for reply matching and repeats.
func (d *Detector) judge(p *pair, m *scoring.ICMP, n int) {
	switch classify(n, m.PayloadEntropy, p.repeat(m.PayloadDigest, n), d.cfg.EntropyTolerance) {
	case pingLike:
		p.judged++
		p.entropySum += m.PayloadEntropy
	case notPing:
		p.judged++
		p.entropySum += m.PayloadEntropy
		p.nonPing++
		p.nonPingBytes += uint64(n)
	}
	p.addSize(uint16(min(n, math.MaxUint16)))
	p.ring[p.ringPos%ringLen] = sent{id: m.ID, seq: m.Seq, digest: m.PayloadDigest}
	p.ringPos++
}

func (d *Detector) reply(p *pair, m *scoring.ICMP, n int) {
	p.replies++
	p.repBytes += uint64(n)
	for i := range p.ring {
		s := &p.ring[i]
		if s.id != m.ID || s.seq != m.Seq || (s.digest == 0 && s.id == 0 && s.seq == 0) {
			continue
		}
		switch {
		case s.digest == 0 || m.PayloadDigest == 0:
			// no digests to compare (flow summaries, truncated capture)
		case s.digest == m.PayloadDigest:
			p.matched++
		default:
			p.mismatched++
		}
		return
	}
	if p.requests > 0 {
		p.unsolicited++
		return
	}
	// No request at all in the window: either the sensor sees one
	// direction only (a ping's replies stay ping-like) or data is sent in
	// replies nobody asked for, which is judged as requests are.
	p.replyOnly++
	d.judge(p, m, n)
}

// repeat says whether a request payload with digest dg and size n repeats
// an earlier one (Windows ping sends the same bytes every time): yes when
// one of the last ringLen requests had that digest, no when a request of
// that size was seen with other bytes, unknown for the first of its size.
func (p *pair) repeat(dg uint64, n int) tristate {
	for i := range p.ring {
		if p.ring[i].digest == dg && dg != 0 {
			return yes
		}
	}
	for i := uint8(0); i < p.nSizes; i++ {
		if int(p.sizes[i]) == n {
			return no
		}
	}
	return unknown
}

func (p *pair) addSize(n uint16) {
	for i := uint8(0); i < p.nSizes; i++ {
		if p.sizes[i] == n {
			return
		}
	}
	if p.nSizes < maxSizes {
		p.sizes[p.nSizes] = n
		p.nSizes++
	}
}

// flow handles an ICMP flow summary (Zeek conn.log, Suricata flow), which
// has volumes but no payloads: only volume and byte mismatch between the
// directions of an echo exchange can be judged.
func (d *Detector) flow(ev *scoring.Event, r *scoring.Report) {
	k := key{ev.SrcIP, ev.DstIP}
	p := d.pair(k, ev.Time.UnixNano())
	f := &ev.Flow
	p.reqBytes += f.OrigBytes
	p.repBytes += f.RespBytes
	p.flowPkts += f.OrigPkts + f.RespPkts
	echo := ev.SrcPort == echoRequest || ev.SrcPort == echoRequestV6
	if echo && f.OrigPkts >= uint64(d.cfg.MinMismatch) && f.RespPkts >= uint64(d.cfg.MinMismatch) {
		perReq := float64(f.OrigBytes) / float64(f.OrigPkts)
		perRep := float64(f.RespBytes) / float64(f.RespPkts)
		if math.Abs(perReq-perRep) > 8 {
			p.mismatched += uint32(min(f.RespPkts, math.MaxUint32/2))
		}
	}
	d.decide(p, k, r)
}

func (d *Detector) pair(k key, t int64) *pair {
	p, inserted := d.state.GetOrInsert(k)
	if inserted || t-p.start >= int64(d.cfg.Window) || p.start-t >= int64(d.cfg.Window) {
		*p = pair{start: t}
	}
	p.last = max(p.last, t)
	return p
}

func (d *Detector) decide(p *pair, k key, r *scoring.Report) {
	if p.raised {
		return
	}
	rule := ""
	bad := p.mismatched + p.unsolicited
	switch {
	case int64(p.reqBytes+p.repBytes) >= d.cfg.VolumeBytes:
		rule = RuleVolume
	case int(bad) >= d.cfg.MinMismatch && bad*4 >= p.replies:
		rule = RuleReplyMismatch
	case int(p.nonPing) >= d.cfg.MinPackets && p.nonPing*2 >= p.judged && p.nonPingBytes >= uint64(d.cfg.MinBytes):
		rule = RuleNonPing
	case int(p.nSizes) >= d.cfg.MaxSizes && p.nonPing > 0:
		rule = RuleSizeVariation
	}
	if rule == "" {
		return
	}
	p.raised = true
	r.Raise(scoring.ICMPTunneling, d.evidence(p, k, rule))
}

func (d *Detector) evidence(p *pair, k key, rule string) scoring.Evidence {
	meanEntropy := 0.0
	if p.judged > 0 {
		meanEntropy = p.entropySum / float64(p.judged)
	}
	return scoring.Evidence{
		Detector:  d.Name(),
		Rule:      rule,
		Entry:     k.server.String(),
		Indicator: k.server.String(),
		Window:    d.cfg.Window,
		Figures: []scoring.Figure{
			{Name: "requests", Value: float64(p.requests)},
			{Name: "replies", Value: float64(p.replies)},
			{Name: "request_bytes", Value: float64(p.reqBytes)},
			{Name: "reply_bytes", Value: float64(p.repBytes)},
			{Name: "non_ping_payloads", Value: float64(p.nonPing)},
			{Name: "non_ping_bytes", Value: float64(p.nonPingBytes)},
			{Name: "distinct_sizes", Value: float64(p.nSizes)},
			{Name: "mean_entropy", Value: math.Round(meanEntropy*100) / 100},
			{Name: "mismatched_replies", Value: float64(p.mismatched)},
			{Name: "unanswered_replies", Value: float64(p.unsolicited)},
			{Name: "echo_id_changes", Value: float64(p.ids)},
			{Name: "reply_only_payloads", Value: float64(p.replyOnly)},
			{Name: "internal_peer", Value: internalPeer(k.server)},
		},
	}
}

// internalPeer is 1 when the conversation's server is a private address
// (RFC 1918, ULA, CGNAT, link-local): data sent over ICMP to another
// inside host, a pivot relaying it out (lateral exfiltration).
func internalPeer(a netip.Addr) float64 {
	if a.IsPrivate() || a.IsLinkLocalUnicast() || cgnat.Contains(a) {
		return 1
	}
	return 0
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// hashKey hashes a pair's key for the state LRU.
func hashKey(k key) uint64 { return state.Mix(state.HashAddr(k.client), state.HashAddr(k.server)) }
