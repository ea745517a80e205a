package config

import (
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestInitTemplateIsTheDefaults: the config.yml nfr init writes loads back
// (strictly) to exactly the built-in defaults.
func TestInitTemplateIsTheDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yml")
	if _, err := WriteTemplates(path, false); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) > 0 {
		t.Errorf("the template has warnings: %v", cfg.Warnings)
	}
	got, want := strings.Split(marshal(t, cfg), "\n"), strings.Split(marshal(t, Default()), "\n")
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("the template does not load to the defaults: line %d of the loaded config is %q, of the defaults %q",
				i+1, got[i], want[i])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("the template loads to %d lines of YAML, the defaults are %d", len(got), len(want))
	}
}

func marshal(t *testing.T, c *Config) string {
	t.Helper()
	b, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInitTemplateWritesEveryKey: each key the code has (but those of
// list items) is set in the template, and each engine key under a comment
// line (nfr init writes every key; the engine section is generated).
func TestInitTemplateWritesEveryKey(t *testing.T) {
	lines := strings.Split(string(configTemplate), "\n")
	engineKeys := 0
	for _, k := range Keys() {
		if strings.Contains(k.Path, "[]") {
			continue
		}
		i := templateLine(lines, k.Path)
		if i < 0 {
			t.Errorf("the template lacks %s (engine keys: run make docs)", k.Path)
			continue
		}
		if !strings.HasPrefix(k.Path, "engine.") {
			continue
		}
		engineKeys++
		if !strings.HasPrefix(strings.TrimSpace(lines[i-1]), "# ") {
			t.Errorf("%s has no comment above it in the template", k.Path)
		}
	}
	if engineKeys < 70 {
		t.Fatalf("only %d engine keys", engineKeys)
	}
}

// templateLine finds the line that sets the dotted key path in lines (a
// block-style YAML document indented by two spaces); -1 when absent.
func templateLine(lines []string, path string) int {
	at := -1
	for depth, key := range strings.Split(path, ".") {
		if at = findKey(lines, at+1, strings.Repeat("  ", depth), key); at < 0 {
			return -1
		}
	}
	return at
}

// findKey returns the first line from index from that sets key at indent,
// before the enclosing mapping ends (a line indented less); -1 if none.
func findKey(lines []string, from int, indent, key string) int {
	for i := from; i < len(lines); i++ {
		switch l := lines[i]; {
		case strings.HasPrefix(l, indent+key+":"):
			return i
		case l != "" && !strings.HasPrefix(l, indent):
			return -1
		}
	}
	return -1
}
