package record

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// BenchmarkMapperFields is the Fluent Bit path: one already-parsed Zeek
// dns record handed over field by field.
func BenchmarkMapperFields(b *testing.B) {
	type kv struct {
		k []byte
		v Value
	}
	fields := []kv{
		{[]byte("ts"), Float(1517336042.279652)}, {[]byte("uid"), String([]byte("CVvreZ2AGtqjnP3nnl"))},
		{[]byte("id.orig_h"), String([]byte("192.168.88.2"))}, {[]byte("id.orig_p"), Int(55638)},
		{[]byte("id.resp_h"), String([]byte("165.227.88.15"))}, {[]byte("id.resp_p"), Int(53)},
		{[]byte("proto"), String([]byte("udp"))}, {[]byte("trans_id"), Int(42937)}, {[]byte("rtt"), Float(0.069982)},
		{[]byte("query"), String([]byte("6dde0175375169c68f.dnsc.example.com"))}, {[]byte("qclass"), Int(1)},
		{[]byte("qtype"), Int(16)}, {[]byte("qtype_name"), String([]byte("TXT"))}, {[]byte("rcode"), Int(0)},
		{[]byte("rcode_name"), String([]byte("NOERROR"))}, {[]byte("AA"), Bool(false)}, {[]byte("TC"), Bool(false)},
		{[]byte("RD"), Bool(true)}, {[]byte("RA"), Bool(true)}, {[]byte("answers"), String([]byte("TXT 18 302f017537c68f5169"))},
		{[]byte("TTLs"), Float(60)},
	}
	m := NewMapper(InputAuto)
	var ev scoring.Event
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.Begin(time.Time{})
		for _, f := range fields {
			m.Field(f.k, &f.v)
		}
		if err := m.End(&ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkZeekJSONLine is one Zeek JSON dns.log line through FeedJSON.
func BenchmarkZeekJSONLine(b *testing.B) {
	line := []byte(strings.Split(jsonDNS, "\n")[0])
	m := NewMapper(InputZeek)
	var ev scoring.Event
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.Begin(time.Time{})
		if err := m.FeedJSON(line); err != nil {
			b.Fatal(err)
		}
		if err := m.End(&ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMapJSON is the sidecar's former path (a record decoded by
// encoding/json into a map), kept to compare with BenchmarkZeekJSONLine.
func BenchmarkMapJSON(b *testing.B) {
	var rec map[string]any
	if err := json.Unmarshal([]byte(strings.Split(jsonDNS, "\n")[1]), &rec); err != nil {
		b.Fatal(err)
	}
	m := NewMapper(InputAuto)
	var ev scoring.Event
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := MapJSON(m, rec, time.Time{}, &ev); err != nil {
			b.Fatal(err)
		}
	}
}
