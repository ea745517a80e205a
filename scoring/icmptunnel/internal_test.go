package icmptunnel

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

var (
	insider = netip.MustParseAddr("10.0.2.15")
	pivot   = netip.MustParseAddr("10.0.5.99")
)

const secret = "Quarterly results draft: revenue up, costs flat; do not share outside finance. "

func figure(t *testing.T, f *feeder, name string) float64 {
	t.Helper()
	for _, fg := range f.Hits[0].Evidence.Figures {
		if fg.Name == name {
			return fg.Value
		}
	}
	t.Fatalf("no figure %s", name)
	return 0
}

// Text exfiltrated to a pivot inside RFC 1918 space raises, and the
// evidence says the peer is internal.
func TestExfilToInternalPivot(t *testing.T) {
	text := strings.Repeat(secret, 10)
	f := newFeeder(DefaultConfig())
	for i := 0; i < 5; i++ {
		chunk := []byte(text[i*95 : (i+1)*95])
		at := t0.Add(time.Duration(i) * 5 * time.Second)
		f.message(at, insider, pivot, echoRequest, 0x6f97, uint16(i), chunk)
		f.message(at.Add(time.Millisecond), pivot, insider, echoReply, 0x6f97, uint16(i), chunk)
	}
	if len(f.Hits) != 1 || f.Hits[0].Evidence.Entry != pivot.String() || figure(t, f, "internal_peer") != 1 {
		t.Fatalf("hits %+v", f.Hits)
	}
	g := newFeeder(DefaultConfig())
	for i := 0; i < 5; i++ {
		chunk := []byte(text[i*95 : (i+1)*95])
		g.message(t0.Add(time.Duration(i)*time.Second), insider, server, echoRequest, 1, uint16(i), chunk)
	}
	if len(g.Hits) != 1 || figure(t, g, "internal_peer") != 0 {
		t.Fatalf("external peer: hits %+v", g.Hits)
	}
}

// Data sent in echo replies that answer no request (the peer never
// pings): judged as requests are.
func TestRepliesOnlyExfil(t *testing.T) {
	text := strings.Repeat(secret, 10)
	f := newFeeder(DefaultConfig())
	for i := 0; i < 8; i++ {
		chunk := []byte(text[i*64 : (i+1)*64])
		f.message(t0.Add(time.Duration(i)*time.Second), insider, pivot, echoReply, 0x4242, uint16(i), chunk)
	}
	if len(f.Hits) != 1 || f.Hits[0].Evidence.Rule != RuleNonPing || figure(t, f, "reply_only_payloads") < 3 {
		t.Fatalf("hits %+v", f.Hits)
	}
}

// A sensor that sees only the replies of ordinary pings (asymmetric
// routing) stays silent.
func TestPingRepliesAloneSilent(t *testing.T) {
	f := newFeeder(DefaultConfig())
	at := t0
	for seq := 0; seq < 120; seq++ {
		at = at.Add(time.Second)
		f.message(at, server, client, echoReply, 4242, uint16(seq), linuxPing(at, 56))
		f.message(at, pivot, client, echoReply, 1, uint16(seq), windowsPing(32))
		f.message(at, insider, client, echoReply, 7, uint16(seq), make([]byte, 56))
	}
	for _, h := range f.Hits {
		t.Errorf("ping replies raised %s: %+v", h.Evidence.Rule, h.Evidence.Figures)
	}
}
