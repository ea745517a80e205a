package config

import (
	"os"
	"regexp"
	"testing"
)

// TestReferenceMatchesStructs keeps docs/configuration.md and the config
// structs equal: every key documented exists, every key is documented.
func TestReferenceMatchesStructs(t *testing.T) {
	data, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(string(data), -1) {
		documented[m[1]] = true
	}
	inCode := map[string]bool{}
	for _, k := range Keys() {
		inCode[k.Path] = true
		if !documented[k.Path] {
			t.Errorf("key %s is not in docs/configuration.md (run make docs)", k.Path)
		}
	}
	for k := range documented {
		if !inCode[k] {
			t.Errorf("docs/configuration.md documents %s, which the config structs lack", k)
		}
	}
	if len(inCode) < 20 {
		t.Fatalf("only %d keys found", len(inCode))
	}
}
