package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTemplatesLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yml")
	files, err := WriteTemplates(path, false)
	if err != nil || len(files) != 2 {
		t.Fatalf("WriteTemplates: %v %v", files, err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	sf, err := LoadScope(cfg.ScopePath(), true)
	if err != nil {
		t.Fatalf("LoadScope: %v", err)
	}
	if len(sf.Groups) != 1 || sf.Groups[0].Label != "internal" {
		t.Fatalf("scope groups = %+v", sf.Groups)
	}
	if _, err := WriteTemplates(path, false); err == nil {
		t.Fatal("second WriteTemplates without force succeeded")
	}
	if _, err := WriteTemplates(path, true); err != nil {
		t.Fatalf("WriteTemplates force: %v", err)
	}
}

func TestStrictErrors(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"unknown key", "log:\n  level: info\noutputs:\n  - sink: stdout\n    outpts: x\n",
			`c.yml:5: unknown key "outpts" in section "outputs[0]"`},
		{"unknown section", "engine: {}\noutpts: []\n", `c.yml:2: unknown key "outpts" at top level`},
		{"bad level", "log:\n  level: loud\n", `c.yml:2: invalid value for key "log.level"`},
		{"bad duration", "sniffer:\n  flow_idle: 5x\n", "c.yml:2: cannot unmarshal"},
		{"bad sink", "outputs:\n  - sink: ftp://x\n", `c.yml:2: invalid value for key "outputs[0].sink"`},
		{"bad feed", "intel:\n  feeds:\n    - path: a\n      format: nope\n      category: c2\n", `c.yml:4: invalid value for key "intel.feeds[0].format"`},
	}
	for _, c := range cases {
		_, err := Parse("c.yml", []byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

func TestScopeBadCIDR(t *testing.T) {
	doc := "groups:\n  - label: a\n    in_scope:\n      - 10.0.0.0/8\n      - 10.1.2.0/33\n"
	_, err := ParseScope("scope.yml", []byte(doc))
	want := `scope.yml:5: invalid value for key "groups[0].in_scope[1]": "10.1.2.0/33" is not a valid CIDR`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

func TestMissingDefaultMeansDefaults(t *testing.T) {
	t.Setenv(EnvVar, "")
	if _, err := os.Stat(DefaultPath); err == nil {
		t.Skip(DefaultPath + " exists on this machine")
	}
	cfg, err := Load("")
	if err != nil || len(cfg.Outputs) != 1 {
		t.Fatalf("Load default: %v %+v", err, cfg)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "nope.yml")); err == nil {
		t.Fatal("explicit missing file was not an error")
	}
}
