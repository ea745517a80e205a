package sink

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"

	"github.com/netflightrecorder/nfr/formats/alert"
	"github.com/netflightrecorder/nfr/scoring"
)

// httpSink POSTs each batch to a URL: JSON alerts as NDJSON (Vector's
// http_server source, Fluent Bit's http input), CEF as one line per
// threat. A 2xx answer means the receiver took the whole batch.
type httpSink struct {
	mu          sync.Mutex
	url         string
	shown       string // the URL without its password, for messages
	contentType string
	client      *http.Client
	enc         alert.Encoder
	buf         []byte
	closed      bool
}

// maxAnswer is how much of an answer's body is read (and shown in errors).
const maxAnswer = 512

func openHTTP(o Output, u Target, enc alert.Encoder) *httpSink {
	shown := u.URL
	if p, err := url.Parse(u.URL); err == nil {
		shown = p.Redacted()
	}
	ct := "application/x-ndjson"
	if o.Format == "cef" {
		ct = "text/plain; charset=utf-8"
	}
	timeout := o.HTTP.Timeout
	if timeout <= 0 {
		timeout = DefaultHTTP().Timeout
	}
	return &httpSink{url: u.URL, shown: shown, contentType: ct, enc: enc,
		client: &http.Client{Timeout: timeout}}
}

// Send posts the batch in one request.
func (s *httpSink) Send(alerts []*scoring.Alert) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if len(alerts) == 0 {
		return nil
	}
	s.buf = s.buf[:0]
	for _, a := range alerts {
		s.buf = appendLines(s.buf, s.enc, a)
	}
	resp, err := s.client.Post(s.url, s.contentType, bytes.NewReader(s.buf))
	if err != nil {
		return fmt.Errorf("sink: %w", err) // names the URL, without its password
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sink: POST %s: %s %q", s.shown, resp.Status, bytes.TrimSpace(answer))
	}
	return nil
}

// Close releases idle connections.
func (s *httpSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.client.CloseIdleConnections()
	return nil
}
