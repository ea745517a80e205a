package sink

import (
	"testing"
	"time"
)

// Acceptance 3: the receiver stops for 10 s in the middle of a stream of
// 5,000 alerts and starts again. Nothing is lost, and duplicates stay
// within README.md's promise: per connection failure, at most syslog.buffer
// replayed messages plus the batch whose write failed.
func TestReceiverOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 2 x 10 s")
	}
	for _, proto := range []string{"tcp", "tls"} {
		t.Run(proto, func(t *testing.T) { testOutage(t, proto) })
	}
}

func testOutage(t *testing.T, proto string) {
	var certs *testCerts
	if proto == "tls" {
		certs = makeCerts(t)
	}
	r := startRsyslog(t, proto, certs)
	o := syslogOutput("syslog+"+proto, r.Addr(), "json")
	if certs != nil {
		o.Syslog.CAFile, o.Syslog.CertFile, o.Syslog.KeyFile = certs.CA, certs.ClientCert, certs.ClientKey
	}
	s, err := Open(o, Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	const n, batch = 5000, 20
	// The first 2,000 alerts go to the running receiver; then it stops for
	// 10 s while the stream goes on (Sends fail and are retried); then it
	// starts again and the rest follows.
	sendAll(t, s, 0, 2000, batch, time.Millisecond)
	restarted := make(chan struct{})
	go func() {
		defer close(restarted)
		r.Stop()
		time.Sleep(10 * time.Second)
		r.Start()
	}()
	failures := sendAll(t, s, 2000, n-2000, batch, 5*time.Millisecond)
	<-restarted
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	r.Stop()
	counts := uidCounts(t, r.Lines(), "json")
	st := s.(*SyslogSink).Stats()
	dups := 0
	for _, c := range counts {
		dups += c - 1
	}
	t.Logf("%s: %d failed sends, stats %+v, %d duplicates", proto, failures, st, dups)
	if len(counts) != n {
		t.Errorf("%d distinct alerts written, want %d: lost %d", len(counts), n, n-len(counts))
	}
	if st.Reconnects < 1 || failures == 0 {
		t.Errorf("the outage was not noticed: %+v", st)
	}
	if bound := int(st.Reconnects) * (o.Syslog.Buffer + batch); dups > bound {
		t.Errorf("%d duplicates, promise is at most %d", dups, bound)
	}
}
