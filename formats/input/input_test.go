package input

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/formatstest"
	"github.com/netflightrecorder/nfr/scoring"
)

func TestDetect(t *testing.T) {
	cases := map[string]string{
		"\xd4\xc3\xb2\xa1\x02\x00":                                                                      "pcap",
		"\x0a\x0d\x0d\x0a\x00\x00":                                                                      "pcap",
		"### BTest\n#separator \\x09\n#set_separator\t,\n":                                              "zeek-tsv",
		"#fields\tts\tuid\n":                                                                            "zeek-tsv",
		`{"ts": 1517336042.279652, "uid": "C", "id.orig_h": "10.0.0.1"}` + "\n":                         "zeek-json",
		`{"ts":"2024-01-01T00:00:00Z","id":{"orig_h":"10.0.0.1"}}` + "\n":                               "zeek-json",
		`{"timestamp":"2017-01-01T10:00:00.123456+0100","event_type":"dns","src_ip":"10.0.0.5"}` + "\n": "suricata",
		"DNS Server log file creation at 6/5/2013 10:00:29 AM\n":                                        "msdns",
		"\n6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b47   Q [0001   D   NOERROR] A      (7)example(3)com(0)\n": "msdns",
		"# hosts\n127.0.0.1 localhost\n0.0.0.0 coinhive.com\n": "hosts",
		"# list\n\nexample.com\nexample.org\n":                 "domains",
		"\xef\xbb\xbfexample.com\n":                            "domains",
		"this is prose, not a log\n":                           "",
		`{"hello":"world"}`:                                    "",
		"":                                                     "",
	}
	for head, want := range cases {
		if got := Detect([]byte(head)); got != want {
			t.Errorf("Detect(%q) = %q, want %q", head, got, want)
		}
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(data string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(data))
	w.Close()
	return b.Bytes()
}

const zeekTSV = "#separator \\x09\n#path\tdns\n#fields\tts\tid.orig_h\tquery\n#types\ttime\taddr\tstring\n1700000000\t10.0.0.1\ta.example\n1700000001\t10.0.0.1\tb.example\n"

func drain(t *testing.T, f *File) []scoring.Event {
	t.Helper()
	defer f.Close()
	evs, bad, err := formatstest.ReadAll(f.Next)
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	return evs
}

func TestOpenGzipAutodetect(t *testing.T) {
	// The name says nothing: content decides, gzip or not.
	for _, data := range [][]byte{[]byte(zeekTSV), gz(zeekTSV)} {
		f, err := Open(writeFile(t, "dns.log.gz", data), "auto")
		if err != nil {
			t.Fatal(err)
		}
		if f.Format != "zeek-tsv" || f.Stats().Format != "zeek-tsv" {
			t.Errorf("format %q", f.Format)
		}
		evs := drain(t, f)
		if len(evs) != 2 || evs[1].DNS.Query != "b.example" || f.Stats().Events != 2 {
			t.Errorf("events %+v", evs)
		}
	}
}

func TestOpenNamedFormatsAndErrors(t *testing.T) {
	p := writeFile(t, "list", []byte("example.com\n"))
	f, err := Open(p, "domains")
	if err != nil {
		t.Fatal(err)
	}
	if evs := drain(t, f); len(evs) != 1 || evs[0].Origin != "domains" {
		t.Errorf("%+v", evs)
	}
	if _, err := Open(p, "bro"); err == nil {
		t.Error("unknown format accepted")
	}
	if _, err := Open(writeFile(t, "x.pcap", []byte("\xd4\xc3\xb2\xa1\x02\x00\x04\x00")), ""); !errors.Is(err, ErrPcap) {
		t.Errorf("pcap: %v", err)
	}
	if _, err := Open(writeFile(t, "prose", []byte("this is prose, not a log\n")), ""); err == nil {
		t.Error("undetectable file accepted")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing"), ""); err == nil {
		t.Error("missing file accepted")
	}
}

func TestOpenMSDNSTimeZone(t *testing.T) {
	line := "6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b47   Q [0001   D   NOERROR] A      (7)example(3)com(0)\n"
	zone := time.FixedZone("CET", 3600)
	f, err := OpenWith(writeFile(t, "dns.log", []byte(line)), "", Options{TZ: zone})
	if err != nil {
		t.Fatal(err)
	}
	evs := drain(t, f)
	if len(evs) != 1 || !evs[0].Time.Equal(time.Date(2013, 6, 5, 9, 0, 32, 0, time.UTC)) {
		t.Errorf("%+v", evs)
	}
}
