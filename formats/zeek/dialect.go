package zeek

import (
	"bytes"
	"io"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// Dialect is Zeek's: its names are nfr's own (the record package's common
// keys), so its table holds only what is Zeek's alone: "_path", the
// spellings of the regex parsers over TSV lines (examples/fluent-bit:
// group names cannot hold dots, sets arrive as one comma-separated text),
// and the TSV line parser for raw lines.
var Dialect = record.Dialect{
	Name:    "zeek",
	Origins: [6]string{"zeek", "zeek:dns", "zeek:conn", "zeek:icmp", "zeek:http", "zeek:ssl"},
	Default: true,
	Fields: []record.Field{
		{Keys: []string{"_path"}, Set: func(m *record.Mapper, _ []byte, v *record.Value) { m.SetHint(v, pathHints) }},
		record.Alias(record.KeyOrigH, 0, "id_orig_h"),
		record.Alias(record.KeyOrigP, 0, "id_orig_p"),
		record.Alias(record.KeyRespH, 0, "id_resp_h"),
		record.Alias(record.KeyRespP, 0, "id_resp_p"),
		{Keys: []string{"answers_list"}, Group: record.GroupDNS, Set: func(m *record.Mapper, _ []byte, v *record.Value) {
			forEachItem(v, func(b []byte) { e := m.Event(); e.DNS.Answers = append(e.DNS.Answers, m.Intern(b)) })
		}},
		{Keys: []string{"resp_mime_types_list"}, Group: record.GroupHTTP, Set: func(m *record.Mapper, _ []byte, v *record.Value) {
			forEachItem(v, func(b []byte) { m.SetContentType(m.Intern(b)) })
		}},
	},
	State: func() record.State { return &state{} },
	Line:  feedLine,

	Formats: []string{"zeek", "zeek-tsv", "zeek-json"},
	Open: func(r io.Reader, file, format string, _ *time.Location) formats.Source {
		return NewReader(r, file)
	},
	Detect: detect,
}

// Input is the Zeek dialect's.
var Input record.Input

func init() { Input = record.Register(&Dialect) }

var pathHints = record.Hints{{Name: "dns", Type: scoring.TypeDNS}, {Name: "conn", Type: scoring.TypeFlow},
	{Name: "http", Type: scoring.TypeHTTP}, {Name: "ssl", Type: scoring.TypeTLS}}

// state is the TSV header of raw lines, kept for the stream.
type state struct{ tsv TSV }

func (*state) Reset() {}

// feedLine reads a raw Zeek TSV line: a header line, or a data line under
// the header read so far.
func feedLine(m *record.Mapper, line []byte) error {
	st := m.State(Input).(*state)
	if line[0] == '#' {
		st.tsv.Header(line)
		return record.SkipError(record.SkipHeader)
	}
	return st.tsv.Feed(m, line)
}

// forEachItem calls fn with each comma-separated item of a text value.
func forEachItem(v *record.Value, fn func([]byte)) {
	if v.Kind != record.KindString || len(v.Str) == 0 {
		return
	}
	s := v.Str
	for {
		i := bytes.IndexByte(s, ',')
		if i < 0 {
			fn(s)
			return
		}
		fn(s[:i])
		s = s[i+1:]
	}
}

var tsvDirectives = [][]byte{[]byte("#separator"), []byte("#fields"), []byte("#set_separator"), []byte("#path"), []byte("#types")}

// detect names a Zeek file from its first telling line: a TSV directive,
// or a JSON object with Zeek's keys.
func detect(line []byte) string {
	switch line[0] {
	case '#':
		for _, d := range tsvDirectives {
			if bytes.HasPrefix(line, d) {
				return "zeek-tsv"
			}
		}
	case '{':
		has := func(k string) bool { return bytes.Contains(line, []byte(`"`+k+`"`)) }
		if has("ts") && (has("id.orig_h") || has("id") || has("_path")) {
			return "zeek-json"
		}
	}
	return ""
}
