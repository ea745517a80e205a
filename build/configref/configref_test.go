package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/config"
)

// root is the repository root, seen from this package's directory.
const root = "../.."

// TestGeneratedFilesAreCurrent: the committed docs and config template are
// what `make docs` writes from the code.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		have, err := os.ReadFile(filepath.Join(root, f.path))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, f.data) {
			t.Errorf("%s is not what the code generates: run make docs", f.path)
		}
	}
}

// TestStatedDefaultsMatchCode: where a key's doc comment says "Default X",
// X is the default the code sets.
func TestStatedDefaultsMatchCode(t *testing.T) {
	d := readDocs(root)
	checked := 0
	for _, k := range config.Keys() {
		for _, stated := range statedDefaults(d.key(k.Owner, k.Field)) {
			checked++
			if !sameDefault(stated, k.Default) {
				t.Errorf("%s: the doc comment says Default %q, the code sets %s", k.Path, stated, k.Default)
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d stated defaults found", checked)
	}
}

func TestStatedDefaultsCatchDrift(t *testing.T) {
	cases := []struct {
		doc, code string
		same      bool
	}{
		{"BenignSuccess is theta0. Default 0.8.", "0.9", false},
		{"BenignSuccess is theta0. Default 0.9.", "0.9", true},
		{"Window is the window. Default 10m.", "10m0s", true},
		{"Window is the window. Default 5m.", "10m0s", false},
		{"Ports. Default 22 (SSH), 139 and 445 (SMB).", "[22, 139, 445]", true},
		{"Ports. Default 22 (SSH) and 139.", "[22, 139, 445]", false},
		{"Volume. Default 1 MiB.", "1048576", true},
		{"Rank: 0 ignores it. Default 4: typos of every brand.", "4", true},
		{"Nets. Default 10.0.0.0/8 and fc00::/7: private.", "[10.0.0.0/8, fc00::/7]", true},
		{"Lookups. Default false: a resolver polls.", "false", true},
	}
	for _, c := range cases {
		stated := statedDefaults(c.doc)
		if len(stated) != 1 || sameDefault(stated[0], c.code) != c.same {
			t.Errorf("%q against %s: stated %q, same = %v", c.doc, c.code, stated, !c.same)
		}
	}
}

// defaultRE finds "Default X" at the start of a doc or of a sentence; X
// ends at the end of the sentence or at ": ".
var (
	defaultRE = regexp.MustCompile(`(?:^|\. )Defaults? (.+?)(?:\.$|\. |: |$)`)
	remarkRE  = regexp.MustCompile(` ?\([^)]*\)`)
)

// statedDefaults returns the defaults a doc comment states, parenthetical
// remarks removed.
func statedDefaults(doc string) []string {
	var out []string
	for _, m := range defaultRE.FindAllStringSubmatch(doc, -1) {
		out = append(out, strings.TrimSpace(remarkRE.ReplaceAllString(m[1], "")))
	}
	return out
}

// sameDefault reports whether a stated default ("10m", "443, 853", "1 MiB")
// is the code's (config.Key.Default: "10m0s", "[443, 853]", "1048576").
func sameDefault(stated, code string) bool {
	want := strings.Split(strings.Trim(code, "[]"), ", ")
	got := strings.FieldsFunc(strings.ReplaceAll(stated, " and ", ", "), func(r rune) bool { return r == ',' })
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !sameValue(strings.TrimSpace(got[i]), want[i]) {
			return false
		}
	}
	return true
}

var units = map[string]float64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}

func sameValue(stated, code string) bool {
	if stated == code {
		return true
	}
	if a, err := time.ParseDuration(stated); err == nil {
		b, err := time.ParseDuration(code)
		return err == nil && a == b
	}
	n, unit, _ := strings.Cut(stated, " ")
	a, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return false
	}
	if unit != "" {
		a *= units[unit]
	}
	b, err := strconv.ParseFloat(code, 64)
	return err == nil && a == b
}

// TestEveryEngineKeyIsDocumented: each engine key, a registered detector's
// included, has a doc comment (its meaning in docs/configuration.md and
// its comment in what nfr init writes).
func TestEveryEngineKeyIsDocumented(t *testing.T) {
	d := readDocs(root)
	n := 0
	for _, k := range config.Keys() {
		if !strings.HasPrefix(k.Path, "engine.") {
			continue
		}
		n++
		if d.key(k.Owner, k.Field) == "" {
			t.Errorf("%s has no doc comment (on %s.%s)", k.Path, k.Owner, k.Field.Name)
		}
	}
	if n < 70 {
		t.Fatalf("only %d engine keys", n)
	}
}
