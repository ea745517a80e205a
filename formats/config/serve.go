package config

import (
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Serve is the serve section (nfr serve, the sidecar).
type Serve struct {
	// Listen is the HTTP address. Off loopback a token is required.
	Listen string `yaml:"listen"`
	// TCPListen is an optional address for newline-delimited JSON over TCP
	// (Vector's socket sink). Off loopback a token is required too, and the
	// first line of each connection must then be the token.
	TCPListen string `yaml:"tcp_listen"`
	// UnixSocket is an optional Unix socket path for newline-delimited JSON.
	UnixSocket string `yaml:"unix_socket"`
	// Token is the bearer token HTTP clients must send.
	Token string `yaml:"token"`
	// TLSCert and TLSKey enable HTTPS (and TLS on tcp_listen).
	TLSCert string `yaml:"tls_cert"`
	TLSKey  string `yaml:"tls_key"`
	// MaxBody is the largest accepted request body in bytes, after decompression.
	MaxBody int64 `yaml:"max_body"`
	// Queue is how many events may wait for scoring; beyond it requests get 503.
	Queue int `yaml:"queue"`
	// AlertURL, when set, receives alerts as NDJSON POSTs (Vector's
	// http_server source, Fluent Bit's http input).
	AlertURL string `yaml:"alert_url"`
	// DrainTimeout bounds how long shutdown waits for queued events.
	DrainTimeout time.Duration `yaml:"drain_timeout"`
}

// DefaultServe returns the sidecar defaults.
func DefaultServe() Serve {
	return Serve{Listen: "127.0.0.1:8686", MaxBody: 16 << 20, Queue: 100000, DrainTimeout: 30 * time.Second}
}

// Validate checks the serve section.
func (s Serve) Validate() error {
	for key, addr := range map[string]string{"listen": s.Listen, "tcp_listen": s.TCPListen} {
		if addr == "" && key == "tcp_listen" {
			continue
		}
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return &scoring.ConfigError{Key: key, Msg: fmt.Sprintf("%q must be host:port", addr)}
		}
		if !IsLoopback(host) && s.Token == "" {
			return &scoring.ConfigError{Key: key, Msg: fmt.Sprintf("%q is not a loopback address: set serve.token to listen there", addr)}
		}
	}
	if (s.TLSCert == "") != (s.TLSKey == "") {
		return &scoring.ConfigError{Key: "tls_cert", Msg: "tls_cert and tls_key go together"}
	}
	if s.MaxBody < 1024 {
		return &scoring.ConfigError{Key: "max_body", Msg: "must be at least 1024"}
	}
	if s.Queue < 1 {
		return &scoring.ConfigError{Key: "queue", Msg: "must be at least 1"}
	}
	if s.AlertURL != "" {
		if u, err := url.Parse(s.AlertURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return &scoring.ConfigError{Key: "alert_url", Msg: fmt.Sprintf("%q is not an http(s) URL", s.AlertURL)}
		}
	}
	if s.DrainTimeout <= 0 {
		return &scoring.ConfigError{Key: "drain_timeout", Msg: "must be positive"}
	}
	return nil
}

// IsLoopback reports whether host (a name or an address) stays on this machine.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
