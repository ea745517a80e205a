package suricata

import (
	"bytes"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats/formatstest"
	"github.com/netflightrecorder/nfr/scoring"
)

// FuzzSuricata: no panic, termination, every line accounted for once.
func FuzzSuricata(f *testing.F) {
	for _, line := range strings.Split(eve, "\n") {
		f.Add([]byte(line))
	}
	f.Add([]byte(`{"event_type":"dns","src_ip":"1.2.3.4","timestamp":"2024-01-01T00:00:00+0000","dns":{"answers":[{"rdata":"x","ttl":"y"}],"grouped":{"A":[{"a":1}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data), "eve.json")
		formatstest.Check(t, r, "eve.json", 0, func(ev *scoring.Event) bool { return strings.HasPrefix(ev.Origin, "suricata:") })
		if st := r.Stats(); st.Lines != formatstest.Accounted(st) {
			t.Fatalf("stats %+v", st)
		}
	})
}
