package harness

import (
	"bufio"
	"bytes"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/chunk/chunktest"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/plugin/flb"
	"github.com/netflightrecorder/nfr/scoring"
)

// The plugin and the loader are built once for every test, with the
// nfr_inject_panic tag so that a query can make scoring panic.
var (
	buildOnce        sync.Once
	loader, pluginSO string
	buildErr         error
)

// TestMain removes what the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, built := range []string{pluginSO, cliPath} {
		if built != "" {
			os.RemoveAll(filepath.Dir(built))
		}
	}
	os.Exit(code)
}

func setup(t *testing.T) (*Process, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the c-shared plugin")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nfr-harness-")
		if err != nil {
			buildErr = err
			return
		}
		if loader, buildErr = BuildLoader(dir); buildErr == nil {
			pluginSO, buildErr = BuildPlugin(dir, "nfr_inject_panic")
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	p, err := Start(loader, pluginSO)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	do(t, p, "register", "register rc=0 name=nfr type=2 proxy=11 init=1 flush_ctx=1 exit_ctx=1")
	return p, t.TempDir()
}

// do runs a command and checks its result line when want is not empty.
func do(t *testing.T, p *Process, cmd, want string) string {
	t.Helper()
	got, err := p.Do("%s", cmd)
	if err != nil {
		t.Fatal(err)
	}
	if want != "" && got != want {
		t.Fatalf("%s: got %q, want %q\nplugin log:\n%s", cmd, got, want, p.Stderr())
	}
	return got
}

func write(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// instanceSpec is one [OUTPUT] of the acceptance test.
type instanceSpec struct {
	props     map[string]string
	out       string // where the plugin writes
	ref       string // where the reference scoring writes
	cliConfig string // config.yml equivalent to props, for nfr score
}

// TestPluginIsBuiltWithItsProfile checks that go build, as make plugin
// and BuildPlugin run it, builds out_nfr.so with the profile of the
// plugin's flush benchmarks (plugin/fluentbit/default.pgo, make pgo): the
// plugin's speed in Fluent Bit is measured with it (build/bench.d).
func TestPluginIsBuiltWithItsProfile(t *testing.T) {
	setup(t)
	info, err := buildinfo.ReadFile(pluginSO)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range info.Settings {
		if s.Key == "-pgo" {
			if filepath.Base(s.Value) != "default.pgo" {
				t.Fatalf("built with the profile %q, want plugin/fluentbit/default.pgo", s.Value)
			}
			return
		}
	}
	t.Fatalf("built without a profile (settings %v): is plugin/fluentbit/default.pgo there?", info.Settings)
}

// TestThreeInstancesMatchDirectScoring is acceptance 1: three instances
// with different configs, 1,000 chunks each in every encoding, give the
// alerts that scoring the same records directly through the pipeline gives.
func TestThreeInstancesMatchDirectScoring(t *testing.T) {
	p, dir := setup(t)
	gen := NewGen(7)
	feed := write(t, filepath.Join(dir, "c2.txt"), []byte(strings.Join(gen.Listed[:2], "\n")+"\n"))
	mining := write(t, filepath.Join(dir, "mining.txt"), []byte(gen.Listed[2]+"\n"+gen.Listed[3]+"\n"))
	cfgB := write(t, filepath.Join(dir, "b.yml"), []byte(fmt.Sprintf(
		"intel:\n  feeds:\n    - path: %s\n      category: mining\n      format: plain\nscope:\n  path: \"\"\n", mining)))
	scopeC := write(t, filepath.Join(dir, "scope-c.yml"), []byte(
		"groups:\n  - label: lab\n    desc: lab hosts only\n    in_scope: [10.0.1.0/24, 10.0.2.0/24]\n    trusted_domains: [\"*.corp.local\"]\n"))
	feedYAML := func(path, category string) string {
		return fmt.Sprintf("    - path: %s\n      category: %s\n      format: plain\n", path, category)
	}
	specs := []instanceSpec{
		{props: map[string]string{"Format": "json", "Feeds": "c2=" + feed},
			cliConfig: write(t, filepath.Join(dir, "cli0.yml"), []byte("intel:\n  feeds:\n"+feedYAML(feed, "c2")))},
		{props: map[string]string{"Config": cfgB, "Format": "cef", "Input": "zeek", "match": "zeek.*", "workers": "2"},
			cliConfig: cfgB},
		{props: map[string]string{"format": "json", "INPUT": "auto", "Scope": scopeC, "Feeds": "c2=" + feed + ",mining=" + mining},
			cliConfig: write(t, filepath.Join(dir, "cli2.yml"), []byte("intel:\n  feeds:\n"+feedYAML(feed, "c2")+feedYAML(mining, "mining")+"scope:\n  path: "+scopeC+"\n"))},
	}
	for i := range specs {
		specs[i].out = filepath.Join(dir, fmt.Sprintf("out%d", i))
		specs[i].ref = filepath.Join(dir, fmt.Sprintf("ref%d", i))
		specs[i].props["Output"] = "file:" + specs[i].out
		line := "init"
		for k, v := range specs[i].props {
			line += " " + k + "=" + v
		}
		do(t, p, line, fmt.Sprintf("init %d rc=1", i))
	}
	const chunks = 1000
	for i, spec := range specs {
		var all [][]Rec
		var files []string
		for c := 0; c < chunks; c++ {
			data, recs := gen.Chunk(1 + c%13)
			all = append(all, recs)
			files = append(files, write(t, filepath.Join(dir, fmt.Sprintf("chunk%d-%d", i, c)), data))
		}
		// One thread flushes the files in order, as Fluent Bit without workers.
		for start := 0; start < chunks; start += 250 {
			batch := files[start:min(start+250, chunks)]
			do(t, p, fmt.Sprintf("flushall %d 1 %s", i, strings.Join(batch, " ")), fmt.Sprintf("flushall ok=%d retry=0 error=0", len(batch)))
		}
		do(t, p, fmt.Sprintf("exit %d", i), "exit rc=1")
		alerts, _ := reference(t, spec, all)
		got, want := readFile(t, spec.out), readFile(t, spec.ref)
		if alerts == 0 || len(want) == 0 {
			t.Fatalf("instance %d: the reference raised no alerts: the test proves nothing", i)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("instance %d: plugin output (%d bytes) differs from direct scoring (%d bytes, %d alerts)\nfirst plugin line: %.300s\nfirst reference line: %.300s",
				i, len(got), len(want), alerts, firstLine(got), firstLine(want))
		}
		cli := scoreWithCLI(t, dir, i, spec, all)
		if !bytes.Equal(got, cli) {
			t.Errorf("instance %d: plugin output (%d bytes) differs from nfr score (%d bytes)\nfirst plugin line: %.300s\nfirst nfr score line: %.300s",
				i, len(got), len(cli), firstLine(got), firstLine(cli))
		}
		t.Logf("instance %d: %d alerts, %d bytes identical to direct pipeline scoring and to nfr score", i, alerts, len(want))
	}
	if bytes.Equal(readFile(t, specs[0].out), readFile(t, specs[2].out)) {
		t.Error("instances 0 and 2 (both json, different feeds and scope) wrote the same alerts: their configs were not applied")
	}
	do(t, p, "unregister", "unregister")
	if strings.Contains(p.Stderr(), "[error]") {
		t.Errorf("errors logged:\n%s", p.Stderr())
	}
}

// reference scores recs through formats/record and formats/pipeline
// directly, one batch per chunk as the plugin delivers, into spec.ref.
func reference(t *testing.T, spec instanceSpec, chunks [][]Rec) (total int, perChunk []int) {
	t.Helper()
	props := flb.MapGetter{}
	for k, v := range spec.props {
		props[k] = v
	}
	props["Output"] = "file:" + spec.ref
	s, err := flb.ReadSettings(props)
	if err != nil {
		t.Fatal(err)
	}
	cfg, scope, err := flb.LoadConfig(s)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := pipeline.New(cfg, scope, pipeline.Options{Outputs: s.Outputs(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	m := record.NewMapper(s.Input)
	var ev scoring.Event
	for _, recs := range chunks {
		var alerts []*scoring.Alert
		for _, r := range recs {
			m.Begin(r.Time)
			for _, f := range chunktest.Flatten(r.Record) {
				m.Field([]byte(f.Key), ptr(toValue(f.Val)))
			}
			ev.Reset()
			if m.End(&ev) != nil {
				continue
			}
			pl.Score(&ev, func(a *scoring.Alert) { alerts = append(alerts, a) })
		}
		total += len(alerts)
		perChunk = append(perChunk, len(alerts))
		if err := pl.Outputs().Deliver(pl.Outputs().NewBatch(alerts)); err != nil {
			t.Fatal(err)
		}
	}
	if err := pl.Close(); err != nil {
		t.Fatal(err)
	}
	return total, perChunk
}

// scoreWithCLI writes the records as Zeek JSON lines and runs nfr score
// on them with the instance's equivalent config; it returns the alerts.
func scoreWithCLI(t *testing.T, dir string, i int, spec instanceSpec, chunks [][]Rec) []byte {
	t.Helper()
	var lines bytes.Buffer
	for _, recs := range chunks {
		for _, r := range recs {
			lines.Write(jsonObject(r.Record))
			lines.WriteByte('\n')
		}
	}
	logs := write(t, filepath.Join(dir, fmt.Sprintf("records%d.json", i)), lines.Bytes())
	out := filepath.Join(dir, fmt.Sprintf("cli%d", i))
	format := strings.ToLower(spec.props["Format"] + spec.props["format"])
	cmd := exec.Command(buildCLI(t), "score", "--config", spec.cliConfig, "--format", "zeek-json",
		"--output", "file:"+out, "--alert-format", format, logs)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nfr score: %v\n%s", err, b)
	}
	return readFile(t, out)
}

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

func buildCLI(t *testing.T) string {
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nfr-cli-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "nfr")
		cmd := exec.Command("go", "build", "-o", cliPath, "./cmd/nfr")
		cmd.Dir = ModuleRoot()
		if b, err := cmd.CombinedOutput(); err != nil {
			cliErr = fmt.Errorf("building nfr: %v\n%s", err, b)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// jsonObject encodes r as a JSON object in r's key order.
func jsonObject(r chunktest.Record) []byte {
	b := []byte{'{'}
	for i, f := range r {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(f.Key)
		b = append(append(b, k...), ':')
		b = append(b, jsonValue(f.Val)...)
	}
	return append(b, '}')
}

func jsonValue(v any) []byte {
	switch v := v.(type) {
	case chunktest.Record:
		return jsonObject(v)
	case []any:
		b := []byte{'['}
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, jsonValue(x)...)
		}
		return append(b, ']')
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func toValue(v any) record.Value {
	switch v := v.(type) {
	case nil:
		return record.Value{}
	case bool:
		return record.Bool(v)
	case int64:
		if v >= 0 {
			return record.Value{Kind: record.KindUint, Uint: uint64(v), Int: v}
		}
		return record.Int(v)
	case uint64:
		return record.Uint(v)
	case float64:
		return record.Float(v)
	case string:
		return record.String([]byte(v))
	}
	panic(fmt.Sprintf("unexpected %T", v))
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return b
}

func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return string(line)
}

var logLine = regexp.MustCompile(`^\[\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\] \[(error| warn| info|debug)\] \[output:nfr:nfr\.\d+\] `)

// TestBadChunksAndPanics is acceptance 2.
func TestBadChunksAndPanics(t *testing.T) {
	p, dir := setup(t)
	// The panic is injected where the engine emits an alert for this name.
	panicName := flb.InjectPanicPrefix + "example"
	feed := write(t, filepath.Join(dir, "c2.txt"), []byte(panicName+"\n"))
	do(t, p, "init Output=file:"+filepath.Join(dir, "alerts")+" NFR_Log_Level=warn Feeds=c2="+feed, "init 0 rc=1")
	good, _ := NewGen(1).Chunk(20)
	bad := map[string][]byte{
		"garbage":   []byte("this is not msgpack at all"),
		"truncated": good[:len(good)/2],
		"random":    bytes.Repeat([]byte{0xc1, 0x92, 0xdf}, 50),
		"empty map": {0x92, 0xd7, 0x00, 0, 0, 0, 1, 0, 0, 0, 0, 0xdf, 0xff, 0xff, 0xff, 0xff},
	}
	for name, data := range bad {
		path := write(t, filepath.Join(dir, "bad"), data)
		before := strings.Count(p.Stderr(), "\n")
		do(t, p, "flush 0 "+path, "flush rc=0")
		if n := strings.Count(p.Stderr(), "\n") - before; n != 1 {
			t.Errorf("%s: %d log lines, want 1:\n%s", name, n, p.Stderr())
		}
	}
	panicky := chunktest.Append(nil, chunktest.Event{Time: time.Unix(1764147600, 0),
		Record: chunktest.R("ts", 1764147600.0, "id", chunktest.R("orig_h", "10.0.0.9", "orig_p", int64(5353), "resp_h", "10.0.0.1", "resp_p", int64(53)),
			"proto", "udp", "query", panicName, "qtype", int64(1), "rcode", int64(0))})
	before := strings.Count(p.Stderr(), "\n")
	do(t, p, "flush 0 "+write(t, filepath.Join(dir, "panic"), panicky), "flush rc=0")
	if n := strings.Count(p.Stderr(), "\n") - before; n != 1 || !strings.Contains(p.Stderr(), "injected panic while scoring") {
		t.Fatalf("panic: %d log lines:\n%s", n, p.Stderr())
	}
	if !strings.Contains(p.Stderr(), "engine.(*Engine).Process") {
		t.Errorf("the panic was not raised inside the engine:\n%s", p.Stderr())
	}
	// The engine released its lock while unwinding: the next flush works.
	do(t, p, "flush 0 "+write(t, filepath.Join(dir, "good"), good), "flush rc=1")
	do(t, p, "exit 0", "exit rc=1")
	for _, l := range strings.Split(strings.TrimSpace(p.Stderr()), "\n") {
		if !logLine.MatchString(l) {
			t.Errorf("not a Fluent Bit log line: %q", l)
		}
	}
}

// TestInitRejectsBadKeys: one clear line naming the key, and Init fails.
func TestInitRejectsBadKeys(t *testing.T) {
	p, _ := setup(t)
	for i, kv := range []string{"Format=xml", "Output=kafka://x", "Input=pcap", "Feeds=c2", "NFR_Log_Level=loud", "Config=/nonexistent/nfr.yml",
		"Feeds=c2=/nonexistent/c2.txt", "Output=file:/nonexistent/dir/alerts", "Scope=/nonexistent/scope.yml"} {
		key, _, _ := strings.Cut(kv, "=")
		before := p.Stderr()
		do(t, p, "init "+kv, fmt.Sprintf("init %d rc=0", i))
		added := strings.TrimPrefix(p.Stderr(), before)
		if strings.Count(added, "\n") != 1 || !strings.Contains(added, "key "+key) {
			t.Errorf("%s: log %q, want one line naming %s", kv, added, key)
		}
	}
}

// TestSyslogDownThenUp is acceptance 3: RETRY while the receiver is down,
// then every alert exactly once.
func TestSyslogDownThenUp(t *testing.T) {
	p, dir := setup(t)
	gen := NewGen(3)
	feed := write(t, filepath.Join(dir, "c2.txt"), []byte(strings.Join(gen.Listed, "\n")+"\n"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // down
	do(t, p, fmt.Sprintf("init Output=syslog+tcp://%s Format=json Feeds=c2=%s", addr, feed), "init 0 rc=1")
	// Chunks with alerts; remember how many each should deliver, by
	// scoring the same records directly.
	var files []string
	var all [][]Rec
	records := 0
	for c := 0; c < 20; c++ {
		data, recs := gen.Chunk(30)
		records += len(recs)
		files = append(files, write(t, filepath.Join(dir, fmt.Sprintf("chunk%d", c)), data))
		all = append(all, recs)
	}
	want, perChunk := reference(t, instanceSpec{props: map[string]string{"Format": "json", "Feeds": "c2=" + feed}, ref: filepath.Join(dir, "ref")}, all)
	if want == 0 {
		t.Fatal("no alerts expected: the test proves nothing")
	}
	var retried []string
	for i, f := range files {
		rc := 2 // retry: the sink did not take the alerts
		if perChunk[i] == 0 {
			rc = 1 // nothing to deliver
		} else {
			retried = append(retried, f)
		}
		do(t, p, "flush 0 "+f, fmt.Sprintf("flush rc=%d", rc))
	}
	// Fluent Bit retries with backoff; so do we, now with the receiver up.
	recv := startSyslogReceiver(t, addr)
	deadline := time.Now().Add(60 * time.Second)
	for _, f := range retried {
		for {
			got := do(t, p, "flush 0 "+f, "")
			if got == "flush rc=1" {
				break
			}
			if got != "flush rc=2" || time.Now().After(deadline) {
				t.Fatalf("retry: %s\n%s", got, p.Stderr())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	do(t, p, "exit 0", "exit rc=1")
	if !strings.Contains(p.Stderr(), fmt.Sprintf(" %d records,", records)) {
		t.Errorf("retried chunks were scored again (want %d records in the exit summary):\n%s", records, p.Stderr())
	}
	msgs := recv.wait(t, want)
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m]++
	}
	for m, n := range seen {
		if n != 1 {
			t.Errorf("delivered %d times: %.200s", n, m)
		}
	}
	if len(msgs) != want {
		t.Fatalf("received %d alerts, want %d", len(msgs), want)
	}
	t.Logf("%d alerts from %d chunks delivered exactly once after %d retries", want, len(files), strings.Count(p.Stderr(), "will retry"))
}

// syslogReceiver reads octet-counted syslog messages.
type syslogReceiver struct {
	mu   sync.Mutex
	msgs []string
}

func startSyslogReceiver(t *testing.T, addr string) *syslogReceiver {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	r := &syslogReceiver{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go r.read(c)
		}
	}()
	return r
}

func (r *syslogReceiver) read(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		n, err := br.ReadString(' ')
		if err != nil {
			return
		}
		size, err := strconv.Atoi(strings.TrimSpace(n))
		if err != nil || size <= 0 || size > 1<<20 {
			return
		}
		buf := make([]byte, size)
		if _, err := io.ReadFull(br, buf); err != nil {
			return
		}
		r.mu.Lock()
		r.msgs = append(r.msgs, string(buf))
		r.mu.Unlock()
	}
}

// wait returns the messages once want have arrived (or after a while).
func (r *syslogReceiver) wait(t *testing.T, want int) []string {
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.mu.Lock()
		n := len(r.msgs)
		r.mu.Unlock()
		if n >= want || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // let any duplicate arrive too
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

// TestConcurrentWorkers flushes from several threads at once, as Fluent
// Bit does with workers N, into two instances.
func TestConcurrentWorkers(t *testing.T) {
	p, dir := setup(t)
	gen := NewGen(11)
	var files []string
	records := 0
	for c := 0; c < 200; c++ {
		data, recs := gen.Chunk(25)
		records += len(recs)
		files = append(files, write(t, filepath.Join(dir, fmt.Sprintf("c%d", c)), data))
	}
	do(t, p, "init Output=file:"+filepath.Join(dir, "a")+" Format=json", "init 0 rc=1")
	do(t, p, "init Output=file:"+filepath.Join(dir, "b")+" Format=cef Input=zeek", "init 1 rc=1")
	for i := 0; i < 2; i++ {
		do(t, p, fmt.Sprintf("flushall %d 4 %s", i, strings.Join(files, " ")), fmt.Sprintf("flushall ok=%d retry=0 error=0", len(files)))
	}
	do(t, p, "exit 0", "exit rc=1")
	do(t, p, "exit 1", "exit rc=1")
	do(t, p, "unregister", "unregister")
	if n := strings.Count(p.Stderr(), fmt.Sprintf("%d chunks, %d records", len(files), records)); n != 2 {
		t.Errorf("exit summaries do not count every record:\n%s", p.Stderr())
	}
}

func ptr(v record.Value) *record.Value { return &v }

// TestHungPluginIsDiagnosed: a command that never gets its answer fails
// after Process.Timeout with every goroutine's stack, not at the test
// binary's timeout. The loader is made to hang by reading a chunk from a
// FIFO nobody writes.
func TestHungPluginIsDiagnosed(t *testing.T) {
	p, dir := setup(t)
	do(t, p, "init Output=stdout", "init 0 rc=1")
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	p.Timeout = 3 * time.Second
	_, err := p.Do("flush 0 %s", fifo)
	if err == nil || !strings.Contains(err.Error(), "plugin hung") || !strings.Contains(err.Error(), "goroutine ") {
		t.Fatalf("a hung flush gave %v, want a hang error with goroutine stacks", err)
	}
}
