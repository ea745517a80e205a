package harness

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Lookup is one generated DNS exchange: a client's query and the server's
// response.
type Lookup struct {
	Time   time.Time
	Client string
	Port   int
	XID    int
	Query  string
	NX     bool
	Answer string // when not NX
}

// Lookups returns n deterministic lookups of a small network: clients
// resolving popular names, one host cycling through names that do not
// exist, one resolving brand lookalikes, one asking for lookalikes that do
// not exist and one querying random names, so
// that every log written from them raises alerts.
func Lookups(seed uint64, n int) []Lookup {
	rng := rand.New(rand.NewPCG(seed, 0x6c6f6773))
	words := []string{"www", "mail", "api", "cdn", "static", "login", "portal", "docs", "img", "news"}
	sites := []string{"google.com", "wikipedia.org", "github.com", "debian.org", "office.com", "amazon.com"}
	lookalikes := []string{"www.paypai.com", "www.rnicrosoft.com", "www.arnazon.com", "githhub.com", "www.goog1e.com"}
	base := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	out := make([]Lookup, 0, n)
	for i := 0; i < n; i++ {
		l := Lookup{Time: base.Add(time.Duration(i) * 1500 * time.Millisecond), Port: 1024 + rng.IntN(60000), XID: rng.IntN(65536)}
		switch {
		case i%4 == 1:
			l.Client, l.NX = "10.1.0.50", true
			l.Query = randomLabel(rng, 8) + ".gone-example.net"
		case i%25 == 2:
			l.Client, l.Query = "10.1.0.60", lookalikes[(i/25)%len(lookalikes)]
		case i%25 == 7: // lookalikes that do not resolve: nfr only knows once the response is joined
			l.Client, l.NX = "10.1.0.61", true
			l.Query = strings.Replace(lookalikes[(i/25)%len(lookalikes)], "www.", "secure.", 1)
		case i%9 == 3:
			l.Client, l.NX = "10.1.0.66", true
			l.Query = randomLabel(rng, 12+rng.IntN(8)) + ".com"
		default:
			l.Client = fmt.Sprintf("10.1.0.%d", 10+rng.IntN(8))
			l.Query = words[rng.IntN(len(words))] + "." + sites[rng.IntN(len(sites))]
		}
		if !l.NX {
			l.Answer = fmt.Sprintf("93.184.%d.%d", rng.IntN(256), 1+rng.IntN(254))
		}
		out = append(out, l)
	}
	return out
}

func randomLabel(rng *rand.Rand, n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[rng.IntN(len(letters))]
	}
	return string(b)
}

// LogFormats are the formats WriteLog writes: Zeek dns.log as TSV (with
// its header) and JSON, Suricata eve.json (a query and an answer record a
// lookup) and the Windows DNS Server debug log in three date dialects (US
// 12-hour, ISO-like, day first), each lookup a query received and its
// response sent.
var LogFormats = []string{"zeek-tsv", "zeek-json", "suricata", "msdns-us", "msdns-iso", "msdns-dayfirst"}

// WriteLog renders lookups in one of LogFormats.
func WriteLog(format string, lookups []Lookup) string {
	var b strings.Builder
	if format == "zeek-tsv" {
		b.WriteString(ZeekTSVHeader)
	}
	for _, l := range lookups {
		switch format {
		case "zeek-tsv":
			b.WriteString(ZeekTSV(l))
		case "zeek-json":
			b.WriteString(ZeekJSON(l))
		case "suricata":
			b.WriteString(suricata(l))
		case "msdns-us", "msdns-iso", "msdns-dayfirst":
			b.WriteString(MSDNS(l, strings.TrimPrefix(format, "msdns-")))
		default:
			panic("unknown log format " + format)
		}
	}
	return b.String()
}

func rcode(l Lookup) (int, string) {
	if l.NX {
		return 3, "NXDOMAIN"
	}
	return 0, "NOERROR"
}

func epoch(t time.Time) string { return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000) }

func uid(l Lookup) string { return fmt.Sprintf("C%x", l.Time.UnixNano()^int64(l.XID)) }

// ZeekJSON is a Zeek JSON dns.log line (LogAscii::use_json=T).
func ZeekJSON(l Lookup) string {
	code, name := rcode(l)
	answers := ""
	if !l.NX {
		answers = `,"answers":["` + l.Answer + `"],"TTLs":[300.0]`
	}
	return fmt.Sprintf(`{"ts":%s,"uid":"%s","id.orig_h":"%s","id.orig_p":%d,"id.resp_h":"10.1.0.2","id.resp_p":53,"proto":"udp","trans_id":%d,"rtt":0.012,"query":"%s","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":%d,"rcode_name":"%s","AA":false,"TC":false,"RD":true,"RA":true,"Z":0%s,"rejected":false}`+"\n",
		epoch(l.Time), uid(l), l.Client, l.Port, l.XID, l.Query, code, name, answers)
}

// ZeekTSVHeader is the header of a Zeek TSV dns.log.
const ZeekTSVHeader = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#open\t2026-11-02-09-00-00\n" +
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n" +
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\n"

// ZeekTSV is a Zeek TSV dns.log line.
func ZeekTSV(l Lookup) string {
	code, name := rcode(l)
	answers, ttls := "-", "-"
	if !l.NX {
		answers, ttls = l.Answer, "300.000000"
	}
	return fmt.Sprintf("%s\t%s\t%s\t%d\t10.1.0.2\t53\tudp\t%d\t0.012000\t%s\t1\tC_INTERNET\t1\tA\t%d\t%s\tF\tF\tT\tT\t0\t%s\t%s\tF\n",
		epoch(l.Time), uid(l), l.Client, l.Port, l.XID, l.Query, code, name, answers, ttls)
}

// suricata is a lookup as Suricata's eve.json logs it: the query, then the
// answer (version 2 records, logged from the server's side).
func suricata(l Lookup) string {
	ts := func(t time.Time) string { return t.Format("2006-01-02T15:04:05.000000-0700") }
	_, name := rcode(l)
	answers := ""
	if !l.NX {
		answers = fmt.Sprintf(`,"answers":[{"rrname":"%s","rrtype":"A","ttl":300,"rdata":"%s"}]`, l.Query, l.Answer)
	}
	q := fmt.Sprintf(`{"timestamp":"%s","flow_id":%d,"event_type":"dns","src_ip":"%s","src_port":%d,"dest_ip":"10.1.0.2","dest_port":53,"proto":"UDP","dns":{"type":"query","id":%d,"rrname":"%s","rrtype":"A","tx_id":0}}`+"\n",
		ts(l.Time), 1000+l.XID, l.Client, l.Port, l.XID, l.Query)
	a := fmt.Sprintf(`{"timestamp":"%s","flow_id":%d,"event_type":"dns","src_ip":"10.1.0.2","src_port":53,"dest_ip":"%s","dest_port":%d,"proto":"UDP","dns":{"version":2,"type":"answer","id":%d,"flags":"8180","qr":true,"rd":true,"ra":true,"rrname":"%s","rrtype":"A","rcode":"%s"%s}}`+"\n",
		ts(l.Time.Add(12*time.Millisecond)), 1000+l.XID, l.Client, l.Port, l.XID, l.Query, name, answers)
	return q + a
}

// MSDNS is a lookup as the Windows DNS Server debug log writes it (the
// query received, then the response sent a second later), with dates in
// the dialect "us" (6/5/2013 10:00:32 AM), "iso" (2013-06-05 10:00:32) or
// "dayfirst" (23/11/2026 10:00:32).
func MSDNS(l Lookup, dialect string) string {
	layout := map[string]string{"us": "1/2/2006 3:04:05 PM", "iso": "2006-01-02 15:04:05", "dayfirst": "02/01/2006 15:04:05"}[dialect]
	var labels strings.Builder
	for _, p := range strings.Split(l.Query, ".") {
		fmt.Fprintf(&labels, "(%d)%s", len(p), p)
	}
	_, name := rcode(l)
	flags := "8081   DR"
	if l.NX {
		flags = "8381   DR"
	}
	return fmt.Sprintf("%s 0E70 PACKET  00000000033397A0 UDP Rcv %-15s %04x   Q [0001   D   NOERROR] A      %s(0)\n",
		l.Time.Format(layout), l.Client, l.XID, labels.String()) +
		fmt.Sprintf("%s 0E70 PACKET  00000000033397A0 UDP Snd %-15s %04x R Q [%s %8s] A      %s(0)\n",
			l.Time.Add(time.Second).Format(layout), l.Client, l.XID, flags, name, labels.String())
}
