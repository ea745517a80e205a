package config

import "github.com/netflightrecorder/nfr/formats/sink"

// Output is one alert destination with its own format. The outputs section
// belongs to formats/sink, which owns the sink grammar and each sink's
// settings; these names keep config's callers reading config.Output.
type Output = sink.Output

// DefaultOutput writes JSON alerts to stdout.
func DefaultOutput() Output { return sink.DefaultOutput() }

// DefaultSyslog returns the syslog defaults.
func DefaultSyslog() sink.SyslogOptions { return sink.DefaultSyslog() }

// DefaultHTTP returns the http(s) sink defaults.
func DefaultHTTP() sink.HTTPOptions { return sink.DefaultHTTP() }

// ParseSink parses a sink URL with formats/sink's scheme registry.
func ParseSink(s string) (sink.Target, error) { return sink.Parse(s) }
