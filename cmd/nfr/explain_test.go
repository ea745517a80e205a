package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/build/benchcpu"
	"github.com/netflightrecorder/nfr/scoring/brand"
	"github.com/netflightrecorder/nfr/scoring/dga"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

func testAnalyser() *analyser {
	return newAnalyser(brand.DefaultConfig(), dga.DefaultConfig(), intel.Builtin())
}

func TestExplainJSONKeys(t *testing.T) {
	a := testAnalyser()
	cases := []struct {
		name, domain, registered, brand, technique string
	}{
		{"WWW.Example.COM.", "www.example.com", "example.com", "", ""},
		{"paypa1.com", "paypa1.com", "paypa1.com", "PayPal", "ascii-lookalike"},
		{"pаypal.com", "xn--pypal-4ve.com", "xn--pypal-4ve.com", "PayPal", "homoglyph"},
		{"login.paypal.com.account-verify.tk", "login.paypal.com.account-verify.tk", "account-verify.tk", "PayPal", "subdomain"},
	}
	for _, c := range cases {
		e, ok := a.analyse(c.name)
		if !ok {
			t.Fatalf("%s: not valid", c.name)
		}
		line := e.appendJSON(nil)
		if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
			t.Fatalf("%s: not one line: %q", c.name, line)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			t.Fatalf("%s: %v in %s", c.name, err, line)
		}
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != "categories,dga,domain,impersonation,rank,registered" {
			t.Fatalf("%s: keys %v", c.name, keys)
		}
		var v struct {
			Domain, Registered string
			DGA                *struct {
				Score *float64
				Flag  *bool
			}
			Impersonation *struct{ Brand, Technique string }
			Categories    []string
		}
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatal(err)
		}
		if v.Domain != c.domain || v.Registered != c.registered || v.DGA == nil || v.DGA.Score == nil || v.DGA.Flag == nil {
			t.Errorf("%s: %s", c.name, line)
		}
		if string(obj["categories"]) == "null" || v.Categories == nil {
			t.Errorf("%s: categories must be a list: %s", c.name, line)
		}
		switch {
		case c.brand == "" && string(obj["impersonation"]) != "null":
			t.Errorf("%s: impersonation should be null: %s", c.name, line)
		case c.brand != "" && (v.Impersonation == nil || v.Impersonation.Brand != c.brand || v.Impersonation.Technique != c.technique):
			t.Errorf("%s: impersonation %s, want %s by %s", c.name, obj["impersonation"], c.brand, c.technique)
		}
	}
}

func TestExplainJSONEscapes(t *testing.T) {
	e := explanation{Domain: "a\"b\\c\x01\xff", Categories: []string{"tor", "c2"}}
	var v map[string]any
	if err := json.Unmarshal(e.appendJSON(nil), &v); err != nil {
		t.Fatal(err)
	}
	if v["domain"] != "a\"b\\c\x01\uFFFD" || len(v["categories"].([]any)) != 2 {
		t.Fatalf("decoded %v", v)
	}
}

func TestExplainTextAligned(t *testing.T) {
	a := testAnalyser()
	e, _ := a.analyse("pаypal.com")
	var b bytes.Buffer
	e.writeText(&b, a.threshold)
	out := b.String()
	for _, want := range []string{"xn--pypal-4ve.com\n", "  unicode        pаypal.com\n", "  registered     xn--pypal-4ve.com\n",
		"  labels         xn--pypal-4ve · com\n", "  impersonation  PayPal: homoglyph of paypal.com\n", "  categories     none\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if !strings.Contains(out, "  dga            ") {
		t.Errorf("no dga row in\n%s", out)
	}
}

func TestExplainReadNames(t *testing.T) {
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	x := explainer{a: testAnalyser(), out: w, json: true}
	x.readNames(strings.NewReader("# names\npaypal-login.com\n\n  google.com  extra\na..b\n"), "test")
	w.Flush()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if x.n != 2 || x.bad != 1 || len(lines) != 2 || !strings.Contains(lines[0], `"brand":"PayPal"`) ||
		!strings.Contains(lines[1], `"domain":"google.com"`) {
		t.Fatalf("n=%d bad=%d output:\n%s", x.n, x.bad, out.String())
	}
}

// benchExplainNames mixes ordinary names, impersonations and random labels.
var benchExplainNames = []string{
	"www.google.com", "cdn.jsdelivr.net", "paypal-login.com", "xkqjzvbwptr.biz", "news.bbc.co.uk",
	"paypa1.com", "s3.eu-west-1.amazonaws.com", "mail.yahoo.co.jp", "amazn.com", "my-small-business-site.org",
}

// BenchmarkExplainAnalyse is explain's full analysis of one name: FQDN
// parse, DGA score, brand check and intel categories.
func BenchmarkExplainAnalyse(b *testing.B) {
	a := testAnalyser()
	b.ReportAllocs()
	start := benchcpu.Now()
	for i := 0; b.Loop(); i++ {
		a.analyse(benchExplainNames[i%len(benchExplainNames)])
	}
	benchcpu.ReportPerOp(b, start)
}

// BenchmarkExplainJSON adds rendering the JSON line.
func BenchmarkExplainJSON(b *testing.B) {
	a := testAnalyser()
	var buf []byte
	b.ReportAllocs()
	start := benchcpu.Now()
	for i := 0; b.Loop(); i++ {
		e, _ := a.analyse(benchExplainNames[i%len(benchExplainNames)])
		buf = e.appendJSON(buf[:0])
	}
	benchcpu.ReportPerOp(b, start)
}

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"paypa1.com": "paypa1.com", "https://paypa1.com/login?x=1": "paypa1.com",
		"http://user:pw@Login.PayPa1.com:8443#f": "Login.PayPa1.com", "hxxp://evil.tk": "evil.tk",
	} {
		if got := hostOf(in); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
	if e, ok := testAnalyser().analyse("https://www.paypa1.com/signin"); !ok || e.Domain != "www.paypa1.com" || e.Impersonation == nil {
		t.Errorf("URL not explained: %+v %v", e, ok)
	}
}

func TestExplainUsageErrors(t *testing.T) {
	if code := runExplain(nil); code != 2 {
		t.Errorf("no names: exit %d, want 2", code)
	}
	if code := runExplain([]string{"--config", "/nonexistent/nfr.yml", "example.com"}); code != 2 {
		t.Errorf("missing config: exit %d, want 2", code)
	}
}

// TestExplainAnalyseDoesNotAllocate: ASCII names that match nothing cost
// no allocation (FQDN parse, DGA score, brand check and intel lookup).
func TestExplainAnalyseDoesNotAllocate(t *testing.T) {
	a := testAnalyser()
	names := []string{"www.example.com", "cdn.jsdelivr.net", "xkqjzvbwptr.biz", "news.bbc.co.uk"}
	var buf []byte
	allocs := testing.AllocsPerRun(100, func() {
		for _, n := range names {
			e, _ := a.analyse(n)
			buf = e.appendJSON(buf[:0])
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per run", allocs)
	}
}

// TestExplainUsesConfiguredPrior: explain ranks names by the configured
// popularity feeds as the engine does, so a user's own top list silences
// the impersonation explain would otherwise report.
func TestExplainUsesConfiguredPrior(t *testing.T) {
	dir := t.TempDir()
	top := filepath.Join(dir, "top.csv")
	if err := os.WriteFile(top, []byte("rank,domain\n1,paypak.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "config.yml")
	yml := "intel:\n  feeds:\n    - {path: top.csv, category: popular, format: tranco}\nscope: {path: \"\"}\n"
	if err := os.WriteFile(conf, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadExplainConfig(conf)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := newAnalyser(cfg.brand, cfg.dga, cfg.intel).analyse("www.paypak.com")
	if e.Rank != 1 || e.Impersonation != nil {
		t.Errorf("with the user's top list: rank %d, impersonation %+v; want rank 1, none", e.Rank, e.Impersonation)
	}
	e, _ = testAnalyser().analyse("www.paypak.com")
	if e.Rank != 0 || e.Impersonation == nil {
		t.Errorf("built-in prior only: rank %d, impersonation %+v; want unranked, an impersonation", e.Rank, e.Impersonation)
	}
}
