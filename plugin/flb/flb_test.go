package flb

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/chunk"
	"github.com/netflightrecorder/nfr/formats/chunk/chunktest"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/formats/zeek"
	"github.com/netflightrecorder/nfr/scoring"
)

// fakeMapper maps {"query": ...} records to DNS events; others are not events.
type fakeMapper struct {
	t     time.Time
	query []byte
}

func (m *fakeMapper) Begin(t time.Time) { m.t, m.query = t, m.query[:0] }

func (m *fakeMapper) Field(key []byte, v *chunk.Value) {
	if string(key) == "query" {
		m.query = append(m.query, v.Str...)
	}
}

func (m *fakeMapper) End(ev *scoring.Event) error {
	if len(m.query) == 0 {
		return errors.New("no query")
	}
	ev.Time, ev.Type, ev.DNS.Query = m.t, scoring.TypeDNS, string(m.query)
	return nil
}

// fakePipeline raises an alert for every query under "bad.", panics on
// "panic.", and delivers to a sink that fails while down is set.
type fakePipeline struct {
	mu        sync.Mutex
	scored    map[string]int
	delivered []string
	down      bool
	closed    bool
}

type fakeBatch struct {
	alerts []*scoring.Alert
	done   bool
}

func (b *fakeBatch) Len() int { return len(b.alerts) }

func (p *fakePipeline) Score(ev *scoring.Event, emit func(*scoring.Alert)) {
	if strings.HasPrefix(ev.DNS.Query, "panic.") {
		panic("boom")
	}
	p.mu.Lock()
	p.scored[ev.DNS.Query]++
	p.mu.Unlock()
	if strings.HasPrefix(ev.DNS.Query, "bad.") {
		emit(&scoring.Alert{Time: ev.Time, Event: ev.Clone()})
	}
}

func (p *fakePipeline) NewBatch(alerts []*scoring.Alert) Batch { return &fakeBatch{alerts: alerts} }

func (p *fakePipeline) Deliver(b Batch) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fb := b.(*fakeBatch)
	if fb.done {
		return nil
	}
	if p.down {
		return errors.New("connection refused")
	}
	for _, a := range fb.alerts {
		p.delivered = append(p.delivered, a.Event.DNS.Query)
	}
	fb.done = true
	return nil
}

func (p *fakePipeline) Close() error { p.closed = true; return nil }

func fakeDeps(p *fakePipeline) Deps {
	return Deps{
		OpenPipeline: func(Settings, *Logger) (Pipeline, error) { return p, nil },
		NewMapper:    func(record.Input) Mapper { return &fakeMapper{} },
	}
}

// captureLog sends log lines to a buffer for the test's duration.
func captureLog(t *testing.T) *syncBuffer {
	b := &syncBuffer{}
	SetLogOutput(b)
	t.Cleanup(func() { SetLogOutput(nil) })
	return b
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Split(strings.TrimSuffix(s.b.String(), "\n"), "\n")
}

func (s *syncBuffer) count(substr string) int {
	n := 0
	for _, l := range s.lines() {
		if strings.Contains(l, substr) {
			n++
		}
	}
	return n
}

func chunkOf(queries ...string) []byte {
	var b []byte
	for i, q := range queries {
		b = chunktest.Append(b, chunktest.Event{Time: time.Unix(1732600000+int64(i), 0),
			Record: chunktest.R("query", q), Layout: chunktest.Layouts[i%4], TimeEnc: chunktest.TimeEncs[i%4]})
	}
	return b
}

// openInstance opens a plugin instance called name with the keys of g.
func openInstance(tb testing.TB, name string, g MapGetter) *Instance {
	tb.Helper()
	s, err := ReadSettings(g)
	if err != nil {
		tb.Fatal(err)
	}
	in, err := Open(name, s, DefaultDeps())
	if err != nil {
		tb.Fatal(err)
	}
	return in
}

func openFake(t *testing.T, s Settings) (*Instance, *fakePipeline) {
	t.Helper()
	p := &fakePipeline{scored: map[string]int{}}
	if s.LogLevel == LevelOff {
		s.LogLevel = LevelInfo
	}
	in, err := Open("nfr.7", s, fakeDeps(p))
	if err != nil {
		t.Fatal(err)
	}
	return in, p
}

func TestReadSettings(t *testing.T) {
	s, err := ReadSettings(MapGetter{"format": "CEF", "OUTPUT": "syslog+tcp://127.0.0.1:514", "input": "Zeek",
		"feeds": "c2=/tmp/c2.txt, tor/tor-exit=/tmp/exits", "log_level": "debug", "on_panic": "retry"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Format != "cef" || s.Input != zeek.Input || s.LogLevel != LevelDebug || s.OnPanic != Retry ||
		len(s.Feeds) != 2 || s.Feeds[1].Category != "tor" || s.Feeds[1].Format != "tor-exit" || s.Feeds[0].Format != "plain" {
		t.Fatalf("settings %+v", s)
	}
	bad := []struct{ key, value string }{
		{KeyFormat, "xml"}, {KeyOutput, "kafka://x"}, {KeyOutput, "syslog+udp://nohost"}, {KeyInput, "pcap"},
		{KeyFeeds, "c2"}, {KeyFeeds, "weird=/tmp/x"}, {KeyFeeds, "c2/xml=/tmp/x"}, {KeyLogLevel, "loud"}, {KeyOnPanic, "ignore"},
	}
	for _, b := range bad {
		_, err := ReadSettings(MapGetter{b.key: b.value})
		var se *SettingError
		if !errors.As(err, &se) || se.Key != b.key || !strings.Contains(err.Error(), "key "+b.key) {
			t.Errorf("%s=%s: err = %v, want a SettingError naming %s", b.key, b.value, err, b.key)
		}
	}
}

func TestNFRLogLevelFallback(t *testing.T) {
	s, err := ReadSettings(MapGetter{"NFR_Log_Level": "error"})
	if err != nil || s.LogLevel != LevelError {
		t.Fatalf("level %v err %v", s.LogLevel, err)
	}
}

func TestLogFormat(t *testing.T) {
	buf := captureLog(t)
	l := NewLogger("nfr.3", LevelInfo)
	l.Infof("hello\nworld")
	l.Debugf("hidden")
	l.Errorf("bad")
	lines := buf.lines()
	re := regexp.MustCompile(`^\[\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\] \[( info|error)\] \[output:nfr:nfr\.3\] `)
	if len(lines) != 2 || !re.MatchString(lines[0]) || !re.MatchString(lines[1]) || !strings.HasSuffix(lines[0], "hello | world") {
		t.Fatalf("lines %q", lines)
	}
}

func TestFlushDeliversAlerts(t *testing.T) {
	in, p := openFake(t, Settings{})
	if rc := in.Flush(chunkOf("ok.example", "bad.example", "bad.other"), "t"); rc != OK {
		t.Fatalf("rc %d", rc)
	}
	if fmt.Sprint(p.delivered) != "[bad.example bad.other]" || p.scored["ok.example"] != 1 {
		t.Fatalf("delivered %v scored %v", p.delivered, p.scored)
	}
}

func TestRetryNeitherRescoresNorRedelivers(t *testing.T) {
	buf := captureLog(t)
	in, p := openFake(t, Settings{})
	c := chunkOf("bad.one", "ok.two", "bad.three")
	p.down = true
	for i := 0; i < 3; i++ {
		if rc := in.Flush(c, "t"); rc != Retry {
			t.Fatalf("attempt %d: rc %d, want Retry", i, rc)
		}
	}
	p.down = false
	if rc := in.Flush(c, "t"); rc != OK {
		t.Fatalf("rc %d after recovery", rc)
	}
	if p.scored["bad.one"] != 1 || p.scored["ok.two"] != 1 || fmt.Sprint(p.delivered) != "[bad.one bad.three]" {
		t.Fatalf("scored %v delivered %v", p.scored, p.delivered)
	}
	// Once delivered, the same bytes are a new chunk again.
	if rc := in.Flush(c, "t"); rc != OK || p.scored["bad.one"] != 2 || len(p.delivered) != 4 {
		t.Fatalf("rc %d scored %v delivered %v", rc, p.scored, p.delivered)
	}
	if n := buf.count("will retry"); n != 3 {
		t.Errorf("%d retry log lines, want 3", n)
	}
}

func TestPendingIsBounded(t *testing.T) {
	buf := captureLog(t)
	defer func(n int) { pendingCapacity = n }(pendingCapacity)
	pendingCapacity = 2
	in, p := openFake(t, Settings{})
	p.down = true
	chunks := [][]byte{chunkOf("bad.1"), chunkOf("bad.2", "bad.22"), chunkOf("bad.3")}
	for _, c := range chunks {
		if rc := in.Flush(c, "t"); rc != Retry {
			t.Fatalf("rc %d", rc)
		}
	}
	if in.Stats.DroppedAlerts.Load() != 1 || buf.count("its 1 alerts are lost") != 1 {
		t.Fatalf("dropped %d, log %q", in.Stats.DroppedAlerts.Load(), buf.lines())
	}
	// The forgotten chunk is scored again when retried; the others are not.
	p.down = false
	for _, c := range chunks {
		if rc := in.Flush(c, "t"); rc != OK {
			t.Fatalf("rc %d", rc)
		}
	}
	if p.scored["bad.1"] != 2 || p.scored["bad.2"] != 1 || p.scored["bad.3"] != 1 || len(p.delivered) != 4 {
		t.Fatalf("scored %v delivered %v", p.scored, p.delivered)
	}
}

func TestMalformedChunkIsOneErrorLine(t *testing.T) {
	buf := captureLog(t)
	in, p := openFake(t, Settings{})
	good := chunkOf("bad.a", "ok.b")
	cases := [][]byte{
		[]byte("\x00garbage that is not msgpack"),
		good[:len(good)-3],
		append(append([]byte{}, good...), 0xc1),
	}
	for i, c := range cases {
		if rc := in.Flush(c, "t"); rc != Error {
			t.Fatalf("case %d: rc %d, want Error", i, rc)
		}
	}
	if n := buf.count("[error]"); n != len(cases) {
		t.Fatalf("%d error lines, want %d: %q", n, len(cases), buf.lines())
	}
	if !strings.Contains(buf.lines()[0], "at byte 0") {
		t.Errorf("no offset in %q", buf.lines()[0])
	}
	// The records before the bad bytes were scored and their alerts delivered.
	if p.scored["bad.a"] != 2 || len(p.delivered) != 2 {
		t.Fatalf("scored %v delivered %v", p.scored, p.delivered)
	}
	if rc := in.Flush(good, "t"); rc != OK {
		t.Fatalf("next flush rc %d", rc)
	}
}

func TestPanicIsRecovered(t *testing.T) {
	for _, onPanic := range []int{Error, Retry} {
		buf := captureLog(t)
		in, p := openFake(t, Settings{OnPanic: onPanic})
		if rc := in.Flush(chunkOf("ok.x", "panic.now"), "t"); rc != onPanic {
			t.Fatalf("rc %d, want %d", rc, onPanic)
		}
		lines := buf.lines()
		if len(lines) != 1 || !strings.Contains(lines[0], "panic in flush") || !strings.Contains(lines[0], "goroutine") {
			t.Fatalf("log %q", lines)
		}
		if rc := in.Flush(chunkOf("bad.after"), "t"); rc != OK || len(p.delivered) != 1 {
			t.Fatalf("after panic: rc %d delivered %v", rc, p.delivered)
		}
		if in.Stats.Panics.Load() != 1 {
			t.Fatalf("panics %d", in.Stats.Panics.Load())
		}
	}
}

func TestConcurrentFlushes(t *testing.T) {
	in, p := openFake(t, Settings{})
	const goroutines, chunks = 8, 50
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < chunks; i++ {
				if rc := in.Flush(chunkOf(fmt.Sprintf("bad.%d.%d", g, i), "ok.x"), "t"); rc != OK {
					t.Errorf("rc %d", rc)
				}
			}
		}(g)
	}
	wg.Wait()
	if len(p.delivered) != goroutines*chunks || p.scored["ok.x"] != goroutines*chunks {
		t.Fatalf("delivered %d, scored ok.x %d", len(p.delivered), p.scored["ok.x"])
	}
	if in.Stats.Records.Load() != 2*goroutines*chunks {
		t.Fatalf("records %d", in.Stats.Records.Load())
	}
}

func TestRegistryInstances(t *testing.T) {
	buf := captureLog(t)
	pa, pb := &fakePipeline{scored: map[string]int{}}, &fakePipeline{scored: map[string]int{}}
	next := []*fakePipeline{pa, pb, {scored: map[string]int{}}}
	SetDeps(Deps{
		OpenPipeline: func(Settings, *Logger) (Pipeline, error) { p := next[0]; next = next[1:]; return p, nil },
		NewMapper:    func(record.Input) Mapper { return &fakeMapper{} },
	})
	t.Cleanup(func() { SetDeps(Deps{}) })
	a, rcA := Init(MapGetter{})
	if _, rc := Init(MapGetter{"Format": "xml"}); rc != Error {
		t.Fatal("bad Format accepted")
	}
	b, rcB := Init(MapGetter{"input": "zeek"})
	if rcA != OK || rcB != OK || a == b {
		t.Fatalf("ids %d %d rc %d %d", a, b, rcA, rcB)
	}
	if Flush(a, chunkOf("bad.a"), "t") != OK || Flush(b, chunkOf("bad.b1", "bad.b2"), "t") != OK {
		t.Fatal("flush failed")
	}
	if len(pa.delivered) != 1 || len(pb.delivered) != 2 {
		t.Fatalf("a %v b %v", pa.delivered, pb.delivered)
	}
	if Flush(12345, chunkOf("x"), "t") != Error {
		t.Fatal("unknown instance accepted")
	}
	if Exit(a) != OK || Exit(b) != OK || !pa.closed || !pb.closed || Flush(a, chunkOf("x"), "t") != Error {
		t.Fatal("exit")
	}
	if c, rc := Init(MapGetter{}); rc != OK || lookup(c).Name != "nfr.0" {
		t.Fatalf("after every instance exited (hot reload), names restart at nfr.0: %v", lookup(c))
	} else {
		Exit(c)
	}
	if n := buf.count("invalid value for key Format"); n != 1 {
		t.Fatalf("%d Format lines: %q", n, buf.lines())
	}
}

func BenchmarkFlushFake(b *testing.B) {
	p := &fakePipeline{scored: map[string]int{}}
	in, _ := Open("nfr.0", Settings{}, fakeDeps(p))
	qs := make([]string, 256)
	for i := range qs {
		qs[i] = fmt.Sprintf("host%d.example.com", i%8)
	}
	c := chunkOf(qs...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.Flush(c, "t")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(qs)), "ns/record")
}
