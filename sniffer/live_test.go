package sniffer_test

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"

	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/forward"
	"github.com/netflightrecorder/nfr/sniffer/forward/forwardtest"
	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

// TestLiveCaptureOverForward runs in a network namespace of its own (it
// re-executes itself under `ip netns exec`): 1,000 dig queries to a tiny
// responder on the namespace's loopback are captured live and delivered
// as dns records over Forward (shared key, gzip, acks) to a receiver that
// is down for NFR_SNIFFER_OUTAGE (default 30s) in the middle; every query
// must arrive and the spool must have been used.
func TestLiveCaptureOverForward(t *testing.T) {
	if os.Getenv("NFR_LIVE_CHILD") == "1" {
		liveChild(t)
		return
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	for _, tool := range []string{"ip", "dig"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	ns := fmt.Sprintf("nfrtest%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("cannot create a network namespace: %v: %s", err, out)
	}
	defer exec.Command("ip", "netns", "delete", ns).Run()
	if out, err := exec.Command("ip", "-n", ns, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^TestLiveCaptureOverForward$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "NFR_LIVE_CHILD=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in namespace %s:\n%s", ns, out)
	if err != nil {
		t.Fatal(err)
	}
}

func outage(t *testing.T) time.Duration {
	s := os.Getenv("NFR_SNIFFER_OUTAGE")
	if s == "" {
		return 30 * time.Second
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Fatalf("NFR_SNIFFER_OUTAGE: %v", err)
	}
	return d
}

func liveChild(t *testing.T) {
	stopDNS := dnsResponder(t, "127.0.0.1:53")
	defer stopDNS()
	srv := &forwardtest.Server{SharedKey: "live-key"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()

	capture, err := sniffer.OpenLive(sniffer.LiveConfig{Interface: "lo", Filter: "udp port 53", Snaplen: 65535, BufferSize: 32 << 20}, sniffer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer capture.Close()
	client, err := forward.New(forward.Config{Address: srv.Addr(), SharedKey: "live-key", Gzip: true, Ack: true,
		BatchRecords: 50, FlushEvery: 100 * time.Millisecond, MemChunks: 1, SpoolDir: t.TempDir(),
		BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second, AckTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sink := &sniffer.ForwardSink{Client: client, Tags: sniffer.DefaultTags(), Drain: 2 * time.Minute}
	pumped := make(chan error, 1)
	go func() { pumped <- pump(capture, sink) }()

	names := make([]string, 1000)
	for i := range names {
		names[i] = fmt.Sprintf("q%04d.live.example", i)
	}
	dig(t, names[:500])
	waitFor(t, "the first 500 queries", func() bool { return len(queries(srv.Records())) == 500 })

	down := outage(t)
	srv.Stop()
	stoppedAt := time.Now()
	dig(t, names[500:])
	waitFor(t, "chunks spooled to disk", func() bool { return client.Stats().Spool.SpooledChunks > 0 })
	time.Sleep(time.Until(stoppedAt.Add(down)))
	t.Logf("receiver was down for %v; spool: %+v", time.Since(stoppedAt).Round(time.Second), client.Stats().Spool)
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "all 1000 queries", func() bool {
		if os.Getenv("NFR_DEBUG") != "" {
			got := queries(srv.Records())
			var missing []string
			for _, n := range names {
				if got[n] == 0 {
					missing = append(missing, n)
				}
			}
			r, d, ifd := capture.KernelStats()
			t.Logf("%d queries, missing %v, packets %d, kernel %d %d %d", len(got), missing, capture.Packets(), r, d, ifd)
			time.Sleep(time.Second)
		}
		return len(queries(srv.Records())) == 1000
	})
	capture.Stop()
	if err := <-pumped; err != nil {
		t.Fatal(err)
	}
	if err := sink.Close(); err != nil {
		t.Fatal(err)
	}

	got := queries(srv.Records())
	for _, n := range names {
		if got[n] != 1 {
			t.Errorf("query %s received %d times", n, got[n])
		}
	}
	responses := 0
	for _, r := range srv.Records() {
		if r.Tag == "nfr.dns" && r.Fields["is_response"] == true {
			responses++
		}
	}
	st := client.Stats()
	t.Logf("delivered %d records (%d queries, %d responses), %d duplicate chunks; forward stats %+v",
		len(srv.Records()), len(got), responses, srv.Duplicates(), st)
	if len(got) != 1000 || responses != 1000 {
		t.Fatalf("%d distinct queries and %d responses delivered, want 1000 each", len(got), responses)
	}
	if st.Spool.SpooledChunks == 0 || st.Spool.DroppedRecords != 0 || st.Failures == 0 {
		t.Fatalf("the outage left no trace in the stats: %+v", st)
	}
	if errs := srv.Errors(); len(errs) > 0 {
		t.Fatalf("receiver errors: %v", errs)
	}
}

func pump(c *sniffer.Capture, sink sniffer.Sink) error {
	var ev scoring.Event
	for {
		err := c.Next(&ev)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := sink.Write(&ev); err != nil {
			return err
		}
	}
}

// queries counts the query names of dns query records.
func queries(recs []forwardtest.Record) map[string]int {
	out := map[string]int{}
	for _, r := range recs {
		if r.Tag == "nfr.dns" && r.Fields["is_response"] == false {
			q, _ := r.Fields["query"].(string)
			out[q]++
		}
	}
	return out
}

// dig asks the responder for every name, in one dig process.
func dig(t *testing.T, names []string) {
	path := filepath.Join(t.TempDir(), "names")
	if err := os.WriteFile(path, []byte(strings.Join(names, " A\n")+" A\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("dig", "@127.0.0.1", "+tries=1", "+time=2", "+short", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("dig: %v: %s", err, out)
	}
	if n := strings.Count(string(out), "192.0.2.1\n"); n != len(names) {
		t.Fatalf("dig got %d answers for %d names", n, len(names))
	}
}

// dnsResponder answers every A query with 192.0.2.1.
func dnsResponder(t *testing.T, addr string) func() {
	conn, err := net.ListenPacket("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			var q layers.DNS
			if q.DecodeFromBytes(buf[:n], gopacket.NilDecodeFeedback) != nil || len(q.Questions) == 0 {
				continue
			}
			resp := pcapgen.DNSResponse(q.ID, string(q.Questions[0].Name), layers.DNSTypeA, 0, 60, netipMust("192.0.2.1"))
			conn.WriteTo(resp, from)
		}
	}()
	return func() { conn.Close() }
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func netipMust(s string) netip.Addr { return netip.MustParseAddr(s) }
