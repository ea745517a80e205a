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
// the built-in popularity prior beforehand as the engine does. Each pass
// over the lookups is shifted by their span, so event time keeps moving
// forward and the names of a new pass are old news to the caches only
// when they are popular ones.
func BenchmarkInspectLookups(b *testing.B) {
	const n = 1 << 16
	lookups := harness.Lookups(1, n)
	names := make([]scoring.FQDN, n)
	evs := make([]scoring.Event, n)
	ix := intel.Builtin()
	for i, l := range lookups {
		names[i].Parse(l.Query)
		names[i].Rank = ix.Rank(&names[i])
		rcode := scoring.RcodeNoError
		if l.NX {
			rcode = scoring.RcodeNXDomain
		}
		evs[i] = *dnsEvent(netip.MustParseAddr(l.Client), l.Time, l.Query, rcode)
	}
	span := lookups[n-1].Time.Sub(lookups[0].Time) + time.Second
	d := New(DefaultConfig())
	var r scoring.Report
	var ev scoring.Event
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev = evs[i%n]
		ev.Time = ev.Time.Add(time.Duration(i/n) * span)
		r.Reset()
		d.Inspect(&ev, &names[i%n], &r)
	}
}
