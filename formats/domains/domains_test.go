package domains

import (
	"reflect"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

func read(t *testing.T, text string, mode Mode) (names []string, bad []string, st *formats.Stats) {
	t.Helper()
	r := NewReader(strings.NewReader(text), "list.txt", mode)
	bad, err := formats.Drain(r.Next, func(ev *scoring.Event) {
		if ev.Type != scoring.TypeDNS || ev.SrcIP.IsValid() || !ev.Time.IsZero() || ev.DNS.Rcode != scoring.RcodeUnknown {
			t.Errorf("event %+v", ev)
		}
		names = append(names, ev.Origin+":"+ev.DNS.Query)
	})
	if err != nil {
		t.Fatal(err)
	}
	return names, bad, r.Stats()
}

func TestDomainList(t *testing.T) {
	text := "\xef\xbb\xbf# top sites\nexample.com\n\n  www.example.org.  # trailing comment\n1,google.com\nbad..name\nhas space.com\n" + strings.Repeat("a", 64) + ".com\nxn--bcher-kva.example\r\n"
	names, bad, st := read(t, text, List)
	want := []string{"domains:example.com", "domains:www.example.org", "domains:google.com", "domains:xn--bcher-kva.example"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("names %q", names)
	}
	wantBad := []string{"list.txt:6: bad domain: bad..name", "list.txt:7: bad domain: more than one word: has space.com",
		"list.txt:8: bad domain: " + strings.Repeat("a", 64) + ".com"}
	if !reflect.DeepEqual(bad, wantBad) {
		t.Errorf("bad %q", bad)
	}
	if st.Lines != 9 || st.Events != 4 || st.Skipped["comment"] != 1 || st.Skipped["blank"] != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestHostsFile(t *testing.T) {
	text := "127.0.0.1 localhost\n::1 ip6-localhost ip6-loopback\n# nocoin\n0.0.0.0 coinhive.com www.coinhive.com\n0.0.0.0\nnot-an-ip example.com\n"
	names, bad, st := read(t, text, Hosts)
	if want := []string{"hosts:coinhive.com", "hosts:www.coinhive.com"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names %q", names)
	}
	if want := []string{"list.txt:5: bad hosts line: want an address and a name: 0.0.0.0", "list.txt:6: bad address: not-an-ip"}; !reflect.DeepEqual(bad, want) {
		t.Errorf("bad %q", bad)
	}
	if st.Skipped["local name"] != 3 {
		t.Errorf("stats %+v", st)
	}
}
