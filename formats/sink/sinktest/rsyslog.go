// Package sinktest runs real syslog receivers (rsyslogd on a loopback
// port) for the tests of the sinks and of the commands that deliver
// alerts. It is for tests only and must not be imported by programs.
package sinktest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Rsyslog is a real rsyslogd listening on a loopback port with a config
// the test wrote, writing every message it receives (%rawmsg%, one a line)
// to out.
type Rsyslog struct {
	t     testing.TB
	dir   string
	conf  string
	out   string
	port  int
	proto string // udp, tcp or tls
	cmd   *exec.Cmd
	done  chan error
}

// Certs are a CA, a server certificate for 127.0.0.1 and localhost,
// and a client certificate, all PEM files in dir.
type Certs struct {
	CA, ServerCert, ServerKey, ClientCert, ClientKey string
}

// NeedRsyslog returns rsyslogd's path or skips the test.
func NeedRsyslog(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("rsyslogd")
	if err != nil {
		for _, p := range []string{"/usr/sbin/rsyslogd", "/sbin/rsyslogd"} {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
		t.Skip("rsyslogd not installed (Debian rsyslog and rsyslog-gnutls; make deps installs them): skipping the real receiver test")
	}
	return bin
}

// StartRsyslog writes a config for proto and starts rsyslogd on a free
// port; it writes each message's %rawmsg% to out.
func StartRsyslog(t testing.TB, proto string, certs *Certs) *Rsyslog {
	t.Helper()
	return StartRsyslogWith(t, proto, certs,
		"template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n"+
			"action(type=\"omfile\" file=\"@OUT@\" template=\"raw\")\n")
}

// StartRsyslogWith is StartRsyslog with the given processing config, in
// which @OUT@ stands for the output file.
func StartRsyslogWith(t testing.TB, proto string, certs *Certs, actions string) *Rsyslog {
	t.Helper()
	NeedRsyslog(t)
	if proto == "tls" {
		if !RsyslogModule("lmnsd_gtls.so") {
			t.Skip("rsyslog's gtls stream driver is not installed (Debian rsyslog-gnutls): skipping")
		}
	}
	dir := t.TempDir()
	r := &Rsyslog{t: t, dir: dir, conf: filepath.Join(dir, "rsyslog.conf"), out: filepath.Join(dir, "out.log"),
		port: FreePort(t, proto), proto: proto}
	var b strings.Builder
	fmt.Fprintf(&b, "global(workDirectory=%q maxMessageSize=\"64k\"", dir)
	if certs != nil {
		fmt.Fprintf(&b, " defaultNetstreamDriverCAFile=%q defaultNetstreamDriverCertFile=%q defaultNetstreamDriverKeyFile=%q",
			certs.CA, certs.ServerCert, certs.ServerKey)
	}
	b.WriteString(")\n")
	// Drain the queue into the file before exiting on SIGTERM.
	b.WriteString("main_queue(queue.timeoutShutdown=\"30000\")\n")
	switch proto {
	case "udp":
		fmt.Fprintf(&b, "module(load=\"imudp\")\ninput(type=\"imudp\" address=\"127.0.0.1\" port=\"%d\")\n", r.port)
	case "tcp":
		fmt.Fprintf(&b, "module(load=\"imtcp\")\ninput(type=\"imtcp\" address=\"127.0.0.1\" port=\"%d\")\n", r.port)
	case "tls":
		b.WriteString("module(load=\"imtcp\" streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"x509/certvalid\")\n")
		fmt.Fprintf(&b, "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"%d\")\n", r.port)
	}
	b.WriteString(strings.ReplaceAll(actions, "@OUT@", r.out))
	if err := os.WriteFile(r.conf, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r.Start()
	t.Cleanup(r.Stop)
	return r
}

// FreePort returns a loopback port that was free a moment ago.
func FreePort(t testing.TB, proto string) int {
	t.Helper()
	if proto == "udp" {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Addr is the receiver's host:port.
func (r *Rsyslog) Addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

// Start runs rsyslogd in the foreground and waits until it listens.
func (r *Rsyslog) Start() {
	r.t.Helper()
	cmd := exec.Command(NeedRsyslog(r.t), "-n", "-f", r.conf, "-i", filepath.Join(r.dir, "rsyslog.pid"))
	log, err := os.OpenFile(filepath.Join(r.dir, "rsyslogd.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		r.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("rsyslogd: %v", err)
	}
	log.Close()
	r.cmd, r.done = cmd, make(chan error, 1)
	go func() { r.done <- cmd.Wait() }()
	if r.proto == "udp" {
		r.waitFor(func() bool { return udpBound(r.port) })
		return
	}
	r.waitFor(func() bool { return tcpListening(r.port) })
}

// waitFor polls ready for up to 20 s: rsyslogd takes a moment to start.
func (r *Rsyslog) waitFor(ready func() bool) {
	r.t.Helper()
	for i := 0; i < 400; i++ {
		select {
		case err := <-r.done:
			log, _ := os.ReadFile(filepath.Join(r.dir, "rsyslogd.log"))
			r.t.Fatalf("rsyslogd exited: %v\n%s", err, log)
		default:
		}
		if ready() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.t.Fatalf("rsyslogd did not come up on port %d", r.port)
}

// tcpListening reports whether something listens on the port, without
// connecting (a probe connection would be a session in the receiver).
func tcpListening(port int) bool {
	return procNetHas("/proc/net/tcp", port, "0A") // 0A: LISTEN
}

func udpBound(port int) bool { return procNetHas("/proc/net/udp", port, "07") }

func procNetHas(path string, port int, state string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	want := fmt.Sprintf("0100007F:%04X", port)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 3 && fields[1] == want && fields[3] == state {
			return true
		}
	}
	return false
}

// Stop sends SIGTERM and waits: rsyslogd drains its queue into the file.
func (r *Rsyslog) Stop() {
	if r.cmd == nil {
		return
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(60 * time.Second):
		r.cmd.Process.Kill()
		<-r.done
	}
	r.cmd = nil
}

// Lines returns what rsyslogd wrote so far.
func (r *Rsyslog) Lines() []string {
	r.t.Helper()
	data, err := os.ReadFile(r.out)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		r.t.Fatal(err)
	}
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// WaitLines waits (up to 60 s) until rsyslogd wrote at least n lines.
func (r *Rsyslog) WaitLines(n int) []string {
	r.t.Helper()
	var got []string
	for i := 0; i < 1200; i++ {
		if got = r.Lines(); len(got) >= n {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
	return got
}

// MakeCerts writes a CA and server and client certificates it signed.
func MakeCerts(t testing.TB) *Certs {
	t.Helper()
	dir := t.TempDir()
	caKey := newKey(t)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "nfr test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	c := &Certs{CA: writePEM(t, dir, "ca.pem", "CERTIFICATE", caDER)}
	leaf := func(name string, serial int64, usage x509.ExtKeyUsage) (string, string) {
		key := newKey(t)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			DNSNames: []string{name}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return writePEM(t, dir, name+".pem", "CERTIFICATE", der), writePEM(t, dir, name+".key", "EC PRIVATE KEY", kder)
	}
	c.ServerCert, c.ServerKey = leaf("localhost", 2, x509.ExtKeyUsageServerAuth)
	c.ClientCert, c.ClientKey = leaf("nfr-client", 3, x509.ExtKeyUsageClientAuth)
	return c
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func writePEM(t testing.TB, dir, name, typ string, der []byte) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// RsyslogModule reports whether an rsyslog module is installed.
func RsyslogModule(name string) bool {
	m, _ := filepath.Glob("/usr/lib/*/rsyslog/" + name)
	return len(m) > 0
}
