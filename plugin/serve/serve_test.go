package serve

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/input"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/scoring"
)

// testRecords writes Zeek dns.log JSON records: benign lookups from several
// hosts, plus lookups that the built-in intel must flag (Tor, I2P).
func testRecords(n int) []map[string]any {
	var recs []map[string]any
	base := 1700000000.0
	for i := 0; i < n; i++ {
		q := fmt.Sprintf("www%d.example.com", i%17)
		switch i % 25 {
		case 3:
			q = fmt.Sprintf("h%dxkq3v5o7w2m4nz.onion", i)
		case 11:
			q = fmt.Sprintf("site%d.i2p", i)
		}
		recs = append(recs, map[string]any{
			"ts": base + float64(i)*0.25, "uid": fmt.Sprintf("C%d", i),
			"id.orig_h": fmt.Sprintf("10.1.0.%d", 1+i%9), "id.orig_p": 40000 + i%1000,
			"id.resp_h": "10.1.255.53", "id.resp_p": 53, "proto": "udp", "trans_id": i % 65536,
			"query": q, "qtype": 1, "qtype_name": "A", "rcode": 0, "rcode_name": "NOERROR",
			"AA": false, "TC": false, "RD": true, "RA": true,
		})
	}
	return recs
}

func ndjson(t *testing.T, recs []map[string]any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// newServer starts a sidecar writing JSON alerts to a file; it returns the
// server, its HTTP test endpoint and the alert file.
func newServer(t *testing.T, mutate func(*config.Config)) (*Server, *httptest.Server, string) {
	t.Helper()
	cfg := config.Default()
	alerts := filepath.Join(t.TempDir(), "alerts.json")
	cfg.Outputs = []config.Output{{Sink: "file:" + alerts, Format: "json", Syslog: config.DefaultSyslog()}}
	if mutate != nil {
		mutate(cfg)
	}
	p, err := pipeline.New(cfg, config.DefaultScopeFile(), pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg.Serve, p, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts, alerts
}

func post(t *testing.T, url string, body []byte, header map[string]string) (*http.Response, reply) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r reply
	if resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
	}
	return resp, r
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	sort.Strings(lines)
	return lines
}

// scoreFile scores path the way `nfr score` does and returns the alert lines.
func scoreFile(t *testing.T, path string) []string {
	t.Helper()
	cfg := config.Default()
	out := filepath.Join(t.TempDir(), "want.json")
	cfg.Outputs = []config.Output{{Sink: "file:" + out, Format: "json", Syslog: config.DefaultSyslog()}}
	p, err := pipeline.New(cfg, config.DefaultScopeFile(), pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src, err := input.Open(path, "auto")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var alerts []*scoring.Alert
	var ev scoring.Event
	for {
		ev.Reset()
		err := src.Next(&ev)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Score(&ev, func(a *scoring.Alert) { alerts = append(alerts, a) })
	}
	if err := p.Outputs().Deliver(p.Outputs().NewBatch(alerts)); err != nil {
		t.Fatal(err)
	}
	p.Close()
	return readLines(t, out)
}

func compress(t testing.TB, enc string, data []byte) []byte {
	var buf bytes.Buffer
	var w io.WriteCloser
	switch enc {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w = zlib.NewWriter(&buf)
	case "zstd":
		zw, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w = zw
	default:
		return data
	}
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// TestVectorPayloadsScoreLikeCLI posts the same records in every shape
// Vector sends and checks the alerts equal nfr score's on the same file.
func TestVectorPayloadsScoreLikeCLI(t *testing.T) {
	recs := testRecords(400)
	logFile := filepath.Join(t.TempDir(), "dns.log")
	if err := os.WriteFile(logFile, ndjson(t, recs), 0o644); err != nil {
		t.Fatal(err)
	}
	want := scoreFile(t, logFile)
	if len(want) == 0 {
		t.Fatal("the reference run raised no alerts: the test data must contain threats")
	}
	arr, _ := json.Marshal(recs)
	var messages []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(ndjson(t, recs))), "\n") {
		messages = append(messages, map[string]any{"message": line, "timestamp": "2026-01-01T00:00:00Z", "host": "zeek1"})
	}
	msgArr, _ := json.Marshal(messages)
	cases := []struct {
		name, encoding, query string
		body                  []byte
	}{
		{"array", "", "", arr},
		{"ndjson-gzip", "gzip", "", ndjson(t, recs)},
		{"array-zstd", "zstd", "", arr},
		{"ndjson-deflate", "deflate", "", ndjson(t, recs)},
		{"raw-message-lines", "gzip", "?format=zeek", msgArr},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ts, alerts := newServer(t, nil)
			// Post in batches of 100, as a shipper would.
			body := c.body
			hdr := map[string]string{"Content-Type": "application/json"}
			if c.encoding != "" {
				hdr["Content-Encoding"] = c.encoding
				body = compress(t, c.encoding, body)
			}
			resp, r := post(t, ts.URL+"/v1/events"+c.query, body, hdr)
			if resp.StatusCode != 200 || r.Accepted != len(recs) || r.Received != len(recs) {
				t.Fatalf("status %d reply %+v", resp.StatusCode, r)
			}
			if err := s.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := readLines(t, alerts)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("alerts differ from nfr score's:\n got %d: %.400s\nwant %d: %.400s", len(got), got, len(want), want)
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	_, ts, _ := newServer(t, func(c *config.Config) { c.Serve.Token = "s3cret"; c.Serve.MaxBody = 4096 })
	auth := map[string]string{"Authorization": "Bearer s3cret"}
	cases := []struct {
		name string
		body []byte
		hdr  map[string]string
		code int
	}{
		{"no token", []byte(`{}`), nil, 401},
		{"wrong token", []byte(`{}`), map[string]string{"Authorization": "Bearer nope"}, 401},
		{"garbage", []byte(`{"ts": 1, "query": `), auth, 400},
		{"not json", []byte("\x00\x01\x02 binary"), auth, 400},
		{"oversize", bytes.Repeat([]byte(`{"query":"a.example.com"}`+"\n"), 1000), auth, 413},
		{"oversize after gzip", compress(t, "gzip", bytes.Repeat([]byte(" "), 1<<20)), map[string]string{"Authorization": "Bearer s3cret", "Content-Encoding": "gzip"}, 413},
		{"bad gzip", []byte("not gzip"), map[string]string{"Authorization": "Bearer s3cret", "Content-Encoding": "gzip"}, 400},
		{"unknown encoding", []byte(`{}`), map[string]string{"Authorization": "Bearer s3cret", "Content-Encoding": "br"}, 415},
		{"bad format", []byte(`{}`), map[string]string{"Authorization": "Bearer s3cret", "X-NFR-Format": "nope"}, 400},
	}
	for _, c := range cases {
		resp, _ := post(t, ts.URL+"/v1/events", c.body, c.hdr)
		if resp.StatusCode != c.code {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.code)
		}
	}
	// Records that are not objects or do not map are counted, not fatal.
	resp, r := post(t, ts.URL+"/v1/events", []byte(`[1, "x", {"ts": 1700000000, "id.orig_h": "10.0.0.1", "query": "a.example.com"}]`), auth)
	if resp.StatusCode != 200 || r.Received != 3 || r.Accepted != 1 || r.Rejected["not a JSON object"] != 2 {
		t.Fatalf("status %d reply %+v", resp.StatusCode, r)
	}
}

func TestNonLoopbackNeedsToken(t *testing.T) {
	cfg := config.DefaultServe()
	cfg.Listen = "0.0.0.0:8686"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "token") {
		t.Fatalf("Validate = %v, want a token error", err)
	}
	cfg.Token = "x"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestOverloadRefusesWholeRequests fills the queue while scoring is held:
// requests that do not fit get 503 and nothing of them is accepted; after
// release, the events scored equal the events accepted.
func TestOverloadRefusesWholeRequests(t *testing.T) {
	s, ts, _ := newServer(t, func(c *config.Config) { c.Serve.Queue = 250 })
	s.hold = make(chan struct{})
	recs := testRecords(100)
	body := ndjson(t, recs)
	accepted, refused := 0, 0
	for i := 0; i < 6; i++ {
		resp, r := post(t, ts.URL+"/v1/events", body, nil)
		switch resp.StatusCode {
		case 200:
			accepted += r.Accepted
		case 503:
			refused++
			if resp.Header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
		default:
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	if accepted != 200 || refused != 4 {
		t.Fatalf("accepted %d events, refused %d requests; want 200 and 4", accepted, refused)
	}
	close(s.hold)
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := testutilCount(t, s, "nfr_serve_events_scored_total"); got != float64(accepted) {
		t.Fatalf("scored %v events, accepted %d", got, accepted)
	}
}

// A request arriving when the queue is already full is refused before
// its body is decoded: a body that would get 400 gets 503.
func TestFullQueueRefusesBeforeDecoding(t *testing.T) {
	s, ts, _ := newServer(t, func(c *config.Config) { c.Serve.Queue = 200 })
	s.hold = make(chan struct{})
	body := ndjson(t, testRecords(100))
	for i := 0; i < 2; i++ {
		if resp, _ := post(t, ts.URL+"/v1/events", body, nil); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	resp, _ := post(t, ts.URL+"/v1/events", []byte("not json\n"), nil)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if got := testutilCount(t, s, "nfr_serve_records_received_total"); got != 200 {
		t.Fatalf("%v records received; want 200 (the refused body not decoded)", got)
	}
	close(s.hold)
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func testutilCount(t *testing.T, s *Server, name string) float64 {
	mfs, err := s.metrics.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			var sum float64
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
			return sum
		}
	}
	return 0
}

func TestTCPStream(t *testing.T) {
	recs := testRecords(300)
	logFile := filepath.Join(t.TempDir(), "dns.log")
	os.WriteFile(logFile, ndjson(t, recs), 0o644)
	want := scoreFile(t, logFile)
	s, _, alerts := newServer(t, func(c *config.Config) {
		c.Serve.Listen = "127.0.0.1:0"
		c.Serve.TCPListen = "127.0.0.1:0"
	})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", s.StreamAddrs()[0])
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(c)
	w.Write(ndjson(t, recs))
	w.Flush()
	c.Close()
	// Wait until the reader has queued everything, then drain.
	deadline := time.Now().Add(10 * time.Second)
	for testutilCount(t, s, "nfr_serve_events_accepted_total") < float64(len(recs)) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := readLines(t, alerts)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("alerts differ: got %d want %d", len(got), len(want))
	}
	resp, err := http.Get("http://" + s.Addr() + "/healthz")
	if err == nil {
		resp.Body.Close()
		t.Fatal("HTTP still answering after shutdown")
	}
}

func FuzzDecodeBody(f *testing.F) {
	f.Add([]byte(`[{"a":1},{"b":"x"}]`))
	f.Add([]byte("{\"a\":1}\n{\"a\":2}\n"))
	f.Add([]byte(`{"a":[1,2,{"c":null}]}`))
	f.Add([]byte(`[1,"x",null]`))
	f.Add([]byte("\xef\xbb\xbf[]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		err := decodeBody(&limitReader{r: bytes.NewReader(data), n: 1 << 20}, 1<<20, func(rawRecord) error { n++; return nil })
		if err == nil && n > len(data) {
			t.Fatalf("%d records from %d bytes", n, len(data))
		}
		b := newBatcher(0, newBudget(1<<30))
		decodeBody(bytes.NewReader(data), 1<<20, b.addPaid)
	})
}

// BenchmarkServeHTTP posts NDJSON batches of 1,000 Zeek dns records over
// loopback HTTP and reports events/s, scoring included.
func BenchmarkServeHTTP(b *testing.B) { benchServeHTTP(b, "") }

// BenchmarkServeHTTPGzip is BenchmarkServeHTTP with gzipped bodies.
func BenchmarkServeHTTPGzip(b *testing.B) { benchServeHTTP(b, "gzip") }

func benchServeHTTP(b *testing.B, encoding string) {
	cfg := config.Default()
	cfg.Outputs = []config.Output{{Sink: "file:" + filepath.Join(b.TempDir(), "a.json"), Format: "json", Syslog: config.DefaultSyslog()}}
	cfg.Serve.Listen = "127.0.0.1:0"
	p, err := pipeline.New(cfg, config.DefaultScopeFile(), pipeline.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(cfg.Serve, p, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range testRecords(1000) {
		enc.Encode(r)
	}
	body := compress(b, encoding, buf.Bytes())
	url := "http://" + s.Addr() + "/v1/events"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	b.ResetTimer()
	start, cpu := time.Now(), processCPU(b)
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-ndjson")
		if encoding != "" {
			req.Header.Set("Content-Encoding", encoding)
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	s.Shutdown(context.Background()) // includes draining: every event scored
	b.ReportMetric(float64(b.N*1000)/time.Since(start).Seconds(), "events/s")
	// The client's work is counted too: build/bench.d/serve.sh measures
	// the server alone (bin/nfr serve and a load generator).
	b.ReportMetric(float64(b.N*1000)/(processCPU(b)-cpu).Seconds(), "events/cpu-s")
}

// processCPU is the user and system time of this process so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func jsonEncoder(w io.Writer) *json.Encoder { return json.NewEncoder(w) }

// TestStreamBatchesWaitForTheScorer checks that a stream's reader, which
// scores its batches itself (scoreHere), waits its turn behind the
// scorer of HTTP requests: nothing of the stream is scored while a
// request's batch is held, and each release of the hold scores one
// batch, whole. (That the two never score at once is the scoreMu
// lock's; go test -race over this package checks it.)
func TestStreamBatchesWaitForTheScorer(t *testing.T) {
	s, ts, _ := newServer(t, func(c *config.Config) {
		c.Serve.Listen = "127.0.0.1:0"
		c.Serve.TCPListen = "127.0.0.1:0"
	})
	s.hold = make(chan struct{})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	waitCount := func(name string, want float64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for testutilCount(t, s, name) < want && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if got := testutilCount(t, s, name); got != want {
			t.Fatalf("%s = %v, want %v", name, got, want)
		}
	}
	if resp, _ := post(t, ts.URL+"/v1/events", ndjson(t, testRecords(100)), nil); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	c, err := net.Dial("tcp", s.StreamAddrs()[0])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(ndjson(t, testRecords(50))); err != nil {
		t.Fatal(err)
	}
	waitCount("nfr_serve_events_accepted_total", 150) // the stream's batch is waiting too
	time.Sleep(50 * time.Millisecond)
	if got := testutilCount(t, s, "nfr_serve_events_scored_total"); got != 0 {
		t.Fatalf("%v events scored while scoring is held", got)
	}
	// One release scores one whole batch. Which one is not defined: the
	// scorer's goroutine (with the request's batch) and the stream's
	// reader (scoring its own batch) race for the scoring lock.
	s.hold <- struct{}{}
	deadline := time.Now().Add(10 * time.Second)
	for testutilCount(t, s, "nfr_serve_events_scored_total") == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	first := testutilCount(t, s, "nfr_serve_events_scored_total")
	if first != 100 && first != 50 {
		t.Fatalf("after one release %v events scored, want one batch (100 or 50)", first)
	}
	time.Sleep(50 * time.Millisecond)
	if got := testutilCount(t, s, "nfr_serve_events_scored_total"); got != first {
		t.Fatalf("%v events scored after one release, then %v while held", first, got)
	}
	s.hold <- struct{}{} // then the other batch
	waitCount("nfr_serve_events_scored_total", 150)
	close(s.hold)
	c.Close()
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitCount("nfr_serve_events_scored_total", 150)
}
