package config

import (
	"strings"
	"testing"
)

// ParseSink is the one parser of the sink grammar: what it accepts and
// what it says about what it refuses.
func TestParseSink(t *testing.T) {
	for _, c := range []struct {
		in   string
		want SinkURL
	}{
		{"stdout", SinkURL{Kind: SinkStdout}},
		{"file:/var/log/nfr/alerts.json", SinkURL{Kind: SinkFile, Path: "/var/log/nfr/alerts.json"}},
		{"syslog+tls://siem.example.net:6514", SinkURL{Kind: SinkSyslog, Network: "tls", Addr: "siem.example.net:6514", Host: "siem.example.net"}},
		{"syslog+udp://[::1]:514", SinkURL{Kind: SinkSyslog, Network: "udp", Addr: "[::1]:514", Host: "::1"}},
		{"https://127.0.0.1:8443/alerts", SinkURL{Kind: SinkHTTP, URL: "https://127.0.0.1:8443/alerts"}},
	} {
		got, err := ParseSink(c.in)
		if err != nil || got != c.want {
			t.Errorf("%s: got %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for in, msg := range map[string]string{
		"file:":                  "file: needs a path",
		"syslog+tcp://host":      "needs host:port",
		"syslog+tcp://:514":      "needs host:port",
		"syslog+sctp://host:514": "is not syslog+udp://",
		"http:///alerts":         "has no host",
		"https://u:pw@/x":        "has no host",
		"kafka://broker:9092":    "is not stdout, file:PATH, syslog+udp|tcp|tls://host:port or http(s)://",
		"STDOUT":                 "is not stdout",
		"http://%zz":             "is not a URL",
	} {
		_, err := ParseSink(in)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: got %v, want an error with %q", in, err, msg)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("%s: the error shows the password: %v", in, err)
		}
	}
}

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
