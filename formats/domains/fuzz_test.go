package domains

import (
	"bytes"
	"testing"

	"github.com/netflightrecorder/nfr/formats/formatstest"
	"github.com/netflightrecorder/nfr/scoring"
)

// FuzzDomains: no panic, termination, and only plausible names come out.
func FuzzDomains(f *testing.F) {
	f.Add([]byte("# c\nexample.com\n1,google.com\nbad..x\n"), false)
	f.Add([]byte("0.0.0.0 a.example b.example # c\n::1 localhost\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, hosts bool) {
		mode := List
		if hosts {
			mode = Hosts
		}
		r := NewReader(bytes.NewReader(data), "l", mode)
		formatstest.Check(t, r, "l", 0, func(ev *scoring.Event) bool {
			return ev.DNS.Query != "" && len(ev.DNS.Query) <= MaxName && checkName([]byte(ev.DNS.Query)) == ""
		})
	})
}
