package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Output is one alert destination with its own format.
type Output struct {
	// Sink is stdout, file:PATH, syslog+udp://host:port, syslog+tcp://host:port,
	// syslog+tls://host:port, or an http:// or https:// URL that receives
	// alerts as POSTs (NDJSON for json, one CEF line per threat for cef).
	Sink string `yaml:"sink"`
	// Format is json or cef.
	Format string        `yaml:"format"`
	Syslog SyslogOptions `yaml:"syslog"`
	HTTP   HTTPOptions   `yaml:"http"`
}

// HTTPOptions apply to http:// and https:// sinks.
type HTTPOptions struct {
	// Timeout bounds one POST: connecting, sending the batch and reading
	// the answer.
	Timeout time.Duration `yaml:"timeout"`
}

// SinkKind is the kind of destination a sink URL names.
type SinkKind int

// The sink kinds.
const (
	SinkStdout SinkKind = iota + 1
	SinkFile
	SinkSyslog
	SinkHTTP
)

// SinkURL is a parsed outputs[].sink.
type SinkURL struct {
	Kind SinkKind
	// Path is the file of file:PATH.
	Path string
	// Network is udp, tcp or tls for syslog; Addr its host:port and Host
	// the host alone (TLS checks the server's name against it).
	Network, Addr, Host string
	// URL is the http(s) URL alerts are posted to.
	URL string
}

// sinkGrammar is what a sink may be, for error messages.
const sinkGrammar = "stdout, file:PATH, syslog+udp|tcp|tls://host:port or http(s)://host[:port]/path"

// ParseSink parses a sink URL. It is the one parser of the grammar:
// config validation, the plugin's Output key and formats/sink all use it.
func ParseSink(s string) (SinkURL, error) {
	switch {
	case s == "stdout":
		return SinkURL{Kind: SinkStdout}, nil
	case strings.HasPrefix(s, "file:"):
		if strings.TrimPrefix(s, "file:") == "" {
			return SinkURL{}, fmt.Errorf("%q: file: needs a path", s)
		}
		return SinkURL{Kind: SinkFile, Path: strings.TrimPrefix(s, "file:")}, nil
	case strings.HasPrefix(s, "syslog+"):
		return parseSyslogSink(s)
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return parseHTTPSink(s)
	}
	return SinkURL{}, fmt.Errorf("%q is not %s", s, sinkGrammar)
}

func parseSyslogSink(s string) (SinkURL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "syslog+udp" && u.Scheme != "syslog+tcp" && u.Scheme != "syslog+tls") {
		return SinkURL{}, fmt.Errorf("%q is not syslog+udp://, syslog+tcp:// or syslog+tls://host:port", s)
	}
	if _, _, err := net.SplitHostPort(u.Host); err != nil || u.Hostname() == "" {
		return SinkURL{}, fmt.Errorf("%q needs host:port", s)
	}
	return SinkURL{Kind: SinkSyslog, Network: strings.TrimPrefix(u.Scheme, "syslog+"), Addr: u.Host, Host: u.Hostname()}, nil
}

func parseHTTPSink(s string) (SinkURL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return SinkURL{}, fmt.Errorf("%q is not a URL: %v", s, err)
	}
	if u.Hostname() == "" {
		return SinkURL{}, fmt.Errorf("%q has no host", u.Redacted())
	}
	return SinkURL{Kind: SinkHTTP, URL: s}, nil
}

// SyslogOptions apply to syslog sinks.
type SyslogOptions struct {
	// Protocol is rfc5424 (default) or rfc3164.
	Protocol string `yaml:"protocol"`
	// Facility is a syslog facility name (local0..local7, user, daemon, auth, security...).
	Facility string `yaml:"facility"`
	// Framing for TCP and TLS: octet-counting (RFC 6587, default) or lf.
	Framing string `yaml:"framing"`
	// Hostname in the syslog header; empty means the machine's hostname.
	Hostname string `yaml:"hostname"`
	// CAFile, CertFile, KeyFile, ServerName configure TLS (RFC 5425).
	CAFile     string `yaml:"ca_file"`
	CertFile   string `yaml:"cert_file"`
	KeyFile    string `yaml:"key_file"`
	ServerName string `yaml:"server_name"`
	// Buffer (TCP and TLS) is how many messages already sent are kept to be
	// sent again after the connection fails, because the receiver may not
	// have read them: it bounds both loss and duplicates (formats/sink/README.md).
	Buffer int `yaml:"buffer"`
	// MaxMessage (UDP) is the largest datagram sent; longer messages are
	// truncated to it. 0 means 8192, rsyslog's default maxMessageSize.
	MaxMessage int `yaml:"max_message"`
	// Timeout bounds a connect or a write.
	Timeout time.Duration `yaml:"timeout"`
}

// DefaultOutput writes JSON alerts to stdout.
func DefaultOutput() Output {
	return Output{Sink: "stdout", Format: "json", Syslog: DefaultSyslog(), HTTP: DefaultHTTP()}
}

// DefaultHTTP returns the http(s) sink defaults.
func DefaultHTTP() HTTPOptions {
	return HTTPOptions{Timeout: 10 * time.Second}
}

// DefaultSyslog returns the syslog defaults.
func DefaultSyslog() SyslogOptions {
	return SyslogOptions{Protocol: "rfc5424", Facility: "local4", Framing: "octet-counting", Buffer: 10000, MaxMessage: 8192, Timeout: 5 * time.Second}
}

// UnmarshalYAML fills unset output keys with defaults.
func (o *Output) UnmarshalYAML(unmarshal func(any) error) error {
	type plain Output
	p := plain(DefaultOutput())
	if err := unmarshal(&p); err != nil {
		return err
	}
	*o = Output(p)
	return nil
}

// Validate checks one output.
func (o Output) Validate() error {
	if o.Format != "json" && o.Format != "cef" {
		return &scoring.ConfigError{Key: "format", Msg: fmt.Sprintf("%q is not json or cef", o.Format)}
	}
	if _, err := ParseSink(o.Sink); err != nil {
		return &scoring.ConfigError{Key: "sink", Msg: err.Error()}
	}
	if o.HTTP.Timeout <= 0 {
		return &scoring.ConfigError{Key: "http.timeout", Msg: "must be positive"}
	}
	s := o.Syslog
	if s.Protocol != "rfc5424" && s.Protocol != "rfc3164" {
		return &scoring.ConfigError{Key: "syslog.protocol", Msg: fmt.Sprintf("%q is not rfc5424 or rfc3164", s.Protocol)}
	}
	if s.Framing != "octet-counting" && s.Framing != "lf" {
		return &scoring.ConfigError{Key: "syslog.framing", Msg: fmt.Sprintf("%q is not octet-counting or lf", s.Framing)}
	}
	if _, ok := Facilities[s.Facility]; !ok {
		return &scoring.ConfigError{Key: "syslog.facility", Msg: fmt.Sprintf("%q is not a syslog facility (kern, user, daemon, auth, local0..local7, ...)", s.Facility)}
	}
	if s.MaxMessage < 0 || s.MaxMessage > 65507 {
		return &scoring.ConfigError{Key: "syslog.max_message", Msg: "must be 0 (default 8192) to 65507 (the largest UDP payload)"}
	}
	if (s.CertFile == "") != (s.KeyFile == "") {
		return &scoring.ConfigError{Key: "syslog.cert_file", Msg: "cert_file and key_file go together"}
	}
	if s.Timeout <= 0 {
		return &scoring.ConfigError{Key: "syslog.timeout", Msg: "must be positive"}
	}
	if s.Buffer < 1 {
		return &scoring.ConfigError{Key: "syslog.buffer", Msg: "must be at least 1"}
	}
	return nil
}

// Facilities maps syslog facility names to their codes (RFC 5424 table 1;
// "security" is syslog.conf's old name for auth).
var Facilities = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "security": 4, "syslog": 5, "lpr": 6,
	"news": 7, "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12, "audit": 13, "alert": 14,
	"clock": 15, "local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21,
	"local6": 22, "local7": 23,
}
