package forward_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/tinylib/msgp/msgp"

	"github.com/netflightrecorder/nfr/sniffer/forward"
	"github.com/netflightrecorder/nfr/sniffer/forward/forwardtest"
)

func rec(i int) []byte {
	b := msgp.AppendMapHeader(nil, 2)
	b = msgp.AppendString(b, "n")
	b = msgp.AppendInt(b, i)
	b = msgp.AppendString(b, "query")
	return msgp.AppendString(b, fmt.Sprintf("q%d.example", i))
}

// waitFor polls cond for up to a minute (no timing is asserted).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func numbers(recs []forwardtest.Record) map[int64]int {
	seen := map[int64]int{}
	for _, r := range recs {
		switch n := r.Fields["n"].(type) {
		case int64:
			seen[n]++
		case uint64:
			seen[int64(n)]++
		}
	}
	return seen
}

func TestHandshakeGzipAckDeliversEveryRecord(t *testing.T) {
	srv := &forwardtest.Server{SharedKey: "s3cret"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	c, err := forward.New(forward.Config{Address: srv.Addr(), SharedKey: "s3cret", Hostname: "sensor1",
		Gzip: true, Ack: true, BatchRecords: 64})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)
	for i := range 1000 {
		tag := "nfr.dns"
		if i%2 == 1 {
			tag = "nfr.flow"
		}
		if err := c.Append(tag, at, rec(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(time.Minute); err != nil {
		t.Fatal(err)
	}
	recs := srv.Records()
	seen := numbers(recs)
	if len(recs) != 1000 || len(seen) != 1000 {
		t.Fatalf("received %d records, %d distinct; errors %v", len(recs), len(seen), srv.Errors())
	}
	for _, r := range recs {
		if r.Seconds != uint32(at.Unix()) || r.Nanos != 600 {
			t.Fatalf("event time %d.%09d", r.Seconds, r.Nanos)
		}
		if r.Tag != "nfr.dns" && r.Tag != "nfr.flow" {
			t.Fatalf("tag %q", r.Tag)
		}
	}
	if st := c.Stats(); st.AckedRecords != 1000 || srv.Handshakes() < 1 {
		t.Fatalf("stats %+v, handshakes %d", st, srv.Handshakes())
	}
}

func TestWrongSharedKeyDeliversNothing(t *testing.T) {
	srv := &forwardtest.Server{SharedKey: "right"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	c, err := forward.New(forward.Config{Address: srv.Addr(), SharedKey: "wrong", Ack: true, BackoffMin: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c.Append("nfr.dns", time.Unix(1, 0), rec(1))
	c.Flush()
	waitFor(t, "a failed handshake", func() bool { return c.Stats().Failures > 0 })
	c.Close(0)
	if n := len(srv.Records()); n != 0 {
		t.Fatalf("server accepted %d records from a client with the wrong key", n)
	}
	if c.Stats().AckedRecords != 0 {
		t.Fatal("records counted as delivered")
	}
}

func TestOutageSpoolsAndReplaysInOrder(t *testing.T) {
	srv := &forwardtest.Server{}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	c, err := forward.New(forward.Config{Address: srv.Addr(), Ack: true, BatchRecords: 10, MemChunks: 1,
		SpoolDir: t.TempDir(), BackoffMin: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		c.Append("nfr.dns", time.Unix(int64(i), 0), rec(i))
	}
	waitFor(t, "the first 100 records", func() bool { return len(srv.Records()) == 100 })
	srv.Stop()
	for i := 100; i < 300; i++ {
		c.Append("nfr.dns", time.Unix(int64(i), 0), rec(i))
	}
	waitFor(t, "chunks on disk", func() bool { return c.Stats().Spool.DiskChunks >= 10 })
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(time.Minute); err != nil {
		t.Fatal(err)
	}
	recs := srv.Records()
	if len(numbers(recs)) != 300 {
		t.Fatalf("received %d distinct of 300", len(numbers(recs)))
	}
	for i, r := range recs { // in order: each record's time is its number
		if int(r.Seconds) != i {
			t.Fatalf("record %d has time %d: out of order", i, r.Seconds)
		}
	}
	st := c.Stats()
	if st.Spool.SpooledChunks == 0 || st.Spool.DroppedRecords != 0 || st.Failures == 0 {
		t.Fatalf("stats %+v", st)
	}
}

// selfSigned returns a server certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "forwardtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

func TestTLSWithSharedKey(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := &forwardtest.Server{SharedKey: "k", TLS: &tls.Config{Certificates: []tls.Certificate{cert}}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	c, err := forward.New(forward.Config{Address: srv.Addr(), SharedKey: "k", Ack: true,
		TLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		c.Append("nfr.icmp", time.Unix(int64(i), 0), rec(i))
	}
	if err := c.Close(time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Records()); n != 10 || srv.Handshakes() != 1 {
		t.Fatalf("%d records over TLS, %d handshakes; errors %v", n, srv.Handshakes(), srv.Errors())
	}

	// A client that does not trust the certificate delivers nothing.
	c, err = forward.New(forward.Config{Address: srv.Addr(), SharedKey: "k", Ack: true,
		TLS: &tls.Config{ServerName: "127.0.0.1"}, BackoffMin: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c.Append("nfr.icmp", time.Unix(0, 0), rec(99))
	c.Flush()
	waitFor(t, "a refused certificate", func() bool { return c.Stats().Failures > 0 })
	c.Close(0)
	if n := len(srv.Records()); n != 10 {
		t.Fatalf("untrusted client delivered: %d records", n)
	}
}
