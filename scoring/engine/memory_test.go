package engine

import (
	"net/netip"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// everyNth raises dga_volume on every nth event, keyed on the event's own
// name, so suppression sees a new (source, threat, indicator) each time.
type everyNth struct {
	n, i int
}

func (d *everyNth) Name() string { return "every-nth" }
func (d *everyNth) Inspect(ev *scoring.Event, name *scoring.FQDN, r *scoring.Report) {
	d.i++
	if d.i%d.n == 0 {
		r.Raise(scoring.DGAVolume, scoring.Evidence{Detector: "every-nth", Indicator: name.Name})
	}
}

func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestStateStaysBounded feeds 5,000,000 DNS and flow events, each from a
// new source and for a new name, through the default detectors plus one
// that alerts on every 16th event, and checks that every detector's state
// and the suppression state stay within their caps and that the heap does
// not grow with the number of events.
func TestStateStaysBounded(t *testing.T) {
	// Every default cap (at most 131072 keys) is full after 500,000
	// events, but Go maps under delete/insert churn (LRU eviction) keep
	// growing their tables for a while before tombstone pruning holds them
	// steady (measured: +27 MB up to about 3,000,000 events, then flat). So
	// the heap must not grow from the checkpoint to the end.
	total, checkpoint := 5_000_000, 3_000_000
	if testing.Short() {
		total, checkpoint = 600_000, 0 // caps and the heap bound only
	}
	cfg := DefaultConfig()
	cfg.Suppress.MaxEntries = 20_000
	heapBefore := heapAfterGC()
	e, err := newEngine(cfg, Deps{}, []scoring.Detector{&everyNth{n: 16}})
	if err != nil {
		t.Fatal(err)
	}
	alerts := 0
	emit := func(*scoring.Alert) { alerts++ }
	var ev scoring.Event
	var nameBuf []byte
	var heapAtCheckpoint uint64
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < total; i++ {
		ev.Reset()
		ev.Time = base.Add(time.Duration(i) * time.Millisecond)
		ev.SrcIP = netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		ev.DstIP = netip.AddrFrom4([4]byte{192, 0, 2, byte(i)})
		if i%4 == 3 {
			ev.Type, ev.Proto, ev.DstPort = scoring.TypeFlow, scoring.ProtoTCP, uint16(i)
			ev.Flow = scoring.Flow{ConnState: "S0", OrigPkts: 1}
		} else {
			nameBuf = append(nameBuf[:0], "n"...)
			nameBuf = strconv.AppendInt(nameBuf, int64(i), 36)
			nameBuf = append(nameBuf, ".host"...)
			nameBuf = strconv.AppendInt(nameBuf, int64(i/7), 36)
			nameBuf = append(nameBuf, ".example.com"...)
			ev.Type, ev.Proto, ev.DstPort = scoring.TypeDNS, scoring.ProtoUDP, 53
			ev.DNS.Query, ev.DNS.QType, ev.DNS.Rcode = string(nameBuf), 1, scoring.RcodeNXDomain
		}
		e.Process(&ev, emit)
		if i+1 == checkpoint {
			heapAtCheckpoint = heapAfterGC()
		}
	}
	heapAtEnd := heapAfterGC()
	st := e.Stats()
	if st.Events != uint64(total) || alerts == 0 {
		t.Fatalf("events %d alerts %d", st.Events, alerts)
	}
	var stateBytes int64
	for name, s := range st.State {
		stateBytes += s.Bytes
		t.Logf("%-10s entries %7d / cap %7d, evictions %8d, ~%.1f MB", name, s.Entries, s.Capacity, s.Evictions, float64(s.Bytes)/1e6)
		if s.Entries > s.Capacity {
			t.Errorf("%s: %d entries over its cap %d", name, s.Entries, s.Capacity)
		}
	}
	sup := st.State["suppress"]
	if sup.Entries != cfg.Suppress.MaxEntries || sup.Evictions != uint64(alerts-sup.Entries) {
		t.Errorf("suppress state %+v after %d alerts: want full, the rest evicted", sup, alerts)
	}
	// Everything the engine holds is its state at cap (as the detectors
	// estimate it) plus fixed tables; allow twice the estimate and 64 MB.
	engineHeap := int64(heapAtEnd) - int64(heapBefore)
	t.Logf("engine heap %.1f MB; state at cap estimated %.1f MB", float64(engineHeap)/1e6, float64(stateBytes)/1e6)
	if engineHeap > 2*stateBytes+64<<20 {
		t.Errorf("engine holds %d bytes, over twice its capped state (%d bytes) plus 64 MB", engineHeap, stateBytes)
	}
	if checkpoint == 0 {
		return
	}
	grown := int64(heapAtEnd) - int64(heapAtCheckpoint)
	t.Logf("%d events, %d alerts: heap %.1f MB after %d events, %.1f MB after %d (growth %.1f MB)",
		total, alerts, float64(heapAtCheckpoint)/1e6, checkpoint, float64(heapAtEnd)/1e6, total, float64(grown)/1e6)
	// Holding per-event state for the events after the checkpoint would
	// cost well over 100 bytes each; bounded state adds nothing.
	if grown > 4<<20 {
		t.Errorf("heap grew %d bytes between %d and %d events: state is not bounded", grown, checkpoint, total)
	}
}
