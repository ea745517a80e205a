package dialects

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats/record"
)

// Every package under formats/ that registers a dialect is listed in All
// (the one registration line a new dialect needs), and every registered
// dialect is complete.
func TestEveryDialectIsListed(t *testing.T) {
	listed := map[string]bool{}
	for _, d := range All {
		listed[d.Name] = true
		if len(d.Formats) == 0 || d.Open == nil || d.Detect == nil || d.Origins[1] == "" {
			t.Errorf("dialect %s: Formats, Open, Detect and Origins are required", d.Name)
		}
	}
	for _, d := range record.Dialects() {
		if !listed[d.Name] && d.Input() != record.InputSniffer {
			t.Errorf("dialect %s is registered but not in dialects.All", d.Name)
		}
	}
	files, _ := filepath.Glob("../*/*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "../record/") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "record.Register(") {
			pkg := filepath.Base(filepath.Dir(f))
			if !listed[pkg] {
				t.Errorf("%s registers a dialect; add &%s.Dialect to dialects.All (and name the dialect %q)", f, pkg, pkg)
			}
		}
	}
}

// The programs that map records of any dialect link them all: they import
// this package (directly or not), or their Mappers would ignore the keys
// of the dialects they do not import.
func TestMapperBuildersLinkEveryDialect(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const self = "github.com/netflightrecorder/nfr/formats/dialects"
	for _, pkg := range []string{"plugin/flb", "plugin/serve", "plugin/fluentbit", "cmd/nfr", "formats/input"} {
		out, err := exec.Command("go", "list", "-deps", "github.com/netflightrecorder/nfr/"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		if !strings.Contains(string(out), self+"\n") {
			t.Errorf("%s builds a record.Mapper but does not import formats/dialects", pkg)
		}
	}
}
