package sink

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is an HTTP endpoint on loopback that refuses the first
// `refuse` POSTs with 503 and keeps the bodies of the others.
type receiver struct {
	mu     sync.Mutex
	refuse int
	types  []string
	bodies []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refuse > 0 {
		r.refuse--
		http.Error(w, "queue full", http.StatusServiceUnavailable)
		return
	}
	r.types = append(r.types, req.Header.Get("Content-Type"))
	r.bodies = append(r.bodies, string(body))
}

func httpOutput(url, format string) Output {
	o := DefaultOutput()
	o.Sink, o.Format = url, format
	return o
}

// An http(s) output is an ordinary output: a refused POST is an error
// naming the answer, the retry delivers the batch once, as NDJSON.
func TestHTTPOutputRetriesRefusedBatch(t *testing.T) {
	rcv := &receiver{refuse: 2}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	o, err := OpenAll([]Output{httpOutput(srv.URL+"/alerts", "json")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var failures []string
	b := o.NewBatch(seqAlerts(0, 3))
	err = o.Retry(b, Retry{For: 10 * time.Second, OnFailure: func(err error, _ time.Duration) { failures = append(failures, err.Error()) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if len(failures) != 2 || !strings.Contains(failures[0], `503 Service Unavailable "queue full"`) {
		t.Errorf("failures: %q", failures)
	}
	if len(rcv.bodies) != 1 || rcv.types[0] != "application/x-ndjson" {
		t.Fatalf("received %d bodies (%q)", len(rcv.bodies), rcv.types)
	}
	got := uidsOfJSONLines(t, strings.Split(strings.TrimSuffix(rcv.bodies[0], "\n"), "\n"))
	if strings.Join(got, ",") != "seq-000000,seq-000001,seq-000002" {
		t.Errorf("body: %v", got)
	}
}

// CEF goes as text, one line per threat; an unreachable URL is an error
// that does not show the URL's password.
func TestHTTPOutputCEFAndUnreachable(t *testing.T) {
	rcv := &receiver{}
	srv := httptest.NewServer(rcv)
	s, err := Open(httpOutput(srv.URL, "cef"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(seqAlerts(0, 3)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(rcv.bodies) != 1 || strings.Count(rcv.bodies[0], "CEF:0|") != 6 || !strings.HasPrefix(rcv.types[0], "text/plain") {
		t.Errorf("got %q %q", rcv.types, rcv.bodies)
	}
	url := srv.URL
	srv.Close()
	s, err = Open(httpOutput(strings.Replace(url, "http://", "http://nfr:secret@", 1), "json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Send(seqAlerts(0, 1)); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("want an error without the password, got %v", err)
	}
}
