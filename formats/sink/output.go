package sink

import (
	"fmt"
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
	if _, err := Parse(o.Sink); err != nil {
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
