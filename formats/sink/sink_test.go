package sink

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leodido/go-syslog/v4/rfc3164"
	"github.com/leodido/go-syslog/v4/rfc5424"

	"github.com/netflightrecorder/nfr/formats/alert"
	"github.com/netflightrecorder/nfr/scoring"
)

// seqAlert returns alert number i: its UID "seq-<i>" identifies it in
// whatever a receiver wrote.
func seqAlert(i int) *scoring.Alert {
	c2, _ := scoring.LookupThreat(scoring.C2Communication)
	vpn, _ := scoring.LookupThreat(scoring.VPNUsage)
	return &scoring.Alert{
		Time: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Millisecond),
		Event: scoring.Event{Type: scoring.TypeDNS, UID: seqUID(i),
			SrcIP: netip.MustParseAddr("10.0.0.1"), DstIP: netip.MustParseAddr("10.0.0.53"), SrcPort: 40000, DstPort: 53,
			Proto: scoring.ProtoUDP, DNS: scoring.DNS{Query: "c2.example", QType: 1, Rcode: 0}},
		Threats: []scoring.ThreatHit{
			{ID: c2.ID, Severity: c2.Severity, Desc: c2.Desc},
			{ID: vpn.ID, Severity: vpn.Severity, Policy: true, Desc: vpn.Desc},
		},
		Severity: 5,
		Evidence: []scoring.Evidence{{Threat: c2.ID, Detector: "intel", Rule: "feed", Entry: "c2.example"}},
		Count:    1,
	}
}

func seqAlerts(from, n int) []*scoring.Alert {
	out := make([]*scoring.Alert, n)
	for i := range out {
		out[i] = seqAlert(from + i)
	}
	return out
}

func syslogOutput(scheme, addr, format string) Output {
	o := DefaultOutput()
	o.Sink, o.Format = scheme+"://"+addr, format
	o.Syslog.Hostname = "sensor-1"
	return o
}

func TestHeaderRFC5424ParsesBack(t *testing.T) {
	o := syslogOutput("syslog+tcp", "127.0.0.1:1", "cef")
	o.Syslog.Facility = "local3"
	s, err := Open(o, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ss := s.(*SyslogSink)
	ss.frameBatch([]*scoring.Alert{seqAlert(7)})
	msgs := splitOctetCounted(t, ss.batch)
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want one per threat: %q", len(msgs), ss.batch)
	}
	wantIDs, wantSev := []string{"c2_communication", "vpn_usage"}, []uint8{2, 5}
	for i, m := range msgs {
		parsed, err := rfc5424.NewParser().Parse([]byte(m))
		if err != nil {
			t.Fatalf("%q: %v", m, err)
		}
		sm := parsed.(*rfc5424.SyslogMessage)
		if *sm.Appname != "nfr" || *sm.MsgID != wantIDs[i] || *sm.Facility != 19 || *sm.Severity != wantSev[i] ||
			*sm.Hostname != "sensor-1" || !sm.Timestamp.Equal(seqAlert(7).Time) || !strings.HasPrefix(*sm.Message, "CEF:0|") ||
			*sm.ProcID != fmt.Sprint(os.Getpid()) {
			t.Errorf("message %d: %q", i, m)
		}
	}
}

func TestHeaderRFC3164ParsesBack(t *testing.T) {
	o := syslogOutput("syslog+tcp", "127.0.0.1:1", "json")
	o.Syslog.Protocol, o.Syslog.Framing = "rfc3164", "lf"
	s, err := Open(o, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ss := s.(*SyslogSink)
	ss.frameBatch([]*scoring.Alert{seqAlert(1)})
	line := strings.TrimSuffix(string(ss.batch), "\n")
	if strings.Contains(line, "\n") {
		t.Fatalf("LF framing: %q", ss.batch)
	}
	m, err := rfc3164.NewParser(rfc3164.WithYear(rfc3164.Year{YYYY: 2026})).Parse([]byte(line))
	if err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	sm := m.(*rfc3164.SyslogMessage)
	if *sm.Appname != "nfr" || *sm.Hostname != "sensor-1" || *sm.Facility != 20 || *sm.Severity != 2 ||
		!strings.HasPrefix(*sm.Message, `{"ts":`) || !sm.Timestamp.Equal(seqAlert(1).Time.Truncate(time.Second)) {
		t.Errorf("%q parsed as %+v", line, sm.Base)
	}
}

func TestSyslogSeverity(t *testing.T) {
	for in, want := range map[int]int{5: 2, 4: 3, 3: 4, 2: 5, 1: 6, 0: 6} {
		if got := SyslogSeverity(in); got != want {
			t.Errorf("SyslogSeverity(%d) = %d, want %d", in, got, want)
		}
	}
}

// splitOctetCounted splits an RFC 6587 octet-counted stream.
func splitOctetCounted(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	for len(b) > 0 {
		var n int
		sp := strings.IndexByte(string(b), ' ')
		if _, err := fmt.Sscanf(string(b[:sp]), "%d", &n); err != nil || sp+1+n > len(b) {
			t.Fatalf("bad frame at %q", b)
		}
		out = append(out, string(b[sp+1:sp+1+n]))
		b = b[sp+1+n:]
	}
	return out
}

func TestCutUTF8(t *testing.T) {
	b := []byte("aé日")
	for n, want := range map[int]string{1: "a", 2: "a", 3: "aé", 4: "aé", 5: "aé", 6: "aé日"} {
		if got := string(cutUTF8(b, n)); got != want {
			t.Errorf("cut %d = %q, want %q", n, got, want)
		}
	}
}

func TestStdoutAndFile(t *testing.T) {
	var out strings.Builder
	s, err := Open(Output{Sink: "stdout", Format: "cef"}, Options{Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(seqAlerts(0, 3)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\nCEF:0|"); n != 5 || !strings.HasSuffix(out.String(), "\n") {
		t.Errorf("stdout: want 6 CEF lines, got %q", out.String())
	}
	s.Close()
	if err := s.Send(seqAlerts(0, 1)); !errors.Is(err, ErrClosed) {
		t.Errorf("send after close: %v", err)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "alerts.json")
	fs, err := Open(Output{Sink: "file:" + path, Format: "json"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs.(*FileSink).every = time.Hour // only Reopen moves it here
	if err := fs.Send(seqAlerts(0, 2)); err != nil {
		t.Fatal(err)
	}
	// logrotate: rename, then SIGHUP makes the process call Reopen.
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := fs.Send(seqAlerts(2, 1)); err != nil { // still the renamed file
		t.Fatal(err)
	}
	if err := fs.(Reopener).Reopen(); err != nil {
		t.Fatal(err)
	}
	if err := fs.Send(seqAlerts(3, 2)); err != nil {
		t.Fatal(err)
	}
	if err := fs.Close(); err != nil {
		t.Fatal(err)
	}
	checkUIDs(t, path+".1", "seq-000000,seq-000001,seq-000002")
	checkUIDs(t, path, "seq-000003,seq-000004")
}

func checkUIDs(t *testing.T, path, want string) {
	t.Helper()
	if got := uidsOfJSONLines(t, readLines(t, path)); strings.Join(got, ",") != want {
		t.Errorf("%s: %v, want %s", path, got, want)
	}
}

// Without a signal (the Fluent Bit plugin), a file sink notices that its
// path was moved or deleted and reopens it on the next Send.
func TestFileReopensWhenMoved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.json")
	s, err := OpenFile(path, encJSON(t))
	if err != nil {
		t.Fatal(err)
	}
	s.every = 0 // look on every Send
	send := func(from, n int) {
		if err := s.Send(seqAlerts(from, n)); err != nil {
			t.Fatal(err)
		}
	}
	send(0, 2)
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	send(2, 2)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	send(4, 1)
	send(5, 1) // the same file: no reopen
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checkUIDs(t, path+".1", "seq-000000,seq-000001")
	checkUIDs(t, path, "seq-000004,seq-000005")
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func uidsOfJSONLines(t *testing.T, lines []string) []string {
	t.Helper()
	var out []string
	for _, l := range lines {
		var a struct{ UID string }
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		out = append(out, a.UID)
	}
	return out
}

// flakyWriter accepts limit bytes, then fails once.
type flakyWriter struct {
	strings.Builder
	limit int
}

func (w *flakyWriter) Write(p []byte) (int, error) {
	if w.limit >= 0 && len(p) > w.limit {
		n := w.limit
		w.Builder.Write(p[:n])
		w.limit = -1
		return n, errors.New("disk full")
	}
	return w.Builder.Write(p)
}

// A write cut inside a line: the retry first completes that line, so the
// output has only whole lines; the lines written before the cut repeat.
func TestCutWriteLeavesWholeLines(t *testing.T) {
	one := len(appendLines(nil, encJSON(t), seqAlert(0)))
	w := &flakyWriter{limit: one + 10} // cut inside the second line
	s := newWriterSink(w, encJSON(t))
	batch := seqAlerts(0, 3)
	if err := s.Send(batch); err == nil {
		t.Fatal("want the write error")
	}
	if err := s.Send(batch); err != nil {
		t.Fatal(err)
	}
	got := uidsOfJSONLines(t, strings.Split(strings.TrimSuffix(w.String(), "\n"), "\n"))
	want := "seq-000000,seq-000001,seq-000000,seq-000001,seq-000002"
	if strings.Join(got, ",") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

// failSink fails its first n Sends.
type failSink struct {
	n, calls int
	got      int
}

func (f *failSink) Send(a []*scoring.Alert) error {
	f.calls++
	if f.calls <= f.n {
		return errors.New("down")
	}
	f.got += len(a)
	return nil
}
func (f *failSink) Close() error { return nil }

func TestOutputsRetryOnlyFailedSinks(t *testing.T) {
	ok, bad := &failSink{}, &failSink{n: 1}
	o := &Outputs{outs: []output{{"ok", ok}, {"bad", bad}}}
	b := o.NewBatch(seqAlerts(0, 4))
	if err := o.Deliver(b); err == nil || !strings.Contains(err.Error(), "output bad: down") || !b.Pending() {
		t.Fatalf("want output bad's error and a pending batch, got %v", err)
	}
	if err := o.Deliver(b); err != nil || b.Pending() {
		t.Fatal(err)
	}
	if ok.got != 4 || bad.got != 4 || ok.calls != 1 {
		t.Errorf("ok got %d in %d calls, bad got %d", ok.got, ok.calls, bad.got)
	}
	if err := o.Deliver(o.NewBatch(seqAlerts(4, 2))); err != nil || ok.got != 6 || bad.got != 6 {
		t.Errorf("next batch: %v ok=%d bad=%d", err, ok.got, bad.got)
	}
}

// Retry: For 0 is one attempt; a bound gives up after it; Forever keeps
// going, with backoff, until the sink takes the batch.
func TestRetryBounds(t *testing.T) {
	for _, c := range []struct {
		name           string
		fails          int
		r              Retry
		wantErr        bool
		calls          int
		minDur, maxDur time.Duration
	}{
		{"one attempt", 5, Retry{}, true, 1, 0, 50 * time.Millisecond},
		{"bounded", 50, Retry{For: 500 * time.Millisecond}, true, 3, 300 * time.Millisecond, 2 * time.Second},
		{"forever", 4, Retry{For: Forever}, false, 5, 1500 * time.Millisecond, 5 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &failSink{n: c.fails}
			o := &Outputs{outs: []output{{"f", f}}}
			var waits []time.Duration
			c.r.OnFailure = func(_ error, wait time.Duration) { waits = append(waits, wait) }
			start := time.Now()
			err := o.Retry(o.NewBatch(seqAlerts(0, 2)), c.r)
			took := time.Since(start)
			if (err != nil) != c.wantErr || f.calls != c.calls || took < c.minDur || took > c.maxDur {
				t.Errorf("err %v, %d calls in %v (waits %v); want error %v, %d calls in %v..%v",
					err, f.calls, took, waits, c.wantErr, c.calls, c.minDur, c.maxDur)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	for _, o := range []Output{
		{Sink: "stdout", Format: "xml"},
		{Sink: "ftp://x", Format: "json"},
		{Sink: "http://", Format: "json"},
		{Sink: "syslog+tcp://:514", Format: "json"},
		{Sink: "file:/nonexistent-dir/x/y", Format: "json"},
		func() Output {
			o := syslogOutput("syslog+tls", "127.0.0.1:1", "json")
			o.Syslog.CAFile = "/nonexistent.pem"
			return o
		}(),
	} {
		if _, err := Open(o, Options{}); err == nil {
			t.Errorf("%+v: want an error", o)
		}
	}
}

// With nothing listening, Send fails at once and then backs off.
func TestUnreachableReportsFailure(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t, "tcp"))
	s, err := Open(syslogOutput("syslog+tcp", addr, "json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err1 := s.Send(seqAlerts(0, 1))
	err2 := s.Send(seqAlerts(0, 1))
	if err1 == nil || err2 == nil || !strings.Contains(err2.Error(), "next attempt in") {
		t.Errorf("errors: %v / %v", err1, err2)
	}
}

func encJSON(t *testing.T) alert.Encoder {
	enc, err := alert.EncoderFor("json")
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

func seqUID(i int) string { return fmt.Sprintf("seq-%06d", i) }

func TestOnSIGHUP(t *testing.T) {
	reloads := make(chan struct{}, 1)
	stop := OnSIGHUP(func() error { reloads <- struct{}{}; return nil }, t.Logf)
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reloads:
	case <-time.After(10 * time.Second):
		t.Fatal("SIGHUP did not call reload")
	}
}

// When the moved file's path cannot be opened again (its directory is
// gone), writing goes on to the moved file and says so: nothing is lost.
func TestFileKeepsWritingWhenReopenFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "alerts.json")
	if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var logged []string
	s, err := Open(Output{Sink: "file:" + path, Format: "json"}, Options{Logf: func(f string, a ...any) {
		logged = append(logged, fmt.Sprintf(f, a...))
	}})
	if err != nil {
		t.Fatal(err)
	}
	s.(*FileSink).every = 0
	if err := os.Rename(filepath.Dir(path), filepath.Join(dir, "moved")); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(seqAlerts(0, 2)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	checkUIDs(t, filepath.Join(dir, "moved", "alerts.json"), "seq-000000,seq-000001")
	if len(logged) != 1 || !strings.Contains(logged[0], "reopening it failed, writing on to the old file") {
		t.Errorf("logged %q", logged)
	}
}
