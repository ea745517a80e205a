// Package flow keeps a bounded table of connections (TCP, UDP, ICMP) built
// from decoded packets and reports each one, conn.log-like, when it ends
// (FIN or RST), when it has been idle for a while, at a maximum interval
// while it lasts, and when the table is flushed. Time is packet time only:
// the package reads no clock and does no I/O.
package flow

import (
	"encoding/binary"
	"hash/maphash"
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/scoring/state"
	"github.com/netflightrecorder/nfr/sniffer/appid"
	"github.com/netflightrecorder/nfr/sniffer/decode"
)

// Config bounds the table and sets its timers.
type Config struct {
	Idle     time.Duration // end a flow after this much packet time without packets
	Max      time.Duration // report a long flow at least this often
	MaxFlows int           // table capacity; the least recently seen flow is reported early when full
	// Linger keeps a closed TCP flow in the table this long so that its
	// trailing ACKs do not open a new flow.
	Linger time.Duration
}

// DefaultConfig returns the defaults: 60 s idle, 5 min interval, 64 Ki flows.
func DefaultConfig() Config {
	return Config{Idle: 60 * time.Second, Max: 5 * time.Minute, MaxFlows: 1 << 16, Linger: 5 * time.Second}
}

// Key identifies a flow regardless of direction: the lower endpoint first.
type Key struct {
	A, B   netip.Addr
	PA, PB uint16
	Proto  uint8
}

// Flow is one connection's summary. Orig is the side that opened it.
type Flow struct {
	UID                string
	Start, Last        time.Time
	OrigIP, RespIP     netip.Addr
	OrigPort, RespPort uint16
	Proto              uint8
	OrigBytes          uint64
	RespBytes          uint64
	OrigPkts, RespPkts uint64
	Service            string // "dns" when a DNS message was decoded on it
	// App is the application identification state (package appid), fed
	// by the decoder with the first payloads of each side: appid.StateBytes
	// bytes per flow, reset when the flow opens.
	App appid.State

	flags   uint16 // seen* bits below
	history [16]byte
	histLen uint8
	closed  bool
}

// Flag bits of what each side has sent.
const (
	origSYN uint16 = 1 << iota
	origSYNACK
	origFIN
	origRST
	respSYN
	respSYNACK
	respFIN
	respRST
)

// History is Zeek's history string (S h A D F R, upper case for the
// originator), each letter at most once per side.
func (f *Flow) History() string { return string(f.HistoryBytes()) }

// HistoryBytes is History without the allocation; it aliases f.
func (f *Flow) HistoryBytes() []byte { return f.history[:f.histLen] }

// Reason says why a flow was reported.
type Reason uint8

// Reasons for reporting a flow.
const (
	End      Reason = iota // FIN from both sides or a RST
	Idle                   // no packet for Config.Idle
	Interval               // a long flow's periodic report
	Evicted                // the table was full
	Flushed                // Flush (end of input, shutdown)
)

// Table is the flow table. It is not safe for concurrent use.
type Table struct {
	cfg   Config
	flows *state.LRU[Key, Flow]
	emit  func(*Flow, Reason)
	seed  maphash.Seed
	count uint64
}

// New returns an empty table that calls emit for each report. The *Flow
// passed to emit is valid only during the call.
func New(cfg Config, emit func(*Flow, Reason)) *Table {
	d := DefaultConfig()
	if cfg.Idle <= 0 {
		cfg.Idle = d.Idle
	}
	if cfg.Max <= 0 {
		cfg.Max = d.Max
	}
	if cfg.MaxFlows <= 0 {
		cfg.MaxFlows = d.MaxFlows
	}
	if cfg.Linger <= 0 {
		cfg.Linger = d.Linger
	}
	t := &Table{cfg: cfg, emit: emit, seed: maphash.MakeSeed()}
	t.flows = state.NewLRU(cfg.MaxFlows, func(_ Key, f *Flow) {
		if !f.closed {
			t.emit(f, Evicted)
		}
	})
	return t
}

// Len is the number of flows held (closed ones lingering included).
func (t *Table) Len() int { return t.flows.Len() }

// Evictions counts flows reported early because the table was full.
func (t *Table) Evictions() uint64 { return t.flows.Evictions() }

// keyOf returns the direction-free key of p and whether p travels from A to B.
func keyOf(p *decode.Packet) (Key, bool) {
	sp, dp := p.SrcPort, p.DstPort
	if isICMP(p.Proto) {
		sp, dp = icmpPorts(p)
	}
	c := p.SrcIP.Compare(p.DstIP)
	if c < 0 || (c == 0 && sp <= dp) {
		return Key{A: p.SrcIP, B: p.DstIP, PA: sp, PB: dp, Proto: p.Proto}, true
	}
	return Key{A: p.DstIP, B: p.SrcIP, PA: dp, PB: sp, Proto: p.Proto}, false
}

// icmpPorts keys echo traffic by identifier so that requests and replies
// share a flow, and other messages by type and code.
func icmpPorts(p *decode.Packet) (uint16, uint16) {
	switch p.ICMPType {
	case 0, 8, 128, 129:
		return p.ICMPID, p.ICMPID
	}
	return uint16(p.ICMPType), uint16(p.ICMPCode)
}

// Packet accounts p, seen at ts, and returns its flow (valid until the next
// call) and whether p was sent by the flow's originator.
func (t *Table) Packet(ts time.Time, p *decode.Packet) (*Flow, bool) {
	t.Expire(ts)
	k, _ := keyOf(p)
	f, inserted := t.flows.GetOrInsert(k)
	if !inserted && f.closed && p.Proto == decode.ProtoTCP && p.TCPFlags&(decode.FlagSYN|decode.FlagACK) == decode.FlagSYN {
		inserted = true // port reuse: a new connection
	}
	if inserted {
		t.open(f, ts, p)
	}
	fromOrig := p.SrcIP == f.OrigIP && (isICMP(p.Proto) || p.SrcPort == f.OrigPort)
	if isICMP(p.Proto) && f.OrigIP == f.RespIP { // talking to itself: echo requests are the originator's
		fromOrig = p.ICMPType == 8 || p.ICMPType == 128
	}
	if f.closed {
		f.Last = ts
		return f, fromOrig
	}
	if ts.Sub(f.Start) >= t.cfg.Max {
		t.emit(f, Interval)
		t.restart(f, ts)
	}
	t.account(f, ts, p, fromOrig)
	if f.ended() {
		t.emit(f, End)
		f.closed = true
	}
	return f, fromOrig
}

func isICMP(proto uint8) bool { return proto == decode.ProtoICMP || proto == decode.ProtoICMPv6 }

func (t *Table) open(f *Flow, ts time.Time, p *decode.Packet) {
	*f = Flow{Start: ts, Last: ts, Proto: p.Proto}
	f.OrigIP, f.RespIP = p.SrcIP, p.DstIP
	f.OrigPort, f.RespPort = p.SrcPort, p.DstPort
	// A SYN-ACK first means we missed the SYN: the receiver opened it.
	if p.Proto == decode.ProtoTCP && p.TCPFlags&(decode.FlagSYN|decode.FlagACK) == decode.FlagSYN|decode.FlagACK {
		f.OrigIP, f.RespIP = f.RespIP, f.OrigIP
		f.OrigPort, f.RespPort = f.RespPort, f.OrigPort
	}
	// Without a SYN, a well-known source port talking to an ephemeral one
	// is the responder (a DNS answer seen before its query).
	if p.TCPFlags&decode.FlagSYN == 0 && p.SrcPort < 1024 && p.DstPort >= 1024 {
		f.OrigIP, f.RespIP = f.RespIP, f.OrigIP
		f.OrigPort, f.RespPort = f.RespPort, f.OrigPort
	}
	if isICMP(p.Proto) {
		// Zeek reports ICMP with the type and code as ports.
		f.OrigPort, f.RespPort = uint16(p.ICMPType), uint16(p.ICMPCode)
	}
	t.count++
	f.UID = t.uid(ts)
}

// restart starts a new reporting interval for a long flow.
func (t *Table) restart(f *Flow, ts time.Time) {
	f.Start = ts
	f.OrigBytes, f.RespBytes, f.OrigPkts, f.RespPkts = 0, 0, 0, 0
}

func (t *Table) account(f *Flow, ts time.Time, p *decode.Packet, fromOrig bool) {
	if ts.After(f.Last) {
		f.Last = ts
	}
	n := uint64(len(p.Payload))
	if fromOrig {
		f.OrigPkts++
		f.OrigBytes += n
	} else {
		f.RespPkts++
		f.RespBytes += n
	}
	if p.Proto == decode.ProtoTCP {
		f.tcp(p.TCPFlags, n > 0, fromOrig)
	}
}

func (f *Flow) tcp(flags uint8, data, fromOrig bool) {
	var syn, synack, fin, rst uint16 = origSYN, origSYNACK, origFIN, origRST
	if !fromOrig {
		syn, synack, fin, rst = respSYN, respSYNACK, respFIN, respRST
	}
	switch {
	case flags&decode.FlagSYN != 0 && flags&decode.FlagACK != 0:
		f.flags |= synack
		f.mark('H', fromOrig)
	case flags&decode.FlagSYN != 0:
		f.flags |= syn
		f.mark('S', fromOrig)
	case flags&decode.FlagACK != 0 && !data && flags&(decode.FlagFIN|decode.FlagRST) == 0:
		f.mark('A', fromOrig)
	}
	if data {
		f.mark('D', fromOrig)
	}
	if flags&decode.FlagFIN != 0 {
		f.flags |= fin
		f.mark('F', fromOrig)
	}
	if flags&decode.FlagRST != 0 {
		f.flags |= rst
		f.mark('R', fromOrig)
	}
}

// mark appends a history letter once per side (lower case for the responder).
func (f *Flow) mark(c byte, fromOrig bool) {
	if !fromOrig {
		c += 'a' - 'A'
	}
	for _, h := range f.history[:f.histLen] {
		if h == c {
			return
		}
	}
	if int(f.histLen) < len(f.history) {
		f.history[f.histLen] = c
		f.histLen++
	}
}

func (f *Flow) ended() bool {
	if f.Proto != decode.ProtoTCP {
		return false
	}
	return f.flags&(origRST|respRST) != 0 || f.flags&(origFIN|respFIN) == origFIN|respFIN
}

// ConnState is Zeek's connection state for the flow so far.
func (f *Flow) ConnState() string {
	if f.Proto != decode.ProtoTCP {
		if f.RespPkts > 0 {
			return "SF"
		}
		return "S0"
	}
	has := func(b uint16) bool { return f.flags&b != 0 }
	syn, synack := has(origSYN), has(respSYNACK)
	established := syn && synack
	switch {
	case has(origRST):
		if established {
			return "RSTO"
		}
		if syn {
			return "RSTOS0"
		}
	case has(respRST):
		if syn && !synack {
			return "REJ"
		}
		if synack && !syn {
			return "RSTRH"
		}
		if established {
			return "RSTR"
		}
	case has(origFIN) && has(respFIN):
		if established {
			return "SF"
		}
	case has(origFIN):
		if syn && !synack {
			return "SH"
		}
		if established {
			return "S2"
		}
	case has(respFIN):
		if synack && !syn {
			return "SHR"
		}
		if established {
			return "S3"
		}
	default:
		if syn && !synack {
			return "S0"
		}
		if established {
			return "S1"
		}
	}
	return "OTH"
}

// Expire reports flows idle since before now-Idle and drops closed flows
// that have lingered long enough.
func (t *Table) Expire(now time.Time) {
	for {
		k, f, ok := t.flows.Oldest()
		if !ok {
			return
		}
		wait := t.cfg.Idle
		if f.closed {
			wait = t.cfg.Linger
		}
		if now.Sub(f.Last) < wait {
			return
		}
		if !f.closed {
			t.emit(f, Idle)
		}
		t.flows.Delete(k)
	}
}

// Flush reports every open flow and empties the table.
func (t *Table) Flush() {
	for {
		k, f, ok := t.flows.Oldest()
		if !ok {
			return
		}
		if !f.closed {
			t.emit(f, Flushed)
		}
		t.flows.Delete(k)
	}
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// uid returns a Zeek-style connection id: "C" and 17 base62 digits.
func (t *Table) uid(ts time.Time) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(ts.UnixNano()))
	binary.LittleEndian.PutUint64(b[8:], t.count)
	h := maphash.Bytes(t.seed, b[:])
	var out [18]byte
	out[0] = 'C'
	for i := 1; i < len(out); i++ {
		out[i] = base62[h%62]
		h /= 62
		if h == 0 {
			h = maphash.Bytes(t.seed, out[:i])
		}
	}
	return string(out[:])
}
