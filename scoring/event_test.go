package scoring

import (
	"net/netip"
	"reflect"
	"testing"
	"time"
)

// TestParseIPv4AgreesWithNetip: every string of up to 7 bytes over digits
// that matter for leading zeros and the 255 bound, dots and one other
// byte, and dotted quads of every field from 0 to 999 with and without
// leading zeros, parse as netip.ParseAddr parses them (IPv4 only), as
// text and as bytes.
func TestParseIPv4AgreesWithNetip(t *testing.T) {
	const alphabet = "0125.9a"
	buf := make([]byte, 0, 7)
	var walk func()
	walk = func() {
		checkIPv4(t, string(buf))
		if len(buf) == cap(buf) {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			buf = append(buf, alphabet[i])
			walk()
			buf = buf[:len(buf)-1]
		}
	}
	walk()
	fields := []string{"", "0", "00", "000", "0000", "1", "01", "001", "255", "256", "1000"}
	for v := 0; v < 1000; v++ {
		fields = append(fields, itoa(v))
	}
	for _, f := range fields {
		for _, q := range []string{f + ".1.2.3", "1." + f + ".2.3", "1.2." + f + ".3", "1.2.3." + f, "1.2.3." + f + "."} {
			checkIPv4(t, q)
		}
	}
	for _, s := range []string{"255.255.255.255", "255.255.255.2555", "1.2.3.4 ", " 1.2.3.4", "::ffff:1.2.3.4", "1.2.3.4%eth0"} {
		checkIPv4(t, s)
	}
}

func itoa(v int) string {
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + string(rune('0'+v%10))
}

func checkIPv4(t *testing.T, s string) {
	t.Helper()
	want, err := netip.ParseAddr(s)
	wantOK := err == nil && want.Is4()
	got, ok := ParseIPv4(s)
	gotB, okB := ParseIPv4([]byte(s))
	if ok != wantOK || ok && got != want || okB != ok || gotB != got {
		t.Fatalf("%q: got %v %v (bytes %v %v), netip %v %v", s, got, ok, gotB, okB, want, err)
	}
}

func BenchmarkParseIPv4(b *testing.B) {
	answers := []string{"93.184.216.34", "10.1.0.2", "192.168.100.200", "8.8.8.8"}
	for n := 0; b.Loop(); n++ {
		ParseIPv4(answers[n&3])
	}
}

// filledEvent returns an event of type typ whose fields outside the
// sub-structs and sub-struct of typ are all set (all sub-structs when typ
// is unknown), the others zero as Event says.
func filledEvent(typ EventType) Event {
	ev := Event{Time: time.Unix(5, 6), Type: typ, Origin: "o", UID: "u",
		SrcIP: netip.MustParseAddr("10.0.0.1"), DstIP: netip.MustParseAddr("::1"), SrcPort: 1, DstPort: 2, Proto: ProtoTCP}
	ev.DNS.Rcode = RcodeUnknown
	all := typ == TypeUnknown || typ > TypeTLS
	if all || typ == TypeDNS {
		ev.DNS = DNS{Query: "q", QType: 1, QClass: 1, Rcode: 3, TransID: 4, Response: true, AA: true, TC: true, RD: true, RA: true,
			RTT: 7, Answers: []string{"a"}, TTLs: []float64{1}, Authority: []string{"ns"}, AnswerSize: 9}
	}
	if all || typ == TypeFlow {
		ev.Flow = Flow{Service: "s", Duration: 1, OrigBytes: 2, RespBytes: 3, OrigPkts: 4, RespPkts: 5, ConnState: "S0", History: "h",
			LocalOrig: true, LocalResp: true, App: "a", AppConfidence: "c", AppEvidence: "e"}
	}
	if all || typ == TypeICMP {
		ev.ICMP = ICMP{Type: 1, Code: 2, ID: 3, Seq: 4, PayloadLen: 5, PayloadEntropy: 6, PayloadDigest: 7}
	}
	if all || typ == TypeHTTP {
		ev.HTTP = HTTP{Host: "h", URI: "u", Method: "m", Status: 1, UserAgent: "ua", Referrer: "r", ContentType: "c", ReqBytes: 2, RespBytes: 3}
	}
	if all || typ == TypeTLS {
		ev.TLS = TLS{SNI: "s", Version: "v", JA3: "j", JA3S: "js", Subject: "su", Issuer: "i", NotBefore: time.Unix(1, 0),
			NotAfter: time.Unix(2, 0), ValidationStatus: "ok", Established: true}
	}
	return ev
}

// TestResetClears checks that Reset leaves an event of every type (and of
// types it does not know, whose sub-structs may all be set) as a zero
// event is after Reset, with its slices' capacity kept.
func TestResetClears(t *testing.T) {
	var want Event
	want.Reset()
	for typ := TypeUnknown; typ <= TypeTLS+1; typ++ {
		ev := filledEvent(typ)
		ev.DNS.Answers = append(make([]string, 0, 8), ev.DNS.Answers...)
		ev.Reset()
		if len(ev.DNS.Answers) != 0 || cap(ev.DNS.Answers) != 8 {
			t.Errorf("type %d: answers %v (capacity %d), want emptied with their capacity", typ, ev.DNS.Answers, cap(ev.DNS.Answers))
		}
		ev.DNS.Answers, ev.DNS.TTLs, ev.DNS.Authority = nil, nil, nil
		if !reflect.DeepEqual(ev, want) {
			t.Errorf("type %d: Reset left %+v", typ, ev)
		}
	}
}
