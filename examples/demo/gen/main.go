// Command gen writes nfr's demo data: an hour of a small office network as
// Zeek dns.log and conn.log (TSV) and a pcap, with a handful of infected or
// misbehaving hosts amid benign traffic. Everything is generated here from
// a fixed seed, so `go run ./examples/demo/gen` reproduces the committed
// files byte for byte.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func main() {
	out := flag.String("out", "examples/demo", "output directory")
	flag.Parse()
	rng := rand.New(rand.NewSource(20261102))
	var n network
	n.benign(rng)
	n.dgaInfected(rng, "10.20.0.66")
	n.dnsTunnel(rng, "10.20.0.77")
	n.scanner(rng, "10.20.0.99")
	n.torUser(rng, "10.20.0.42")
	n.miner(rng, "10.20.0.51")
	n.phished(rng, "10.20.0.23")
	n.beacon(rng, "10.20.0.88")
	must(writeZeek(filepath.Join(*out, "dns.log"), "dns", dnsFields, dnsTypes, n.dns))
	must(writeZeek(filepath.Join(*out, "conn.log"), "conn", connFields, connTypes, n.conn))
	must(writePcap(filepath.Join(*out, "icmp.pcap"), rng))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// row is one log line: its time and its fields.
type row struct {
	ts     time.Time
	fields []string
}

type network struct {
	dns, conn []row
	uid       int
}

func (n *network) nextUID() string {
	n.uid++
	return fmt.Sprintf("CDemo%07d", n.uid)
}

var popular = []string{"www.google.com", "mail.google.com", "outlook.office365.com", "login.microsoftonline.com",
	"www.bbc.co.uk", "github.com", "api.github.com", "www.wikipedia.org", "en.wikipedia.org", "slack.com",
	"app.slack.com", "zoom.us", "www.amazon.com", "s3.amazonaws.com", "d1a2b3c4d5e6f7.cloudfront.net",
	"www.linkedin.com", "www.paypal.com", "www.apple.com", "update.microsoft.com", "ocsp.digicert.com",
	"fonts.googleapis.com", "ajax.googleapis.com", "www.nytimes.com", "www.reddit.com", "news.ycombinator.com",
	"docs.python.org", "pkg.go.dev", "proxy.golang.org", "deb.debian.org", "security.debian.org",
	"www.dropbox.com", "teams.microsoft.com", "www.salesforce.com", "calendar.google.com", "drive.google.com",
	"www.youtube.com", "i.ytimg.com", "www.office.com", "graph.microsoft.com", "cdn.jsdelivr.net"}

const dnsServer = "10.20.0.2"

// lookup adds a dns.log row (and nothing else).
func (n *network) lookup(t time.Time, src, query, qtype string, rcode int, answers ...string) {
	rcodes := map[int]string{0: "NOERROR", 2: "SERVFAIL", 3: "NXDOMAIN"}
	qtypes := map[string]int{"A": 1, "AAAA": 28, "TXT": 16, "NULL": 10, "CNAME": 5, "MX": 15}
	ans, ttls := "-", "-"
	if len(answers) > 0 {
		ans = strings.Join(answers, ",")
		ttl := make([]string, len(answers))
		for i := range ttl {
			ttl[i] = "300.000000"
		}
		ttls = strings.Join(ttl, ",")
	}
	n.dns = append(n.dns, row{t, []string{zts(t), n.nextUID(), src, fmt.Sprint(30000 + len(n.dns)%30000), dnsServer, "53", "udp",
		fmt.Sprint(len(n.dns) % 65536), "0.012000", query, "1", "C_INTERNET", fmt.Sprint(qtypes[qtype]), qtype,
		fmt.Sprint(rcode), rcodes[rcode], "F", "F", "T", "T", "0", ans, ttls, "F"}})
}

// connect adds a conn.log row.
func (n *network) connect(t time.Time, src, dst string, port int, proto, service string, dur float64, ob, rb int, state, history string) {
	svc := service
	if svc == "" {
		svc = "-"
	}
	op, rp := 1+ob/1200, 1+rb/1200
	if state == "S0" {
		op, rp = 1, 0
	}
	if state == "REJ" {
		op, rp = 1, 1
	}
	n.conn = append(n.conn, row{t, []string{zts(t), n.nextUID(), src, fmt.Sprint(49152 + len(n.conn)%16000), dst, fmt.Sprint(port), proto, svc,
		fmt.Sprintf("%.6f", dur), fmt.Sprint(ob), fmt.Sprint(rb), state, "T", strings.ToUpper(fmt.Sprint(isLocal(dst)))[:1], "0", history,
		fmt.Sprint(op), fmt.Sprint(op*40 + ob), fmt.Sprint(rp), fmt.Sprint(rp*40 + rb), "-"}})
}

func isLocal(ip string) bool { return strings.HasPrefix(ip, "10.") }

// benign: twenty hosts browsing popular sites for an hour.
func (n *network) benign(rng *rand.Rand) {
	for h := 10; h < 30; h++ {
		src := fmt.Sprintf("10.20.0.%d", h)
		for t := start.Add(time.Duration(rng.Intn(60)) * time.Second); t.Before(start.Add(time.Hour)); t = t.Add(time.Duration(20+rng.Intn(90)) * time.Second) {
			site := popular[rng.Intn(len(popular))]
			addr := fmt.Sprintf("93.184.%d.%d", rng.Intn(200), 1+rng.Intn(250))
			n.lookup(t, src, site, "A", 0, addr)
			n.connect(t.Add(20*time.Millisecond), src, addr, 443, "tcp", "ssl", 1+rng.Float64()*30, 800+rng.Intn(4000), 2000+rng.Intn(200000), "SF", "ShADadFf")
		}
		// Ordinary pings to the gateway.
		n.connect(start.Add(time.Duration(h)*time.Minute), src, "10.20.0.1", 0, "icmp", "", 3.0, 192, 192, "OTH", "-")
	}
}

// dgaInfected: a host whose malware tries algorithmically generated rendezvous domains.
func (n *network) dgaInfected(rng *rand.Rand, src string) {
	t := start.Add(17 * time.Minute)
	tlds := []string{"com", "net", "org", "info", "biz"}
	for i := 0; i < 40; i++ {
		name := randomLabel(rng, 12+rng.Intn(8)) + "." + tlds[rng.Intn(len(tlds))]
		n.lookup(t, src, name, "A", 3)
		t = t.Add(time.Duration(2+rng.Intn(6)) * time.Second)
	}
	n.lookup(t, src, "www.wikipedia.org", "A", 0, "185.15.59.224")
}

func randomLabel(rng *rand.Rand, length int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, length)
	for i := range b {
		b[i] = letters[rng.Intn(len(letters)-8)] // mostly letters, like many DGA families
		if rng.Intn(9) == 0 {
			b[i] = letters[26+rng.Intn(10)]
		}
	}
	b[0] = letters[rng.Intn(26)]
	return string(b)
}

// dnsTunnel: an iodine-like tunnel: base32 data in long labels, NULL and TXT queries.
func (n *network) dnsTunnel(rng *rand.Rand, src string) {
	t := start.Add(31 * time.Minute)
	const b32 = "abcdefghijklmnopqrstuvwxyz234567"
	for i := 0; i < 300; i++ {
		var labels []string
		for l := 0; l < 2; l++ {
			b := make([]byte, 50+rng.Intn(12))
			for j := range b {
				b[j] = b32[rng.Intn(len(b32))]
			}
			labels = append(labels, string(b))
		}
		qtype := "NULL"
		if i%3 == 0 {
			qtype = "TXT"
		}
		n.lookup(t, src, strings.Join(labels, ".")+".t.exfil-relay.net", qtype, 0)
		t = t.Add(time.Duration(200+rng.Intn(600)) * time.Millisecond)
	}
}

// scanner: a compromised host sweeping the subnet for SMB, then one host's ports.
func (n *network) scanner(rng *rand.Rand, src string) {
	t := start.Add(40 * time.Minute)
	for h := 1; h < 255; h++ {
		dst := fmt.Sprintf("10.20.1.%d", h)
		state, hist := "S0", "S"
		if rng.Intn(10) == 0 {
			state, hist = "REJ", "Sr"
		}
		n.connect(t, src, dst, 445, "tcp", "", 0, 0, 0, state, hist)
		t = t.Add(time.Duration(5+rng.Intn(20)) * time.Millisecond)
	}
	for port := 1; port <= 1024; port++ {
		state, hist := "REJ", "Sr"
		if port == 22 || port == 80 || port == 443 {
			state, hist = "SF", "ShAFf"
		}
		n.connect(t, src, "10.20.0.5", port, "tcp", "", 0.001, 0, 0, state, hist)
		t = t.Add(time.Duration(1+rng.Intn(4)) * time.Millisecond)
	}
}

// torUser: a Tor client bootstrapping from a directory authority, plus a leaked .onion lookup.
func (n *network) torUser(rng *rand.Rand, src string) {
	t := start.Add(12 * time.Minute)
	n.connect(t, src, "128.31.0.39", 9101, "tcp", "ssl", 42.5, 5200, 880000, "SF", "ShADadFf")
	n.lookup(t.Add(3*time.Minute), src, "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion", "A", 3)
}

// miner: a cryptominer resolving a Monero pool and speaking Stratum.
func (n *network) miner(rng *rand.Rand, src string) {
	t := start.Add(22 * time.Minute)
	n.lookup(t, src, "pool.supportxmr.com", "A", 0, "94.130.164.163")
	n.connect(t.Add(100*time.Millisecond), src, "94.130.164.163", 3333, "tcp", "", 1800, 420000, 96000, "S1", "ShADad")
}

// phished: a user following links to look-alike domains.
func (n *network) phished(rng *rand.Rand, src string) {
	t := start.Add(8 * time.Minute)
	n.lookup(t, src, "www.paypa1.com", "A", 0, "198.51.100.23")
	n.lookup(t.Add(40*time.Second), src, "xn--mcrosoft-thh.com", "A", 0, "198.51.100.24")
	n.lookup(t.Add(95*time.Second), src, "paypal.com.account-verify.top", "A", 0, "198.51.100.25")
}

// beacon: an implant calling home every minute with near-identical requests.
func (n *network) beacon(rng *rand.Rand, src string) {
	t := start.Add(90 * time.Second)
	for i := 0; i < 55; i++ {
		n.connect(t, src, "203.0.113.50", 443, "tcp", "ssl", 0.35+rng.Float64()*0.05, 612+rng.Intn(8), 1480+rng.Intn(16), "SF", "ShADadFf")
		t = t.Add(time.Duration(60000+rng.Intn(1500)-750) * time.Millisecond)
	}
}

func zts(t time.Time) string { return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000) }

var (
	dnsFields  = "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected"
	dnsTypes   = "time\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool"
	connFields = "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents"
	connTypes  = "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]"
)

// writeZeek writes rows sorted by time under a Zeek TSV header.
func writeZeek(path, logPath, fields, types string, rows []row) error {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].ts.Before(rows[j].ts) })
	var b strings.Builder
	fmt.Fprintf(&b, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t%s\n#open\t%s\n#fields\t%s\n#types\t%s\n",
		logPath, start.Format("2006-01-02-15-04-05"), fields, types)
	for _, r := range rows {
		b.WriteString(strings.Join(r.fields, "\t"))
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "#close\t%s\n", start.Add(time.Hour).Format("2006-01-02-15-04-05"))
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
