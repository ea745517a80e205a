package sink

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
)

// Parse is the one parser of the sink grammar: what it accepts and
// what it says about what it refuses.
func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Target
	}{
		{"stdout", Target{Scheme: "stdout"}},
		{"file:/var/log/nfr/alerts.json", Target{Scheme: "file", Path: "/var/log/nfr/alerts.json"}},
		{"syslog+tls://siem.example.net:6514", Target{Scheme: "syslog", Network: "tls", Addr: "siem.example.net:6514", Host: "siem.example.net"}},
		{"syslog+udp://[::1]:514", Target{Scheme: "syslog", Network: "udp", Addr: "[::1]:514", Host: "::1"}},
		{"https://127.0.0.1:8443/alerts", Target{Scheme: "http", URL: "https://127.0.0.1:8443/alerts"}},
	} {
		got, err := Parse(c.in)
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
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: got %v, want an error with %q", in, err, msg)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("%s: the error shows the password: %v", in, err)
		}
	}
}

// A Scheme declared in this package but missing from the registry would
// compile and never be reachable: every package-level Scheme value must be
// listed in schemes, under a name of its own.
func TestEverySchemeIsRegistered(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := 0
	for _, f := range pkgs["sink"].Files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				for _, v := range spec.(*ast.ValueSpec).Values {
					if lit, ok := v.(*ast.CompositeLit); ok {
						if id, ok := lit.Type.(*ast.Ident); ok && id.Name == "Scheme" {
							declared++
						}
					}
				}
			}
		}
	}
	names := map[string]bool{}
	for _, sc := range schemes {
		if names[sc.Name] || sc.Match == nil || sc.Parse == nil || sc.Open == nil || sc.Grammar == "" {
			t.Errorf("scheme %q: duplicate name or a missing part", sc.Name)
		}
		names[sc.Name] = true
	}
	if declared != len(schemes) {
		t.Errorf("%d Scheme values declared, %d registered in schemes", declared, len(schemes))
	}
}
