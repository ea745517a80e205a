package input

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/netflightrecorder/nfr/formats/formatstest"
	"github.com/netflightrecorder/nfr/formats/msdns"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/formats/zeek"
	"github.com/netflightrecorder/nfr/scoring"
)

const parsersDir = "../../examples/fluent-bit/"

type parser struct{ Name, Format, Regex string }

// readParsersConf reads the [PARSER] sections of a Fluent Bit classic
// configuration file.
func readParsersConf(t *testing.T) map[string]parser {
	t.Helper()
	f, err := os.Open(parsersDir + "parsers.conf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]parser{}
	var cur *parser
	flush := func() {
		if cur != nil {
			out[cur.Name] = *cur
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if line == "[PARSER]" {
			flush()
			cur = &parser{}
			continue
		}
		key, value, _ := strings.Cut(line, " ")
		value = strings.TrimSpace(value)
		switch strings.ToLower(key) {
		case "name":
			cur.Name = value
		case "format":
			cur.Format = value
		case "regex":
			cur.Regex = value
		}
	}
	flush()
	return out
}

// compile applies the regex as Go would after the one syntax difference
// that matters: Onigmo's (?<name> written as (?P<name>.
func compile(t *testing.T, p parser) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(strings.ReplaceAll(p.Regex, "(?<", "(?P<"))
	if err != nil {
		t.Fatalf("%s: %v", p.Name, err)
	}
	return re
}

// viaFluentBit does what Fluent Bit's tail input and nfr's plugin do with
// one line: apply the regex and hand the named groups to the mapper, or,
// when it does not match, hand the raw line as "log".
func viaFluentBit(m *record.Mapper, re *regexp.Regexp, line string, ev *scoring.Event) error {
	m.Begin(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	idx := re.FindStringSubmatchIndex(line)
	if idx == nil {
		m.Field([]byte("log"), ptr(record.String([]byte(line))))
		return m.End(ev)
	}
	for i, name := range re.SubexpNames() {
		if name == "" || idx[2*i] < 0 {
			continue // Fluent Bit leaves groups that did not take part out
		}
		m.Field([]byte(name), ptr(record.String([]byte(line[idx[2*i]:idx[2*i+1]]))))
	}
	return m.End(ev)
}

// roundTrip runs every line through the regex and the mapper and returns
// the events and the number of lines the regex matched.
func roundTrip(t *testing.T, p parser, in record.Input, text string) ([]scoring.Event, int) {
	t.Helper()
	re := compile(t, p)
	m := record.NewMapper(in)
	var out []scoring.Event
	matched := 0
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if re.MatchString(line) {
			matched++
		}
		var ev scoring.Event
		err := viaFluentBit(m, re, line, &ev)
		if _, skip := record.IsSkip(err); skip {
			continue
		}
		if err != nil {
			continue // bad lines are bad on both paths; counted below
		}
		out = append(out, ev.Clone())
	}
	return out, matched
}

func drainSource(t *testing.T, next func(*scoring.Event) error) []scoring.Event {
	t.Helper()
	evs, _, err := formatstest.ReadAll(next)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func sameEvents(t *testing.T, what string, got, want []scoring.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d events through the parser, %d from the line decoder", what, len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(formatstest.Normalize(got[i]), formatstest.Normalize(want[i])) {
			t.Errorf("%s: event %d:\nparser  %+v\ndecoder %+v", what, i, got[i], want[i])
		}
	}
}

const tsvDNSLog = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#open\t2024-03-01-10-00-00\n" +
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n" +
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\n" +
	"1709287200.123456\tCa1\t10.1.0.5\t53211\t10.1.0.1\t53\tudp\t4242\t0.012000\twww.example.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\twww.cdn.example.net,192.0.2.10\t300.000000,60.000000\tF\n" +
	"1709287201.000001\tCa2\t10.1.0.6\t53212\t10.1.0.1\t53\tudp\t4243\t-\tq7x9kz2m.example.biz\t1\tC_INTERNET\t16\tTXT\t3\tNXDOMAIN\tT\tF\tT\tT\t0\t-\t-\tF\n" +
	"1709287202.5\tCa3\tfe80::1\t5353\tff02::fb\t5353\tudp\t0\t-\tprinter._ipp._tcp.local\t1\tC_INTERNET\t33\tSRV\t-\t-\tF\tF\tF\tF\t0\t-\t-\tF\n" +
	"XXXXXXXXXX.XXXXXX\tCa4\t10.1.0.7\t53213\t10.1.0.1\t53\tudp\t1\t-\tmasked.example\t1\tC_INTERNET\t1\tA\t-\t-\tF\tF\tT\tF\t0\t-\t-\tF\n" +
	"1709287203\tCa5\t10.1.0.8\t53214\t10.1.0.1\t53\ttcp\t9\t0.5\t(empty)\t1\tC_INTERNET\t255\t*\t5\tREFUSED\tF\tT\tT\tF\t0\t(empty)\t(empty)\tF\n" +
	"#close\t2024-03-01-11-00-00\n"

const tsvConnLog = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n" +
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto\n" +
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount\n" +
	"1709287200.5\tCb1\t10.1.0.5\t40000\t198.51.100.20\t443\ttcp\tssl\t12.345678\t1024\t8192\tSF\tT\tF\t0\tShADadFf\t12\t1500\t10\t8800\t-\t6\n" +
	"1709287201\tCb2\t10.1.0.5\t40001\t198.51.100.21\t22\ttcp\t-\t-\t-\t-\tS0\tT\tF\t0\tS\t1\t60\t0\t0\t-\t6\n" +
	"1709287202\tCb3\t10.1.0.5\t8\t10.1.0.1\t0\ticmp\t-\t1.000000\t448\t448\tOTH\tT\tT\t0\t-\t8\t672\t8\t672\t-\t1\n"

func TestParsersConfZeekTSVRoundTrip(t *testing.T) {
	parsers := readParsersConf(t)
	for _, c := range []struct{ parser, log string }{{"zeek_tsv_dns", tsvDNSLog}, {"zeek_tsv_conn", tsvConnLog}} {
		p, ok := parsers[c.parser]
		if !ok || p.Format != "regex" {
			t.Fatalf("parsers.conf has no regex parser %s", c.parser)
		}
		want := drainSource(t, zeek.NewReader(strings.NewReader(c.log), "x.log").Next)
		got, matched := roundTrip(t, p, zeek.Input, c.log)
		if matched == 0 || len(want) == 0 {
			t.Fatalf("%s: regex matched %d lines, decoder gave %d events", c.parser, matched, len(want))
		}
		sameEvents(t, c.parser, got, want)
	}
}

const msdnsLog = `DNS Server log file creation at 3/1/2024 10:00:00 AM
Log file wrap at 3/1/2024 10:00:00 AM

Message logging key (for packets - other items use a subset of these fields):
	Field #  Information         Values

3/1/2024 10:00:05 AM 0E70 EVENT   The DNS server has started.
3/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b47   Q [0001   D   NOERROR] A      (7)example(3)com(0)
3/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.161.60.71    5b47 R Q [8081   DR  NOERROR] A      (7)example(3)com(0)
3/1/2024 1:05:10 PM 0E74 PACKET  0210D8F8 TCP Snd fe80::1c5b:9aff:fe01:2   00a1 R Q [8385 A DR NXDOMAIN] AAAA   (3)www(9)nxexample(3)net(0)
2024-03-01 13:06:00 0AB4 PACKET  000000A1B2C3D4E5 UDP Snd 8.8.8.8         1a2b   Q [0001   D   NOERROR] PTR    (1)4(1)3(1)2(1)1(7)in-addr(4)arpa(0)
01/03/2024 13:07:00 0E1C PACKET  0000017DEDFE28D0 UDP Snd 10.20.0.6       966f R Q [8281   DR SERVFAIL] TXT    (5)login(4)live(3)com(0)
01.03.2024 13:08:00 0F0C PACKET 00000194D3CEDDD0 UDP Snd 10.10.160.208 3d56 R Q [8081 DR NXDOMAIN] PTR .mggw-example.com.
3/1/2024 1:09:00 PM 0E70 PACKET  00000000033397A0 UDP Rcv 192.168.2.9     7822 R U [02a8      SERVFAIL] SOA    (4)home(7)example(0)
`

func TestParsersConfMSDNSRoundTrip(t *testing.T) {
	p, ok := readParsersConf(t)["msdns"]
	if !ok || p.Format != "regex" {
		t.Fatal("parsers.conf has no regex parser msdns")
	}
	// The mapper sees one line at a time, so it cannot join a response
	// to its query: compare with the decoder's unjoined mode.
	want := drainSource(t, msdns.NewReader(strings.NewReader(msdnsLog), "dns.log", msdns.Options{NoJoin: true}).Next)
	got, matched := roundTrip(t, p, msdns.Input, msdnsLog)
	// Every PACKET line but the one whose blanks were collapsed matches.
	if matched != 6 || len(want) != 6 {
		t.Fatalf("regex matched %d lines, decoder gave %d events", matched, len(want))
	}
	sameEvents(t, "msdns", got, want)
}

const zeekJSON = `{"ts":1709287200.123456,"uid":"Ca1","id.orig_h":"10.1.0.5","id.orig_p":53211,"id.resp_h":"10.1.0.1","id.resp_p":53,"proto":"udp","trans_id":4242,"rtt":0.012,"query":"www.example.com","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","AA":false,"TC":false,"RD":true,"RA":true,"Z":0,"answers":["www.cdn.example.net","192.0.2.10"],"TTLs":[300.0,60.0],"rejected":false}
{"ts":"2024-03-01T10:00:00.5Z","uid":"Cb1","id":{"orig_h":"10.1.0.5","orig_p":40000,"resp_h":"198.51.100.20","resp_p":443},"proto":"tcp","service":"ssl","duration":12.345678,"orig_bytes":1024,"resp_bytes":8192,"conn_state":"SF","local_orig":true,"local_resp":false,"history":"ShADadFf","orig_pkts":12,"resp_pkts":10}
`

func TestParsersConfZeekJSON(t *testing.T) {
	if p := readParsersConf(t)["zeek_json"]; p.Format != "json" {
		t.Fatalf("zeek_json parser: %+v", p)
	}
	// Fluent Bit's json parser hands over the decoded object.
	m := record.NewMapper(record.InputAuto)
	var got []scoring.Event
	for _, line := range strings.Split(strings.TrimSpace(zeekJSON), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		var ev scoring.Event
		if err := record.MapJSON(m, rec, time.Time{}, &ev); err != nil {
			t.Fatal(err)
		}
		got = append(got, ev.Clone())
	}
	sameEvents(t, "zeek_json", got, drainSource(t, zeek.NewReader(strings.NewReader(zeekJSON), "x.log").Next))
}

func TestParsersYAMLMatchesConf(t *testing.T) {
	data, err := os.ReadFile(parsersDir + "parsers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Parsers []parser `yaml:"parsers"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	conf := readParsersConf(t)
	if len(doc.Parsers) != len(conf) {
		t.Fatalf("yaml has %d parsers, conf %d", len(doc.Parsers), len(conf))
	}
	for _, p := range doc.Parsers {
		if c, ok := conf[p.Name]; !ok || c != p {
			t.Errorf("yaml parser %+v differs from conf %+v", p, c)
		}
	}
}

func ptr(v record.Value) *record.Value { return &v }
