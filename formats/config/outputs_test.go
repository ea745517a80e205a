package config

import (
	"strings"
	"testing"
)

// The deprecated serve.alert_url is one more json output posting to it.
func TestAlertURLIsAnHTTPOutput(t *testing.T) {
	s := DefaultServe()
	if _, ok := s.AlertOutput(); ok {
		t.Error("no alert_url: want no output")
	}
	s.AlertURL = "http://127.0.0.1:9000/alerts"
	o, ok := s.AlertOutput()
	if !ok || o.Sink != s.AlertURL || o.Format != "json" || o.Validate() != nil || s.Validate() != nil {
		t.Errorf("got %+v %v", o, ok)
	}
	s.AlertURL = "syslog+tcp://127.0.0.1:514"
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
		t.Errorf("a syslog alert_url: %v", err)
	}
}
