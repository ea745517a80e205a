package zeek

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

func sum(m map[string]int64) (n int64) {
	for _, v := range m {
		n += v
	}
	return n
}

// FuzzZeek feeds arbitrary bytes to the decoder: it must not panic, must
// end, and must account for every line exactly once.
func FuzzZeek(f *testing.F) {
	f.Add([]byte(dnsLogLines(3)))
	f.Add([]byte("#separator \\x7c\n#fields|ts|id.orig_h|query|answers\n#types|time|addr|string|set[string]\n1|10.0.0.1|a|b,c\n"))
	f.Add([]byte(`{"ts":1.5,"id":{"orig_h":"::1"},"query":"x","answers":["a"],"TTLs":[1]}` + "\n" + `{"_path":"conn","ts":"2024-01-01T00:00:00Z","proto":"icmp","id.orig_p":8}`))
	f.Add([]byte("#separator \\x09\n#path\tssl\n#fields\tts\tserver_name\tja3\n#types\ttime\tstring\tstring\nXXXXXXXXXX.XXXXXX\ta\tb\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data), "fuzz.log")
		lines := int64(strings.Count(string(data), "\n") + 1)
		var ev scoring.Event
		for calls := int64(0); ; calls++ {
			if calls > lines+1 {
				t.Fatalf("Next called %d times for %d lines", calls, lines)
			}
			err := r.Next(&ev)
			if err == io.EOF {
				break
			}
			var le *formats.LineError
			if err != nil && (!errors.As(err, &le) || le.Line < 1 || le.File != "fuzz.log") {
				t.Fatalf("error %v", err)
			}
			if err == nil && (ev.Type == scoring.TypeUnknown || !strings.HasPrefix(ev.Origin, "zeek:")) {
				t.Fatalf("event %+v", ev)
			}
		}
		st := r.Stats()
		if st.Lines != st.Events+sum(st.Skipped)+sum(st.Bad) {
			t.Fatalf("lines %d != events %d + skipped %v + bad %v", st.Lines, st.Events, st.Skipped, st.Bad)
		}
	})
}
