package dnstunnel

import (
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
	"github.com/netflightrecorder/nfr/scoring"
)

// BenchmarkInspectLookups replays the throughput generator's mix
// (harness.Lookups: popular names, NX floods of random names from two
// hosts, lookalikes) through one Detector, names parsed beforehand as the
// engine does. Later passes over the 262,144 lookups are shifted by their
// span, so event time keeps moving forward.
func BenchmarkInspectLookups(b *testing.B) {
	const n = 1 << 18
	lookups := harness.Lookups(1, n)
	names := make([]scoring.FQDN, n)
	srcs := make([]netip.Addr, n)
	for i, l := range lookups {
		names[i].Parse(l.Query)
		srcs[i] = netip.MustParseAddr(l.Client)
	}
	span := lookups[n-1].Time.Sub(lookups[0].Time) + time.Second
	d := New(DefaultConfig())
	var r scoring.Report
	var ev scoring.Event
	answers := make([]string, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := &lookups[i%n]
		ev.Type, ev.Time, ev.SrcIP = scoring.TypeDNS, l.Time.Add(time.Duration(i/n)*span), srcs[i%n]
		ev.DNS.Query, ev.DNS.QType, ev.DNS.Rcode, ev.DNS.Answers = l.Query, 1, scoring.RcodeNoError, nil
		if l.NX {
			ev.DNS.Rcode = scoring.RcodeNXDomain
		} else {
			answers[0] = l.Answer
			ev.DNS.Answers = answers
		}
		r.Reset()
		d.Inspect(&ev, &names[i%n], &r)
	}
}
