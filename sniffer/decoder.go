package sniffer

import (
	"math"
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/intern"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
	"github.com/netflightrecorder/nfr/sniffer/decode"
	"github.com/netflightrecorder/nfr/sniffer/flow"
)

// Options tune the decoder. The zero value means the defaults.
type Options struct {
	Flow flow.Config
	// DNSPorts are the UDP and TCP ports whose payload is read as DNS
	// (default 53, 5353 mDNS, 5355 LLMNR).
	DNSPorts []uint16
	// MaxPendingQueries bounds the queries kept for RTT pairing.
	MaxPendingQueries int
	// MaxTCPStreams bounds the DNS-over-TCP streams reassembled at once.
	MaxTCPStreams int
	// MaxFragments bounds the IP datagrams reassembled at once.
	MaxFragments int
}

func (o *Options) defaults() {
	if len(o.DNSPorts) == 0 {
		o.DNSPorts = []uint16{53, 5353, 5355}
	}
	if o.MaxPendingQueries <= 0 {
		o.MaxPendingQueries = 1 << 16
	}
	if o.MaxTCPStreams <= 0 {
		o.MaxTCPStreams = 4096
	}
	if o.MaxFragments <= 0 {
		o.MaxFragments = 256
	}
}

// Origins of the events the sniffer produces.
const (
	OriginDNS  = "sniffer:dns"
	OriginFlow = "sniffer:flow"
	OriginICMP = "sniffer:icmp"
)

// Decoder turns captured frames into events: one per DNS message and per
// ICMP message, one per flow report. It is not safe for concurrent use.
type Decoder struct {
	opts    Options
	file    string
	stats   formats.Stats
	packets int64

	flows   *flow.Table
	pending *state.LRU[queryKey, time.Time]
	streams *state.LRU[streamKey, tcpStream]
	frags   *state.LRU[fragKey, fragment]
	names   intern.Table
	tls     tlsHandshakes // TLS hello decoding: tlshello.go

	// Application identification: appident.go.
	lookedUp nameSet // names of Tor's SNI shape seen in DNS messages
	evidence []byte  // app_evidence buffer

	pkt decode.Packet
	msg decode.DNS

	queue []item
	head  int
}

type item struct {
	ev  scoring.Event
	err *formats.LineError
}

type queryKey struct {
	client, server         netip.Addr
	clientPort, serverPort uint16
	id                     uint16
	proto                  uint8
}

// NewDecoder returns a decoder; file names the input in LineErrors.
func NewDecoder(file string, opts Options) *Decoder {
	opts.defaults()
	d := &Decoder{opts: opts, file: file, stats: formats.Stats{Format: "pcap"}}
	d.flows = flow.New(opts.Flow, d.emitFlow)
	d.pending = state.NewLRUHash[queryKey, time.Time](opts.MaxPendingQueries, hashQuery, nil)
	d.streams = state.NewLRUHash[streamKey, tcpStream](opts.MaxTCPStreams, hashStream, nil)
	d.frags = state.NewLRUHash[fragKey, fragment](opts.MaxFragments, hashFrag, func(fragKey, *fragment) {
		d.stats.Reject(d.file, d.packets, "ip fragments incomplete", "evicted")
	})
	d.names.Init()
	return d
}

// Stats counts packets read (Lines), events produced and bad packets.
func (d *Decoder) Stats() *formats.Stats { return &d.stats }

// Pending reports whether Next has queued events or errors.
func (d *Decoder) Pending() bool { return d.head < len(d.queue) }

// Next moves the next queued event into ev (or returns its error). It
// returns false when the queue is empty.
func (d *Decoder) Next(ev *scoring.Event) (bool, error) {
	if d.head >= len(d.queue) {
		d.queue, d.head = d.queue[:0], 0
		return false, nil
	}
	it := &d.queue[d.head]
	d.head++
	if it.err != nil {
		return true, it.err
	}
	ev.CopyFrom(&it.ev)
	d.stats.Events++
	return true, nil
}

// newItem appends a reset event slot to the queue.
func (d *Decoder) newItem() *scoring.Event {
	if len(d.queue) < cap(d.queue) {
		d.queue = d.queue[:len(d.queue)+1]
	} else {
		d.queue = append(d.queue, item{})
	}
	it := &d.queue[len(d.queue)-1]
	it.err = nil
	it.ev.Reset()
	return &it.ev
}

func (d *Decoder) reject(reason, detail string) {
	err := d.stats.Reject(d.file, d.packets, reason, detail)
	if len(d.queue) < cap(d.queue) {
		d.queue = d.queue[:len(d.queue)+1]
	} else {
		d.queue = append(d.queue, item{})
	}
	d.queue[len(d.queue)-1].err = err
}

// Packet decodes one frame captured at ts on a link of the given type and
// queues what it produced.
func (d *Decoder) Packet(ts time.Time, linkType int, data []byte) {
	d.packets++
	d.stats.Lines++
	p := &d.pkt
	if err := decode.Frame(linkType, data, p); err != nil {
		if err == decode.ErrNotIP || err == decode.ErrUnsupported {
			d.stats.Skip(err.Error())
			d.flows.Expire(ts)
			return
		}
		d.reject(err.Error(), "")
		return
	}
	if p.Fragment && !d.reassemble(ts) {
		return
	}
	if p.Proto != decode.ProtoTCP && p.Proto != decode.ProtoUDP && !isICMP(p.Proto) {
		d.stats.Skip("other ip protocol")
		d.flows.Expire(ts)
		return
	}
	f, fromOrig := d.flows.Packet(ts, p)
	if p.Proto != decode.ProtoICMP && p.Proto != decode.ProtoICMPv6 {
		d.identify(f, fromOrig) // application identification: appident.go
	}
	switch p.Proto {
	case decode.ProtoUDP:
		if d.dnsPort(p) {
			d.dnsMessage(ts, p.Payload, f)
		}
	case decode.ProtoTCP:
		if d.dnsPort(p) {
			d.tcpDNS(ts, f)
		}
		d.tlsSegment(ts, f) // TLS hook: tlshello.go
	default:
		d.icmp(ts)
	}
}

// Tick advances the flow timers to now without a packet (live capture).
func (d *Decoder) Tick(now time.Time) { d.flows.Expire(now) }

// Flush reports every open flow (end of input, shutdown).
func (d *Decoder) Flush() { d.flows.Flush() }

func isICMP(proto uint8) bool { return proto == decode.ProtoICMP || proto == decode.ProtoICMPv6 }

func (d *Decoder) dnsPort(p *decode.Packet) bool {
	for _, port := range d.opts.DNSPorts {
		if p.SrcPort == port || p.DstPort == port {
			return true
		}
	}
	return false
}

func (d *Decoder) emitFlow(f *flow.Flow, _ flow.Reason) {
	d.tlsFlowEnd(f) // TLS hook: a pending handshake's event goes first
	ev := d.newItem()
	ev.Time, ev.Type, ev.Origin, ev.UID = f.Start, scoring.TypeFlow, OriginFlow, f.UID
	ev.SrcIP, ev.DstIP, ev.SrcPort, ev.DstPort = f.OrigIP, f.RespIP, f.OrigPort, f.RespPort
	ev.Proto = scoring.Proto(f.Proto)
	fl := &ev.Flow
	fl.Service = f.Service
	if f.Last.After(f.Start) {
		fl.Duration = f.Last.Sub(f.Start)
	}
	fl.OrigBytes, fl.RespBytes, fl.OrigPkts, fl.RespPkts = f.OrigBytes, f.RespBytes, f.OrigPkts, f.RespPkts
	fl.ConnState = f.ConnState()
	fl.History = d.names.Get(f.HistoryBytes())
	d.appFields(f, fl)
}

// dnsMessage decodes one DNS message and queues its event.
func (d *Decoder) dnsMessage(ts time.Time, payload []byte, f *flow.Flow) {
	m := &d.msg
	if err := m.Decode(payload); err != nil {
		d.reject(err.Error(), "")
		return
	}
	if m.SectionErr != nil {
		d.stats.Reject(d.file, d.packets, m.SectionErr.Error(), "")
	}
	f.Service = "dns"
	d.noteLookup(m.Name)
	p := &d.pkt
	ev := d.newItem()
	ev.Time, ev.Type, ev.Origin, ev.UID = ts, scoring.TypeDNS, OriginDNS, f.UID
	ev.Proto = scoring.Proto(p.Proto)
	// Zeek's orientation: the client is the originator, also for responses.
	ev.SrcIP, ev.DstIP, ev.SrcPort, ev.DstPort = p.SrcIP, p.DstIP, p.SrcPort, p.DstPort
	if m.Response {
		ev.SrcIP, ev.DstIP, ev.SrcPort, ev.DstPort = p.DstIP, p.SrcIP, p.DstPort, p.SrcPort
	}
	dn := &ev.DNS
	dn.Query = d.names.Get(m.Name)
	dn.QType, dn.QClass, dn.TransID = m.QType, m.QClass, m.ID
	dn.Response, dn.AA, dn.TC, dn.RD, dn.RA = m.Response, m.AA, m.TC, m.RD, m.RA
	key := queryKey{client: ev.SrcIP, server: ev.DstIP, clientPort: ev.SrcPort, serverPort: ev.DstPort, id: m.ID, proto: p.Proto}
	if !m.Response {
		t, _ := d.pending.GetOrInsert(key)
		*t = ts
		return
	}
	dn.Rcode = int16(m.Rcode)
	dn.AnswerSize = m.Size
	if t, ok := d.pending.Peek(key); ok {
		if rtt := ts.Sub(*t); rtt >= 0 {
			dn.RTT = rtt
		}
		d.pending.Delete(key)
	}
	for i := range m.Answers {
		dn.Answers = append(dn.Answers, d.names.Get(m.Answers[i].Data))
		dn.TTLs = append(dn.TTLs, float64(m.Answers[i].TTL))
	}
	for _, ns := range m.Authority {
		dn.Authority = append(dn.Authority, d.names.Get(ns))
	}
}

// icmp queues the event of one ICMP or ICMPv6 message.
func (d *Decoder) icmp(ts time.Time) {
	p := &d.pkt
	ev := d.newItem()
	ev.Time, ev.Type, ev.Origin = ts, scoring.TypeICMP, OriginICMP
	ev.SrcIP, ev.DstIP, ev.Proto = p.SrcIP, p.DstIP, scoring.Proto(p.Proto)
	ic := &ev.ICMP
	ic.Type, ic.Code, ic.ID, ic.Seq = p.ICMPType, p.ICMPCode, p.ICMPID, p.ICMPSeq
	ic.PayloadLen = len(p.Payload)
	ic.PayloadEntropy = Entropy(p.Payload)
	if len(p.Payload) > 0 {
		ic.PayloadDigest = Digest(p.Payload)
	}
}

// Entropy is the Shannon entropy of b in bits per byte (0..8).
func Entropy(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	var counts [256]uint32
	for _, c := range b {
		counts[c]++
	}
	n := float64(len(b))
	h := 0.0
	for _, c := range counts {
		if c != 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// Digest is the 64-bit FNV-1a hash of b: equal payloads, equal digests.
func Digest(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// hashQuery, hashStream and hashFrag hash the decoder's LRU keys.
func hashQuery(k queryKey) uint64 {
	h := state.Mix(state.HashAddr(k.client), state.HashAddr(k.server))
	return state.Mix(h, uint64(k.clientPort)<<32|uint64(k.serverPort)<<16|uint64(k.id)<<8^uint64(k.proto))
}

func hashStream(k streamKey) uint64 {
	return state.Mix(state.Mix(state.HashAddr(k.src), state.HashAddr(k.dst)), uint64(k.srcPort)<<16|uint64(k.dstPort))
}

func hashFrag(k fragKey) uint64 {
	return state.Mix(state.Mix(state.HashAddr(k.src), state.HashAddr(k.dst)), uint64(k.id)<<8|uint64(k.proto))
}
