package msdns

import (
	"bytes"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats/formatstest"
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
		formatstest.Check(t, r, "dns.log", 0, func(ev *scoring.Event) bool {
			return ev.Type == scoring.TypeDNS && ev.Origin == "msdns" && ev.DNS.Query != ""
		})
		if st := r.Stats(); formatstest.Accounted(st) > st.Lines {
			t.Fatalf("stats %+v", st)
		}
	})
}
