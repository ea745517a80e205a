package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeprecatedSectionName: an old section name is read as the current
// one, with a warning naming file and line; errors in it are located on
// its line; old and new name together are an error.
func TestDeprecatedSectionName(t *testing.T) {
	doc := "engine:\n  dns_tunnel:\n    min_unique: 12\n  icmp_tunnel:\n    window: 0s\n"
	_, err := Parse("c.yml", []byte(doc))
	want := `c.yml:5: invalid value for key "engine.icmptunnel.window"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q (the line of the deprecated key)", err, want)
	}
	cfg, err := Parse("c.yml", []byte("engine:\n  dns_tunnel:\n    min_unique: 12\n  encrypted_dns: {ports: [853], no_sni_ports: []}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Engine.DNSTunnel.MinUnique != 12 || len(cfg.Engine.EncDNS.DstPorts) != 1 {
		t.Errorf("deprecated sections not read: %+v %+v", cfg.Engine.DNSTunnel, cfg.Engine.EncDNS)
	}
	wantWarnings := []string{
		`c.yml:2: key "engine.dns_tunnel" is deprecated: rename it "engine.dnstunnel"`,
		`c.yml:4: key "engine.encrypted_dns" is deprecated: rename it "engine.encdns"`,
	}
	if strings.Join(cfg.Warnings, "\n") != strings.Join(wantWarnings, "\n") {
		t.Errorf("warnings = %q\nwant %q", cfg.Warnings, wantWarnings)
	}
	_, err = Parse("c.yml", []byte("engine:\n  dnstunnel: {}\n  dns_tunnel: {}\n"))
	if err == nil || !strings.Contains(err.Error(), `c.yml:3: key "engine.dns_tunnel" is the deprecated name of "engine.dnstunnel"`) {
		t.Errorf("both names: err = %v", err)
	}
}

// TestLoadPrintsWarnings: a deprecated key reaches the operator on stderr.
func TestLoadPrintsWarnings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(path, []byte("engine:\n  icmp_tunnel: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	_, err = Load(path)
	os.Stderr = stderr
	w.Close()
	out := make([]byte, 4096)
	n, _ := r.Read(out)
	if err != nil || !strings.Contains(string(out[:n]), `nfr: warning: `+path+`:2: key "engine.icmp_tunnel" is deprecated`) {
		t.Errorf("err = %v, stderr = %q", err, out[:n])
	}
}
