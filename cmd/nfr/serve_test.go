package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// logrotate under a running nfr serve (a real process): alerts flow in
// over HTTP while the alert file is moved and SIGHUP is sent, by hand (mv,
// kill) and by logrotate running the shipped examples/logrotate/nfr. The
// alerts before the reopen are in the moved file, those after it in a new
// one, none is lost and none written twice. The deprecated serve.alert_url
// still receives every alert once, as an http output.
func TestServeRotatesAlertFileOnSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs nfr serve")
	}
	bin := filepath.Join(t.TempDir(), "nfr")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("mv and kill -HUP", func(t *testing.T) {
		checkRotation(t, bin, func(t *testing.T, srv *serveProc, alerts string) {
			if err := os.Rename(alerts, alerts+".1"); err != nil {
				t.Fatal(err)
			}
			srv.signal(t, syscall.SIGHUP)
		})
	})
	t.Run("logrotate", func(t *testing.T) {
		lr, err := exec.LookPath("logrotate")
		if err != nil {
			t.Skip("no logrotate (Debian package logrotate)")
		}
		checkRotation(t, bin, func(t *testing.T, srv *serveProc, alerts string) {
			conf := logrotateConf(t, alerts, srv.cmd.Process.Pid)
			state := filepath.Join(filepath.Dir(alerts), "logrotate.state")
			if out, err := exec.Command(lr, "-f", "-s", state, conf).CombinedOutput(); err != nil {
				t.Fatalf("logrotate: %v\n%s", err, out)
			}
		})
	})
}

// logrotateConf is examples/logrotate/nfr for alerts, signalling pid.
func logrotateConf(t *testing.T, alerts string, pid int) string {
	t.Helper()
	data, err := os.ReadFile("../../examples/logrotate/nfr")
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.ReplaceAll(string(data), "/var/log/nfr/alerts.json", alerts)
	conf = strings.ReplaceAll(conf, "systemctl reload nfr-serve.service", fmt.Sprintf("kill -HUP %d", pid))
	if !strings.Contains(conf, alerts) || !strings.Contains(conf, "kill -HUP") {
		t.Fatal("examples/logrotate/nfr no longer has the lines this test rewrites")
	}
	path := filepath.Join(filepath.Dir(alerts), "logrotate.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkRotation runs nfr serve with a file output and alert_url, posts
// batches of alerts while rotate moves the file and signals it, and checks
// every alert is in exactly one of the two files (and posted once).
func checkRotation(t *testing.T, bin string, rotate func(*testing.T, *serveProc, string)) {
	dir := t.TempDir()
	posted := &alertReceiver{}
	rcv := httptest.NewServer(posted)
	defer rcv.Close()
	alerts := filepath.Join(dir, "alerts.json")
	cfg := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(
		"outputs:\n  - sink: file:%s\n    format: json\nserve:\n  alert_url: %s/alerts\n", alerts, rcv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, bin, cfg)

	const batches, per = 40, 25
	sent := make(chan int, batches)
	t.Cleanup(func() { // the poster reports through t: let it finish first
		for range sent {
		}
	})
	go func() { // keeps posting while the file is rotated
		defer close(sent)
		for b := 0; b < batches; b++ {
			srv.post(t, torRecords(b*per, per))
			sent <- b
		}
	}()
	for b := range sent {
		if b == batches/2 {
			break
		}
	}
	waitLines(t, alerts, per) // the file has been written to before the rotation
	rotate(t, srv, alerts)
	srv.waitLog(t, "output files reopened")
	if _, err := os.Stat(alerts); err != nil {
		t.Fatalf("SIGHUP did not reopen the alert file: %v", err)
	}
	for range sent {
	}
	srv.post(t, torRecords(batches*per, per)) // after the reopen: must land in the new file
	total := (batches + 1) * per
	waitLines(t, alerts, 1)
	srv.signal(t, syscall.SIGTERM)
	if err := srv.wait(); err != nil {
		t.Fatalf("nfr serve: %v\n%s", err, srv.log())
	}
	old, cur := readAlertLines(t, alerts+".1"), readAlertLines(t, alerts)
	both := append(append([]string(nil), old...), cur...)
	t.Logf("%d alerts: %d in the moved file, %d in the new one; %d posted to alert_url", total, len(old), len(cur), len(posted.lines()))
	if len(both) != total || distinctUIDs(both) != total {
		t.Errorf("%d lines, %d distinct alerts in the two files; want %d each (none lost, none twice)", len(both), distinctUIDs(both), total)
	}
	if n := distinctUIDs(cur); n < per || !strings.Contains(strings.Join(cur, "\n"), fmt.Sprintf(`"C%d"`, batches*per)) {
		t.Errorf("the new file holds %d alerts, not those posted after the reopen", n)
	}
	if got := posted.lines(); len(got) != total || distinctUIDs(got) != total {
		t.Errorf("alert_url received %d lines, %d distinct; want %d", len(got), distinctUIDs(got), total)
	}
	if !strings.Contains(srv.log(), "serve.alert_url is deprecated") {
		t.Errorf("no deprecation warning for alert_url:\n%s", srv.log())
	}
}

// serveProc is a running nfr serve.
type serveProc struct {
	cmd    *exec.Cmd
	addr   string
	mu     sync.Mutex
	stderr bytes.Buffer
	lines  chan string
	done   chan error
}

func startServe(t *testing.T, bin, cfg string) *serveProc {
	t.Helper()
	s := &serveProc{cmd: exec.Command(bin, "serve", "--config", cfg, "--listen", "127.0.0.1:0"),
		lines: make(chan string, 1024), done: make(chan error, 1)}
	pipe, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill() })
	go s.readLog(pipe)
	line := s.waitLog(t, "listening on ")
	m := regexp.MustCompile(`listening on (\S+)`).FindStringSubmatch(line)
	s.addr = m[1]
	return s
}

func (s *serveProc) readLog(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		s.mu.Lock()
		s.stderr.WriteString(sc.Text() + "\n")
		s.mu.Unlock()
		select {
		case s.lines <- sc.Text():
		default:
		}
	}
	s.done <- s.cmd.Wait()
}

func (s *serveProc) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// waitLog returns the first log line from now on that contains want.
func (s *serveProc) waitLog(t *testing.T, want string) string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l := <-s.lines:
			if strings.Contains(l, want) {
				return l
			}
		case <-deadline:
			t.Fatalf("nfr serve did not log %q within 30 s:\n%s", want, s.log())
		}
	}
}

func (s *serveProc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

func (s *serveProc) wait() error {
	select {
	case err := <-s.done:
		return err
	case <-time.After(60 * time.Second):
		return fmt.Errorf("did not exit within 60 s of SIGTERM")
	}
}

// post sends NDJSON records and checks they were all accepted (it may be
// called from another goroutine: it reports with Errorf).
func (s *serveProc) post(t *testing.T, ndjson []byte) {
	resp, err := http.Post("http://"+s.addr+"/v1/events", "application/x-ndjson", bytes.NewReader(ndjson))
	if err != nil {
		t.Errorf("POST: %v", err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	want := fmt.Sprintf(`"accepted":%d`, bytes.Count(ndjson, []byte("\n")))
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(want)) {
		t.Errorf("POST: %s %s, want 200 and %s", resp.Status, body, want)
	}
}

// alertReceiver keeps the NDJSON lines POSTed to it.
type alertReceiver struct {
	mu  sync.Mutex
	got []string
}

func (r *alertReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")...)
}

func (r *alertReceiver) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

func readAlertLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// waitLines waits until path holds at least n lines.
func waitLines(t *testing.T, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, _ := os.ReadFile(path)
		if bytes.Count(data, []byte("\n")) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: fewer than %d lines after 30 s", path, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
