// Command fbgen writes N generated DNS log lines for the real-Fluent-Bit
// benchmark (build/bench.d/fluentbit.sh): Zeek dns.log as JSON
// (-format zeek-json) or TSV with its header (zeek-tsv), or a Windows DNS
// Server debug log (msdns: each query received, then its response sent).
// The same seed gives the same bytes. It only writes to stdout.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

var (
	words = []string{"www", "mail", "api", "cdn", "static", "login", "portal", "docs", "img", "news"}
	sites = []string{"example.com", "example.org", "wikipedia.org", "github.com", "debian.org", "corp.local", "office.com"}
	base  = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
)

// lookup is one generated DNS exchange.
type lookup struct {
	t      time.Time
	client string
	port   int
	xid    int
	query  string
	nx     bool
	answer string
}

func next(rng *rand.Rand, i int) lookup {
	l := lookup{t: base.Add(time.Duration(i) * 3600 * time.Microsecond),
		client: fmt.Sprintf("10.20.%d.%d", rng.IntN(4), 2+rng.IntN(200)),
		port:   1024 + rng.IntN(60000), xid: rng.IntN(65536),
		query: words[rng.IntN(len(words))] + "." + sites[rng.IntN(len(sites))]}
	if rng.IntN(20) == 0 {
		const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
		b := make([]byte, 12+rng.IntN(14))
		for j := range b {
			b[j] = letters[rng.IntN(len(letters))]
		}
		l.query = string(b) + ".com"
	}
	if l.nx = rng.IntN(10) == 0; !l.nx {
		l.answer = fmt.Sprintf("93.184.%d.%d", rng.IntN(256), rng.IntN(256))
	}
	return l
}

func main() {
	format := flag.String("format", "zeek-json", "zeek-json, zeek-tsv or msdns")
	n := flag.Int("n", 1000000, "lookups to write")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	rng := rand.New(rand.NewPCG(7, 19))
	write := map[string]func(*bufio.Writer, lookup){"zeek-json": zeekJSON, "zeek-tsv": zeekTSV, "msdns": msdns}[*format]
	if write == nil {
		log.Fatalf("unknown -format %q", *format)
	}
	if *format == "zeek-tsv" {
		w.WriteString(tsvHeader)
	}
	for i := 0; i < *n; i++ {
		write(w, next(rng, i))
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
}

func rcode(l lookup) (int, string) {
	if l.nx {
		return 3, "NXDOMAIN"
	}
	return 0, "NOERROR"
}

func epoch(t time.Time) string { return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000) }

func zeekJSON(w *bufio.Writer, l lookup) {
	code, name := rcode(l)
	answers, ttls := "", ""
	if !l.nx {
		answers, ttls = `,"answers":["`+l.answer+`"]`, `,"TTLs":[300.0]`
	}
	fmt.Fprintf(w, `{"ts":%s,"uid":"C%x","id.orig_h":"%s","id.orig_p":%d,"id.resp_h":"10.20.0.2","id.resp_p":53,"proto":"udp","trans_id":%d,"rtt":0.012,"query":"%s","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":%d,"rcode_name":"%s","AA":false,"TC":false,"RD":true,"RA":true,"Z":0%s%s,"rejected":false}`+"\n",
		epoch(l.t), l.t.UnixNano()^int64(l.xid), l.client, l.port, l.xid, l.query, code, name, answers, ttls)
}

const tsvHeader = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#open\t2026-11-02-09-00-00\n" +
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n" +
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\n"

func zeekTSV(w *bufio.Writer, l lookup) {
	code, name := rcode(l)
	answers, ttls := "-", "-"
	if !l.nx {
		answers, ttls = l.answer, "300.000000"
	}
	fmt.Fprintf(w, "%s\tC%x\t%s\t%d\t10.20.0.2\t53\tudp\t%d\t0.012000\t%s\t1\tC_INTERNET\t1\tA\t%d\t%s\tF\tF\tT\tT\t0\t%s\t%s\tF\n",
		epoch(l.t), l.t.UnixNano()^int64(l.xid), l.client, l.port, l.xid, l.query, code, name, answers, ttls)
}

func msdns(w *bufio.Writer, l lookup) {
	labels := ""
	for _, p := range strings.Split(l.query, ".") {
		labels += fmt.Sprintf("(%d)%s", len(p), p)
	}
	t := l.t.Format("1/2/2006 3:04:05 PM")
	_, name := rcode(l)
	fmt.Fprintf(w, "%s 0E70 PACKET  00000000033397A0 UDP Rcv %-15s %04x   Q [0001   D   NOERROR] A      %s(0)\n", t, l.client, l.xid, labels)
	fmt.Fprintf(w, "%s 0E70 PACKET  00000000033397A0 UDP Snd %-15s %04x R Q [8081   DR %8s] A      %s(0)\n", t, l.client, l.xid, name, labels)
}
