package record_test

import (
	"encoding/json"
	_ "github.com/netflightrecorder/nfr/formats/dialects"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/formats/zeek"
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
		v record.Value
	}
	fields := []kv{
		{[]byte("ts"), record.Float(1517336042.279652)}, {[]byte("uid"), record.String([]byte("CVvreZ2AGtqjnP3nnl"))},
		{[]byte("id.orig_h"), record.String([]byte("192.168.88.2"))}, {[]byte("id.orig_p"), record.Int(55638)},
		{[]byte("id.resp_h"), record.String([]byte("165.227.88.15"))}, {[]byte("id.resp_p"), record.Int(53)},
		{[]byte("proto"), record.String([]byte("udp"))}, {[]byte("trans_id"), record.Int(42937)}, {[]byte("rtt"), record.Float(0.069982)},
		{[]byte("query"), record.String([]byte("6dde0175375169c68f.dnsc.example.com"))}, {[]byte("qclass"), record.Int(1)},
		{[]byte("qtype"), record.Int(16)}, {[]byte("qtype_name"), record.String([]byte("TXT"))}, {[]byte("rcode"), record.Int(0)},
		{[]byte("rcode_name"), record.String([]byte("NOERROR"))}, {[]byte("AA"), record.Bool(false)}, {[]byte("TC"), record.Bool(false)},
		{[]byte("RD"), record.Bool(true)}, {[]byte("RA"), record.Bool(true)}, {[]byte("answers"), record.String([]byte("TXT 18 302f017537c68f5169"))},
		{[]byte("TTLs"), record.Float(60)},
	}
	m := record.NewMapper(record.InputAuto)
	var ev scoring.Event
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.Begin(time.Time{})
		for j := range fields { // &fields[j].v: a Value that outlives the call (see Field)
			m.Field(fields[j].k, &fields[j].v)
		}
		if err := m.End(&ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkZeekJSONLine is one Zeek JSON dns.log line through FeedJSON.
func BenchmarkZeekJSONLine(b *testing.B) {
	line := []byte(strings.Split(jsonDNS, "\n")[0])
	m := record.NewMapper(zeek.Input)
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
	m := record.NewMapper(record.InputAuto)
	var ev scoring.Event
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := record.MapJSON(m, rec, time.Time{}, &ev); err != nil {
			b.Fatal(err)
		}
	}
}
