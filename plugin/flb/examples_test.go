package flb

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// pluginKeys are the keys the plugin reads; fluentBitKeys are the ones
// Fluent Bit keeps for itself that the examples use.
var (
	pluginKeys    = []string{KeyConfig, KeyFormat, KeyOutput, KeyInput, KeyScope, KeyFeeds, KeyLogLevel, KeyNFRLogLevel, KeyOnPanic}
	fluentBitKeys = []string{"name", "match", "retry_limit", "workers"}
)

func checkExampleOutput(t *testing.T, where string, props MapGetter) {
	t.Helper()
	for k := range props {
		known := false
		for _, key := range append(append([]string{}, pluginKeys...), fluentBitKeys...) {
			known = known || strings.EqualFold(k, key)
		}
		if !known {
			t.Errorf("%s: key %q is neither the plugin's nor Fluent Bit's", where, k)
		}
	}
	if _, err := ReadSettings(props); err != nil {
		t.Errorf("%s: %v", where, err)
	}
	if !strings.EqualFold(props.Get("retry_limit"), "false") || props.Get("workers") != "1" {
		t.Errorf("%s: want Retry_Limit False and workers 1", where)
	}
}

func TestExampleClassicConfig(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "examples", "fluent-bit", "fluent-bit.conf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var section string
	var props MapGetter
	outputs := 0
	sc := bufio.NewScanner(f)
	flush := func() {
		if section == "[OUTPUT]" && strings.EqualFold(props.Get("name"), "nfr") {
			outputs++
			checkExampleOutput(t, "fluent-bit.conf", props)
		}
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			flush()
			section, props = line, MapGetter{}
			if section == "[PLUGINS]" {
				t.Error("fluent-bit.conf: [PLUGINS] in the main classic config crashes Fluent Bit v5.1.1")
			}
		default:
			k, v, _ := strings.Cut(line, " ")
			props[k] = strings.TrimSpace(v)
		}
	}
	flush()
	if outputs != 1 {
		t.Fatalf("%d nfr outputs, want 1", outputs)
	}
}

func TestExampleYAMLConfig(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "fluent-bit", "fluent-bit.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Plugins  []string `yaml:"plugins"`
		Pipeline struct {
			Outputs []map[string]any `yaml:"outputs"`
		} `yaml:"pipeline"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Plugins) != 1 || !strings.HasSuffix(doc.Plugins[0], "out_nfr.so") {
		t.Errorf("plugins: %v", doc.Plugins)
	}
	for _, o := range doc.Pipeline.Outputs {
		props := MapGetter{}
		for k, v := range o {
			props[k] = yamlScalar(v)
		}
		if props.Get("name") == "nfr" {
			checkExampleOutput(t, "fluent-bit.yaml", props)
		}
	}
}

func yamlScalar(v any) string {
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}
