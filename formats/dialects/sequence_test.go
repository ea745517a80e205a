package dialects_test

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/formatstest"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/formats/zeek"
	"github.com/netflightrecorder/nfr/scoring"
)

// seqFields are key/value pairs of every group (and the groupless
// "version"), some invalid, for records of mixed content.
var seqFields = []string{
	`"ts":1700000000.5`, `"ts":"bad"`, `"uid":"C1"`, `"id.orig_h":"10.0.0.1"`, `"id.orig_p":53`,
	`"id.resp_h":"10.0.0.2"`, `"id.resp_p":443`, `"proto":"udp"`, `"proto":"tcp"`, `"proto":"icmp"`,
	`"query":"a.example.com"`, `"qtype":16`, `"rcode":3`, `"answers":["1.2.3.4","b.example"]`,
	`"TTLs":[60,30]`, `"AA":true`, `"rtt":0.01`, `"trans_id":7`, `"auth":["ns.example"]`,
	`"duration":1.5`, `"orig_bytes":100`, `"resp_pkts":3`, `"conn_state":"S0"`, `"history":"ShAD"`,
	`"service":"failed"`, `"app":"tor"`, `"local_orig":true`,
	`"icmp_type":8`, `"icmp_code":0`, `"icmp.id":5`, `"payload_len":64`,
	`"method":"GET"`, `"host":"h.example"`, `"uri":"/x"`, `"status_code":200`, `"user_agent":"ua"`,
	`"server_name":"s.example"`, `"version":"TLSv13"`, `"ja3":"abc"`, `"subject":"CN=x"`, `"established":true`,
	`"event_type":"flow"`, `"tls.version":"TLS 1.2"`, `"tls.notbefore":"2024-01-01T00:00:00"`,
	`"flow.bytes_toserver":10`, `"dns.type":"answer"`, `"dns.rrname":"q.example"`,
}

var seqHints = []string{"", `"_path":"dns"`, `"_path":"conn"`, `"_path":"http"`, `"_path":"ssl"`,
	`"_path":"weird"`, `"_type":"icmp"`, `"_type":"flow"`, `"event_type":"dns"`, `"event_type":"tls"`}

// randomRecord returns a JSON record of a random hint and random fields.
func randomRecord(r *rand.Rand) []byte {
	var parts []string
	if h := seqHints[r.Intn(len(seqHints))]; h != "" {
		parts = append(parts, h)
	}
	if r.Intn(8) != 0 {
		parts = append(parts, `"ts":1700000000.25`)
	}
	for n := r.Intn(12); n > 0; n-- {
		parts = append(parts, seqFields[r.Intn(len(seqFields))])
	}
	r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	if r.Intn(20) == 0 {
		return []byte("{" + strings.Join(parts, ",")) // truncated
	}
	return []byte("{" + strings.Join(parts, ",") + "}")
}

// sameEvent reports how a and b differ, "" when they do not (empty and
// nil slices are alike).
func sameEvent(a, b *scoring.Event) string {
	x, y := formatstest.Normalize(a.Clone()), formatstest.Normalize(b.Clone())
	if !reflect.DeepEqual(x, y) {
		return fmt.Sprintf("\n got  %+v\n want %+v", x, y)
	}
	return ""
}

// checkDecode fails t unless err and ev are wantErr and want; it counts
// the types of the events it checks.
func checkDecode(t *testing.T, how string, line []byte, ev *scoring.Event, err error, want *scoring.Event, wantErr error, types *[6]int) {
	t.Helper()
	if errText(err) != errText(wantErr) {
		t.Fatalf("%s %s: error %v, want %v", how, line, err, wantErr)
	}
	if err == nil {
		if d := sameEvent(ev, want); d != "" {
			t.Fatalf("%s %s:%s", how, line, d)
		}
		types[ev.Type]++
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestMapperSequences decodes sequences of records of mixed kinds (with
// errors and skips between) into one reused event, through BeginInto and
// End and through Begin and EndEvent, and checks every record's event and
// error against those of a fresh Mapper decoding it alone into a zero
// event: what one record leaves behind never shows in the next.
func TestMapperSequences(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	when := time.Unix(1700000001, 0).UTC()
	var types [6]int
	for seq := 0; seq < 300; seq++ {
		into, own := record.NewMapper(record.InputAuto), record.NewMapper(record.InputAuto)
		var ev scoring.Event
		for i := 0; i < 30; i++ {
			line := randomRecord(r)
			fresh := record.NewMapper(record.InputAuto)
			var want scoring.Event
			fresh.Begin(when)
			wantErr := fresh.FeedJSON(line)
			if wantErr == nil {
				wantErr = fresh.End(&want)
			}

			into.BeginInto(&ev, when)
			err := into.FeedJSON(line)
			if err == nil {
				err = into.End(&ev)
			}
			checkDecode(t, "BeginInto", line, &ev, err, &want, wantErr, &types)

			own.Begin(when)
			err = own.FeedJSON(line)
			var got *scoring.Event
			if err == nil {
				got, err = own.EndEvent()
			}
			var endTypes [6]int
			checkDecode(t, "EndEvent", line, got, err, &want, wantErr, &endTypes)
		}
	}
	for typ, n := range types[1:] {
		if n < 100 {
			t.Errorf("%d records of type %v decoded, want more to test with", n, scoring.EventType(typ+1))
		}
	}
}

// zeekLogs are the headers of Zeek TSV logs of several kinds, with a
// line of each.
var zeekLogs = []struct{ header, line string }{
	{"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n" +
		"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqtype\trcode\tAA\tanswers\tTTLs\tversion\n",
		"1700000000.5\tC1\t10.0.0.1\t5353\t10.0.0.2\t53\tudp\t7\t0.01\ta.example\t1\t0\tT\t1.2.3.4,5.6.7.8\t60.0,30.0\tv1"},
	{"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n" +
		"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tconn_state\thistory\ticmp_type\tquery\tmethod\n",
		"1700000000.5\tC2\t10.0.0.1\t8\t10.0.0.2\t0\ticmp\t-\t1.5\t100\tOTH\t-\t8\tq.example\tGET"},
	{"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\thttp\n" +
		"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmethod\thost\turi\tstatus_code\tduration\tserver_name\n",
		"1700000000.5\tC3\t10.0.0.1\t5555\t10.0.0.2\t80\tGET\th.example\t/\t200\t2.0\ts.example"},
	{"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tssl\n" +
		"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tserver_name\tja3\testablished\tquery\torig_bytes\n",
		"1700000000.5\tC4\t10.0.0.1\t5555\t10.0.0.2\t443\tTLSv13\ts.example\tabc\tT\tx.example\t5"},
	{"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tweird\n" +
		"#fields\tts\tuid\tname\n", "1700000000.5\tC5\tbad"},
}

// TestZeekSequences decodes Zeek TSV and JSON lines of mixed kinds into
// one reused event and checks each against a fresh reader's decode.
func TestZeekSequences(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	z := zeek.NewReader(strings.NewReader(""), "seq")
	var ev scoring.Event
	var types [6]int
	for i := 0; i < 3000; i++ {
		var header []string
		var line []byte
		if r.Intn(3) == 0 {
			line = randomRecord(r)
		} else {
			l := zeekLogs[r.Intn(len(zeekLogs))]
			header = strings.Split(strings.TrimSuffix(l.header, "\n"), "\n")
			fields := strings.Split(l.line, "\t")
			for j := range fields {
				if r.Intn(5) == 0 {
					fields[j] = "-"
				}
			}
			line = []byte(strings.Join(fields, "\t"))
		}
		fresh := zeek.NewReader(strings.NewReader(""), "seq")
		var want scoring.Event
		for _, h := range header {
			z.DecodeLine([]byte(h), &ev)
			fresh.DecodeLine([]byte(h), &want)
		}
		want = scoring.Event{}
		wantErr := fresh.DecodeLine(line, &want)
		err := z.DecodeLine(line, &ev)
		checkDecode(t, "zeek", line, &ev, err, &want, wantErr, &types)
	}
	for _, typ := range []scoring.EventType{scoring.TypeDNS, scoring.TypeFlow, scoring.TypeHTTP, scoring.TypeTLS} {
		if types[typ] < 100 {
			t.Errorf("%d records of type %v decoded, want more to test with", types[typ], typ)
		}
	}
}
