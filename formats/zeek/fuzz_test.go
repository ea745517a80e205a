package zeek

import (
	"bytes"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats/formatstest"
	"github.com/netflightrecorder/nfr/scoring"
)

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
		formatstest.Check(t, r, "fuzz.log", lines+2, func(ev *scoring.Event) bool {
			return ev.Type != scoring.TypeUnknown && strings.HasPrefix(ev.Origin, "zeek:")
		})
		if st := r.Stats(); st.Lines != formatstest.Accounted(st) {
			t.Fatalf("lines %d != events %d + skipped %v + bad %v", st.Lines, st.Events, st.Skipped, st.Bad)
		}
	})
}
