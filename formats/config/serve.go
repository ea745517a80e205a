package config

import (
	"fmt"
	"net"
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
	// AlertURL is deprecated: list the URL as an output instead
	// (outputs: - sink: http://...). When set, nfr serve adds it as one more
	// output with format json, which POSTs alerts as NDJSON.
	AlertURL string `yaml:"alert_url"`
	// DrainTimeout bounds how long shutdown waits for queued events and
	// requests in progress; shutdown ends within it plus a second.
	DrainTimeout time.Duration `yaml:"drain_timeout"`
	// ReadTimeout is the time a client has to send request headers, and
	// the grace before MinRate applies to a body.
	ReadTimeout time.Duration `yaml:"read_timeout"`
	// MinRate is the slowest a body may arrive, in bytes per second
	// averaged from the request's start, after ReadTimeout.
	MinRate int64 `yaml:"min_rate"`
	// IdleTimeout closes a keep-alive HTTP connection or a TCP/Unix
	// stream that sends nothing for this long.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
	// AuthTimeout is the time a TCP stream has to send its token line.
	AuthTimeout time.Duration `yaml:"auth_timeout"`
	// MaxConnections caps open connections per listener (HTTP, TCP, Unix);
	// a connection beyond it is closed at once and counted.
	MaxConnections int `yaml:"max_connections"`
	// MaxRequests caps POST /v1/events requests being read at once;
	// beyond it requests get 503 with Retry-After.
	MaxRequests int `yaml:"max_requests"`
	// MaxLine is the longest NDJSON line (HTTP or stream) in bytes; a
	// longer line is rejected as "line too long" and skipped. It is at
	// most max_body.
	MaxLine int64 `yaml:"max_line"`
	// MemoryBudget bounds the bytes of records decoded and not yet scored,
	// on every input together (decoded body bytes plus the size of the
	// events made of them, 656 bytes each). A request that cannot be
	// admitted gets 503 with Retry-After, one that alone needs more than
	// the budget 413; a stream waits. At least 8 x max_body.
	MemoryBudget int64 `yaml:"memory_budget"`
}

// DefaultServe returns the sidecar defaults.
func DefaultServe() Serve {
	return Serve{Listen: "127.0.0.1:8686", MaxBody: 16 << 20, Queue: 100000, DrainTimeout: 30 * time.Second,
		ReadTimeout: 10 * time.Second, MinRate: 64 << 10, IdleTimeout: 2 * time.Minute, AuthTimeout: 5 * time.Second,
		MaxConnections: 256, MaxRequests: 32, MaxLine: 256 << 10, MemoryBudget: 256 << 20}
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
		if t, err := ParseSink(s.AlertURL); err != nil || t.Scheme != "http" {
			return &scoring.ConfigError{Key: "alert_url", Msg: fmt.Sprintf("%q is not an http(s) URL", s.AlertURL)}
		}
	}
	return s.validateBudgets()
}

// AlertOutput returns the output the deprecated alert_url stands for (a
// json output posting to it) and whether alert_url is set.
func (s Serve) AlertOutput() (Output, bool) {
	if s.AlertURL == "" {
		return Output{}, false
	}
	o := DefaultOutput()
	o.Sink = s.AlertURL
	return o, true
}

// validateBudgets checks the connection and memory limits.
func (s Serve) validateBudgets() error {
	for key, d := range map[string]time.Duration{"drain_timeout": s.DrainTimeout, "read_timeout": s.ReadTimeout,
		"idle_timeout": s.IdleTimeout, "auth_timeout": s.AuthTimeout} {
		if d <= 0 {
			return &scoring.ConfigError{Key: key, Msg: "must be positive"}
		}
	}
	for key, n := range map[string]int64{"min_rate": s.MinRate, "max_connections": int64(s.MaxConnections),
		"max_requests": int64(s.MaxRequests)} {
		if n < 1 {
			return &scoring.ConfigError{Key: key, Msg: "must be at least 1"}
		}
	}
	if s.MaxLine < 1024 {
		return &scoring.ConfigError{Key: "max_line", Msg: "must be at least 1024"}
	}
	if s.MemoryBudget < 8*s.MaxBody {
		return &scoring.ConfigError{Key: "memory_budget", Msg: fmt.Sprintf("must be at least 8 x max_body (%d): a body's events take several times its bytes", 8*s.MaxBody)}
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
