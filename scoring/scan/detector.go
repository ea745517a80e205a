package scan

import (
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// seenBits is the size of each key's first-contact bitmap.
const seenBits = 1024

type pairKey struct {
	src, dst netip.Addr
}

type portKey struct {
	src   netip.Addr
	port  uint16
	proto scoring.Proto
}

// walk is one sequential hypothesis test: first contacts of a source to
// distinct targets (ports of one host, or hosts on one port).
type walk struct {
	start    int64
	last     int64
	attempts uint32 // all attempts, repeats included
	failures uint32
	distinct uint32 // first contacts
	failedFC uint32 // failed first contacts
	llr      float64
	seen     [seenBits / 64]uint64
	raised   bool
}

// Detector is the scan detector: it raises port_scan and address_scan.
// Not safe for concurrent use.
type Detector struct {
	cfg              Config
	pairs            *state.LRU[pairKey, walk]
	ports            *state.LRU[portKey, walk]
	stepFail, stepOK float64
	upper, lower     float64
}

// New returns a detector with configuration cfg (already validated).
func New(cfg Config) *Detector {
	return &Detector{
		cfg:      cfg,
		pairs:    state.NewLRUHash[pairKey, walk](cfg.MaxKeys, hashPair, nil),
		ports:    state.NewLRUHash[portKey, walk](cfg.MaxKeys, hashPort, nil),
		stepFail: math.Log((1 - cfg.ScannerSuccess) / (1 - cfg.BenignSuccess)),
		stepOK:   math.Log(cfg.ScannerSuccess / cfg.BenignSuccess),
		upper:    math.Log(cfg.DetectionRate / cfg.FalseAlarmRate),
		lower:    math.Log((1 - cfg.DetectionRate) / (1 - cfg.FalseAlarmRate)),
	}
}

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "scan" }

// State implements scoring.StateReporter.
func (d *Detector) State() scoring.StateStats {
	const walkSize = 8*2 + 4*4 + 8 + seenBits/8 + 8
	return scoring.StateStats{
		Entries:   d.pairs.Len() + d.ports.Len(),
		Capacity:  d.pairs.Cap() + d.ports.Cap(),
		Evictions: d.pairs.Evictions() + d.ports.Evictions(),
		Bytes:     int64(d.pairs.Cap()+d.ports.Cap()) * (walkSize + 64 + 48),
	}
}

// Wants implements scoring.EventFilter: flows.
func (d *Detector) Wants(t scoring.EventType) bool { return t == scoring.TypeFlow }

// Inspect implements scoring.Detector.
func (d *Detector) Inspect(ev *scoring.Event, _ *scoring.FQDN, r *scoring.Report) {
	if !d.cfg.Enabled || ev.Type != scoring.TypeFlow {
		return
	}
	if ev.Proto == scoring.ProtoICMP || ev.Proto == scoring.ProtoICMPv6 {
		d.sweep(ev, r)
		return
	}
	if ev.Proto != scoring.ProtoTCP && ev.Proto != scoring.ProtoUDP {
		return
	}
	failed, known := outcome(&ev.Flow)
	if !known {
		return
	}
	t := ev.Time.UnixNano()

	w := open(d, d.pairs, pairKey{ev.SrcIP, ev.DstIP}, t)
	if d.step(w, state.Mix(uint64(ev.DstPort)|uint64(ev.Proto)<<16, 0), failed) && int(w.distinct) >= d.cfg.MinPorts {
		w.raised = true
		r.Raise(scoring.PortScan, d.evidence(w, "trw_ports", ev.DstIP.String(), "distinct_ports"))
	}

	w = open(d, d.ports, portKey{ev.SrcIP, ev.DstPort, ev.Proto}, t)
	if d.step(w, state.HashAddr(ev.DstIP), failed) && int(w.distinct) >= d.cfg.MinHosts {
		w.raised = true
		r.Raise(scoring.AddressScan, d.evidence(w, "trw_hosts", ev.Proto.String()+"/"+strconv.Itoa(int(ev.DstPort)), "distinct_hosts"))
	}
}

// sweep handles an ICMP flow summary (Zeek and Suricata log ICMP echo
// exchanges as flows, the echo type in the source port): echo requests to
// many hosts, mostly unanswered, are a ping sweep (nmap -sn), judged like
// any address scan. The sniffer's per-message ICMP events are not used.
func (d *Detector) sweep(ev *scoring.Event, r *scoring.Report) {
	if ev.SrcPort != 8 && ev.SrcPort != 128 { // echo request, ICMPv6 echo request
		return
	}
	failed := ev.Flow.RespPkts == 0 && ev.Flow.RespBytes == 0
	w := open(d, d.ports, portKey{ev.SrcIP, ev.SrcPort, ev.Proto}, ev.Time.UnixNano())
	if d.step(w, state.HashAddr(ev.DstIP), failed) && int(w.distinct) >= d.cfg.MinHosts {
		w.raised = true
		r.Raise(scoring.AddressScan, d.evidence(w, "trw_hosts", ev.Proto.String()+"/echo", "distinct_hosts"))
	}
}

func open[K comparable](d *Detector, lru *state.LRU[K, walk], k K, t int64) *walk {
	w, inserted := lru.GetOrInsert(k)
	if inserted || t-w.start >= int64(d.cfg.Window) || w.start-t >= int64(d.cfg.Window) {
		*w = walk{start: t}
	}
	w.last = max(w.last, t)
	return w
}

// step records one attempt on target h and reports whether the walk has
// crossed the scanner threshold and not raised yet in this window.
func (d *Detector) step(w *walk, h uint64, failed bool) bool {
	w.attempts++
	if failed {
		w.failures++
	}
	if scoring.SetBit(w.seen[:], h%seenBits) {
		w.distinct++
		if failed {
			w.failedFC++
			w.llr += d.stepFail
		} else {
			w.llr = max(w.llr+d.stepOK, d.lower)
		}
	}
	return !w.raised && w.llr >= d.upper
}

func (d *Detector) evidence(w *walk, rule, indicator, distinctName string) scoring.Evidence {
	return scoring.Evidence{
		Detector:  d.Name(),
		Rule:      rule,
		Entry:     indicator,
		Indicator: indicator,
		Window:    d.cfg.Window,
		Figures: []scoring.Figure{
			{Name: distinctName, Value: float64(w.distinct)},
			{Name: "failed_first_contacts", Value: float64(w.failedFC)},
			{Name: "attempts", Value: float64(w.attempts)},
			{Name: "failures", Value: float64(w.failures)},
			{Name: "log_likelihood_ratio", Value: math.Round(w.llr*100) / 100},
			{Name: "seconds", Value: math.Round(float64(w.last-w.start)/1e7) / 100},
		},
	}
}

// outcome classifies a connection attempt from its Zeek conn_state, or
// from the responder's packets when the input has no state. known is false
// for states that say nothing about the attempt (OTH: no SYN seen), except
// a bare probe the responder reset: one or two packets without payload and
// a responder RST in the history ("r", "Fr": nmap's NULL, FIN and Xmas
// scans), which is a refused attempt.
func outcome(f *scoring.Flow) (failed, known bool) {
	switch f.ConnState {
	case "S0", "REJ", "RSTOS0", "RSTRH", "SH", "SHR":
		return true, true
	case "SF", "S1", "S2", "S3", "RSTO", "RSTR":
		return false, true
	case "OTH":
		probe := f.OrigBytes == 0 && f.RespBytes == 0 && f.OrigPkts <= 2 &&
			strings.IndexByte(f.History, 'r') >= 0 && strings.IndexByte(f.History, 'h') < 0
		return probe, probe
	case "":
		return f.RespPkts == 0 && f.RespBytes == 0, true
	}
	return false, false
}

// hashPair and hashPort hash the state LRUs' keys.
func hashPair(k pairKey) uint64 { return state.Mix(state.HashAddr(k.src), state.HashAddr(k.dst)) }

func hashPort(k portKey) uint64 {
	return state.Mix(state.HashAddr(k.src), uint64(k.port)<<8|uint64(k.proto))
}
