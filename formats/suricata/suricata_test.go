package suricata

import (
	"encoding/json"
	"io"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/formatstest"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// eve is an eve.json written for these tests: dns in the v1, v2 and v3
// layouts, flow (TCP and ICMP), http, tls, events nfr skips, and a line
// with a masked timestamp.
const eve = `{"timestamp":"2017-01-01T10:00:00.123456+0100","flow_id":1234567890123,"event_type":"dns","src_ip":"10.0.0.5","src_port":51000,"dest_ip":"10.0.0.53","dest_port":53,"proto":"UDP","dns":{"type":"query","id":4660,"rrname":"www.example.com","rrtype":"A","tx_id":0}}
{"timestamp":"2017-01-01T10:00:00.223456+0100","flow_id":1234567890123,"event_type":"dns","src_ip":"10.0.0.53","src_port":53,"dest_ip":"10.0.0.5","dest_port":51000,"proto":"UDP","dns":{"type":"answer","id":4660,"rcode":"NOERROR","rrname":"www.example.com","rrtype":"A","ttl":300,"rdata":"192.0.2.1"}}
{"timestamp":"2017-01-01T09:00:01.000000+0000","flow_id":2,"event_type":"dns","src_ip":"10.0.0.53","src_port":53,"dest_ip":"10.0.0.6","dest_port":52000,"proto":"UDP","dns":{"type":"answer","id":1,"rcode":"NXDOMAIN","rrname":"nx.example.com"}}
{"timestamp":"2017-01-01T09:00:02.000000+0000","flow_id":3,"event_type":"dns","src_ip":"10.0.0.53","src_port":53,"dest_ip":"10.0.0.7","dest_port":53000,"proto":"UDP","dns":{"version":2,"type":"answer","id":4661,"flags":"8180","qr":true,"rd":true,"ra":true,"rrname":"example.org","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"example.org","rrtype":"CNAME","ttl":60,"rdata":"cdn.example.net"},{"rrname":"cdn.example.net","rrtype":"A","ttl":20,"rdata":"198.51.100.7"}],"grouped":{"CNAME":["cdn.example.net"],"A":["198.51.100.7"]}}}
{"timestamp":"2017-01-01T09:00:03.000000+0000","flow_id":4,"event_type":"dns","src_ip":"2001:db8::53","src_port":53,"dest_ip":"2001:db8::7","dest_port":53001,"proto":"UDP","dns":{"version":2,"type":"answer","id":5,"rcode":"NOERROR","rrname":"g.example","rrtype":"AAAA","grouped":{"AAAA":["2001:db8::1"]}}}
{"timestamp":"2017-01-01T09:00:04.000000+0000","flow_id":5,"event_type":"dns","src_ip":"10.0.0.8","src_port":53002,"dest_ip":"10.0.0.53","dest_port":53,"proto":"UDP","dns":{"version":3,"type":"request","id":7,"queries":[{"rrname":"q.example","rrtype":"TXT"}]}}
{"timestamp":"2017-01-01T09:00:05.000000+0000","flow_id":99,"event_type":"flow","src_ip":"10.0.0.5","src_port":40000,"dest_ip":"203.0.113.9","dest_port":443,"proto":"TCP","app_proto":"tls","flow":{"pkts_toserver":10,"pkts_toclient":8,"bytes_toserver":1200,"bytes_toclient":5400,"start":"2017-01-01T09:00:00.500000+0000","end":"2017-01-01T09:00:04.750000+0000","age":4,"state":"closed","reason":"timeout","alerted":false},"tcp":{"tcp_flags":"1b","syn":true,"state":"closed"}}
{"timestamp":"2017-01-01T09:00:06.000000+0000","flow_id":100,"event_type":"flow","src_ip":"10.0.0.5","dest_ip":"10.0.0.1","proto":"ICMP","icmp_type":8,"icmp_code":0,"flow":{"pkts_toserver":4,"pkts_toclient":4,"bytes_toserver":392,"bytes_toclient":392,"start":"2017-01-01T09:00:00.000000+0000","end":"2017-01-01T09:00:00.000000+0000","age":3}}
{"timestamp":"2017-01-01T09:00:07.000000+0000","flow_id":101,"event_type":"http","src_ip":"10.0.0.5","src_port":40001,"dest_ip":"203.0.113.10","dest_port":80,"proto":"TCP","http":{"hostname":"www.example.com","url":"/index.html","http_user_agent":"curl/8.0","http_content_type":"text/html","http_refer":"http://a.example/","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":1024}}
{"timestamp":"2017-01-01T09:00:08.000000+0000","flow_id":102,"event_type":"tls","src_ip":"10.0.0.5","src_port":40002,"dest_ip":"203.0.113.11","dest_port":443,"proto":"TCP","tls":{"subject":"CN=www.example.com","issuerdn":"CN=Example CA","sni":"www.example.com","version":"TLS 1.2","notbefore":"2016-08-31T00:00:00","notafter":"2026-08-31T23:59:59","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865","string":"771,4865"},"ja3s":{"hash":"f4febc55ea12b31ae17cfb7e614afda8","string":"771,4865"}}}
{"timestamp":"2017-01-01T09:00:09.000000+0000","event_type":"alert","src_ip":"10.0.0.5","dest_ip":"10.0.0.1","alert":{"signature":"x"}}
{"timestamp":"2017-01-01T09:00:10.000000+0000","event_type":"stats","stats":{"uptime":10}}

{"timestamp":"XXXX-XX-XXTXX:XX:XX.XXXXXX+0000","event_type":"dns","src_ip":"10.0.0.5","dest_ip":"10.0.0.53","dns":{"type":"query","rrname":"m.example"}}
{"timestamp":"2017-01-01T09:00:11.000000+0000","event_type":"dns",
`

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func ev(at, uid string, typ scoring.EventType, origin, src string, sp uint16, dst string, dp uint16, proto scoring.Proto) scoring.Event {
	return scoring.Event{Time: ts(at), Type: typ, Origin: origin, UID: uid, SrcIP: netip.MustParseAddr(src), DstIP: netip.MustParseAddr(dst),
		SrcPort: sp, DstPort: dp, Proto: proto, DNS: scoring.DNS{Rcode: scoring.RcodeUnknown}}
}

func wantEve() []scoring.Event {
	dns := func(e scoring.Event, d scoring.DNS) scoring.Event { e.DNS = d; return e }
	u := scoring.RcodeUnknown
	flow := ev("2017-01-01T09:00:05Z", "99", scoring.TypeFlow, "suricata:flow", "10.0.0.5", 40000, "203.0.113.9", 443, scoring.ProtoTCP)
	flow.Flow = scoring.Flow{Service: "tls", Duration: 4250 * time.Millisecond, OrigBytes: 1200, RespBytes: 5400, OrigPkts: 10, RespPkts: 8}
	icmp := ev("2017-01-01T09:00:06Z", "100", scoring.TypeFlow, "suricata:flow", "10.0.0.5", 8, "10.0.0.1", 0, scoring.ProtoICMP)
	icmp.Flow = scoring.Flow{Duration: 3 * time.Second, OrigBytes: 392, RespBytes: 392, OrigPkts: 4, RespPkts: 4}
	http := ev("2017-01-01T09:00:07Z", "101", scoring.TypeHTTP, "suricata:http", "10.0.0.5", 40001, "203.0.113.10", 80, scoring.ProtoTCP)
	http.HTTP = scoring.HTTP{Host: "www.example.com", URI: "/index.html", Method: "GET", Status: 200, UserAgent: "curl/8.0",
		Referrer: "http://a.example/", ContentType: "text/html", RespBytes: 1024}
	tls := ev("2017-01-01T09:00:08Z", "102", scoring.TypeTLS, "suricata:tls", "10.0.0.5", 40002, "203.0.113.11", 443, scoring.ProtoTCP)
	tls.TLS = scoring.TLS{SNI: "www.example.com", Version: "TLS 1.2", JA3: "e7d705a3286e19ea42f587b344ee6865", JA3S: "f4febc55ea12b31ae17cfb7e614afda8",
		Subject: "CN=www.example.com", Issuer: "CN=Example CA", NotBefore: ts("2016-08-31T00:00:00Z"), NotAfter: ts("2026-08-31T23:59:59Z")}
	return []scoring.Event{
		dns(ev("2017-01-01T09:00:00.123456Z", "1234567890123", scoring.TypeDNS, "suricata:dns", "10.0.0.5", 51000, "10.0.0.53", 53, scoring.ProtoUDP),
			scoring.DNS{Query: "www.example.com", QType: 1, Rcode: u}),
		// Answers are turned around: the source is the client that asked.
		dns(ev("2017-01-01T09:00:00.223456Z", "1234567890123", scoring.TypeDNS, "suricata:dns", "10.0.0.5", 51000, "10.0.0.53", 53, scoring.ProtoUDP),
			scoring.DNS{Query: "www.example.com", QType: 1, Rcode: 0, Response: true, Answers: []string{"192.0.2.1"}}),
		dns(ev("2017-01-01T09:00:01Z", "2", scoring.TypeDNS, "suricata:dns", "10.0.0.6", 52000, "10.0.0.53", 53, scoring.ProtoUDP),
			scoring.DNS{Query: "nx.example.com", Rcode: scoring.RcodeNXDomain, Response: true}),
		dns(ev("2017-01-01T09:00:02Z", "3", scoring.TypeDNS, "suricata:dns", "10.0.0.7", 53000, "10.0.0.53", 53, scoring.ProtoUDP),
			scoring.DNS{Query: "example.org", QType: 1, Rcode: 0, Response: true,
				Answers: []string{"cdn.example.net", "198.51.100.7"}}),
		dns(ev("2017-01-01T09:00:03Z", "4", scoring.TypeDNS, "suricata:dns", "2001:db8::7", 53001, "2001:db8::53", 53, scoring.ProtoUDP),
			scoring.DNS{Query: "g.example", QType: 28, Rcode: 0, Response: true, Answers: []string{"2001:db8::1"}}),
		dns(ev("2017-01-01T09:00:04Z", "5", scoring.TypeDNS, "suricata:dns", "10.0.0.8", 53002, "10.0.0.53", 53, scoring.ProtoUDP),
			scoring.DNS{Query: "q.example", QType: 16, Rcode: u}),
		flow, icmp, http, tls,
	}
}

func TestEve(t *testing.T) {
	r := NewReader(strings.NewReader(eve), "eve.json")
	got, bad, err := formatstest.ReadAll(r.Next)
	if err != nil {
		t.Fatal(err)
	}
	want := wantEve()
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(formatstest.Normalize(got[i]), formatstest.Normalize(want[i])) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	wantBad := []string{
		`eve.json:14: bad timestamp: timestamp=XXXX-XX-XXTXX:XX:XX.XXXXXX+0000`,
		`eve.json:15: bad json: expected a key at byte 66`,
	}
	if !reflect.DeepEqual(bad, wantBad) {
		t.Errorf("bad lines %q, want %q", bad, wantBad)
	}
	st := r.Stats()
	if st.Lines != 15 || st.Events != 10 || st.Skipped[record.SkipUnsupported] != 2 || st.Skipped[record.SkipBlank] != 1 {
		t.Errorf("stats %+v", st)
	}
}

// The record mapper (Fluent Bit, Vector) gives the same events.
func TestEveThroughMapper(t *testing.T) {
	m := record.NewMapper(record.InputAuto)
	want := wantEve()
	i := 0
	for _, line := range strings.Split(eve, "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue
		}
		var e scoring.Event
		err := record.MapJSON(m, rec, time.Time{}, &e)
		if _, skip := record.IsSkip(err); skip || err != nil {
			continue
		}
		if i >= len(want) || !reflect.DeepEqual(formatstest.Normalize(e.Clone()), formatstest.Normalize(want[i])) {
			t.Errorf("record %d: %+v", i, e)
		}
		i++
	}
	if i != len(want) {
		t.Errorf("%d events, want %d", i, len(want))
	}
}

func TestTCPConnStateFromFlags(t *testing.T) {
	const flows = `{"timestamp":"2024-01-01T00:00:00Z","event_type":"flow","src_ip":"10.0.0.5","src_port":1,"dest_ip":"10.0.0.9","dest_port":22,"proto":"TCP","flow":{"pkts_toserver":1,"pkts_toclient":0},"tcp":{"tcp_flags":"02","tcp_flags_ts":"02","syn":true}}
{"timestamp":"2024-01-01T00:00:00Z","event_type":"flow","src_ip":"10.0.0.5","src_port":2,"dest_ip":"10.0.0.9","dest_port":23,"proto":"TCP","flow":{"pkts_toserver":1,"pkts_toclient":1},"tcp":{"tcp_flags":"16","tcp_flags_ts":"02","tcp_flags_tc":"14"}}
{"timestamp":"2024-01-01T00:00:00Z","event_type":"flow","src_ip":"10.0.0.5","src_port":3,"dest_ip":"10.0.0.9","dest_port":80,"proto":"TCP","flow":{"pkts_toserver":5,"pkts_toclient":4},"tcp":{"tcp_flags":"1b","tcp_flags_ts":"1b","tcp_flags_tc":"1b"}}
{"timestamp":"2024-01-01T00:00:00Z","event_type":"flow","src_ip":"10.0.0.5","src_port":4,"dest_ip":"10.0.0.9","dest_port":80,"proto":"TCP","flow":{"pkts_toserver":5,"pkts_toclient":4},"tcp":{"tcp_flags":"18","tcp_flags_ts":"18","tcp_flags_tc":"18"}}
`
	r := NewReader(strings.NewReader(flows), "eve.json")
	var states []string
	for {
		var e scoring.Event
		err := r.Next(&e)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		states = append(states, e.Flow.ConnState)
	}
	// A SYN without reply, a SYN reset, a full open and close, and
	// midstream traffic whose state the flags do not tell.
	if want := []string{"S0", "REJ", "SF", ""}; !reflect.DeepEqual(states, want) {
		t.Errorf("states %q, want %q", states, want)
	}
}
