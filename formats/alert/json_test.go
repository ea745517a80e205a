package alert

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/netflightrecorder/nfr/build"
	"github.com/netflightrecorder/nfr/scoring"
)

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("alert.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("alert.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("alert.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJSONValidatesAgainstSchema(t *testing.T) {
	schema := compileSchema(t)
	for i, a := range sampleAlerts() {
		line := AppendJSON(nil, a)
		if bytes.IndexByte(line, '\n') >= 0 || !utf8.Valid(line) {
			t.Fatalf("alert %d: not one valid UTF-8 line: %q", i, line)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
		if err != nil {
			t.Fatalf("alert %d: invalid JSON %v: %s", i, err, line)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("alert %d: %v\n%s", i, err, line)
		}
	}
}

func TestSchemaRejectsWrongShape(t *testing.T) {
	schema := compileSchema(t)
	line := AppendJSON(nil, sampleAlerts()[0])
	for _, mutate := range []struct{ from, to string }{
		{`"count":3`, `"count":0`},
		{`"eventType":"dns"`, `"eventType":"smtp"`},
		{`"engine":"nfr/`, `"engine":"x/`},
		{`"ts":"2026-03-01T11:30:45.123456Z"`, `"ts":"yesterday"`},
	} {
		bad := strings.Replace(string(line), mutate.from, mutate.to, 1)
		if bad == string(line) {
			t.Fatalf("mutation %q did not apply to %s", mutate.from, line)
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if schema.Validate(doc) == nil {
			t.Errorf("schema accepted %s", bad)
		}
	}
}

// jsonAlert is what a consumer reads back; it mirrors the documented fields.
type jsonAlert struct {
	TS        string
	EventType string
	UID       string
	SrcIP     string
	SrcPort   int
	DestIP    string
	DestPort  int
	Proto     string
	Query     string
	QType     string
	Rcode     string
	Answers   []string
	Severity  int
	Threats   map[string]struct {
		Severity int
		Desc     string
		Policy   bool
	}
	Flags    []string
	Groups   []struct{ Label, Desc string }
	Evidence []struct {
		Detector, Threat, Rule, Entry, Indicator string
		Window                                   float64
		Figures                                  map[string]*float64
	}
	Count  int
	Engine string
}

func TestJSONRoundTrip(t *testing.T) {
	alerts := sampleAlerts()
	var got jsonAlert
	if err := json.Unmarshal(AppendJSON(nil, alerts[0]), &got); err != nil {
		t.Fatal(err)
	}
	if got.TS != "2026-03-01T11:30:45.123456Z" || got.EventType != "dns" || got.SrcIP != "10.1.2.3" ||
		got.SrcPort != 53211 || got.DestIP != "2001:db8::53" || got.DestPort != 53 || got.Proto != "udp" ||
		got.Query != "evil.example" || got.QType != "TXT" || got.Rcode != "NXDOMAIN" ||
		strings.Join(got.Answers, ",") != `1.2.3.4,txt "quoted"` || got.Severity != 5 || got.Count != 3 ||
		got.Engine != build.Engine() {
		t.Errorf("decoded %+v", got)
	}
	c2 := got.Threats["c2_communication"]
	if c2.Severity != 5 || c2.Policy || !strings.HasPrefix(c2.Desc, "Communication") || !got.Threats["tor_usage"].Policy {
		t.Errorf("threats %+v", got.Threats)
	}
	if len(got.Evidence) != 3 || got.Evidence[2].Window != 90 || *got.Evidence[2].Figures["score"] != 0.97 ||
		got.Evidence[2].Threat != "" || got.Evidence[0].Entry != "evil.example" {
		t.Errorf("evidence %+v", got.Evidence)
	}

	bad := alerts[5]
	got = jsonAlert{}
	if err := json.Unmarshal(AppendJSON(nil, bad), &got); err != nil {
		t.Fatal(err)
	}
	if got.Query != hostile+"\uFFFD\uFFFD" || got.UID != hostile || got.Flags[0] != hostile ||
		got.Groups[0].Label != hostile || got.Evidence[0].Entry != hostile || got.SrcIP != `fe80::1%eth"0` ||
		got.Threats["c2_communication"].Desc != hostile || got.Evidence[2].Figures["nan"] != nil {
		t.Errorf("hostile text not recovered: %+v", got)
	}
}

// FuzzJSONString checks that any string encodes to a JSON string that
// decodes to the same text, with each invalid byte replaced by U+FFFD.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", hostile, "\x00\x1f\x7f", "\xff", "\u2029", "é\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := AppendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, enc, err)
		}
		if want := replaceInvalid(s); back != want {
			t.Fatalf("%q -> %s -> %q, want %q", s, enc, back, want)
		}
	})
}

func replaceInvalid(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r) // RuneError for an invalid byte
		i += n
	}
	return b.String()
}

func TestEncoderFor(t *testing.T) {
	a := sampleAlerts()[0]
	for format, prefix := range map[string]string{"json": "{", "cef": "CEF:0|"} {
		enc, err := EncoderFor(format)
		if err != nil || !strings.HasPrefix(string(enc(nil, a)), prefix) {
			t.Errorf("%s: %v", format, err)
		}
	}
	if _, err := EncoderFor("xml"); err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("xml: %v", err)
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	a := sampleAlerts()[0]
	buf := AppendJSON(nil, a)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendJSON(buf[:0], a)
	}
}

func BenchmarkAppendCEF(b *testing.B) {
	a := sampleAlerts()[0] // two threats: two lines
	buf := AppendCEF(nil, a)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendCEF(buf[:0], a)
	}
}

func TestEncodersDoNotAllocate(t *testing.T) {
	for _, a := range sampleAlerts() {
		buf := AppendCEF(AppendJSON(nil, a), a)
		for name, enc := range map[string]Encoder{"json": AppendJSON, "cef": AppendCEF} {
			if n := testing.AllocsPerRun(50, func() { buf = enc(buf[:0], a) }); n != 0 {
				t.Errorf("alert %s %q %s: %v allocations per alert", a.Event.Type, a.Event.UID, name, n)
			}
		}
	}
}

// FuzzAlertText puts arbitrary text in every free-text field of an alert:
// JSON stays one valid line that the schema accepts, CEF stays one line
// per threat.
func FuzzAlertText(f *testing.F) {
	f.Add(hostile, 2.5)
	f.Add("\xff\x00\u2028", -1.0)
	schema := compileSchema(f)
	f.Fuzz(func(t *testing.T, s string, v float64) {
		a := sampleAlerts()[1] // HTTP: the most text fields
		a.Event.UID, a.Event.Origin = s, s
		h := &a.Event.HTTP
		h.Host, h.URI, h.Method, h.UserAgent, h.Referrer, h.ContentType = s, s, s, s, s, s
		a.Flags = []string{s}
		a.Groups = []scoring.Group{{Label: s, Desc: s}}
		a.Threats[0].Desc = s
		a.Evidence[0].Entry, a.Evidence[0].Rule = s, s
		a.Evidence[2].Figures = []scoring.Figure{{Name: s, Value: v}}
		line := AppendJSON(nil, a)
		if bytes.ContainsAny(line, "\r\n") || !utf8.Valid(line) {
			t.Fatalf("not one UTF-8 line: %q", line)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
		if err != nil {
			t.Fatalf("invalid JSON: %v: %s", err, line)
		}
		if err := schema.Validate(doc); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		cef := AppendCEF(nil, a)
		if n := bytes.Count(cef, []byte("\n")); n != len(a.Threats) || bytes.Contains(cef, []byte("\r")) || !utf8.Valid(cef) {
			t.Fatalf("want %d clean CEF lines: %q", len(a.Threats), cef)
		}
	})
}

// appendJSONBody's word-at-a-time skip gives what escaping byte by byte
// gives: each string is compared with its escape in pieces of fewer than
// eight bytes (cut between runes), which the skip never sees.
func TestJSONBodyWordSkipMatchesPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "Z", "0", " ", "~", "\x7f", "\x1f", "\x00", "\"", "\\", "\n", "é", "\u2028", "\xff", "\xc3", "€"}
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := rng.IntN(40); k > 0; k-- {
			if rng.IntN(4) == 0 {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			} else {
				b.WriteString("www.example.com"[:1+rng.IntN(15)])
			}
		}
		s := b.String()
		var pieces []byte
		for rest := s; len(rest) > 0; {
			cut := 0
			for cut < len(rest) {
				_, size := utf8.DecodeRuneInString(rest[cut:])
				if cut > 0 && cut+size > 7 {
					break
				}
				cut += size
			}
			pieces = appendJSONBody(pieces, rest[:cut])
			rest = rest[cut:]
		}
		if got := appendJSONBody(nil, s); string(got) != string(pieces) {
			t.Fatalf("%q: got %q, byte by byte %q", s, got, pieces)
		}
	}
}
