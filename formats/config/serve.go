package config

import (
	"net"

	"github.com/netflightrecorder/nfr/scoring"
)

// Serve is the serve section (nfr serve, the sidecar).
type Serve struct {
	// Listen is the HTTP address; 127.0.0.1 unless a token is set.
	Listen string `yaml:"listen"`
	// Token is the bearer token clients must send; required off loopback.
	Token string `yaml:"token"`
	// MaxBody is the largest accepted request body in bytes (after decompression).
	MaxBody int64 `yaml:"max_body"`
	// Queue is how many events may wait for scoring before requests get 503.
	Queue int `yaml:"queue"`
}

// DefaultServe returns the sidecar defaults.
func DefaultServe() Serve {
	return Serve{Listen: "127.0.0.1:8686", MaxBody: 16 << 20, Queue: 100000}
}

// Validate checks the serve section.
func (s Serve) Validate() error {
	if _, _, err := net.SplitHostPort(s.Listen); err != nil {
		return &scoring.ConfigError{Key: "listen", Msg: "must be host:port"}
	}
	if s.MaxBody < 1024 {
		return &scoring.ConfigError{Key: "max_body", Msg: "must be at least 1024"}
	}
	if s.Queue < 1 {
		return &scoring.ConfigError{Key: "queue", Msg: "must be at least 1"}
	}
	return nil
}
