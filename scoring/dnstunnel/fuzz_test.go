package dnstunnel

import (
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// FuzzInspect feeds arbitrary names (valid or not for the FQDN breakdown)
// through one detector: it must not panic and must keep its state bound.
func FuzzInspect(f *testing.F) {
	for _, s := range []string{"www.example.com", "4.3.2.1.zen.dnsbl.example", "a..b.example.org", ".", "x.", "\xff\xfe.t.example.net",
		"0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.v6.example.com", "q+Z8A/nw=.hidemyself.org."} {
		f.Add(s, uint16(1))
	}
	cfg := DefaultConfig()
	cfg.MaxKeys = 8
	d := New(cfg)
	var ev scoring.Event
	var name scoring.FQDN
	var r scoring.Report
	n := 0
	f.Fuzz(func(t *testing.T, q string, qtype uint16) {
		n++
		ev.Reset()
		ev.Type, ev.Time, ev.SrcIP = scoring.TypeDNS, time.Unix(int64(n), 0), netip.AddrFrom4([4]byte{10, 0, 0, byte(n)})
		ev.DNS.Query, ev.DNS.QType = q, qtype
		name.Parse(q)
		r.Reset()
		d.Inspect(&ev, &name, &r)
		if d.state.Len() > cfg.MaxKeys {
			t.Fatalf("state grew to %d", d.state.Len())
		}
	})
}
