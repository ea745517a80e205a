//go:build linux

package main

// Real-traffic tests: two network namespaces joined by a veth pair, real
// tools from Debian between them (iodine, ptunnel-ng, nmap, ping, dig
// against dnsmasq), captured with tcpdump and scored with `nfr score
// --format pcap`. They need root (CI runs as root) and skip, saying why,
// when they are not root or a tool is missing. Only addresses of
// 10.99.0.0/16 inside the test's own namespaces are used.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring/engine"
)

const (
	clientAddr = "10.99.1.1"  // namespace a
	serverAddr = "10.99.1.2"  // namespace b: dnsmasq, ptunnel-ng proxy, nmap target
	iodineAddr = "10.99.1.3"  // namespace b: iodined
	tunnelNet  = "10.99.50.1" // iodined's end of the DNS tunnel
	tunnelZone = "t1.nfrlab.test"
)

func TestNetns(t *testing.T) {
	if testing.Short() {
		t.Skip("network namespace tests skipped in -short mode")
	}
	if os.Geteuid() != 0 {
		t.Skip("network namespace tests need root (CI runs them as root)")
	}
	requireTools(t, "ip", "tcpdump")
	nfr := buildNFR(t)
	lab := newLab(t)

	t.Run("benign_ping_and_dig", func(t *testing.T) {
		requireTools(t, "dnsmasq", "dig", "ping")
		lab.dnsmasq(t)
		pcap := lab.capture(t, func() {
			lab.run(t, 20*time.Second, lab.a, "ping", "-n", "-c", "10", "-i", "0.2", serverAddr)
			for _, q := range [][]string{{"www.nfrlab.test", "A"}, {"mail.nfrlab.test", "MX"}, {"nfrlab.test", "TXT"}, {"api.nfrlab.test", "AAAA"}, {"www.nfrlab.test", "A"}} {
				lab.run(t, 10*time.Second, lab.a, "dig", "+tries=1", "+time=2", "@"+serverAddr, q[0], q[1])
			}
		})
		c := countPackets(t, pcap)
		if c.icmpEcho < 10 || c.dns < 10 {
			t.Fatalf("capture holds %+v, want at least 10 echo and 10 DNS packets:\n%s", c, readCapture(pcap))
		}
		if threats := score(t, nfr, pcap); len(threats) != 0 {
			t.Fatalf("benign traffic raised %v", threats)
		}
	})

	t.Run("iodine_dns_tunnel", func(t *testing.T) {
		requireTools(t, "iodine", "iodined", "ping")
		requireTun(t)
		pcap := lab.capture(t, func() {
			server := lab.start(t, lab.b, "iodined", "-f", "-c", "-l", iodineAddr, "-P", "nfr-test-secret", tunnelNet, tunnelZone)
			server.waitFor(t, "Listening", 10*time.Second)
			client := lab.start(t, lab.a, "iodine", "-f", "-r", "-P", "nfr-test-secret", iodineAddr, tunnelZone)
			client.waitFor(t, "Connection setup complete", 30*time.Second)
			lab.run(t, 30*time.Second, lab.a, "ping", "-n", "-c", "15", "-i", "0.3", "-s", "400", tunnelNet)
			client.stop()
			server.stop()
		})
		if c := countPackets(t, pcap); c.dns < 50 {
			t.Fatalf("capture holds %+v, want at least 50 DNS packets:\n%s", c, readCapture(pcap))
		}
		wantThreat(t, score(t, nfr, pcap), "dns_tunneling")
	})

	// iodine without -r: after its DNS handshake the client tests raw UDP
	// to the server's DNS port and, when that works, sends its traffic
	// there under iodine's raw header; the sniffer's identifier names the
	// flow and the engine raises dns_tunneling from it.
	t.Run("iodine_raw_mode", func(t *testing.T) {
		requireTools(t, "iodine", "iodined", "ping")
		requireTun(t)
		var client *proc
		pcap := lab.capture(t, func() {
			server := lab.start(t, lab.b, "iodined", "-f", "-c", "-l", iodineAddr, "-P", "nfr-test-secret", tunnelNet, tunnelZone)
			server.waitFor(t, "Listening", 10*time.Second)
			client = lab.start(t, lab.a, "iodine", "-f", "-P", "nfr-test-secret", iodineAddr, tunnelZone)
			client.waitFor(t, "Connection setup complete", 30*time.Second)
			lab.run(t, 30*time.Second, lab.a, "ping", "-n", "-c", "10", "-i", "0.3", "-s", "400", tunnelNet)
			client.stop()
			server.stop()
		})
		if !strings.Contains(client.out.String(), "Sending raw traffic directly") {
			t.Fatalf("iodine did not switch to raw mode:\n%s", tail([]byte(client.out.String()), 2000))
		}
		threats, rules := scoreEvidence(t, nfr, pcap)
		wantThreat(t, threats, "dns_tunneling")
		if !slices.Contains(rules, "intel/"+engine.RuleApp) {
			t.Fatalf("no alert from the flow's identified application (evidence %v)", rules)
		}
	})

	t.Run("ptunnel_icmp_tunnel", func(t *testing.T) {
		requireTools(t, "ptunnel-ng", "stdbuf", "dnsmasq", "dig")
		lab.dnsmasq(t) // the tunnel's destination: dnsmasq's TCP port 53
		pcap := lab.capture(t, func() {
			// stdbuf: ptunnel-ng's stdout is block-buffered when not a terminal.
			proxy := lab.start(t, lab.b, "stdbuf", "-oL", "ptunnel-ng", "-v", "4", "-r"+serverAddr, "-R53")
			proxy.waitFor(t, "listening in privileged mode", 10*time.Second)
			client := lab.start(t, lab.a, "stdbuf", "-oL", "ptunnel-ng", "-v", "4", "-p", serverAddr, "-l", "8053", "-r"+serverAddr, "-R53")
			client.waitFor(t, "Starting forwarder", 10*time.Second)
			// One TCP connection through the tunnel carrying 20 queries.
			args := []string{"+tcp", "+keepopen", "+tries=1", "+time=5", "-p", "8053", "@127.0.0.1"}
			for i := 0; i < 20; i++ {
				args = append(args, fmt.Sprintf("host%d.nfrlab.test", i), "A")
			}
			answered := strings.Count(lab.run(t, 60*time.Second, lab.a, "dig", args...), "ANSWER SECTION")
			t.Logf("%d of 20 queries answered through the tunnel", answered)
			client.stop()
			proxy.stop()
			if answered < 10 {
				t.Errorf("%d of 20 DNS-over-TCP queries came back through the ICMP tunnel, want at least 10", answered)
			}
		})
		if c := countPackets(t, pcap); c.icmpEcho < 20 {
			t.Fatalf("capture holds %+v, want at least 20 echo packets:\n%s", c, readCapture(pcap))
		}
		wantThreat(t, score(t, nfr, pcap), "icmp_tunneling")
	})

	for _, mode := range []string{"-sS", "-sT"} {
		t.Run("nmap"+mode, func(t *testing.T) {
			requireTools(t, "nmap")
			pcap := lab.capture(t, func() {
				lab.run(t, 120*time.Second, lab.a, "nmap", mode, "-n", "-Pn", "-T4", "--max-retries", "1", "--max-rate", "1000", "-p", "1-1000", serverAddr)
			})
			if c := countPackets(t, pcap); c.tcpSYN < 500 {
				t.Fatalf("capture holds %+v, want at least 500 SYNs", c)
			}
			wantThreat(t, score(t, nfr, pcap), "port_scan")
		})
	}
}

// lab is a pair of namespaces, a (client, 10.99.1.1) and b (server,
// 10.99.1.2 and .3), joined by a veth pair. Processes it starts are
// stopped and the namespaces deleted when the test ends.
type lab struct {
	a, b, vethA, vethB string
	dir                string

	mu    sync.Mutex
	procs []*proc
	dns   *proc
}

func newLab(t *testing.T) *lab {
	id := os.Getpid() % 100000
	l := &lab{
		a: fmt.Sprintf("nfrt%d-a", id), b: fmt.Sprintf("nfrt%d-b", id),
		vethA: fmt.Sprintf("nfa%d", id), vethB: fmt.Sprintf("nfb%d", id),
		dir: t.TempDir(),
	}
	t.Cleanup(l.close)
	for _, args := range [][]string{
		{"netns", "add", l.a},
		{"netns", "add", l.b},
		{"link", "add", l.vethA, "netns", l.a, "type", "veth", "peer", "name", l.vethB, "netns", l.b},
		{"-n", l.a, "addr", "add", clientAddr + "/24", "dev", l.vethA},
		{"-n", l.b, "addr", "add", serverAddr + "/24", "dev", l.vethB},
		{"-n", l.b, "addr", "add", iodineAddr + "/24", "dev", l.vethB},
		{"-n", l.a, "link", "set", l.vethA, "up"},
		{"-n", l.b, "link", "set", l.vethB, "up"},
		{"-n", l.a, "link", "set", "lo", "up"},
		{"-n", l.b, "link", "set", "lo", "up"},
	} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	// Wait (bounded) until the link answers.
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; ; i++ {
		err := exec.Command("ip", "netns", "exec", l.a, "ping", "-n", "-c", "1", "-W", "1", serverAddr).Run()
		if err == nil {
			break
		}
		if i >= 20 || time.Now().After(deadline) {
			t.Fatalf("veth link between the namespaces does not come up: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return l
}

func (l *lab) close() {
	l.mu.Lock()
	procs := l.procs
	l.procs = nil
	l.mu.Unlock()
	for i := len(procs) - 1; i >= 0; i-- {
		procs[i].stop()
	}
	for _, ns := range []string{l.a, l.b} {
		_ = exec.Command("ip", "netns", "del", ns).Run()
	}
}

// start runs a long-lived command in namespace ns.
func (l *lab) start(t *testing.T, ns string, name string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, out: &syncBuffer{}}
	p.cmd = exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p.done = make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	l.mu.Lock()
	l.procs = append(l.procs, p)
	l.mu.Unlock()
	return p
}

// run runs a command to completion in namespace ns, within timeout, and
// returns its output. A failing exit status is logged, not fatal: dig and
// ping report lost answers that way.
func (l *lab) run(t *testing.T, timeout time.Duration, ns string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, name}, args...)...).CombinedOutput()
	if err != nil {
		t.Logf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(out, 2000))
	}
	return string(out)
}

// dnsmasq starts, once, a resolver in b that answers for nfrlab.test.
func (l *lab) dnsmasq(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	running := l.dns != nil
	l.mu.Unlock()
	if running {
		return
	}
	p := l.start(t, l.b, "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
		"--bind-interfaces", "--listen-address="+serverAddr, "--user=root", "--pid-file="+filepath.Join(l.dir, "dnsmasq.pid"),
		"--address=/nfrlab.test/"+serverAddr, "--mx-host=nfrlab.test,mail.nfrlab.test,10",
		"--txt-record=nfrlab.test,v=spf1 -all", "--log-facility=-")
	p.waitFor(t, "started", 10*time.Second)
	l.mu.Lock()
	l.dns = p
	l.mu.Unlock()
}

// capture records the link, as seen from a, while traffic runs, and
// returns the pcap's path.
func (l *lab) capture(t *testing.T, traffic func()) string {
	t.Helper()
	path := filepath.Join(l.dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".pcap")
	// --immediate-mode: without it the last second of packets stays in the
	// kernel ring when tcpdump is interrupted.
	dump := l.start(t, l.a, "tcpdump", "-i", l.vethA, "-n", "-U", "--immediate-mode", "-B", "16384", "-s", "0", "-Z", "root", "-w", path)
	dump.waitFor(t, "listening on", 10*time.Second)
	traffic()
	time.Sleep(500 * time.Millisecond) // let the last answers arrive
	dump.stop()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("tcpdump wrote no capture: %v\n%s", err, dump.out.String())
	}
	t.Logf("tcpdump: %s", strings.Join(strings.Fields(tail([]byte(dump.out.String()), 300)), " "))
	if keep := os.Getenv("NFR_NETNS_KEEP"); keep != "" { // a directory to keep captures in, for study
		if data, err := os.ReadFile(path); err == nil {
			_ = os.WriteFile(filepath.Join(keep, filepath.Base(path)), data, 0o644)
		}
	}
	return path
}

// proc is a background process with its combined output.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	once sync.Once
}

// waitFor waits until the output contains s, the process exits, or
// timeout passes; only the first is success.
func (p *proc) waitFor(t *testing.T, s string, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if strings.Contains(p.out.String(), s) {
			return
		}
		select {
		case <-p.done:
			if strings.Contains(p.out.String(), s) {
				return
			}
			t.Fatalf("%s exited before printing %q:\n%s", p.name, s, tail([]byte(p.out.String()), 3000))
		case <-deadline:
			t.Fatalf("%s did not print %q within %s:\n%s", p.name, s, timeout, tail([]byte(p.out.String()), 3000))
		case <-tick.C:
		}
	}
}

// stop interrupts the process and kills it if it has not exited in 5s.
func (p *proc) stop() {
	p.once.Do(func() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() > 1<<20 { // bound what chatty tools can pile up
		return len(p), nil
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	var missing []string
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		t.Skipf("missing tools %v (build/deps.sh installs them)", missing)
	}
}

func requireTun(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		t.Skipf("no /dev/net/tun for iodine: %v", err)
	}
}

// buildNFR builds the nfr command into a temporary directory.
func buildNFR(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go") // go test puts GOROOT/bin first on PATH
	if err != nil {
		t.Fatalf("go command: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "nfr")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// score runs `nfr score --format pcap` on pcap and returns the threat ids
// of the alerts it prints, with their counts.
func score(t *testing.T, nfr, pcap string) map[string]int {
	t.Helper()
	threats, _ := scoreEvidence(t, nfr, pcap)
	return threats
}

// scoreEvidence is score, also returning every evidence's detector/rule.
func scoreEvidence(t *testing.T, nfr, pcap string) (map[string]int, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// An explicit, empty config: defaults, whatever /etc/nfr holds.
	conf := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(conf, []byte("engine: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, nfr, "score", "--config", conf, "--format", "pcap", pcap)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nfr score --format pcap %s: %v\n%s", filepath.Base(pcap), err, tail(stderr.Bytes(), 3000))
	}
	threats := map[string]int{}
	var rules []string
	for _, line := range bytes.Split(stdout.Bytes(), []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var v any
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatalf("nfr score printed a line that is not JSON: %q", tail(line, 300))
		}
		for id := range alertThreats(v) {
			threats[id]++
		}
		rules = append(rules, evidenceRules(v)...)
	}
	t.Logf("nfr score %s: %v, evidence %v", filepath.Base(pcap), threats, rules)
	return threats, rules
}

// alertThreats collects the catalogue threat ids named anywhere in an
// alert, whatever the JSON layout.
func alertThreats(v any) map[string]bool {
	ids := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case string:
			if knownThreat(x) {
				ids[x] = true
			}
		}
	}
	walk(v)
	return ids
}

// evidenceRules lists "detector/rule" of every object holding both keys.
func evidenceRules(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		d, ok1 := x["detector"].(string)
		r, ok2 := x["rule"].(string)
		if ok1 && ok2 {
			out = append(out, d+"/"+r)
		}
		for _, y := range x {
			out = append(out, evidenceRules(y)...)
		}
	case []any:
		for _, y := range x {
			out = append(out, evidenceRules(y)...)
		}
	}
	return out
}

func knownThreat(s string) bool {
	switch s {
	case "c2_communication", "sinkholed_destination", "dga_volume", "dns_tunneling", "icmp_tunneling",
		"phishing_domain", "lateral_movement", "brand_impersonation", "cryptomining", "cryptojacking",
		"port_scan", "address_scan", "c2_beaconing", "tor_usage", "i2p_usage", "freenet_usage",
		"vpn_usage", "p2p_usage", "unreachable_domain_volume":
		return true
	}
	return false
}

func wantThreat(t *testing.T, threats map[string]int, id string) {
	t.Helper()
	if threats[id] == 0 {
		t.Fatalf("nfr score raised %v, want %s", threats, id)
	}
}

// packetCounts is what a capture holds, by kind, to prove the tools ran.
type packetCounts struct {
	total, dns, icmpEcho, tcpSYN int
}

// countPackets reads a classic pcap file (Ethernet) written by tcpdump.
func countPackets(t *testing.T, path string) packetCounts {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c packetCounts
	if len(data) < 24 {
		t.Fatalf("%s: %d bytes, not a pcap", path, len(data))
	}
	order := binary.ByteOrder(binary.LittleEndian)
	switch binary.LittleEndian.Uint32(data) {
	case 0xa1b2c3d4, 0xa1b23c4d:
	case 0xd4c3b2a1, 0x4d3cb2a1:
		order = binary.BigEndian
	default:
		t.Fatalf("%s: not a classic pcap file", path)
	}
	if lt := order.Uint32(data[20:]); lt != 1 {
		t.Fatalf("%s: link type %d, want Ethernet", path, lt)
	}
	for off := 24; off+16 <= len(data); {
		n := int(order.Uint32(data[off+8:]))
		off += 16
		if n < 0 || off+n > len(data) {
			break
		}
		c.add(data[off : off+n])
		off += n
	}
	return c
}

func (c *packetCounts) add(frame []byte) {
	c.total++
	if len(frame) < 34 || binary.BigEndian.Uint16(frame[12:]) != 0x0800 {
		return
	}
	ip := frame[14:]
	ihl := int(ip[0]&15) * 4
	if ihl < 20 || len(ip) < ihl+4 {
		return
	}
	l4 := ip[ihl:]
	switch ip[9] {
	case 1:
		if l4[0] == 0 || l4[0] == 8 {
			c.icmpEcho++
		}
	case 6:
		if len(l4) >= 14 && l4[13]&0x12 == 0x02 {
			c.tcpSYN++
		}
		if binary.BigEndian.Uint16(l4) == 53 || binary.BigEndian.Uint16(l4[2:]) == 53 {
			c.dns++
		}
	case 17:
		if binary.BigEndian.Uint16(l4) == 53 || binary.BigEndian.Uint16(l4[2:]) == 53 {
			c.dns++
		}
	}
}

// readCapture prints a capture's first packets with tcpdump, for failure
// messages.
func readCapture(path string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, "tcpdump", "-n", "-c", "60", "-r", path).CombinedOutput()
	return string(out)
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
