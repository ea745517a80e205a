package domains

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/netflightrecorder/nfr/formats"
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
			if err == nil && (ev.DNS.Query == "" || len(ev.DNS.Query) > MaxName || checkName([]byte(ev.DNS.Query)) != "") {
				t.Fatalf("event %+v", ev)
			}
		}
	})
}
