package dga

import (
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

// BenchmarkInspectLookups replays the throughput generator's mix
// (harness.Lookups: popular names, NX floods of unique random names from
// two hosts, lookalikes) through one Detector, names parsed and ranked by
// the built-in popularity prior beforehand as the engine does. Its
// 262,144 lookups are all new to the caches the first time through (as
// in a 1M-line generated log: measure within that); later passes are
// shifted by their span, so event time keeps moving forward.
func BenchmarkInspectLookups(b *testing.B) {
	const n = 1 << 18
	lookups := harness.Lookups(1, n)
	names := make([]scoring.FQDN, n)
	srcs := make([]netip.Addr, n)
	ix := intel.Builtin()
	for i, l := range lookups {
		names[i].Parse(l.Query)
		names[i].Rank = ix.Rank(&names[i])
		srcs[i] = netip.MustParseAddr(l.Client)
	}
	span := lookups[n-1].Time.Sub(lookups[0].Time) + time.Second
	d := New(DefaultConfig())
	var r scoring.Report
	ev := dnsEvent(netip.Addr{}, time.Time{}, "", 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := &lookups[i%n]
		ev.Time = l.Time.Add(time.Duration(i/n) * span)
		ev.SrcIP, ev.DNS.Query, ev.DNS.Rcode = srcs[i%n], l.Query, scoring.RcodeNoError
		if l.NX {
			ev.DNS.Rcode = scoring.RcodeNXDomain
		}
		r.Reset()
		d.Inspect(ev, &names[i%n], &r)
	}
}
