package dnstunnel

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// dnscat2 in direct mode: "dnscat." and hex, in labels of at most 63,
// sent straight to the server's address.
func dnscatDirect(rng *rand.Rand, n int) string {
	enc := hex.EncodeToString(randBytes(rng, n))
	name := "dnscat"
	for len(enc) > 0 {
		k := min(len(enc), 63)
		name += "." + enc[:k]
		enc = enc[k:]
	}
	return name
}

func TestDirectModeTunnelFlagged(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	server := netip.MustParseAddr("203.0.113.53")
	for _, c := range []struct {
		name string
		gen  func(i int) string
	}{
		{"dnscat2 direct", func(int) string { return dnscatDirect(rng, 9+rng.IntN(40)) }},
		{"iodine to a made-up zone", func(i int) string { return tunnelName(rng, i, 60, "t.tun") }},
	} {
		f := newFeeder(DefaultConfig(), "10.0.0.5")
		for i := 0; i < 30; i++ {
			f.Ev.Reset()
			q := c.gen(i)
			f.Ev.Type, f.Ev.Time, f.Ev.SrcIP, f.Ev.DstIP, f.Ev.DstPort = scoring.TypeDNS, t0.Add(time.Duration(i)*time.Second), f.host, server, 53
			f.Ev.DNS.Query, f.Ev.DNS.QType = q, 16
			f.Name.Parse(q)
			f.Run(&f.Name)
		}
		if f.Count(scoring.DNSTunneling) != 1 || f.First(scoring.DNSTunneling) > 11 {
			t.Fatalf("%s: %d alerts, first at %d", c.name, f.Count(scoring.DNSTunneling), f.First(scoring.DNSTunneling))
		}
		if e := f.Hits[0].Evidence; e.Entry != DirectDomain {
			t.Fatalf("%s: entry %q", c.name, e.Entry)
		}
	}
}

// Internal names without a public suffix (printer.lan, host.corp), mDNS
// and reserved test names stay silent.
func TestDirectModeBenignSilent(t *testing.T) {
	f := newFeeder(DefaultConfig(), "10.0.0.6")
	i := 0
	for _, zone := range []string{"lan", "corp", "home", "internal"} {
		for _, host := range []string{"printer", "nas", "router", "fileserver", "wpad", "mail", "intranet", "dc01", "dc02", "build-agent-7",
			"laptop-jdoe", "desktop-4f2a", "camera-lobby", "sw-core-1", "ap-floor2", "voip-1203"} {
			f.query(t0.Add(time.Duration(i)*time.Second), fmt.Sprintf("%s.%s", host, zone), 1)
			i++
		}
	}
	for j := 0; j < 200; j++ {
		f.query(t0.Add(time.Duration(i+j)*time.Second), fmt.Sprintf("Living-Room-TV-%d._airplay._tcp.local", j), 33)
	}
	if f.FirstAny() != 0 {
		t.Fatalf("benign suffix-less names raised %+v", f.Hits)
	}
	var name scoring.FQDN
	for q, want := range map[string]bool{"dnscat.0a1b2c": true, "a.b.test": false, "x.local": false, "www.example.com": false, "host.corp": true, "x.onion": false} {
		name.Parse(q)
		ev := scoring.Event{DstIP: netip.MustParseAddr("10.0.0.53")}
		if got := directName(&ev, &name); got != want {
			t.Errorf("directName(%q) = %v", q, got)
		}
	}
}
