package serve

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/netflightrecorder/nfr/formats/alert"
	"github.com/netflightrecorder/nfr/scoring"
)

// alertPoster POSTs alerts as NDJSON to a URL (Vector's http_server source,
// Fluent Bit's http input).
type alertPoster struct {
	url    string
	client *http.Client
}

func newAlertPoster(url string) *alertPoster {
	return &alertPoster{url: url, client: &http.Client{Timeout: 10 * time.Second}}
}

func (p *alertPoster) post(alerts []*scoring.Alert) error {
	var body []byte
	for _, a := range alerts {
		body = alert.AppendJSON(body, a)
		body = append(body, '\n')
	}
	resp, err := p.client.Post(p.url, "application/x-ndjson", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("alert_url: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("alert_url: %s answered %s", p.url, resp.Status)
	}
	return nil
}
