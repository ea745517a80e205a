package zeek

import (
	"reflect"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/formatstest"
	"github.com/netflightrecorder/nfr/scoring"
)

func readAll(t *testing.T, text string) ([]scoring.Event, []string, *formats.Stats) {
	t.Helper()
	r := NewReader(strings.NewReader(text), "x.log")
	evs, bad, err := formatstest.ReadAll(r.Next)
	if err != nil {
		t.Fatal(err)
	}
	return evs, bad, r.Stats()
}

// Two rotated logs concatenated, each with its own header block and
// separators, a log nfr does not map, and malformed lines.
func TestHeaderBlocksAndBadLines(t *testing.T) {
	text := "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n" +
		"#fields\tts\tid.orig_h\tquery\tanswers\n#types\ttime\taddr\tstring\tvector[string]\n" +
		"1700000000.000001\t10.0.0.1\ta.example\t192.0.2.1,192.0.2.2\n" +
		"XXXXXXXXXX.XXXXXX\t10.0.0.1\tmasked.example\t-\n" +
		"1700000001.5\t10.0.0.1\ttoo.few.fields\n" +
		"1700000002\tnot-an-ip\tb.example\t-\n" +
		"#close\t2024-01-01-00-00-00\n" +
		"#separator \\x7c\n#set_separator|;\n#empty_field|EMPTY\n#unset_field|UNSET\n#path|dns\n" +
		"#fields|ts|id.orig_h|query|answers\n#types|time|addr|string|set[string]\n" +
		"1700000003|10.0.0.2|c.example|x.example;192.0.2.3\n" +
		"1700000004|10.0.0.2|EMPTY|EMPTY\n" +
		"#separator \\x09\n#path\tfiles\n#fields\tts\tfuid\n#types\ttime\tstring\n" +
		"1700000005\tFabc\n"
	evs, bad, st := readAll(t, text)
	wantBad := []string{
		"x.log:9: bad timestamp: ts=XXXXXXXXXX.XXXXXX",
		"x.log:10: wrong number of fields: got 3, #fields has 4",
		"x.log:11: bad address: id.orig_h=not-an-ip",
	}
	if !reflect.DeepEqual(bad, wantBad) {
		t.Errorf("bad %q\nwant %q", bad, wantBad)
	}
	if len(evs) != 3 {
		t.Fatalf("%d events: %+v", len(evs), evs)
	}
	if evs[0].DNS.Query != "a.example" || !reflect.DeepEqual(evs[0].DNS.Answers, []string{"192.0.2.1", "192.0.2.2"}) || evs[0].Time.Nanosecond() != 1000 {
		t.Errorf("first block: %+v", evs[0])
	}
	if evs[1].DNS.Query != "c.example" || !reflect.DeepEqual(evs[1].DNS.Answers, []string{"x.example", "192.0.2.3"}) || evs[1].SrcIP.String() != "10.0.0.2" {
		t.Errorf("second block: %+v", evs[1])
	}
	if evs[2].DNS.Query != "" || len(evs[2].DNS.Answers) != 0 || evs[2].Origin != "zeek:dns" {
		t.Errorf("empty fields: %+v", evs[2])
	}
	if st.Lines != 26 || st.Events != 3 || st.Skipped["header"] != 19 || st.Skipped["unsupported record"] != 1 || st.Bad["bad timestamp"] != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestDataBeforeHeader(t *testing.T) {
	_, bad, _ := readAll(t, "1700000000\t10.0.0.1\n")
	if len(bad) != 1 || !strings.Contains(bad[0], "no #fields header") {
		t.Errorf("%q", bad)
	}
}
