package suricata

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats"
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
		var ev scoring.Event
		for {
			err := r.Next(&ev)
			if err == io.EOF {
				break
			}
			var le *formats.LineError
			if err != nil && (!errors.As(err, &le) || le.Line < 1) {
				t.Fatalf("error %v", err)
			}
			if err == nil && !strings.HasPrefix(ev.Origin, "suricata:") {
				t.Fatalf("event %+v", ev)
			}
		}
		st := r.Stats()
		var n int64
		for _, v := range st.Skipped {
			n += v
		}
		for _, v := range st.Bad {
			n += v
		}
		if st.Lines != st.Events+n {
			t.Fatalf("stats %+v", st)
		}
	})
}
