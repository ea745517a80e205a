package main

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/netflightrecorder/nfr/sniffer/forward/forwardtest"
	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

// dnsCapture starts a capture written to f and returns its writer, the
// time of its first packet and the client and resolver endpoints of the
// DNS lookups the tests write.
func dnsCapture(t *testing.T, f *os.File) (*pcapgen.Writer, time.Time, pcapgen.Endpoints) {
	t.Helper()
	w, err := pcapgen.NewWriter(f, pcapgen.Ethernet, false)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	e := pcapgen.Endpoints{Src: netip.MustParseAddr("192.0.2.1"), Dst: netip.MustParseAddr("192.0.2.53"), SrcPort: 50000, DstPort: 53}
	return w, t0, e
}

// TestFileToForward runs the command on a generated capture with a Forward
// output, shared key from a file, gzip and acks.
func TestFileToForward(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "in.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, t0, e := dnsCapture(t, f)
	for i := range 100 {
		e.SrcPort = uint16(50000 + i)
		name := fmt.Sprintf("n%d.example", i)
		w.UDP(t0, e, pcapgen.DNSQuery(uint16(i), name, layers.DNSTypeA))
		w.UDP(t0.Add(time.Millisecond), e.Reverse(), pcapgen.DNSResponse(uint16(i), name, layers.DNSTypeA, 3, 60))
	}
	w.ICMPEcho(t0, pcapgen.Endpoints{Src: e.Src, Dst: e.Dst}, false, 1, 1, []byte("ping"))
	f.Close()
	keyFile := filepath.Join(dir, "key")
	os.WriteFile(keyFile, []byte("k3y\n"), 0o600)

	srv := &forwardtest.Server{SharedKey: "k3y"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	code := run([]string{"-r", path, "-q", "--output", "forward://" + srv.Addr(), "--shared-key-file", keyFile,
		"--gzip", "--batch", "16", "--tag-dns", "test.dns", "--spool-dir", filepath.Join(dir, "spool")})
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	tags := map[string]int{}
	nx := 0
	for _, r := range srv.Records() {
		tags[r.Tag]++
		if r.Fields["rcode_name"] == "NXDOMAIN" {
			nx++
		}
	}
	want := map[string]int{"test.dns": 200, "nfr.flow": 101, "nfr.icmp": 1}
	if fmt.Sprint(tags) != fmt.Sprint(want) || nx != 100 {
		t.Fatalf("records by tag %v (want %v), %d NXDOMAIN; errors %v", tags, want, nx, srv.Errors())
	}
}

// TestSIGHUPDoesNotEndCapture: SIGHUP (systemctl reload, logrotate) during
// a capture with a Forward output is logged and the capture goes on; it
// used to end the process. The capture is a FIFO, so the command is still
// reading it when the signal comes.
func TestSIGHUPDoesNotEndCapture(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "in.pcap")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFO:", err)
	}
	srv := &forwardtest.Server{}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"-r", fifo, "-q", "--output", "forward://" + srv.Addr(), "--batch", "1",
			"--spool-dir", filepath.Join(dir, "spool")})
	}()
	f, err := os.OpenFile(fifo, os.O_WRONLY, 0) // blocks until the command opens it
	if err != nil {
		t.Fatal(err)
	}
	w, t0, e := dnsCapture(t, f)
	query := func(i int) {
		e.SrcPort = uint16(50000 + i)
		w.UDP(t0.Add(time.Duration(i)*time.Second), e, pcapgen.DNSQuery(uint16(i), fmt.Sprintf("n%d.example", i), layers.DNSTypeA))
	}
	query(0)
	deadline := time.Now().Add(20 * time.Second)
	for len(srv.Records()) == 0 && time.Now().Before(deadline) { // the command is past its signal set-up
		time.Sleep(10 * time.Millisecond)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	query(1)
	f.Close()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit code %d", c)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the command did not end after its input did")
	}
	dns := 0
	for _, r := range srv.Records() {
		if r.Tag == "nfr.dns" {
			dns++
		}
	}
	if dns != 2 {
		t.Fatalf("%d DNS records forwarded, want 2 (one before SIGHUP, one after); errors %v", dns, srv.Errors())
	}
}

func TestBadArguments(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.pcap")
	f, err := os.Create(empty)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pcapgen.NewWriter(f, pcapgen.Ethernet, false); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if code := run([]string{"-q", "-r", empty, "udp port 53"}); code != 0 {
		t.Fatalf("a good filter on a file: exit code %d", code)
	}
	for _, args := range [][]string{
		{},                               // no input
		{"-r", "x.pcap", "-i", "lo"},     // two inputs
		{"-r", "/nonexistent/file.pcap"}, // missing file
		{"-r", "-", "--output", "carrier-pigeon"},
		{"-q", "-r", empty, "not a ( filter"},
	} {
		if code := run(append(args, "-q")); code == 0 {
			t.Errorf("%v: exit code 0", args)
		}
	}
}
