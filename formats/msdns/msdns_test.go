package msdns

import (
	"errors"
	"io"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

// fixture is a debug log written for these tests: every line form the
// Windows DNS Server writes, in the order a server would write them.
const fixture = `DNS Server log file creation at 6/5/2013 10:00:29 AM
Log file wrap at 6/5/2013 10:00:29 AM

Message logging key (for packets - other items use a subset of these fields):
	Field #  Information         Values
	-------  -----------         ------
	   1     Date
	  10     Query/Response      R = Response
	                             blank = Query

6/5/2013 10:00:30 AM 0E70 EVENT   The DNS server has finished the background loading of zones.
6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b47   Q [0001   D   NOERROR] A      (7)example(3)com(0)
6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.161.60.71    5b47 R Q [8081   DR  NOERROR] A      (7)example(3)com(0)
UDP response info at 00000000033397A0
  Socket = 520
6/5/2013 1:05:09 PM 0E74 PACKET  0210D8F8 TCP Rcv fe80::1c5b:9aff:fe01:2   00a1   Q [0001   D   NOERROR] AAAA   (3)www(9)nxexample(3)net(0)
6/5/2013 1:05:10 PM 0E74 PACKET  0210D8F8 TCP Snd fe80::1c5b:9aff:fe01:2   00a1 R Q [8385 A DR NXDOMAIN] AAAA   (3)www(9)nxexample(3)net(0)
6/5/2013 1:05:11 PM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b48   Q [0001   D   NOERROR] A      (3)ww(0)
this line is not from a DNS server
2017-01-02 21:00:00 0AB4 PACKET  000000A1B2C3D4E5 UDP Snd 8.8.8.8         1a2b   Q [0001   D   NOERROR] PTR    (1)4(1)3(1)2(1)1(7)in-addr(4)arpa(0)
2017-01-02 21:00:01 0AB4 PACKET  000000A1B2C3D4E5 UDP Rcv 8.8.8.8         1a2b R Q [8081   DR  NOERROR] PTR    (1)4(1)3(1)2(1)1(7)in-addr(4)arpa(0)
2019/10/21 19:02:27 10FC PACKET  0000020D0C784CE0 UDP Rcv 192.168.113.210 d1a7   N [2400       NOERROR] SOA    (7)example(3)com(0)
2019/10/21 19:02:28 10FC PACKET  0000020D0C784CE0 UDP Snd 192.168.2.9     7822 R U [02a8      SERVFAIL] SOA    (4)home(7)example(0)
22/12/2021 21:46:04 0E1C PACKET  0000017DEDFE28D0 UDP Snd 10.20.0.6       966f R Q [8281   DR SERVFAIL] TXT    (5)login(4)live(3)com(0)
31/02/2021 21:46:05 0E1C PACKET  0000017DEDFE28D0 UDP Rcv 10.20.0.6       9670   Q [0001   D   NOERROR] A      (5)login(4)live(3)com(0)
22/12/2021 21:46:06 0E1C PACKET  0000017DEDFE28D0 UDP Xmt 10.20.0.6       9671   Q [0001   D   NOERROR] A      (5)login(4)live(3)com(0)
05/01/2022 08:00:00 0E1C PACKET  0000017DEDFE28D0 UDP Rcv 10.20.0.7       0001   Q [0001   D   NOERROR] A      (0)
20.06.2022 9:26:24 0F0C PACKET 00000194D3CEDDD0 UDP Snd 10.10.160.208:53 3d56 R Q [8081 DR NXDOMAIN] PTR .mggw-example.com.
`

func dnsEvent(ts time.Time, proto scoring.Proto, src, dst string, d scoring.DNS) scoring.Event {
	ev := scoring.Event{Time: ts, Type: scoring.TypeDNS, Origin: "msdns", Proto: proto, DNS: d}
	if src != "" {
		ev.SrcIP = netip.MustParseAddr(src)
	}
	if dst != "" {
		ev.DstIP = netip.MustParseAddr(dst)
	}
	return ev
}

func utc(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

type outcome struct {
	ev     *scoring.Event
	line   int64
	reason string
}

func decodeAll(t *testing.T, text string, opt Options) ([]outcome, *formats.Stats) {
	t.Helper()
	r := NewReader(strings.NewReader(text), "dns.log", opt)
	var out []outcome
	for {
		var ev scoring.Event
		err := r.Next(&ev)
		if err == io.EOF {
			return out, r.Stats()
		}
		var le *formats.LineError
		if errors.As(err, &le) {
			if le.File != "dns.log" {
				t.Errorf("error without file: %v", le)
			}
			out = append(out, outcome{line: le.Line, reason: le.Reason})
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		c := ev.Clone()
		out = append(out, outcome{ev: &c})
	}
}

func TestDebugLogForms(t *testing.T) {
	got, st := decodeAll(t, fixture, Options{})
	unknown := scoring.RcodeUnknown
	want := []outcome{
		// Received query joined to the response sent back (US 12-hour date).
		{ev: ptr(dnsEvent(utc(2013, 6, 5, 10, 0, 32), scoring.ProtoUDP, "10.161.60.71", "", scoring.DNS{
			Query: "example.com", QType: 1, Rcode: 0, TransID: 0x5b47, Response: true, RD: true, RA: true}))},
		// TCP, IPv6 remote, 8-hex packet id, PM, NXDOMAIN with AA; RTT 1s.
		{ev: ptr(dnsEvent(utc(2013, 6, 5, 13, 5, 9), scoring.ProtoTCP, "fe80::1c5b:9aff:fe01:2", "", scoring.DNS{
			Query: "www.nxexample.net", QType: 28, Rcode: scoring.RcodeNXDomain, TransID: 0xa1, Response: true, AA: true, RD: true, RA: true, RTT: time.Second}))},
		// Errors come out as their lines are read; events as soon as
		// they are complete, in the order of their queries.
		{line: 18, reason: "bad qname"},
		{line: 19, reason: "unrecognised line"},
		// A query the server forwarded (ISO-like date, 16-hex id): the
		// server is the client (unknown address), the remote the upstream.
		{ev: ptr(dnsEvent(utc(2017, 1, 2, 21, 0, 0), scoring.ProtoUDP, "", "8.8.8.8", scoring.DNS{
			Query: "4.3.2.1.in-addr.arpa", QType: 12, Rcode: 0, TransID: 0x1a2b, Response: true, RD: true, RA: true, RTT: time.Second}))},
		// A response whose query was not logged (day-first 24-hour date).
		{ev: ptr(dnsEvent(utc(2021, 12, 22, 21, 46, 4), scoring.ProtoUDP, "10.20.0.6", "", scoring.DNS{
			Query: "login.live.com", QType: 16, Rcode: scoring.RcodeServFail, TransID: 0x966f, Response: true, RD: true, RA: true}))},
		{line: 25, reason: "bad date"},
		{line: 26, reason: "bad packet line"},
		// Ambiguous 05/01: day first, as the file already proved; root name.
		{ev: ptr(dnsEvent(utc(2022, 1, 5, 8, 0, 0), scoring.ProtoUDP, "10.20.0.7", "", scoring.DNS{
			Query: ".", QType: 1, Rcode: unknown, TransID: 1, RD: true}))},
		// Dotted date, blanks collapsed by a copy, remote with a port,
		// dotted name: the rcode comes from its name.
		{ev: ptr(dnsEvent(utc(2022, 6, 20, 9, 26, 24), scoring.ProtoUDP, "10.10.160.208", "", scoring.DNS{
			Query: "mggw-example.com", QType: 12, Rcode: scoring.RcodeNXDomain, TransID: 0x3d56, Response: true, RD: true, RA: true}))},
	}
	compare(t, got, want)
	wantSkips := map[string]int64{"header": 8, "blank": 2, "event": 1, "packet detail": 2, "non-query opcode": 2}
	if !reflect.DeepEqual(st.Skipped, wantSkips) {
		t.Errorf("skipped %v, want %v", st.Skipped, wantSkips)
	}
	if st.Lines != 28 || st.Events != 6 || st.Bad["bad qname"] != 1 || st.Bad["bad date"] != 1 {
		t.Errorf("stats %+v", st)
	}
}

func ptr(ev scoring.Event) *scoring.Event { return &ev }

func compare(t *testing.T, got, want []outcome) {
	t.Helper()
	for i := 0; i < len(got) || i < len(want); i++ {
		switch {
		case i >= len(got):
			t.Errorf("missing %d: %+v", i, want[i])
		case i >= len(want):
			t.Errorf("extra %d: %+v %+v", i, got[i], got[i].ev)
		case (got[i].ev == nil) != (want[i].ev == nil) || got[i].line != want[i].line || got[i].reason != want[i].reason:
			t.Errorf("%d: got %+v %+v, want %+v %+v", i, got[i], got[i].ev, want[i], want[i].ev)
		case got[i].ev != nil && !reflect.DeepEqual(norm(*got[i].ev), norm(*want[i].ev)):
			t.Errorf("%d:\n got %+v\nwant %+v", i, *got[i].ev, *want[i].ev)
		}
	}
}

func norm(ev scoring.Event) scoring.Event {
	ev.DNS.Answers, ev.DNS.TTLs, ev.DNS.Authority = nil, nil, nil
	return ev
}

// Windows Server 2003 wrote a compact date and no packet id.
func TestServer2003Lines(t *testing.T) {
	const log = "20080702 20:59:38 8B0 PACKET UDP Rcv 10.0.0.1        3d42   Q [0001   D   NOERROR] A      (3)www(7)example(3)com(0)\n" +
		"20080702 20:59:39 8B0 PACKET UDP Snd 10.0.0.1        3d42 R Q [8081   DR  NOERROR] A      (3)www(7)example(3)com(0)\n"
	got, _ := decodeAll(t, log, Options{})
	compare(t, got, []outcome{{ev: ptr(dnsEvent(utc(2008, 7, 2, 20, 59, 38), scoring.ProtoUDP, "10.0.0.1", "", scoring.DNS{
		Query: "www.example.com", QType: 1, Rcode: 0, TransID: 0x3d42, Response: true, RD: true, RA: true, RTT: time.Second}))}})
}

func TestTimeZoneAndUnansweredQueries(t *testing.T) {
	const log = `1/2/2024 11:59:59 PM 0E70 PACKET  00000000033397A0 UDP Rcv 10.0.0.5 0101   Q [0001   D   NOERROR] A      (1)a(7)example(0)
1/3/2024 12:00:30 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.0.0.5 0102   Q [0001   D   NOERROR] A      (1)b(7)example(0)
1/3/2024 12:00:31 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.0.0.5 0102 R Q [8381   DR NXDOMAIN] A      (1)b(7)example(0)
1/3/2024 12:00:40 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.0.0.6 0103   Q [0001   D   NOERROR] A      (1)c(7)example(0)
`
	zone := time.FixedZone("UTC-5", -5*3600)
	got, _ := decodeAll(t, log, Options{Location: zone})
	at := func(d, h, m, s int) time.Time { return time.Date(2024, 1, d, h, m, s, 0, zone).UTC() }
	want := []outcome{
		// No response within the window: the query stands alone.
		{ev: ptr(dnsEvent(at(2, 23, 59, 59), scoring.ProtoUDP, "10.0.0.5", "", scoring.DNS{Query: "a.example", QType: 1, Rcode: scoring.RcodeUnknown, TransID: 0x101, RD: true}))},
		{ev: ptr(dnsEvent(at(3, 0, 0, 30), scoring.ProtoUDP, "10.0.0.5", "", scoring.DNS{Query: "b.example", QType: 1, Rcode: scoring.RcodeNXDomain,
			TransID: 0x102, Response: true, RD: true, RA: true, RTT: time.Second}))},
		// Still waiting at the end of input: flushed unanswered.
		{ev: ptr(dnsEvent(at(3, 0, 0, 40), scoring.ProtoUDP, "10.0.0.6", "", scoring.DNS{Query: "c.example", QType: 1, Rcode: scoring.RcodeUnknown, TransID: 0x103, RD: true}))},
	}
	compare(t, got, want)
	if got[0].ev.Time != utc(2024, 1, 3, 4, 59, 59) {
		t.Errorf("zone not applied: %v", got[0].ev.Time)
	}
}

func TestNoJoinEmitsEveryPacket(t *testing.T) {
	got, st := decodeAll(t, fixture, Options{NoJoin: true})
	events := 0
	for _, o := range got {
		if o.ev != nil {
			events++
		}
	}
	// 9 PACKET lines with opcode Q and no error.
	if events != 9 || st.Events != 9 {
		t.Errorf("%d events (stats %d), want 9", events, st.Events)
	}
}

func TestMaxPendingBoundsTheQueue(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 50; i++ {
		b.WriteString("6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    ")
		b.WriteString([]string{"0001", "0002", "0003", "0004", "0005"}[i%5])
		b.WriteString("   Q [0001   D   NOERROR] A      (1)x(7)example(0)\n")
	}
	r := NewReader(strings.NewReader(b.String()), "q.log", Options{MaxPending: 4})
	var ev scoring.Event
	n := 0
	for {
		err := r.Next(&ev)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.join.Pending() > 5 {
			t.Fatalf("queue grew to %d", r.join.Pending())
		}
		n++
	}
	if n != 50 {
		t.Errorf("%d events, want 50", n)
	}
}
