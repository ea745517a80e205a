package config

import "github.com/netflightrecorder/nfr/formats/sink"

// The outputs section belongs to formats/sink, which owns the sink grammar
// and each sink's settings; these names keep config's callers reading
// config.Output.
type (
	// Output is one alert destination with its own format (sink.Output).
	Output = sink.Output
	// SyslogOptions apply to syslog sinks (sink.SyslogOptions).
	SyslogOptions = sink.SyslogOptions
	// HTTPOptions apply to http(s) sinks (sink.HTTPOptions).
	HTTPOptions = sink.HTTPOptions
)

// DefaultOutput writes JSON alerts to stdout.
func DefaultOutput() Output { return sink.DefaultOutput() }

// DefaultSyslog returns the syslog defaults.
func DefaultSyslog() SyslogOptions { return sink.DefaultSyslog() }

// DefaultHTTP returns the http(s) sink defaults.
func DefaultHTTP() HTTPOptions { return sink.DefaultHTTP() }

// ParseSink parses a sink URL with formats/sink's scheme registry.
func ParseSink(s string) (sink.Target, error) { return sink.Parse(s) }

// Facilities maps syslog facility names to their codes.
var Facilities = sink.Facilities
