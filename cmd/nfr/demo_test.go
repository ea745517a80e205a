package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestDemoStory scores the bundled demo data as `make demo` does and checks
// that each planted misbehaviour is found on its host and that the benign
// hosts stay quiet.
func TestDemoStory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "alerts.json")
	code := dispatch([]string{"score", "--config", "../../examples/demo/config.yml", "--output", "file:" + out,
		"../../examples/demo/dns.log", "../../examples/demo/conn.log", "../../examples/demo/icmp.pcap"})
	if code != 0 {
		t.Fatalf("nfr score exited %d", code)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := map[string]map[string]bool{} // host → threats
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var a struct {
			SrcIP   string                     `json:"srcIP"`
			Threats map[string]json.RawMessage `json:"threats"`
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if found[a.SrcIP] == nil {
			found[a.SrcIP] = map[string]bool{}
		}
		for id := range a.Threats {
			found[a.SrcIP][id] = true
		}
	}
	planted := map[string]string{
		"10.20.0.66": "dga_volume", "10.20.0.77": "dns_tunneling", "10.20.0.99": "port_scan",
		"10.20.0.42": "tor_usage", "10.20.0.51": "cryptomining", "10.20.0.23": "brand_impersonation",
		"10.20.0.88": "c2_beaconing", "10.20.0.31": "icmp_tunneling",
	}
	for host, threat := range planted {
		if !found[host][threat] {
			t.Errorf("%s: %s not raised (got %v)", host, threat, found[host])
		}
	}
	for host, threats := range found {
		if _, ok := planted[host]; !ok {
			t.Errorf("benign host %s raised %v", host, threats)
		}
	}
}
