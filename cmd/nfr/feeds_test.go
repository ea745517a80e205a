package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFeedsCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pools.txt", "# Reference: https://example.org/pools\npool.example\n192.0.2.1:3333\nhttp://x.example/path\n\npool.example\n")
	write("exits.txt", "ExitNode ABC\nExitAddress 198.51.100.1 2024-01-01 00:00:00\n")
	write("config.yml", `intel:
  builtin: true
  feeds:
    - {name: pools, path: pools.txt, category: mining, format: maltrail}
    - {path: exits.txt, category: tor, format: tor-exit}
scope: {path: ""}
`)
	var out, errOut bytes.Buffer
	code := runFeeds([]string{"--config", filepath.Join(dir, "config.yml")}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	text := out.String()
	for _, want := range []string{
		"builtin:tor",
		"pools  mining  maltrail  6  2  1  1  1  0  1",
		"exits.txt  tor  tor-exit  2  1  0  0  0  1  0",
		"2 feeds: 3 entries loaded, 1 malformed lines",
	} {
		if !strings.Contains(squeeze(text), squeeze(want)) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}

	if !strings.Contains(text, filepath.Join(dir, "pools.txt")+":4: not an indicator") {
		t.Errorf("malformed line not reported with file:line:\n%s", text)
	}

	write("config.yml", "intel:\n  feeds:\n    - {path: missing.txt, category: c2, format: plain}\nscope: {path: \"\"}\n")
	out.Reset()
	errOut.Reset()
	if code := runFeeds([]string{"--config", filepath.Join(dir, "config.yml")}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "missing.txt") {
		t.Errorf("unreadable feed: exit %d, stderr %q", code, errOut.String())
	}
}

// squeeze collapses runs of spaces so table columns compare simply.
func squeeze(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), "  ")
}
