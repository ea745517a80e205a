package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/netflightrecorder/nfr/formats/chunk/chunktest"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/plugin/flb"
	"github.com/netflightrecorder/nfr/plugin/serve"
	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

// entry says how one log format reaches each entry point: nfr score's
// --format, the examples/fluent-bit parser Fluent Bit's tail applies, and
// whether the sidecar gets the log's own JSON lines or raw lines wrapped
// as {"message": line} (Vector's shape).
type entry struct {
	scoreFormat, parser string
	rawLines            bool
}

var entries = map[string]entry{
	"zeek-tsv":       {"zeek", "zeek_tsv_dns", true},
	"zeek-json":      {"zeek", "zeek_json", false},
	"suricata":       {"suricata", "zeek_json", false},
	"msdns-us":       {"msdns", "msdns", true},
	"msdns-iso":      {"msdns", "msdns", true},
	"msdns-dayfirst": {"msdns", "msdns", true},
}

// TestEntryPointsGiveTheSameAlerts: the same generated DNS traffic, written
// as Zeek TSV and JSON, Suricata eve and MS DNS debug logs in three date
// dialects, gives the same (host, threat, indicator) alerts through nfr
// score, through the plugin (records as Fluent Bit's parsers from
// examples/fluent-bit make them, flushed by the loader into the .so) and
// through the sidecar.
func TestEntryPointsGiveTheSameAlerts(t *testing.T) {
	p, dir := setup(t)
	cfgPath := write(t, filepath.Join(dir, "config.yml"), []byte("scope:\n  path: \"\"\n"))
	parsers, err := LoadParsers(filepath.Join(ModuleRoot(), "examples", "fluent-bit", "parsers.conf"))
	if err != nil {
		t.Fatal(err)
	}
	lookups := Lookups(11, 1200)
	for i, format := range LogFormats {
		e := entries[format]
		text := WriteLog(format, lookups)
		file := write(t, filepath.Join(dir, format+".log"), []byte(text))
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")

		score := alertTriples(t, scoreFile(t, dir, cfgPath, e.scoreFormat, file))
		if len(score) < 3 {
			t.Fatalf("%s: nfr score raised %d distinct alerts: the test proves nothing", format, len(score))
		}
		plugin := alertTriples(t, flushThroughPlugin(t, p, i, dir, cfgPath, parsers[e.parser], lines))
		sidecar := alertTriples(t, postToSidecar(t, dir, cfgPath, format, lines, e.rawLines))
		if !slices.Equal(plugin, score) {
			t.Errorf("%s: plugin alerts differ from nfr score:\n plugin %q\n  score %q", format, plugin, score)
		}
		if !slices.Equal(sidecar, score) {
			t.Errorf("%s: sidecar alerts differ from nfr score:\nsidecar %q\n  score %q", format, sidecar, score)
		}
		t.Logf("%s: %d distinct (host, threat, indicator) alerts on every path: %q", format, len(score), score)
	}
}

func scoreFile(t *testing.T, dir, cfgPath, format, file string) []byte {
	out := filepath.Join(dir, "score-"+filepath.Base(file)+".json")
	cmd := exec.Command(buildCLI(t), "score", "--config", cfgPath, "--format", format, "--output", "file:"+out, "--alert-format", "json", file)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nfr score: %v\n%s", err, b)
	}
	return readFile(t, out)
}

// flushThroughPlugin hands the lines, parsed as Fluent Bit's tail would
// parse them, to plugin instance inst in chunks of 64 records.
func flushThroughPlugin(t *testing.T, p *Process, inst int, dir, cfgPath string, parser Parser, lines []string) []byte {
	out := filepath.Join(dir, fmt.Sprintf("plugin%d.json", inst))
	do(t, p, fmt.Sprintf("init Config=%s Output=file:%s Format=json", cfgPath, out), fmt.Sprintf("init %d rc=1", inst))
	var files []string
	for start := 0; start < len(lines); start += 64 {
		var data []byte
		for j, l := range lines[start:min(start+64, len(lines))] {
			data = chunktest.Append(data, chunktest.Event{Time: time.Unix(1795000000, 0), Record: parser.Record(l),
				Layout: chunktest.Layouts[j%len(chunktest.Layouts)]})
		}
		files = append(files, write(t, filepath.Join(dir, fmt.Sprintf("chunk%d-%d", inst, start)), data))
	}
	do(t, p, fmt.Sprintf("flushall %d 1 %s", inst, strings.Join(files, " ")), fmt.Sprintf("flushall ok=%d retry=0 error=0", len(files)))
	do(t, p, fmt.Sprintf("exit %d", inst), "exit rc=1")
	return readFile(t, out)
}

// postToSidecar posts the lines as one NDJSON body to a sidecar started
// with the config.
func postToSidecar(t *testing.T, dir, cfgPath, name string, lines []string, raw bool) []byte {
	out := filepath.Join(dir, "sidecar-"+name+".json")
	cfg, scope, err := flb.LoadConfig(flb.Settings{Config: cfgPath})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Outputs = []config.Output{{Sink: "file:" + out, Format: "json", Syslog: config.DefaultSyslog()}}
	cfg.Serve.Listen = "127.0.0.1:0"
	pl, err := pipeline.New(cfg, scope, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := serve.New(cfg.Serve, pl, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	for _, l := range lines {
		if raw {
			b, _ := json.Marshal(map[string]string{"message": l})
			l = string(b)
		}
		body.WriteString(l + "\n")
	}
	resp, err := http.Post("http://"+s.Addr()+"/v1/events", "application/x-ndjson", &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("sidecar: status %d", resp.StatusCode)
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	return readFile(t, out)
}

// alertTriples lists the distinct (host, threat, indicator) of JSON alerts.
func alertTriples(t *testing.T, alerts []byte) []string {
	var out []string
	for _, line := range bytes.Split(bytes.TrimSpace(alerts), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var a struct {
			SrcIP    string `json:"srcIP"`
			Evidence []struct {
				Threat, Indicator string
			} `json:"evidence"`
		}
		if err := json.Unmarshal(line, &a); err != nil {
			t.Fatalf("alert %.200s: %v", line, err)
		}
		for _, e := range a.Evidence {
			if e.Threat == "" {
				continue
			}
			out = append(out, a.SrcIP+" "+e.Threat+" "+e.Indicator)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestPcapEntryPointsGiveTheSameAlerts: the same traffic as a capture
// gives the same alerts through nfr score, nfr-sniffer scoring it, and the
// sniffer's records (its NDJSON output) through the plugin (Fluent Bit's
// json parser) and the sidecar.
func TestPcapEntryPointsGiveTheSameAlerts(t *testing.T) {
	p, dir := setup(t)
	cfgPath := write(t, filepath.Join(dir, "config.yml"), []byte("scope:\n  path: \"\"\n"))
	pcap := writePcap(t, filepath.Join(dir, "dns.pcap"), Lookups(11, 1200))

	score := alertTriples(t, scoreFile(t, dir, cfgPath, "pcap", pcap))
	if len(score) < 3 {
		t.Fatalf("nfr score raised %d distinct alerts: the test proves nothing", len(score))
	}
	snifferAlerts := filepath.Join(dir, "sniffer-alerts.json")
	snifferCfg := write(t, filepath.Join(dir, "sniffer.yml"), []byte(fmt.Sprintf(
		"scope:\n  path: \"\"\noutputs:\n  - sink: file:%s\n    format: json\n", snifferAlerts)))
	if b, err := exec.Command(buildTool(t, "nfr-sniffer"), "-q", "--config", snifferCfg, "-r", pcap, "--output", "score").CombinedOutput(); err != nil {
		t.Fatalf("nfr-sniffer --output score: %v\n%s", err, b)
	}
	out, err := exec.Command(buildTool(t, "nfr-sniffer"), "-q", "--config", cfgPath, "-r", pcap, "--output", "stdout").Output()
	if err != nil {
		t.Fatalf("nfr-sniffer --output stdout: %v", err)
	}
	records := strings.Split(strings.TrimSpace(string(out)), "\n")
	parsers, err := LoadParsers(filepath.Join(ModuleRoot(), "examples", "fluent-bit", "parsers.conf"))
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string][]string{
		"nfr-sniffer":               alertTriples(t, readFile(t, snifferAlerts)),
		"plugin (sniffer records)":  alertTriples(t, flushThroughPlugin(t, p, 0, dir, cfgPath, parsers["zeek_json"], records)),
		"sidecar (sniffer records)": alertTriples(t, postToSidecar(t, dir, cfgPath, "pcap", records, false)),
	}
	for name, got := range paths {
		if !slices.Equal(got, score) {
			t.Errorf("%s alerts differ from nfr score:\n   got %q\n score %q", name, got, score)
		}
	}
	t.Logf("pcap: %d distinct (host, threat, indicator) alerts on every path: %q", len(score), score)
}

// writePcap writes each lookup as a UDP query and its response.
func writePcap(t *testing.T, path string, lookups []Lookup) string {
	var buf bytes.Buffer
	w, err := pcapgen.NewWriter(&buf, pcapgen.Ethernet, false)
	if err != nil {
		t.Fatal(err)
	}
	server := netip.MustParseAddr("10.1.0.2")
	for _, l := range lookups {
		e := pcapgen.Endpoints{Src: netip.MustParseAddr(l.Client), Dst: server, SrcPort: uint16(l.Port), DstPort: 53}
		if err := w.UDP(l.Time, e, pcapgen.DNSQuery(uint16(l.XID), l.Query, layers.DNSTypeA)); err != nil {
			t.Fatal(err)
		}
		var resp []byte
		if l.NX {
			resp = pcapgen.DNSResponse(uint16(l.XID), l.Query, layers.DNSTypeA, layers.DNSResponseCodeNXDomain, 0)
		} else {
			resp = pcapgen.DNSResponse(uint16(l.XID), l.Query, layers.DNSTypeA, layers.DNSResponseCodeNoErr, 300, netip.MustParseAddr(l.Answer))
		}
		if err := w.UDP(l.Time.Add(12*time.Millisecond), e.Reverse(), resp); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return write(t, path, buf.Bytes())
}

var (
	toolsMu sync.Mutex
	tools   = map[string]string{}
)

// buildTool builds ./cmd/NAME once for the test binary's run.
func buildTool(t *testing.T, name string) string {
	toolsMu.Lock()
	defer toolsMu.Unlock()
	if path, ok := tools[name]; ok {
		return path
	}
	path := filepath.Join(filepath.Dir(buildCLI(t)), name)
	cmd := exec.Command("go", "build", "-o", path, "./cmd/"+name)
	cmd.Dir = ModuleRoot()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", name, err, b)
	}
	tools[name] = path
	return path
}
