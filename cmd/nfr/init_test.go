package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/scoring/engine"
)

// TestInitWritesEveryEngineDefault: nfr init writes a config.yml whose
// engine section names every detector and loads back to the engine's
// defaults; a second init without --force keeps the file.
func TestInitWritesEveryEngineDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yml")
	if code := runInit([]string{"--config", path}); code != 0 {
		t.Fatalf("nfr init exited %d", code)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range engine.DefaultConfig().Sections() {
		if !strings.Contains(string(data), "\n  "+s.Name+":\n") {
			t.Errorf("config.yml has no engine.%s section", s.Name)
		}
	}
	cfg, _, code := loadConfig(path)
	if code != 0 {
		t.Fatalf("nfr check of the written files exited %d", code)
	}
	got, _ := yaml.Marshal(cfg.Engine)
	want, _ := yaml.Marshal(engine.DefaultConfig())
	if string(got) != string(want) {
		t.Errorf("the written engine section loads to\n%s\nnot the defaults\n%s", got, want)
	}
	if code := runInit([]string{"--config", path}); code == 0 {
		t.Error("a second nfr init without --force overwrote the files")
	}
	if _, err := config.Load(path); err != nil {
		t.Errorf("the kept file no longer loads: %v", err)
	}
}
