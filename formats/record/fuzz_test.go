package record_test

import (
	"bytes"
	_ "github.com/netflightrecorder/nfr/formats/dialects"
	"github.com/netflightrecorder/nfr/formats/record"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

func checkEnd(t *testing.T, m *record.Mapper) {
	t.Helper()
	var ev scoring.Event
	err := m.End(&ev)
	if err == nil {
		if ev.Type == scoring.TypeUnknown || ev.Origin == "" {
			t.Fatalf("event %+v", ev)
		}
		return
	}
	if _, ok := err.(*formats.LineError); !ok {
		t.Fatalf("error %T %v", err, err)
	}
}

// FuzzMapper drives the record.Mapper three ways with the same bytes: as a JSON
// object, as a raw log line, and as key/value fields (split on NUL, the
// first byte of each value choosing its kind). It must never panic and
// must either fill a typed event or return a *formats.LineError.
func FuzzMapper(f *testing.F) {
	for _, s := range []string{jsonDNS, jsonConn, jsonHTTPSSL, tsvDNS,
		"_type\x00sdns\x00ts\x00f1.5\x00id.orig_h\x00s10.0.0.1\x00query\x00sa.example\x00rcode\x00i3",
		"datetime\x00s6/5/2013 10:00:32 AM\x00direction\x00sRcv\x00remote\x00s::1\x00qname\x00s(1)a(0)\x00opcode\x00sQ\x00flags_hex\x00s8081",
		"6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.161.60.71    5b47 R Q [8081   DR  NOERROR] A      (7)example(3)com(0)"} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, in uint8) {
		m := record.NewMapper(record.Input(in % 5))
		m.Begin(time.Unix(1, 0))
		if m.FeedJSON(data) == nil {
			checkEnd(t, m)
		}
		m.Begin(time.Time{})
		m.Field([]byte("log"), ptrTo(record.String(data)))
		checkEnd(t, m)

		m.Begin(time.Unix(2, 0))
		parts := bytes.Split(data, []byte{0})
		for i := 0; i+1 < len(parts); i += 2 {
			m.Field(parts[i], ptrTo(fuzzValue(parts[i+1])))
		}
		checkEnd(t, m)
	})
}

func fuzzValue(b []byte) record.Value {
	if len(b) == 0 {
		return record.Value{}
	}
	rest := b[1:]
	var n uint64
	for _, c := range rest {
		n = n<<8 | uint64(c)
	}
	switch b[0] % 6 {
	case 0:
		return record.String(rest)
	case 1:
		return record.Int(int64(n))
	case 2:
		return record.Uint(n)
	case 3:
		return record.Float(float64(int64(n)) / 1000)
	case 4:
		return record.Bool(n&1 == 1)
	}
	return record.Value{}
}
