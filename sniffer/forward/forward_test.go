package forward_test

import (
	"fmt"
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
