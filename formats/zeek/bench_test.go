package zeek

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/netflightrecorder/nfr/build/benchcpu"
	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
	"github.com/netflightrecorder/nfr/scoring"
)

// dnsLogHeader is a Zeek 6 dns.log header, as Zeek writes it.
const dnsLogHeader = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n" +
	"#open\t2024-01-01-00-00-00\n" +
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n" +
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\n"

// dnsLogLines generates n dns.log lines over a realistic mix of clients
// and names (a few hundred distinct names, some NXDOMAIN, some answers).
func dnsLogLines(n int) []byte {
	var b bytes.Buffer
	b.WriteString(dnsLogHeader)
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("host%d.example%d.com", i%97, i%7)
		rcode, rname, answers, ttls := "0", "NOERROR", fmt.Sprintf("192.0.2.%d,198.51.100.%d", i%250, i%13), "300.000000,60.000000"
		if i%5 == 0 {
			rcode, rname, answers, ttls = "3", "NXDOMAIN", "-", "-"
		}
		fmt.Fprintf(&b, "%d.%06d\tC%017d\t10.0.%d.%d\t%d\t10.0.0.53\t53\tudp\t%d\t0.%06d\t%s\t1\tC_INTERNET\t1\tA\t%s\t%s\tF\tF\tT\tT\t0\t%s\t%s\tF\n",
			1700000000+i, i%1000000, i, i%4, i%200+1, 1024+i%60000, i%65536, i%9999, name, rcode, rname, answers, ttls)
	}
	return b.Bytes()
}

func BenchmarkZeekTSVDNS(b *testing.B) {
	const lines = 10000
	data := dnsLogLines(lines)
	var ev scoring.Event
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	cpu0 := benchcpu.Now()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	events := 0
	for i := 0; i < b.N; i++ {
		events += decodeAll(b, data, &ev)
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	cpu := benchcpu.Now() - cpu0
	if events != lines*b.N {
		b.Fatalf("decoded %d events, want %d", events, lines*b.N)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "lines/s")
	// CPU time of the process: on a shared, loaded machine wall time
	// overstates the cost of a line.
	if cpu > 0 {
		b.ReportMetric(float64(events)/cpu.Seconds(), "lines/cpu-s")
	}
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(events), "allocs/line")
}

// BenchmarkZeekLookupsTSV and BenchmarkZeekLookupsJSON decode the lines
// nfr score is measured on (issue 19): the Fluent Bit harness's generated
// lookups, a third of them unique random names.
func BenchmarkZeekLookupsTSV(b *testing.B)  { benchLookups(b, "zeek-tsv") }
func BenchmarkZeekLookupsJSON(b *testing.B) { benchLookups(b, "zeek-json") }

func benchLookups(b *testing.B, format string) {
	const lines = 10000
	data := []byte(harness.WriteLog(format, harness.Lookups(7, lines)))
	var ev scoring.Event
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	events := 0
	for i := 0; i < b.N; i++ {
		events += decodeAll(b, data, &ev)
	}
	if events != lines*b.N {
		b.Fatalf("decoded %d events, want %d", events, lines*b.N)
	}
}

// decodeAll decodes a whole log into ev, one event after the other, and
// returns the number of events.
func decodeAll(b *testing.B, data []byte, ev *scoring.Event) int {
	z := NewReader(bytes.NewReader(data), "bench")
	for events := 0; ; events++ {
		err := z.Next(ev)
		if err == io.EOF {
			return events
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// connLogHeader is a Zeek 6 conn.log header, as Zeek writes it.
const connLogHeader = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n" +
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n" +
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n"

// BenchmarkZeekConnTSV decodes conn.log lines (TLS connections), whose
// columns ApplyLine reads in one pass.
func BenchmarkZeekConnTSV(b *testing.B) {
	const lines = 10000
	var log bytes.Buffer
	log.WriteString(connLogHeader)
	for i := 0; i < lines; i++ {
		fmt.Fprintf(&log, "%d.%06d\tC%017d\t10.0.%d.%d\t%d\t93.184.216.%d\t443\ttcp\tssl\t1.%06d\t%d\t%d\tSF\tT\tF\t0\tShADadFf\t%d\t%d\t%d\t%d\t-\n",
			1700000000+i, i%1000000, i, i%4, i%200+1, 1024+i%60000, i%250, i%999999, 500+i%1000, 4000+i%9000, 10+i%7, 900+i, 12+i%9, 5000+i)
	}
	data := log.Bytes()
	var ev scoring.Event
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n := decodeAll(b, data, &ev); n != lines {
			b.Fatalf("decoded %d events, want %d", n, lines)
		}
	}
}

// BenchmarkZeekLookupsTSVAuth decodes the same lookups with an "auth"
// column added (Zeek's auth-addl policy). Without a textKind of its own
// the column made the layout one read in one pass (twoPasses), each
// common field through its text setter, as http.log's and other logs'
// layouts still are: 4,663 instructions a line; with kindAuthority it is
// read in two passes, 4,054.
func BenchmarkZeekLookupsTSVAuth(b *testing.B) {
	data := withAuthColumn([]byte(harness.WriteLog("zeek-tsv", harness.Lookups(7, 10000))))
	var ev scoring.Event
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if n := decodeAll(b, data, &ev); n != 10000 {
			b.Fatalf("decoded %d events, want 10000", n)
		}
	}
}

// withAuthColumn adds an "auth" column of one name to a Zeek TSV log.
func withAuthColumn(data []byte) []byte {
	var out []byte
	for _, l := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		out = append(out, l...)
		switch {
		case bytes.HasPrefix(l, []byte("#fields")):
			out = append(out, "\tauth"...)
		case bytes.HasPrefix(l, []byte("#types")):
			out = append(out, "\tset[string]"...)
		case len(l) > 0 && l[0] != '#':
			out = append(out, "\tns1.example"...)
		}
		out = append(out, '\n')
	}
	return out
}
