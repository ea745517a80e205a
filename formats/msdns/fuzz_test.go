package msdns

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

// FuzzMSDNS: no panic, termination, never more outcomes than lines.
func FuzzMSDNS(f *testing.F) {
	for _, line := range strings.Split(fixture, "\n") {
		f.Add([]byte(line), false)
	}
	f.Add([]byte(fixture), false)
	f.Add([]byte(fixture), true)
	f.Fuzz(func(t *testing.T, data []byte, noJoin bool) {
		r := NewReader(bytes.NewReader(data), "dns.log", Options{NoJoin: noJoin, MaxPending: 8})
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
			if err == nil && (ev.Type != scoring.TypeDNS || ev.Origin != "msdns" || ev.DNS.Query == "") {
				t.Fatalf("event %+v", ev)
			}
		}
		st := r.Stats()
		n := st.Events
		for _, v := range st.Skipped {
			n += v
		}
		for _, v := range st.Bad {
			n += v
		}
		if n > st.Lines {
			t.Fatalf("stats %+v", st)
		}
	})
}
