package sink

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/netflightrecorder/nfr/formats/alert"
)

// schemes is the registry of sink kinds: a new sink is its file (or
// package) defining a Scheme, plus one line here. Parse (config
// validation, the plugin's Output key) and Open read this list only; the
// order is the order the grammar is listed in errors.
var schemes = []Scheme{
	stdoutScheme,
	fileScheme,
	syslogScheme,
	httpScheme,
}

// Scheme is one kind of sink: the forms of outputs[].sink it accepts and
// how it opens them.
type Scheme struct {
	// Name is what Target.Scheme says for this kind ("file").
	Name string
	// Grammar shows the accepted forms in errors and docs ("file:PATH").
	Grammar string
	// Match reports whether s is written in this scheme (its prefix); a
	// matching s that Parse refuses is an error, not another scheme's.
	Match func(s string) bool
	// Parse checks s and says where it points.
	Parse func(s string) (Target, error)
	// Open opens a sink for output o at t (Parse's result), encoding with
	// enc. opts.Logf is never nil.
	Open func(o Output, t Target, enc alert.Encoder, opts Options) (Sink, error)
}

// Target is a parsed outputs[].sink.
type Target struct {
	// Scheme is the Name of the scheme that parsed it.
	Scheme string
	// Path is the file of file:PATH.
	Path string
	// Network is udp, tcp or tls for syslog; Addr its host:port and Host
	// the host alone (TLS checks the server's name against it).
	Network, Addr, Host string
	// URL is the http(s) URL alerts are posted to.
	URL string
}

// Parse parses a sink URL. It is the one parser of the grammar: config
// validation, the plugin's Output key and Open all use it.
func Parse(s string) (Target, error) {
	_, t, err := parse(s)
	return t, err
}

// parse is Parse that also returns the scheme that matched.
func parse(s string) (*Scheme, Target, error) {
	for i := range schemes {
		if sc := &schemes[i]; sc.Match(s) {
			t, err := sc.Parse(s)
			t.Scheme = sc.Name
			return sc, t, err
		}
	}
	return nil, Target{}, fmt.Errorf("%q is not %s", s, grammar())
}

// grammar lists what a sink may be, for errors.
func grammar() string {
	forms := make([]string, len(schemes))
	for i, sc := range schemes {
		forms[i] = sc.Grammar
	}
	return strings.Join(forms[:len(forms)-1], ", ") + " or " + forms[len(forms)-1]
}

var stdoutScheme = Scheme{
	Name:    "stdout",
	Grammar: "stdout",
	Match:   func(s string) bool { return s == "stdout" },
	Parse:   func(string) (Target, error) { return Target{}, nil },
	Open: func(_ Output, _ Target, enc alert.Encoder, opts Options) (Sink, error) {
		w := opts.Stdout
		if w == nil {
			w = os.Stdout
		}
		return newWriterSink(w, enc), nil
	},
}

var fileScheme = Scheme{
	Name:    "file",
	Grammar: "file:PATH",
	Match:   func(s string) bool { return strings.HasPrefix(s, "file:") },
	Parse: func(s string) (Target, error) {
		if strings.TrimPrefix(s, "file:") == "" {
			return Target{}, fmt.Errorf("%q: file: needs a path", s)
		}
		return Target{Path: strings.TrimPrefix(s, "file:")}, nil
	},
	Open: func(_ Output, t Target, enc alert.Encoder, opts Options) (Sink, error) {
		f, err := OpenFile(t.Path, enc)
		if err != nil {
			return nil, err
		}
		f.logf = opts.Logf
		return f, nil
	},
}

var syslogScheme = Scheme{
	Name:    "syslog",
	Grammar: "syslog+udp|tcp|tls://host:port",
	Match:   func(s string) bool { return strings.HasPrefix(s, "syslog+") },
	Parse: func(s string) (Target, error) {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "syslog+udp" && u.Scheme != "syslog+tcp" && u.Scheme != "syslog+tls") {
			return Target{}, fmt.Errorf("%q is not syslog+udp://, syslog+tcp:// or syslog+tls://host:port", s)
		}
		if _, _, err := net.SplitHostPort(u.Host); err != nil || u.Hostname() == "" {
			return Target{}, fmt.Errorf("%q needs host:port", s)
		}
		return Target{Network: strings.TrimPrefix(u.Scheme, "syslog+"), Addr: u.Host, Host: u.Hostname()}, nil
	},
	Open: func(o Output, t Target, enc alert.Encoder, opts Options) (Sink, error) {
		return openSyslog(o, t, enc, opts)
	},
}

var httpScheme = Scheme{
	Name:    "http",
	Grammar: "http(s)://host[:port]/path",
	Match: func(s string) bool {
		return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
	},
	Parse: func(s string) (Target, error) {
		u, err := url.Parse(s)
		if err != nil {
			return Target{}, fmt.Errorf("%q is not a URL: %v", s, err)
		}
		if u.Hostname() == "" {
			return Target{}, fmt.Errorf("%q has no host", u.Redacted())
		}
		return Target{URL: s}, nil
	},
	Open: func(o Output, t Target, enc alert.Encoder, _ Options) (Sink, error) {
		return openHTTP(o, t, enc), nil
	},
}
