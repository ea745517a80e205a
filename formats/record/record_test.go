package record_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	_ "github.com/netflightrecorder/nfr/formats/dialects"
	"github.com/netflightrecorder/nfr/formats/msdns"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/formats/suricata"
	"github.com/netflightrecorder/nfr/formats/zeek"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/formatstest"
	"github.com/netflightrecorder/nfr/scoring"
)

// The same three Zeek records written as TSV, flat JSON and nested JSON.
const tsvDNS = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n" +
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\n" +
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\n" +
	"1517336042.279652\tCVvreZ2AGtqjnP3nnl\t192.168.88.2\t55638\t165.227.88.15\t53\tudp\t42937\t0.069982\tx.example.com\t1\t16\tTXT\t0\tNOERROR\tF\tF\tT\tT\t0\tTXT 18 302f017537c68f5169\t60.000000\n" +
	"1517336043.000001\tC2\tfe80::1\t5353\tff02::fb\t5353\tudp\t0\t-\tprinter.local\t1\t28\tAAAA\t-\t-\tF\tF\tF\tF\t0\t-\t-\n" +
	"1517336044.5\tC3\t10.0.0.1\t40000\t10.0.0.53\t53\tudp\t7\t0.000392\twww.example.org\t1\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\twww.cdn.example,192.0.2.7\t124.000000,2156.000000\n"

const jsonDNS = `{"ts": 1517336042.279652, "uid": "CVvreZ2AGtqjnP3nnl", "id.orig_h": "192.168.88.2", "id.orig_p": 55638, "id.resp_h": "165.227.88.15", "id.resp_p": 53, "proto": "udp", "trans_id": 42937, "rtt": 0.069982, "query": "x.example.com", "qclass": 1, "qtype": 16, "qtype_name": "TXT", "rcode": 0, "rcode_name": "NOERROR", "AA": false, "TC": false, "RD": true, "RA": true, "Z": 0, "answers": ["TXT 18 302f017537c68f5169"], "TTLs": [60.000000]}
{"ts": "2018-01-30T18:14:03.000001Z", "uid": "C2", "id": {"orig_h": "fe80::1", "orig_p": 5353, "resp_h": "ff02::fb", "resp_p": 5353}, "proto": "udp", "trans_id": 0, "query": "printer.local", "qclass": 1, "qtype": 28, "qtype_name": "AAAA", "AA": false, "TC": false, "RD": false, "RA": false, "Z": 0}
{"_path":"dns","ts":1517336044.5,"uid":"C3","id.orig_h":"10.0.0.1","id.orig_p":40000,"id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","trans_id":7,"rtt":0.000392,"query":"www.example.org","qclass":1,"qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","AA":false,"TC":false,"RD":true,"RA":true,"Z":0,"answers":["www.cdn.example","192.0.2.7"],"TTLs":[124.0,2156.0]}
`

func wantDNS() []scoring.Event {
	ev := func(ts time.Time, uid, src string, sp uint16, dst string, dp uint16) scoring.Event {
		return scoring.Event{Time: ts, Type: scoring.TypeDNS, Origin: "zeek:dns", UID: uid,
			SrcIP: netip.MustParseAddr(src), DstIP: netip.MustParseAddr(dst), SrcPort: sp, DstPort: dp, Proto: scoring.ProtoUDP}
	}
	a := ev(time.Unix(1517336042, 279652000).UTC(), "CVvreZ2AGtqjnP3nnl", "192.168.88.2", 55638, "165.227.88.15", 53)
	// The logs' trans_id, rtt, qclass, AA to RA and TTLs are not read (no
	// detector reads them: scoring.DNS).
	a.DNS = scoring.DNS{Query: "x.example.com", QType: 16, Rcode: 0, Response: true,
		Answers: []string{"TXT 18 302f017537c68f5169"}, TTLs: []float64{}, Authority: []string{}}
	b := ev(time.Unix(1517336043, 1000).UTC(), "C2", "fe80::1", 5353, "ff02::fb", 5353)
	b.DNS = scoring.DNS{Query: "printer.local", QType: 28, Rcode: scoring.RcodeUnknown, Answers: []string{}, TTLs: []float64{}, Authority: []string{}}
	c := ev(time.Unix(1517336044, 500000000).UTC(), "C3", "10.0.0.1", 40000, "10.0.0.53", 53)
	c.DNS = scoring.DNS{Query: "www.example.org", QType: 1, Rcode: 0, Response: true,
		Answers: []string{"www.cdn.example", "192.0.2.7"}, TTLs: []float64{}, Authority: []string{}}
	return []scoring.Event{a, b, c}
}

// decodeTSV runs the TSV header state and the record.Mapper over text.
func decodeTSV(t *testing.T, text string) []scoring.Event {
	t.Helper()
	m := record.NewMapper(zeek.Input)
	var tsv zeek.TSV
	var out []scoring.Event
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			tsv.Header([]byte(line))
			continue
		}
		m.Begin(time.Time{})
		if err := tsv.Feed(m, []byte(line)); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		var ev scoring.Event
		ev.Reset()
		if err := m.End(&ev); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		out = append(out, ev.Clone())
	}
	return out
}

func decodeJSONLines(t *testing.T, in record.Input, text string) []scoring.Event {
	t.Helper()
	m := record.NewMapper(in)
	var out []scoring.Event
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		m.Begin(time.Time{})
		if err := m.FeedJSON(sc.Bytes()); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		var ev scoring.Event
		if err := m.End(&ev); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		out = append(out, ev.Clone())
	}
	return out
}

func mapJSONLines(t *testing.T, in record.Input, text string) []scoring.Event {
	t.Helper()
	m := record.NewMapper(in)
	var out []scoring.Event
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		var ev scoring.Event
		if err := record.MapJSON(m, rec, time.Time{}, &ev); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		out = append(out, ev.Clone())
	}
	return out
}

func sameEvents(t *testing.T, what string, got, want []scoring.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d events, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(formatstest.Normalize(got[i]), formatstest.Normalize(want[i])) {
			t.Errorf("%s: event %d:\n got %+v\nwant %+v", what, i, got[i], want[i])
		}
	}
}

func TestZeekDNSSameEventsFromTSVAndJSON(t *testing.T) {
	want := wantDNS()
	sameEvents(t, "tsv", decodeTSV(t, tsvDNS), want)
	sameEvents(t, "json line", decodeJSONLines(t, zeek.Input, jsonDNS), want)
	sameEvents(t, "json map", mapJSONLines(t, record.InputAuto, jsonDNS), want)
}

const tsvConn = "#separator |\n#set_separator|;\n#empty_field|EMPTY\n#unset_field|NONE\n#path|conn\n" +
	"#fields|ts|uid|id.orig_h|id.orig_p|id.resp_h|id.resp_p|proto|service|duration|orig_bytes|resp_bytes|conn_state|local_orig|local_resp|missed_bytes|history|orig_pkts|orig_ip_bytes|resp_pkts|resp_ip_bytes|tunnel_parents\n" +
	"#types|time|string|addr|port|addr|port|enum|string|interval|count|count|string|bool|bool|count|string|count|count|count|count|set[string]\n" +
	"1517422326.539915|CxHo|10.55.100.100|61843|205.204.101.182|80|tcp|http|108.985496|719|336|SF|T|F|20|ShADadfF|10|1131|4|508|NONE\n" +
	"1517422327|Cicmp|10.0.0.2|8|10.0.0.1|0|icmp|EMPTY|NONE|NONE|NONE|OTH|F|F|0|NONE|1|84|0|0|EMPTY\n"

const jsonConn = `{"ts":1517422326.539915,"uid":"CxHo","id.orig_h":"10.55.100.100","id.orig_p":61843,"id.resp_h":"205.204.101.182","id.resp_p":80,"proto":"tcp","service":"http","duration":108.985496,"orig_bytes":719,"resp_bytes":336,"conn_state":"SF","local_orig":true,"local_resp":false,"missed_bytes":20,"history":"ShADadfF","orig_pkts":10,"orig_ip_bytes":1131,"resp_pkts":4,"resp_ip_bytes":508,"_path":"conn"}
{"ts":1517422327,"uid":"Cicmp","id.orig_h":"10.0.0.2","id.orig_p":8,"id.resp_h":"10.0.0.1","id.resp_p":0,"proto":"icmp","service":"","conn_state":"OTH","local_orig":false,"local_resp":false,"missed_bytes":0,"orig_pkts":1,"orig_ip_bytes":84,"resp_pkts":0,"resp_ip_bytes":0,"tunnel_parents":[]}
`

func TestZeekConnSameEventsFromTSVAndJSON(t *testing.T) {
	a := scoring.Event{Time: time.Unix(1517422326, 539915000).UTC(), Type: scoring.TypeFlow, Origin: "zeek:conn", UID: "CxHo",
		SrcIP: netip.MustParseAddr("10.55.100.100"), DstIP: netip.MustParseAddr("205.204.101.182"), SrcPort: 61843, DstPort: 80, Proto: scoring.ProtoTCP,
		Flow: scoring.Flow{Service: "http", Duration: 108985496 * time.Microsecond, OrigBytes: 719, RespBytes: 336, OrigPkts: 10, RespPkts: 4,
			ConnState: "SF", History: "ShADadfF", LocalOrig: true}}
	// ICMP stays a flow; the ports hold the ICMP type (8, echo) and code.
	b := scoring.Event{Time: time.Unix(1517422327, 0).UTC(), Type: scoring.TypeFlow, Origin: "zeek:conn", UID: "Cicmp",
		SrcIP: netip.MustParseAddr("10.0.0.2"), DstIP: netip.MustParseAddr("10.0.0.1"), SrcPort: 8, Proto: scoring.ProtoICMP,
		Flow: scoring.Flow{OrigPkts: 1, ConnState: "OTH"}}
	for _, e := range []*scoring.Event{&a, &b} {
		e.DNS = scoring.DNS{Rcode: scoring.RcodeUnknown, Answers: []string{}, TTLs: []float64{}, Authority: []string{}}
	}
	want := []scoring.Event{a, b}
	sameEvents(t, "tsv", decodeTSV(t, tsvConn), want)
	sameEvents(t, "json line", decodeJSONLines(t, zeek.Input, jsonConn), want)
	sameEvents(t, "json map", mapJSONLines(t, zeek.Input, jsonConn), want)
}

const jsonHTTPSSL = `{"ts":1517422328.146198,"uid":"CB9","id.orig_h":"10.55.100.105","id.orig_p":52261,"id.resp_h":"205.204.101.182","id.resp_p":80,"trans_depth":1,"method":"GET","host":"gm.example.com","uri":"/a?b=c","referrer":"http://www.example.com/","version":"1.1","user_agent":"Mozilla/5.0","request_body_len":0,"response_body_len":43,"status_code":200,"resp_mime_types":["image/gif","text/plain"],"_path":"http"}
{"ts":1517422336.04539,"uid":"C2n","id.orig_h":"10.55.100.111","id.orig_p":57488,"id.resp_h":"208.89.12.153","id.resp_p":443,"version":"TLSv12","server_name":"lptag.example.net","established":true,"subject":"CN=*.example.net,O=Ex\\, Inc","issuer":"CN=CA","validation_status":"ok","ja3":"10ee8d30a5d01c042afd7b2b205facc4","ja3s":"b898351eb5e266aefd3723d466935494"}
`

func TestZeekHTTPAndSSL(t *testing.T) {
	empty := scoring.DNS{Rcode: scoring.RcodeUnknown, Answers: []string{}, TTLs: []float64{}, Authority: []string{}}
	h := scoring.Event{Time: time.Unix(1517422328, 146198000).UTC(), Type: scoring.TypeHTTP, Origin: "zeek:http", UID: "CB9",
		SrcIP: netip.MustParseAddr("10.55.100.105"), DstIP: netip.MustParseAddr("205.204.101.182"), SrcPort: 52261, DstPort: 80, Proto: scoring.ProtoTCP,
		DNS: empty, HTTP: scoring.HTTP{Host: "gm.example.com", URI: "/a?b=c", Method: "GET", Status: 200, UserAgent: "Mozilla/5.0",
			Referrer: "http://www.example.com/", ContentType: "image/gif", RespBytes: 43}}
	s := scoring.Event{Time: time.Unix(1517422336, 45390000).UTC(), Type: scoring.TypeTLS, Origin: "zeek:ssl", UID: "C2n",
		SrcIP: netip.MustParseAddr("10.55.100.111"), DstIP: netip.MustParseAddr("208.89.12.153"), SrcPort: 57488, DstPort: 443, Proto: scoring.ProtoTCP,
		DNS: empty, TLS: scoring.TLS{SNI: "lptag.example.net", Version: "TLSv12", JA3: "10ee8d30a5d01c042afd7b2b205facc4",
			JA3S: "b898351eb5e266aefd3723d466935494", Subject: "CN=*.example.net,O=Ex\\, Inc", Issuer: "CN=CA", ValidationStatus: "ok", Established: true}}
	want := []scoring.Event{h, s}
	sameEvents(t, "json line", decodeJSONLines(t, zeek.Input, jsonHTTPSSL), want)
	sameEvents(t, "json map", mapJSONLines(t, record.InputAuto, jsonHTTPSSL), want)
}

func TestSnifferRecords(t *testing.T) {
	const lines = `{"_type":"dns","ts":1700000000.25,"id.orig_h":"10.1.1.1","id.orig_p":5353,"id.resp_h":"10.1.1.53","id.resp_p":53,"proto":"udp","trans_id":9,"query":"a.example","qtype":16,"rcode":3,"is_response":true,"auth":["ns1.example"],"resp_len":120}
{"_type":"icmp","ts":1700000001,"id.orig_h":"10.1.1.1","id.resp_h":"10.1.1.2","proto":"icmp","icmp_type":8,"icmp_code":0,"icmp_id":77,"icmp_seq":3,"payload_len":448,"payload_entropy":7.5,"payload_digest":"00000000deadbeef"}
{"_type":"flow","ts":1700000002,"id.orig_h":"10.1.1.1","id.orig_p":4000,"id.resp_h":"10.1.1.2","id.resp_p":22,"proto":"tcp","duration":1.5,"orig_bytes":10,"resp_bytes":0,"orig_pkts":1,"resp_pkts":1,"conn_state":"REJ"}
`
	got := decodeJSONLines(t, record.InputAuto, lines)
	if len(got) != 3 {
		t.Fatalf("%d events", len(got))
	}
	d, i, f := got[0], got[1], got[2]
	if d.Type != scoring.TypeDNS || d.Origin != "sniffer:dns" || d.DNS.Rcode != scoring.RcodeNXDomain || !d.DNS.Response ||
		d.DNS.AnswerSize != 120 || !reflect.DeepEqual(d.DNS.Authority, []string{"ns1.example"}) || d.DNS.QType != 16 {
		t.Errorf("dns: %+v", d)
	}
	wantICMP := scoring.ICMP{Type: 8, ID: 77, Seq: 3, PayloadLen: 448, PayloadEntropy: 7.5, PayloadDigest: 0xdeadbeef}
	if i.Type != scoring.TypeICMP || i.Origin != "sniffer:icmp" || i.ICMP != wantICMP || i.Proto != scoring.ProtoICMP {
		t.Errorf("icmp: %+v", i)
	}
	if f.Type != scoring.TypeFlow || f.Origin != "sniffer:flow" || f.Flow.ConnState != "REJ" || f.Flow.Duration != 1500*time.Millisecond || f.DstPort != 22 {
		t.Errorf("flow: %+v", f)
	}
	sameEvents(t, "map", mapJSONLines(t, record.InputSniffer, lines), got)
}

func TestBadRecordsAreLineErrors(t *testing.T) {
	cases := []struct{ line, reason string }{
		{`{"ts":"XXXXXXXXXX.XXXXXX","id.orig_h":"10.0.0.1","query":"a.example"}`, "bad timestamp"},
		{`{"ts":1,"id.orig_h":"10.0.0.300","query":"a.example"}`, "bad address"},
		{`{"ts":1,"id.orig_h":"10.0.0.1","id.orig_p":70000,"query":"a.example"}`, "bad port"},
		{`{"ts":1,"id.orig_h":"10.0.0.1","is_response":"maybe","query":"a.example"}`, "bad bool"},
		{`{"id.orig_h":"10.0.0.1","query":"a.example"}`, "missing timestamp"},
		{`{"ts":1,"something":"else"}`, "unrecognised record"},
	}
	m := record.NewMapper(record.InputAuto)
	for _, c := range cases {
		m.Begin(time.Time{})
		if err := m.FeedJSON([]byte(c.line)); err != nil {
			t.Fatal(err)
		}
		var ev scoring.Event
		err := m.End(&ev)
		le, ok := err.(*formats.LineError)
		if !ok || le.Reason != c.reason {
			t.Errorf("%s: got %v, want reason %q", c.line, err, c.reason)
		}
	}
	for _, bad := range []string{`{"ts":1`, `[1,2]`, `{"a":tru}`, `{"a":"\x"}`, `{"a":1} x`, strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40)} {
		m.Begin(time.Time{})
		if err := m.FeedJSON([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		} else if le, ok := err.(*formats.LineError); !ok || le.Reason != "bad json" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestTransportTimeAndSkips(t *testing.T) {
	m := record.NewMapper(record.InputAuto)
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	m.Begin(at)
	m.Field([]byte("id.orig_h"), ptrTo(record.String([]byte("10.0.0.1"))))
	m.Field([]byte("query"), ptrTo(record.String([]byte("a.example"))))
	var ev scoring.Event
	if err := m.End(&ev); err != nil || !ev.Time.Equal(at) || ev.DNS.Query != "a.example" || ev.DNS.Response {
		t.Fatalf("%v %+v", err, ev)
	}
	// A shipper's stamp ("date", "@timestamp") stands in for a missing
	// record time, never for a present one.
	for _, tc := range []struct{ rec, want string }{
		{`{"id.orig_h":"10.0.0.1","query":"a.example","date":"2024-05-02T10:00:00.5Z"}`, "2024-05-02T10:00:00.5Z"},
		{`{"@timestamp":"2024-05-03T10:00:00Z","id.orig_h":"10.0.0.1","query":"a.example"}`, "2024-05-03T10:00:00Z"},
		{`{"ts":1714557600,"date":"2024-05-02T10:00:00Z","id.orig_h":"10.0.0.1","query":"a.example"}`, "2024-05-01T10:00:00Z"},
	} {
		m.Begin(at)
		if err := m.FeedJSON([]byte(tc.rec)); err != nil {
			t.Fatal(err)
		}
		if err := m.End(&ev); err != nil || ev.Time.Format(time.RFC3339Nano) != tc.want {
			t.Errorf("%s: time %v (%v), want %s", tc.rec, ev.Time, err, tc.want)
		}
	}
	for _, rec := range []string{`{"event_type":"alert","src_ip":"10.0.0.1","timestamp":"2024-01-01T00:00:00.000000+0000"}`,
		`{"_path":"files","ts":1,"id.orig_h":"10.0.0.1"}`} {
		m.Begin(time.Time{})
		if err := m.FeedJSON([]byte(rec)); err != nil {
			t.Fatal(err)
		}
		if kind, ok := record.IsSkip(m.End(&ev)); !ok || kind != record.SkipUnsupported {
			t.Errorf("%s: not skipped as unsupported (%q)", rec, kind)
		}
	}
}

// A record that only carries a raw line ("log" from Fluent Bit tail, or
// "message" from Vector) is decoded like the line itself, keeping the TSV
// header between records.
func TestRawLogLines(t *testing.T) {
	m := record.NewMapper(zeek.Input)
	var got []scoring.Event
	for _, line := range strings.Split(strings.TrimSuffix(tsvDNS, "\n"), "\n") {
		m.Begin(time.Now())
		m.Field([]byte("log"), ptrTo(record.String([]byte(line))))
		var ev scoring.Event
		err := m.End(&ev)
		if kind, ok := record.IsSkip(err); ok {
			if kind != record.SkipHeader {
				t.Errorf("%q skipped as %q", line, kind)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		got = append(got, ev.Clone())
	}
	sameEvents(t, "raw tsv", got, wantDNS())

	// Vector's file source: message plus its own metadata keys.
	a := record.NewMapper(record.InputAuto)
	line := strings.Split(jsonDNS, "\n")[0]
	rec := map[string]any{"message": line, "host": "sensor1", "file": "/var/log/zeek/dns.log", "source_type": "file", "timestamp": "2024-01-01T00:00:00Z"}
	var ev scoring.Event
	if err := record.MapJSON(a, rec, time.Time{}, &ev); err != nil {
		t.Fatal(err)
	}
	sameEvents(t, "vector message", []scoring.Event{ev.Clone()}, wantDNS()[:1])
}

func TestParseInput(t *testing.T) {
	for s, want := range map[string]record.Input{"auto": record.InputAuto, "zeek": zeek.Input, "msdns": msdns.Input, "suricata": suricata.Input, "sniffer": record.InputSniffer, "": record.InputAuto} {
		if got, err := record.ParseInput(s); err != nil || got != want {
			t.Errorf("%q: %v %v", s, got, err)
		}
	}
	if _, err := record.ParseInput("bro"); err == nil {
		t.Error("bro accepted")
	}
}

func TestMapperDoesNotAllocatePerRecord(t *testing.T) {
	m := record.NewMapper(zeek.Input)
	var tsv zeek.TSV
	lines := strings.Split(strings.TrimSuffix(tsvDNS, "\n"), "\n")
	var data [][]byte
	for _, l := range lines {
		if strings.HasPrefix(l, "#") {
			tsv.Header([]byte(l))
		} else {
			data = append(data, []byte(l))
		}
	}
	var ev scoring.Event
	run := func() {
		for _, l := range data {
			m.Begin(time.Time{})
			_ = tsv.Feed(m, l)
			_ = m.End(&ev)
		}
	}
	run()
	// Only the uid strings (unique per connection) are new each time, and
	// they are carved from slabs of about a hundred.
	if a := testing.AllocsPerRun(20, run); a > float64(len(data)/50+1) {
		t.Errorf("%.1f allocations for %d records", a, len(data))
	}
}

// EndEvent hands out the same event End copies, for every kind of record:
// JSON lines of each type, raw lines (TSV with its header, MS DNS) and
// records that are not events.
func TestEndEventIsEnd(t *testing.T) {
	raw := strings.Split(strings.TrimSuffix(tsvDNS, "\n"), "\n")
	raw = append(raw, "6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b47   Q [0001   D   NOERROR] A      (7)example(3)com(0)")
	var lines []string
	for _, l := range strings.Split(jsonDNS+"\n"+jsonConn+"\n"+jsonHTTPSSL, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	lines = append(lines, `{"_path":"files","ts":1}`, `{"query":"no.time.example"}`)
	a, b := record.NewMapper(record.InputAuto), record.NewMapper(record.InputAuto)
	feed := func(m *record.Mapper, raw bool, line string) {
		m.Begin(time.Time{})
		if raw {
			m.Field([]byte("log"), ptrTo(record.String([]byte(line))))
		} else if err := m.FeedJSON([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	check := func(raw bool, line string) {
		feed(a, raw, line)
		var want scoring.Event
		wantErr := a.End(&want)
		feed(b, raw, line)
		got, err := b.EndEvent()
		// Printed, so that an empty slice equals a nil one.
		if (err == nil) != (wantErr == nil) || (err == nil && fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", want)) {
			t.Errorf("%.60s: EndEvent %+v, %v; End %+v, %v", line, got, err, want, wantErr)
		}
	}
	for _, l := range raw {
		check(true, l)
	}
	for _, l := range lines {
		check(false, l)
	}
}

func ptrTo(v record.Value) *record.Value { return &v }

// TestJSONEscapedKeys: keys with escapes, at the top level and nested,
// map as their plain spelling, also when a value's escapes are decoded in
// the same buffer right after.
func TestJSONEscapedKeys(t *testing.T) {
	plain := `{"ts":1517336042.5,"uid":"Cx","id":{"orig_h":"10.0.0.1","resp_h":"10.0.0.53"},"query":"abc.example","qtype_name":"A","answers":["192.0.2.1","x.example"],"TTLs":[60.0,30.5]}`
	escaped := `{"t\u0073":1517336042.5,"\u0075id":"C\u0078","i\u0064":{"orig_\u0068":"10.0.0.1","resp_h":"10.0.0.53"},"q\u0075ery":"a\u0062c.example","qtype_name":"\u0041","\u0061nswers":["192.0.2.1","x\u002eexample"],"TTLs":[60.0,30.5]}`
	var want, got scoring.Event
	m := record.NewMapper(zeek.Input)
	for _, c := range []struct {
		line string
		ev   *scoring.Event
	}{{plain, &want}, {escaped, &got}} {
		m.Begin(time.Time{})
		if err := m.FeedJSON([]byte(c.line)); err != nil {
			t.Fatal(err)
		}
		if err := m.End(c.ev); err != nil {
			t.Fatal(err)
		}
	}
	if want.DNS.Query == "" || len(want.DNS.Answers) != 2 || !want.SrcIP.IsValid() {
		t.Fatalf("plain line mapped to %+v", want)
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("escaped keys: %+v, want %+v", got, want)
	}
}
