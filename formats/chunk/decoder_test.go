package chunk_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/chunk"
	"github.com/netflightrecorder/nfr/formats/chunk/chunktest"
)

// collector is a FieldSink that records what it is given.
type collector struct {
	records []got
}

type got struct {
	t      time.Time
	fields []chunktest.Flat
}

func (c *collector) Begin(t time.Time) { c.records = append(c.records, got{t: t}) }

func (c *collector) Field(key []byte, v *chunk.Value) {
	r := &c.records[len(c.records)-1]
	r.fields = append(r.fields, chunktest.Flat{Key: string(key), Val: canonical(*v)})
}

func canonical(v chunk.Value) any {
	switch v.Kind {
	case chunk.KindNil:
		return nil
	case chunk.KindString:
		return string(v.Str)
	case chunk.KindInt:
		return v.Int
	case chunk.KindUint:
		if v.Uint <= math.MaxInt64 {
			return int64(v.Uint)
		}
		return v.Uint
	case chunk.KindFloat:
		return v.Float
	case chunk.KindBool:
		return v.Bool
	}
	return fmt.Sprintf("bad kind %d", v.Kind)
}

func decodeAll(t testing.TB, data []byte) (*collector, *chunk.Decoder, error) {
	t.Helper()
	var d chunk.Decoder
	d.Reset(data)
	c := &collector{}
	for {
		err := d.Next(c)
		if err == io.EOF {
			return c, &d, nil
		}
		if err != nil {
			return c, &d, err
		}
	}
}

// zeekDNS is a Zeek JSON dns.log record as Fluent Bit's json parser keeps
// it: id as a nested map, answers and TTLs as arrays.
func zeekDNS(i int) chunktest.Record {
	return chunktest.R(
		"ts", 1732600000.25+float64(i),
		"uid", fmt.Sprintf("C%08d", i),
		"id", chunktest.R("orig_h", "10.0.0.5", "orig_p", int64(53000+i%1000), "resp_h", "10.0.0.1", "resp_p", int64(53)),
		"proto", "udp",
		"query", fmt.Sprintf("host%d.example.com", i),
		"qtype", int64(1),
		"rcode", int64(-3),
		"big", uint64(math.MaxUint64),
		"AA", false,
		"RD", true,
		"answers", []any{"192.0.2.1", "192.0.2.2"},
		"TTLs", []any{300.0, 60.5},
		"raw", []byte{0xff, 0x00},
		"empty", chunktest.R(),
		"none", nil,
		"deep", chunktest.R("a", chunktest.R("b", []any{int64(1), chunktest.R("c", "d")})),
	)
}

func TestEveryLayoutAndTimeEncoding(t *testing.T) {
	base := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	var data []byte
	var want []got
	i := 0
	for _, layout := range chunktest.Layouts {
		for _, enc := range chunktest.TimeEncs {
			for _, bin := range []bool{false, true} {
				ts := base.Add(time.Duration(i)*time.Second + time.Duration(i%4)*time.Second/4)
				if i%3 == 0 {
					data = chunktest.AppendGroupMarker(data, layout, true)
				}
				rec := zeekDNS(i)
				data = chunktest.Append(data, chunktest.Event{Time: ts, Record: rec, Layout: layout, TimeEnc: enc, BinText: bin})
				if i%3 == 0 {
					data = chunktest.AppendGroupMarker(data, layout, false)
				}
				want = append(want, got{t: chunktest.EncodedTime(ts, enc), fields: chunktest.Flatten(rec)})
				i++
			}
		}
	}
	c, d, err := decodeAll(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.records) != len(want) {
		t.Fatalf("got %d records, want %d", len(c.records), len(want))
	}
	for i := range want {
		if !c.records[i].t.Equal(want[i].t) {
			t.Errorf("record %d: time %v, want %v", i, c.records[i].t, want[i].t)
		}
		if !reflect.DeepEqual(c.records[i].fields, want[i].fields) {
			t.Errorf("record %d fields:\n got %v\nwant %v", i, c.records[i].fields, want[i].fields)
		}
	}
	if d.Records != len(want) || d.Groups != 2*((len(want)+2)/3) {
		t.Errorf("counters: %d records %d groups", d.Records, d.Groups)
	}
	if c.records[0].fields[2].Key != "id.orig_h" {
		t.Errorf("nested key = %q, want id.orig_h", c.records[0].fields[2].Key)
	}
}

func TestIntegerKeysAndGroupMarkerInts(t *testing.T) {
	// [-1, {}] is a group marker in integer-time builds; {1: "x", [1]: 2, "k": 3}.
	data := []byte{0x92, 0xff, 0x80,
		0x92, 0x92, 0xce, 0x67, 0x45, 0x00, 0x00, 0x80,
		0x83, 0x01, 0xa1, 'x', 0x91, 0x01, 0x02, 0xa1, 'k', 0x03}
	c, d, err := decodeAll(t, data)
	if err != nil {
		t.Fatal(err)
	}
	want := []chunktest.Flat{{Key: "1", Val: "x"}, {Key: "k", Val: int64(3)}}
	if d.Groups != 1 || len(c.records) != 1 || !reflect.DeepEqual(c.records[0].fields, want) {
		t.Fatalf("groups %d records %+v", d.Groups, c.records)
	}
	if got := c.records[0].t; got.Unix() != 0x67450000 {
		t.Errorf("time %v", got)
	}
}

func TestMalformed(t *testing.T) {
	good := chunktest.Append(nil, chunktest.Event{Time: time.Unix(1732600000, 0), Record: zeekDNS(1)})
	cases := []struct {
		name   string
		data   []byte
		offset int
		reason string
	}{
		{"not an array", append(append([]byte{}, good...), 0xa3, 'a', 'b', 'c'), len(good), "event is not an array"},
		{"three elements", []byte{0x93, 0x01, 0x80, 0x80}, 0, "event array has 3 elements"},
		{"header of one", []byte{0x92, 0x91, 0x01, 0x80}, 1, "event header has 1 elements"},
		{"time is a string", []byte{0x92, 0xa1, 'x', 0x80}, 1, "time has msgpack type 0xa1"},
		{"time ext type 1", []byte{0x92, 0xd7, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x80}, 1, "ext type 1"},
		{"ext8 length 4", []byte{0x92, 0xc7, 0x04, 0x00, 0, 0, 0, 0, 0x80}, 1, "length 4"},
		{"nsec too big", []byte{0x92, 0xd7, 0x00, 0, 0, 0, 1, 0x3b, 0x9a, 0xca, 0x00, 0x80}, 1, "nanoseconds"},
		{"negative time", []byte{0x92, 0xfd, 0x80}, 1, "negative integer time"},
		{"nan time", []byte{0x92, 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1, 0x80}, 1, "float time"},
		{"record not a map", []byte{0x92, 0x01, 0x90}, 2, "record is not a map"},
		{"metadata not a map", []byte{0x92, 0x92, 0x01, 0x01, 0x80}, 3, "expected a map"},
		{"invalid byte", []byte{0x92, 0x01, 0x81, 0xa1, 'k', 0xc1}, 5, "invalid msgpack byte 0xc1"},
		{"huge map count", []byte{0x92, 0x01, 0xdf, 0xff, 0xff, 0xff, 0xff}, 2, "truncated"},
		{"huge string", []byte{0x92, 0x01, 0x81, 0xa1, 'k', 0xdb, 0x7f, 0xff, 0xff, 0xff}, 5, "truncated"},
		{"too deep", deep(chunk.MaxDepth + 1), 5 + chunk.MaxDepth*3, "nesting deeper"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decodeAll(t, tc.data)
			var ce *chunk.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *chunk.Error", err)
			}
			if ce.Offset != tc.offset || !bytes.Contains([]byte(ce.Reason), []byte(tc.reason)) {
				t.Fatalf("err = %v, want %q at %d", err, tc.reason, tc.offset)
			}
		})
	}
}

// deep returns one event whose record nests n single-key maps.
func deep(n int) []byte {
	b := []byte{0x92, 0x01, 0x81, 0xa1, 'k'}
	for i := 0; i < n; i++ {
		b = append(b, 0x81, 0xa1, 'k')
	}
	return append(b, 0x01)
}

// TestEveryTruncation cuts a chunk at every byte: the decoder must return
// the records before the cut and then an error, never panic.
func TestEveryTruncation(t *testing.T) {
	var data []byte
	var ends []int
	for i, layout := range chunktest.Layouts {
		data = chunktest.Append(data, chunktest.Event{Time: time.Unix(1732600000, 5), Record: zeekDNS(i),
			Layout: layout, TimeEnc: chunktest.TimeEncs[i]})
		ends = append(ends, len(data))
	}
	for cut := 0; cut < len(data); cut++ {
		c, _, err := decodeAll(t, data[:cut:cut])
		complete := 0
		for _, e := range ends {
			if e <= cut {
				complete++
			}
		}
		boundary := cut == 0 || (complete > 0 && ends[complete-1] == cut)
		var ce *chunk.Error
		switch {
		case boundary && err != nil:
			t.Fatalf("cut %d on an event boundary: %v", cut, err)
		case !boundary && !errors.As(err, &ce):
			t.Fatalf("cut %d: err = %v, want *chunk.Error", cut, err)
		case !boundary && (ce.Offset < 0 || ce.Offset > cut):
			t.Fatalf("cut %d: offset %d outside the chunk", cut, ce.Offset)
		}
		if n := len(c.records); n < complete || n > complete+1 {
			t.Fatalf("cut %d: %d records begun, %d complete", cut, n, complete)
		}
	}
}

func TestRandomGarbageNeverPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	good := chunktest.Append(nil, chunktest.Event{Time: time.Unix(1732600000, 0), Record: zeekDNS(7), Layout: chunktest.V2Meta})
	buf := make([]byte, len(good))
	for i := 0; i < 20000; i++ {
		copy(buf, good)
		for j := 0; j < 1+rng.IntN(4); j++ {
			buf[rng.IntN(len(buf))] = byte(rng.UintN(256))
		}
		decodeAll(t, buf) //nolint:errcheck // only panics matter here
	}
}

func FuzzDecoder(f *testing.F) {
	f.Add(chunktest.Append(nil, chunktest.Event{Time: time.Unix(1732600000, 0), Record: zeekDNS(1)}))
	f.Add(chunktest.AppendGroupMarker(nil, chunktest.V2Map32, true))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d chunk.Decoder
		d.Reset(data)
		c := &collector{}
		for i := 0; i <= len(data); i++ {
			err := d.Next(c)
			if err == io.EOF {
				return
			}
			var ce *chunk.Error
			if err != nil {
				if !errors.As(err, &ce) || ce.Offset < 0 || ce.Offset > len(data) {
					t.Fatalf("bad error %v", err)
				}
				return
			}
		}
		t.Fatal("decoder did not make progress")
	})
}

type discard struct{ n int }

func (d *discard) Begin(time.Time)            {}
func (d *discard) Field([]byte, *chunk.Value) { d.n++ }

func BenchmarkDecode(b *testing.B) {
	var data []byte
	n := 0
	for i := 0; len(data) < 64<<10; i++ {
		data = chunktest.Append(data, chunktest.Event{Time: time.Unix(1732600000, int64(i)), Record: zeekDNS(i),
			Layout: chunktest.Layouts[i%4], TimeEnc: chunktest.TimeEncs[i%4]})
		n++
	}
	var d chunk.Decoder
	sink := &discard{}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Reset(data)
		for d.Next(sink) == nil {
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}
