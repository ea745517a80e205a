package sniffer_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/tinylib/msgp/msgp"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/flow"
	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

var (
	t0     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	client = pcapgen.Endpoints{Src: netip.MustParseAddr("192.0.2.10"), Dst: netip.MustParseAddr("198.51.100.53"), SrcPort: 40000, DstPort: 53}
	v6     = pcapgen.Endpoints{Src: netip.MustParseAddr("2001:db8::10"), Dst: netip.MustParseAddr("2001:db8::53"), SrcPort: 40001, DstPort: 53}
)

// capture writes a pcap with fill and returns the path.
func capture(t testing.TB, link int, ng bool, fill func(w *pcapgen.Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pcapgen.NewWriter(f, link, ng)
	if err != nil {
		t.Fatal(err)
	}
	fill(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

type result struct {
	events []scoring.Event
	errs   []*formats.LineError
	stats  formats.Stats
}

func (r result) byType(typ scoring.EventType) []scoring.Event {
	var out []scoring.Event
	for _, ev := range r.events {
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

// readAll decodes path with opts and collects events and packet errors.
func readAll(t testing.TB, path string, opts sniffer.Options) result {
	t.Helper()
	c, err := sniffer.OpenFileWith(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var r result
	var ev scoring.Event
	for {
		err := c.Next(&ev)
		if err == io.EOF {
			break
		}
		var le *formats.LineError
		if errors.As(err, &le) {
			r.errs = append(r.errs, le)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		r.events = append(r.events, ev.Clone())
	}
	r.stats = *c.Stats()
	return r
}

func writeExchange(t testing.TB, w *pcapgen.Writer, e pcapgen.Endpoints, name string, answer netip.Addr) {
	qtype := layers.DNSTypeA
	if answer.Is6() {
		qtype = layers.DNSTypeAAAA
	}
	if err := w.UDP(t0, e, pcapgen.DNSQuery(0x1234, name, qtype)); err != nil {
		t.Fatal(err)
	}
	if err := w.UDP(t0.Add(25*time.Millisecond), e.Reverse(), pcapgen.DNSResponse(0x1234, name, qtype, 0, 300, answer)); err != nil {
		t.Fatal(err)
	}
}

func TestDNSOverUDPEveryLinkType(t *testing.T) {
	links := map[string]int{"ethernet": pcapgen.Ethernet, "vlan": pcapgen.EthernetVLAN, "sll": pcapgen.SLL,
		"sll2": pcapgen.SLL2, "raw": pcapgen.Raw, "null": pcapgen.Null, "loop": pcapgen.Loop}
	for name, link := range links {
		for _, ng := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "/pcap", true: "/pcapng"}[ng], func(t *testing.T) {
				path := capture(t, link, ng, func(w *pcapgen.Writer) {
					writeExchange(t, w, client, "www.example.com", netip.MustParseAddr("203.0.113.7"))
					writeExchange(t, w, v6, "six.example.org", netip.MustParseAddr("2001:db8::7"))
				})
				r := readAll(t, path, sniffer.Options{})
				if len(r.errs) != 0 {
					t.Fatalf("errors: %v", r.errs)
				}
				dns := r.byType(scoring.TypeDNS)
				if len(dns) != 4 {
					t.Fatalf("got %d dns events, want 4", len(dns))
				}
				checkExchange(t, dns[0], dns[1], client, "www.example.com", "203.0.113.7")
				checkExchange(t, dns[2], dns[3], v6, "six.example.org", "2001:db8::7")
				flows := r.byType(scoring.TypeFlow)
				if len(flows) != 2 || flows[0].Flow.ConnState != "SF" || flows[0].SrcIP != client.Src || flows[0].Flow.Service != "dns" {
					t.Fatalf("flows: %+v", flows)
				}
			})
		}
	}
}

func checkExchange(t *testing.T, q, a scoring.Event, e pcapgen.Endpoints, name, answer string) {
	t.Helper()
	if q.DNS.Query != name || q.DNS.Response || q.DNS.Rcode != scoring.RcodeUnknown || q.SrcIP != e.Src || q.DstPort != 53 {
		t.Errorf("query event: %+v", q)
	}
	if a.DNS.Query != name || !a.DNS.Response || a.DNS.Rcode != 0 || a.DNS.TransID != 0x1234 {
		t.Errorf("response event: %+v", a.DNS)
	}
	// The response keeps Zeek's orientation: the client is the originator.
	if a.SrcIP != e.Src || a.SrcPort != e.SrcPort || a.DstIP != e.Dst {
		t.Errorf("response endpoints %v:%d -> %v", a.SrcIP, a.SrcPort, a.DstIP)
	}
	if !slices.Equal(a.DNS.Answers, []string{answer}) || !slices.Equal(a.DNS.TTLs, []float64{300}) {
		t.Errorf("answers %v TTLs %v", a.DNS.Answers, a.DNS.TTLs)
	}
	if a.DNS.RTT != 25*time.Millisecond {
		t.Errorf("rtt %v, want 25ms", a.DNS.RTT)
	}
	if a.UID == "" || a.UID != q.UID {
		t.Errorf("uids %q %q", q.UID, a.UID)
	}
}

func TestDNSOverTCPSpanningSegments(t *testing.T) {
	e := client
	e.SrcPort = 41000
	query := pcapgen.TCPDNS(pcapgen.DNSQuery(7, "tcp.example.net", layers.DNSTypeTXT))
	resp1 := pcapgen.TCPDNS(pcapgen.DNSResponse(7, "tcp.example.net", layers.DNSTypeA, 3, 60))
	resp2 := pcapgen.TCPDNS(pcapgen.DNSResponse(8, "second.example.net", layers.DNSTypeA, 0, 60, netip.MustParseAddr("192.0.2.99")))
	path := capture(t, pcapgen.Ethernet, false, func(w *pcapgen.Writer) {
		ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
		r := e.Reverse()
		must(t, w.TCP(ms(0), e, 100, 0, "S", nil))
		must(t, w.TCP(ms(1), r, 500, 101, "SA", nil))
		must(t, w.TCP(ms(2), e, 101, 501, "A", nil))
		must(t, w.TCP(ms(3), e, 101, 501, "PA", query[:5])) // the query spans two segments
		must(t, w.TCP(ms(4), e, 106, 501, "PA", query[5:]))
		must(t, w.TCP(ms(4), e, 106, 501, "PA", query[5:])) // a retransmission changes nothing
		both := append(append([]byte(nil), resp1...), resp2...)
		must(t, w.TCP(ms(9), r, 501, uint32(101+len(query)), "PA", both)) // two responses in one segment
		must(t, w.TCP(ms(10), e, uint32(101+len(query)), uint32(501+len(both)), "FA", nil))
		must(t, w.TCP(ms(11), r, uint32(501+len(both)), uint32(102+len(query)), "FA", nil))
	})
	res := readAll(t, path, sniffer.Options{})
	if len(res.errs) != 0 {
		t.Fatalf("errors: %v", res.errs)
	}
	dns := res.byType(scoring.TypeDNS)
	if len(dns) != 3 {
		t.Fatalf("got %d dns events, want 3: %+v", len(dns), dns)
	}
	if dns[0].DNS.Query != "tcp.example.net" || dns[0].DNS.QType != 16 || dns[0].Proto != scoring.ProtoTCP {
		t.Errorf("query: %+v", dns[0])
	}
	if !dns[1].DNS.NXDomain() || dns[1].DNS.RTT != 5*time.Millisecond {
		t.Errorf("first response: %+v", dns[1].DNS)
	}
	if dns[2].DNS.Query != "second.example.net" || !slices.Equal(dns[2].DNS.Answers, []string{"192.0.2.99"}) {
		t.Errorf("second response: %+v", dns[2].DNS)
	}
	flows := res.byType(scoring.TypeFlow)
	if len(flows) != 1 || flows[0].Flow.ConnState != "SF" || flows[0].Flow.History != "ShADdFf" {
		t.Fatalf("flow: %+v", flows)
	}
	if f := flows[0].Flow; f.OrigBytes != uint64(2*len(query)-5) || f.RespBytes != uint64(len(resp1)+len(resp2)) || f.OrigPkts != 6 || f.RespPkts != 3 {
		t.Errorf("flow counters: %+v", f)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFragmentedDNSResponseIsReassembled(t *testing.T) {
	var answers []netip.Addr
	for i := range 60 {
		answers = append(answers, netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}))
	}
	resp := pcapgen.DNSResponse(9, "big.example.com", layers.DNSTypeA, 0, 30, answers...)
	frags := pcapgen.Fragments4(pcapgen.UDPPacket(client.Reverse(), 777, resp), 400)
	if len(frags) < 3 {
		t.Fatalf("only %d fragments", len(frags))
	}
	path := capture(t, pcapgen.Raw, false, func(w *pcapgen.Writer) {
		must(t, w.UDP(t0, client, pcapgen.DNSQuery(9, "big.example.com", layers.DNSTypeA)))
		// Out of order: last piece first.
		must(t, w.Raw(t0.Add(time.Millisecond), frags[len(frags)-1]))
		for _, f := range frags[:len(frags)-1] {
			must(t, w.Raw(t0.Add(2*time.Millisecond), f))
		}
	})
	res := readAll(t, path, sniffer.Options{})
	dns := res.byType(scoring.TypeDNS)
	if len(res.errs) != 0 || len(dns) != 2 {
		t.Fatalf("errors %v, %d dns events", res.errs, len(dns))
	}
	if len(dns[1].DNS.Answers) != 60 || dns[1].DNS.Answers[59] != "192.0.2.59" || dns[1].DNS.AnswerSize != len(resp) {
		t.Errorf("reassembled response: %d answers, size %d", len(dns[1].DNS.Answers), dns[1].DNS.AnswerSize)
	}
	if res.stats.Skipped["ip fragment"] != int64(len(frags)-1) {
		t.Errorf("skipped: %v", res.stats.Skipped)
	}
}

func TestMalformedPacketsAreCountedAndDecodingContinues(t *testing.T) {
	good := pcapgen.DNSQuery(1, "ok.example.com", layers.DNSTypeA)
	loop := append([]byte(nil), good[:12]...)
	loop = append(loop, 0xc0, 12, 0, 1, 0, 1) // a name pointing at itself
	path := capture(t, pcapgen.Ethernet, false, func(w *pcapgen.Writer) {
		must(t, w.UDP(t0, client, good[:7]))                        // packet 1: short header
		must(t, w.UDP(t0, client, loop))                            // packet 2: pointer loop
		must(t, w.UDP(t0, client, good[:len(good)-3]))              // packet 3: truncated question
		must(t, w.Raw(t0, append(make([]byte, 14), 0x45, 0, 0, 1))) // packet 4: truncated IPv4 header
		must(t, w.UDP(t0, client, good))                            // packet 5: fine
	})
	res := readAll(t, path, sniffer.Options{})
	want := []struct {
		line   int64
		reason string
	}{{1, "dns header truncated"}, {2, "dns name pointer loop"}, {3, "dns message truncated"}, {4, "truncated ip header"}}
	if len(res.errs) != len(want) {
		t.Fatalf("errors: %v", res.errs)
	}
	for i, w := range want {
		if res.errs[i].Line != w.line || res.errs[i].Reason != w.reason {
			t.Errorf("error %d: %v, want packet %d %q", i, res.errs[i], w.line, w.reason)
		}
		if res.stats.Bad[w.reason] != 1 {
			t.Errorf("Bad[%q] = %d", w.reason, res.stats.Bad[w.reason])
		}
	}
	if dns := res.byType(scoring.TypeDNS); len(dns) != 1 || dns[0].DNS.Query != "ok.example.com" {
		t.Errorf("dns events after the bad ones: %+v", dns)
	}
}

func TestICMPEchoEvents(t *testing.T) {
	zeros := make([]byte, 56)
	varied := []byte("0123456789abcdef0123456789abcdef")
	e := pcapgen.Endpoints{Src: client.Src, Dst: client.Dst}
	path := capture(t, pcapgen.Ethernet, false, func(w *pcapgen.Writer) {
		must(t, w.ICMPEcho(t0, e, false, 42, 1, zeros))
		must(t, w.ICMPEcho(t0.Add(time.Millisecond), e.Reverse(), true, 42, 1, zeros))
		must(t, w.ICMPEcho(t0.Add(time.Second), e, false, 42, 2, varied))
		must(t, w.ICMPEcho(t0.Add(time.Second), pcapgen.Endpoints{Src: v6.Src, Dst: v6.Dst}, false, 7, 3, varied))
	})
	res := readAll(t, path, sniffer.Options{})
	ic := res.byType(scoring.TypeICMP)
	if len(res.errs) != 0 || len(ic) != 4 {
		t.Fatalf("errors %v, %d icmp events", res.errs, len(ic))
	}
	if m := ic[0].ICMP; m.Type != 8 || m.ID != 42 || m.Seq != 1 || m.PayloadLen != 56 || m.PayloadEntropy != 0 {
		t.Errorf("request: %+v", m)
	}
	if ic[1].ICMP.Type != 0 || ic[1].ICMP.PayloadDigest != ic[0].ICMP.PayloadDigest {
		t.Errorf("reply: %+v", ic[1].ICMP)
	}
	if m := ic[2].ICMP; m.PayloadEntropy != 4 || m.PayloadDigest == ic[0].ICMP.PayloadDigest {
		t.Errorf("16 distinct bytes twice should give 4 bits/byte: %+v", m)
	}
	if m := ic[3]; m.Proto != scoring.ProtoICMPv6 || m.ICMP.Type != 128 || m.ICMP.ID != 7 || m.ICMP.Seq != 3 || m.ICMP.PayloadLen != len(varied) {
		t.Errorf("icmpv6: %+v", m)
	}
	flows := res.byType(scoring.TypeFlow)
	if len(flows) != 2 || flows[0].Flow.ConnState != "SF" || flows[0].Flow.OrigPkts != 2 || flows[0].Flow.RespPkts != 1 {
		t.Errorf("icmp flows: %+v", flows)
	}
}

func TestFlowStatesAndTimers(t *testing.T) {
	ep := func(port uint16) pcapgen.Endpoints {
		return pcapgen.Endpoints{Src: client.Src, Dst: client.Dst, SrcPort: port, DstPort: 22}
	}
	path := capture(t, pcapgen.Ethernet, false, func(w *pcapgen.Writer) {
		must(t, w.TCP(t0, ep(1), 1, 0, "S", nil))                  // S0
		must(t, w.TCP(t0, ep(2), 1, 0, "S", nil))                  // REJ
		must(t, w.TCP(t0, ep(2).Reverse(), 0, 2, "RA", nil))       //
		must(t, w.TCP(t0, ep(3), 1, 0, "S", nil))                  // RSTO
		must(t, w.TCP(t0, ep(3).Reverse(), 9, 2, "SA", nil))       //
		must(t, w.TCP(t0, ep(3), 2, 10, "A", nil))                 //
		must(t, w.TCP(t0, ep(3), 2, 10, "RA", nil))                //
		must(t, w.TCP(t0, ep(4), 5, 5, "PA", []byte("midstream"))) // OTH
		long := pcapgen.Endpoints{Src: client.Src, Dst: client.Dst, SrcPort: 45000, DstPort: 9999}
		for i := 0; i <= 25; i++ { // a packet every 10 s keeps it alive past Max
			must(t, w.UDP(t0.Add(time.Duration(i)*10*time.Second), long, nil))
		}
		idle := pcapgen.Endpoints{Src: client.Src, Dst: client.Dst, SrcPort: 46000, DstPort: 9999}
		must(t, w.UDP(t0.Add(300*time.Second), idle, nil)) // idle for 40 s, then back: two flows
		must(t, w.UDP(t0.Add(340*time.Second), idle, nil))
	})
	res := readAll(t, path, sniffer.Options{Flow: flowConfig(30*time.Second, 100*time.Second)})
	states := map[uint16][]string{}
	for _, f := range res.byType(scoring.TypeFlow) {
		states[f.SrcPort] = append(states[f.SrcPort], f.Flow.ConnState)
	}
	want := map[uint16][]string{1: {"S0"}, 2: {"REJ"}, 3: {"RSTO"}, 4: {"OTH"}, 45000: {"S0", "S0", "S0"}, 46000: {"S0", "S0"}}
	for port, w := range want {
		if !slices.Equal(states[port], w) {
			t.Errorf("port %d: states %v, want %v", port, states[port], w)
		}
	}
}

func TestRecordsUseTheSharedKeys(t *testing.T) {
	path := capture(t, pcapgen.Ethernet, false, func(w *pcapgen.Writer) {
		writeExchange(t, w, client, "bad\x01\xffname.example", netip.MustParseAddr("203.0.113.7"))
	})
	res := readAll(t, path, sniffer.Options{})
	resp := res.byType(scoring.TypeDNS)[1]

	var js map[string]any
	line := sniffer.AppendJSON(nil, &resp)
	if !bytes.HasSuffix(line, []byte("}\n")) {
		t.Fatalf("not a line: %q", line)
	}
	if err := json.Unmarshal(line, &js); err != nil {
		t.Fatalf("%v: %s", err, line)
	}
	mp, rest, err := msgp.ReadMapStrIntfBytes(sniffer.AppendRecord(nil, &resp), nil)
	if err != nil || len(rest) != 0 {
		t.Fatalf("msgpack: %v, %d bytes left", err, len(rest))
	}
	for _, k := range []string{record.KeyType, record.KeyTS, record.KeyUID, record.KeyOrigH, record.KeyOrigP, record.KeyRespH,
		record.KeyRespP, record.KeyProto, record.KeyTransID, record.KeyQuery, record.KeyQType, record.KeyQTypeName,
		record.KeyRcode, record.KeyRcodeName, record.KeyAnswers, record.KeyTTLs, record.KeyRTT, record.KeyIsResponse, record.KeyRespSize} {
		if _, ok := js[k]; !ok {
			t.Errorf("json lacks %q", k)
		}
		if _, ok := mp[k]; !ok {
			t.Errorf("msgpack lacks %q", k)
		}
	}
	if js[record.KeyType] != "dns" || js[record.KeyOrigH] != "192.0.2.10" || js[record.KeyRcodeName] != "NOERROR" || js[record.KeyRTT] != 0.025 {
		t.Errorf("json values: %v", js)
	}
	// JSON escapes the control byte and writes the non-UTF-8 byte as \xff;
	// msgpack carries the name as it was.
	if js[record.KeyQuery] != "bad\x01\\xffname.example" || mp[record.KeyQuery] != "bad\x01\xffname.example" {
		t.Errorf("query: json %q msgpack %q", js[record.KeyQuery], mp[record.KeyQuery])
	}
	if ts := mp[record.KeyTS].(float64); ts != float64(t0.Add(25*time.Millisecond).UnixMicro())/1e6 {
		t.Errorf("ts %v", ts)
	}
	if !strings.Contains(string(line), `"answers":["203.0.113.7"],"TTLs":[300.0]`) {
		t.Errorf("answers: %s", line)
	}
}

func TestOpenFileReadsStandardInputAndReportsMissingFiles(t *testing.T) {
	if os.Getenv(stdinChildEnv) != "" {
		readStandardInput(t)
		return
	}
	if _, err := sniffer.OpenFile(filepath.Join(t.TempDir(), "absent.pcap")); err == nil {
		t.Fatal("no error for a missing file")
	}
	path := capture(t, pcapgen.Ethernet, false, func(w *pcapgen.Writer) {
		writeExchange(t, w, client, "stdin.example", netip.MustParseAddr("203.0.113.8"))
	})
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// libpcap reads "-" from the C stdin stream and closes it when done, so
	// a process reads it once: the reading runs in a child test process
	// whose standard input is the capture.
	cmd := exec.Command(os.Args[0], "-test.run", "^"+t.Name()+"$", "-test.count", "1")
	cmd.Env = append(os.Environ(), stdinChildEnv+"=1")
	cmd.Stdin = f
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("reading the capture from standard input: %v\n%s", err, out)
	}
}

// stdinChildEnv marks the child process of
// TestOpenFileReadsStandardInputAndReportsMissingFiles.
const stdinChildEnv = "NFR_TEST_STDIN_CHILD"

// readStandardInput opens "-" and checks it holds the capture's DNS
// exchange: a query and its response, and the flow.
func readStandardInput(t *testing.T) {
	src, err := sniffer.OpenFile("-")
	if err != nil {
		t.Fatal(err)
	}
	defer src.(io.Closer).Close()
	var ev scoring.Event
	n := 0
	for src.Next(&ev) == nil {
		n++
	}
	if n != 3 || src.Stats().Events != 3 || src.Stats().Lines != 2 {
		t.Fatalf("events %d, stats %+v", n, src.Stats())
	}
}

func flowConfig(idle, max time.Duration) flow.Config {
	return flow.Config{Idle: idle, Max: max}
}
