package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/sink/sinktest"
)

const demo = "../../examples/demo/"

// runScoreCaptured runs nfr score in process and returns its exit code and
// what it wrote to stderr.
func runScoreCaptured(t *testing.T, args ...string) (int, string) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stderr
	os.Stderr = f
	code := dispatch(append([]string{"score", "--config", demo + "config.yml"}, args...))
	os.Stderr = saved
	data, _ := os.ReadFile(f.Name())
	return code, string(data)
}

// alertLines scores files into an alert file and returns its lines.
func alertLines(t *testing.T, files ...string) (int, []string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "alerts.json")
	code, stderr := runScoreCaptured(t, append([]string{"--output", "file:" + out}, files...)...)
	data, err := os.ReadFile(out)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return code, strings.Split(strings.TrimSpace(string(data)), "\n"), stderr
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gz(t *testing.T, data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Issue 21, defect 4: a read error in the middle of a file (truncated
// gzip, garbage after the gzip member, truncated pcap or pcapng) must not
// discard the alerts already raised: nfr score delivers exactly the alerts
// of the intact part, names the position of the error and exits 1.
func TestScoreDeliversAlertsBeforeReadError(t *testing.T) {
	dns, err := os.ReadFile(demo + "dns.log")
	if err != nil {
		t.Fatal(err)
	}
	pcap, err := os.ReadFile(demo + "icmp.pcap")
	if err != nil {
		t.Fatal(err)
	}
	zipped := gz(t, dns)
	cut := len(zipped) * 7 / 10
	cases := []struct {
		name, file, where string
		intact            func(stderr string) string // the file the intact part scores like
	}{
		{"truncated gzip", writeFile(t, "cut.log.gz", zipped[:cut]), "gzip: at compressed byte offset",
			func(stderr string) string { return writeFile(t, "prefix.log", linesBefore(t, dns, stderr)) }},
		{"garbage after gzip", writeFile(t, "garbage.log.gz", append(append([]byte{}, zipped...), "garbage\n"...)),
			"line 1485: gzip", func(string) string { return demo + "dns.log" }},
		{"truncated pcap", writeFile(t, "cut.pcap", pcap[:len(pcap)*8/10]), "the file ends inside this packet",
			func(stderr string) string { return writeFile(t, "prefix.pcap", pcap[:offsetIn(t, stderr)]) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, got, stderr := alertLines(t, c.file)
			if code != 1 || !strings.Contains(stderr, c.where) || !strings.Contains(stderr, c.file) {
				t.Fatalf("exit %d, stderr %q: want 1 and an error naming the file and %q", code, stderr, c.where)
			}
			wantCode, want, _ := alertLines(t, c.intact(stderr))
			if wantCode != 0 || len(want) == 0 || len(want[0]) == 0 {
				t.Fatalf("the intact part scores %d alerts (exit %d): the test needs some", len(want), wantCode)
			}
			if len(got) != len(want) || len(got[0]) == 0 {
				t.Errorf("%d alerts delivered, the intact part raises %d", len(got), len(want))
			}
		})
	}
}

// linesBefore returns the lines of data before the line a "line N:" error names.
func linesBefore(t *testing.T, data []byte, stderr string) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	return bytes.Join(lines[:numberAfter(t, stderr, ": line ")-1], nil)
}

// offsetIn returns the byte offset a "packet N at byte offset X" error names.
func offsetIn(t *testing.T, stderr string) int { return numberAfter(t, stderr, "at byte offset ") }

// numberAfter reads the number that follows marker in s.
func numberAfter(t *testing.T, s, marker string) int {
	t.Helper()
	var n int
	i := strings.Index(s, marker)
	if i < 0 {
		t.Fatalf("no %q in %q", marker, s)
	}
	if _, err := fmt.Sscan(s[i+len(marker):], &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Issue 21, defect 4 for pcapng: the same truncation in the other capture
// format (converted with editcap).
func TestScoreTruncatedPcapng(t *testing.T) {
	if _, err := exec.LookPath("editcap"); err != nil {
		t.Skip("needs editcap")
	}
	ng := filepath.Join(t.TempDir(), "icmp.pcapng")
	if out, err := exec.Command("editcap", "-F", "pcapng", demo+"icmp.pcap", ng).CombinedOutput(); err != nil {
		t.Fatalf("editcap: %v %s", err, out)
	}
	data, err := os.ReadFile(ng)
	if err != nil {
		t.Fatal(err)
	}
	code, got, stderr := alertLines(t, writeFile(t, "cut.pcapng", data[:len(data)*8/10]))
	if code != 1 || !strings.Contains(stderr, "the file ends inside this packet") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	_, want, _ := alertLines(t, writeFile(t, "prefix.pcapng", data[:offsetIn(t, stderr)]))
	if len(want[0]) == 0 || len(got) != len(want) {
		t.Errorf("%d alerts delivered, the intact part raises %d", len(got), len(want))
	}
}

// Issue 21, minor: a file of which no line could be decoded is an error
// (exit 1), not a clean run.
func TestScoreAllLinesBadExitsOne(t *testing.T) {
	bad := writeFile(t, "bad.json", []byte("{\"ts\": 1, \"id.orig_h\": [\n{not json\n{\"ts\": \"x\", \"_path\": 3}\n"))
	code, stderr := runScoreCaptured(t, "--format", "zeek-json", "--output", "file:"+filepath.Join(t.TempDir(), "a"), bad)
	if code != 1 || !strings.Contains(stderr, "none of its 3 lines could be decoded") {
		t.Errorf("exit %d, stderr %q: want 1 and a message that no line was decoded", code, stderr)
	}
}

// torRecords writes Zeek JSON DNS records from n distinct hosts, each
// looking up an .onion name: one tor_usage alert each, with its own uid.
func torRecords(from, n int) []byte {
	var b bytes.Buffer
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, `{"ts":%d.5,"uid":"C%d","id.orig_h":"10.%d.%d.%d","id.orig_p":40000,"id.resp_h":"10.255.255.53",`+
			`"id.resp_p":53,"proto":"udp","query":"h%dxkq3v5o7w2m4nz.onion","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR"}`+"\n",
			1700000000+i, i, 1+i/65536, i/256%256, i%256, i)
	}
	return b.Bytes()
}

// distinctUIDs counts the distinct alert uids among syslog lines.
func distinctUIDs(lines []string) int {
	seen := map[string]bool{}
	for _, l := range lines {
		if i := strings.Index(l, `"uid":"`); i >= 0 {
			uid, _, _ := strings.Cut(l[i+7:], `"`)
			seen[uid] = true
		}
	}
	return len(seen)
}

// Issue 21, defect 5: the syslog receiver stops for 20 s while nfr score
// is in the middle of its input and starts again. nfr score keeps
// retrying (it used to give up after about 6 s and drop the rest) and
// every alert arrives.
func TestScoreOutlastsReceiverOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 20 s")
	}
	r := sinktest.StartRsyslog(t, "tcp", nil)
	in, feed, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdin
	os.Stdin = in
	defer func() { os.Stdin = saved }()
	const first, rest = 1024, 2000 // two whole batches of 512, then the rest
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stderr := runScoreCaptured(t, "--format", "zeek-json", "--output", "syslog+tcp://"+r.Addr(), "--alert-format", "json", "-")
		done <- result{code, stderr}
	}()
	feed.Write(torRecords(0, first))
	if got := r.WaitLines(first); len(got) < first {
		t.Fatalf("rsyslogd got %d of the first %d alerts", len(got), first)
	}
	r.Stop()
	go func() { // the pipe blocks while nfr score waits for the receiver
		feed.Write(torRecords(first, rest))
		feed.Close()
	}()
	time.Sleep(20 * time.Second)
	r.Start()
	var res result
	select {
	case res = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("nfr score did not finish within 2 minutes of the receiver's return")
	}
	r.Stop()
	lines := r.Lines()
	t.Logf("%d alerts raised, %d lines received, %d distinct", first+rest, len(lines), distinctUIDs(lines))
	if n := distinctUIDs(lines); res.code != 0 || n != first+rest {
		t.Errorf("exit %d, %d of %d alerts delivered; stderr:\n%s", res.code, n, first+rest, res.stderr)
	}
}

// Issue 21, defect 5: when the receiver stays away past --retry-for, nfr
// score says how many alerts were not delivered and where they are, and
// the spill file holds every one of them.
func TestScoreSpillsWhenReceiverStaysDown(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	spill := filepath.Join(dir, "spill.json")
	input := writeFile(t, "tor.json", torRecords(0, 600))
	code, stderr := runScoreCaptured(t, "--format", "zeek-json", "--output", "syslog+tcp://"+addr,
		"--retry-for", "1s", "--spill", spill, input)
	data, _ := os.ReadFile(spill)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	want := "600 alerts were not delivered"
	if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, spill) || distinctUIDs(lines) != 600 {
		t.Errorf("exit %d, %d alerts in the spill file, stderr %q: want 1, 600 and %q naming the file", code, distinctUIDs(lines), stderr, want)
	}
}

// --summary counts every alert delivered, by threat and by host.
func TestScoreSummaryCountsTheAlerts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "alerts.json")
	code, stderr := runScoreCaptured(t, "--summary", "--output", "file:"+out, demo+"dns.log")
	data, err := os.ReadFile(out)
	if code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	alerts := strings.Count(string(data), "\n")
	if alerts == 0 || !strings.Contains(stderr, fmt.Sprintf("\n%d alerts\n", alerts)) || !strings.Contains(stderr, "HOST") {
		t.Errorf("%d alerts delivered; summary:\n%s", alerts, stderr)
	}
}

// pipeOf returns the name of a pipe, /dev/fd/N as the shell's <(...)
// gives it, that data is written into.
func pipeOf(t *testing.T, data []byte) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	go func() {
		w.Write(data) // the reader may stop early: its error is the test's
		w.Close()
	}()
	return fmt.Sprintf("/dev/fd/%d", r.Fd())
}

// A log read from a pipe (nfr score <(zcat dns.log.gz)) is read
// whole: nfr score used to read its first four bytes to look for a pcap's
// magic number, and then the log without them, taking Zeek JSON for a
// list of domains.
func TestScoreReadsAPipeWhole(t *testing.T) {
	records := torRecords(0, 40)
	code, fromFile, stderr := alertLines(t, writeFile(t, "dns.json", records))
	if code != 0 || len(fromFile) != 40 {
		t.Fatalf("from a file: exit %d, %d alerts, stderr %q; want 0 and 40", code, len(fromFile), stderr)
	}
	code, fromPipe, stderr := alertLines(t, "--stats", pipeOf(t, records))
	if code != 0 || len(fromPipe) != len(fromFile) || !strings.Contains(stderr, "format zeek-json, 40 lines, 40 events") {
		t.Errorf("from a pipe: exit %d, %d alerts, stderr %q; want 0, %d alerts and all 40 lines as zeek-json", code, len(fromPipe), stderr, len(fromFile))
	}
}

// A pcap from a pipe is read by libpcap when named with --format pcap;
// without it, the error says so.
func TestScorePcapFromAPipe(t *testing.T) {
	data, err := os.ReadFile(demo + "icmp.pcap")
	if err != nil {
		t.Fatal(err)
	}
	_, fromFile, _ := alertLines(t, demo+"icmp.pcap")
	code, fromPipe, stderr := alertLines(t, "--format", "pcap", pipeOf(t, data))
	if code != 0 || len(fromFile[0]) == 0 || len(fromPipe) != len(fromFile) {
		t.Errorf("--format pcap from a pipe: exit %d, %d alerts (stderr %q); from the file %d", code, len(fromPipe), stderr, len(fromFile))
	}
	code, _, stderr = alertLines(t, pipeOf(t, data))
	if code == 0 || !strings.Contains(stderr, "--format pcap") {
		t.Errorf("a pcap from a pipe without --format: exit %d, stderr %q; want an error naming --format pcap", code, stderr)
	}
}
