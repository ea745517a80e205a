package chunk_test

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/chunk"
	"github.com/netflightrecorder/nfr/formats/chunk/chunktest"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// outcome is what decoding a chunk into a Mapper produced: per record the
// event or the mapping error, then the decoder's error and counters.
type outcome struct {
	events         []string
	err            string
	records, group int
}

// decodeMapped decodes data through Next (the field visitor, with the
// Mapper as sink) or NextMapped (the pull path).
func decodeMapped(data []byte, pull bool) outcome {
	var d chunk.Decoder
	d.Reset(data)
	m := record.NewMapper(record.InputAuto)
	var o outcome
	for i := 0; i <= len(data); i++ {
		var err error
		if pull {
			err = d.NextMapped(m)
		} else {
			err = d.Next(m)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			o.err = err.Error()
			break
		}
		var ev scoring.Event
		if err := m.End(&ev); err != nil {
			o.events = append(o.events, "error: "+err.Error())
		} else {
			o.events = append(o.events, fmt.Sprintf("%+v", ev))
		}
	}
	o.records, o.group = d.Records, d.Groups
	return o
}

func samePullAndVisitor(t *testing.T, data []byte) {
	t.Helper()
	want, got := decodeMapped(data, false), decodeMapped(data, true)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("pull decoder differs from the visitor:\n got %+v\nwant %+v", got, want)
	}
}

// TestPullMatchesVisitor: the pull decoder gives the same events, errors,
// offsets and counters as the field visitor feeding the same Mapper, on
// every layout, time encoding and text type, and on damaged chunks.
func TestPullMatchesVisitor(t *testing.T) {
	var data []byte
	i := 0
	for _, layout := range chunktest.Layouts {
		for _, enc := range chunktest.TimeEncs {
			for _, bin := range []bool{false, true} {
				if i%3 == 0 {
					data = chunktest.AppendGroupMarker(data, layout, true)
				}
				data = chunktest.Append(data, chunktest.Event{Time: time.Unix(1732600000+int64(i), 0), Record: zeekDNS(i),
					Layout: layout, TimeEnc: enc, BinText: bin})
				i++
			}
		}
	}
	if o := decodeMapped(data, true); o.records != i || o.err != "" {
		t.Fatalf("pull: %d records, error %q", o.records, o.err)
	}
	samePullAndVisitor(t, data)
	for cut := 0; cut < len(data); cut += 7 {
		samePullAndVisitor(t, data[:cut:cut])
	}
	samePullAndVisitor(t, deep(chunk.MaxDepth+1))
	samePullAndVisitor(t, deep(chunk.MaxDepth-1))
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, len(data))
	for n := 0; n < 3000; n++ {
		copy(buf, data)
		for j := 0; j < 1+rng.IntN(4); j++ {
			buf[rng.IntN(len(buf))] = byte(rng.UintN(256))
		}
		samePullAndVisitor(t, buf)
	}
}

// TestPullDoesNotAllocate: a record costs no allocation (the uids are
// carved from the Mapper's slabs, one per about a hundred records).
func TestPullDoesNotAllocate(t *testing.T) {
	var data []byte
	rec := chunktest.R("ts", 1732600000.5, "uid", "CabcdefGHIJ", "id", chunktest.R("orig_h", "10.0.0.5", "orig_p", int64(53000),
		"resp_h", "10.0.0.1", "resp_p", int64(53)), "proto", "udp", "query", "www.example.com", "qtype_name", "A",
		"rcode", int64(0), "answers", []any{"192.0.2.1"}, "TTLs", []any{60.0}, "ignored", chunktest.R("x", int64(1)))
	for i := 0; i < 100; i++ {
		data = chunktest.Append(data, chunktest.Event{Time: time.Unix(1732600000, 0), Record: rec, Layout: chunktest.Layouts[i%4]})
	}
	var d chunk.Decoder
	m := record.NewMapper(record.InputAuto)
	var ev scoring.Event
	allocs := testing.AllocsPerRun(10, func() {
		d.Reset(data)
		for d.NextMapped(m) == nil {
			if err := m.End(&ev); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs > 2 {
		t.Fatalf("%.0f allocations for 100 records", allocs)
	}
}

func FuzzPullMatchesVisitor(f *testing.F) {
	f.Add(chunktest.Append(nil, chunktest.Event{Time: time.Unix(1732600000, 0), Record: zeekDNS(1)}))
	f.Add(chunktest.AppendGroupMarker(nil, chunktest.V2Map32, true))
	f.Fuzz(func(t *testing.T, data []byte) {
		samePullAndVisitor(t, data)
		o := decodeMapped(data, true)
		var ce *chunk.Error
		if o.err != "" && !errors.As(firstError(data), &ce) {
			t.Fatalf("pull error %q is not a *chunk.Error", o.err)
		}
	})
}

func firstError(data []byte) error {
	var d chunk.Decoder
	d.Reset(data)
	m := record.NewMapper(record.InputAuto)
	for {
		if err := d.NextMapped(m); err != nil {
			return err
		}
	}
}

// TestPullMatchesVisitorShuffled: one decoder's key prediction over many
// records whose keys come in changing orders, some unknown, some long,
// the same inner keys in several maps and arrays of maps, each record
// mapped as the visitor (which looks every key up) maps it.
func TestPullMatchesVisitorShuffled(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	inner := func() chunktest.Record {
		return chunktest.R("orig_h", fmt.Sprintf("10.0.0.%d", rng.IntN(9)), "orig_p", int64(rng.IntN(70000)),
			"resp_h", "10.0.0.1", "resp_p", int64(53), "rrname", "x.example", "A", []any{"192.0.2.1"})
	}
	fields := []chunktest.Field{
		{Key: "ts", Val: 1732600000.5}, {Key: "uid", Val: "Cabc"}, {Key: "proto", Val: "udp"},
		{Key: "query", Val: "www.example.com"}, {Key: "qtype", Val: int64(1)}, {Key: "qtype_name", Val: "A"},
		{Key: "rcode", Val: int64(0)}, {Key: "rcode_name", Val: "NOERROR"}, {Key: "AA", Val: false},
		{Key: "answers", Val: []any{"192.0.2.1", "192.0.2.2"}}, {Key: "TTLs", Val: []any{60.0, 30.0}},
		{Key: "service", Val: "-"}, {Key: "duration", Val: 0.5}, {Key: "orig_bytes", Val: uint64(10)},
		{Key: "response_body_len", Val: int64(5)}, {Key: "validation_status", Val: "ok"},
		{Key: "an_unknown_key", Val: "v"}, {Key: "Z", Val: int64(0)}, {Key: "event_type", Val: "dns"},
		{Key: "id", Val: nil}, {Key: "id2", Val: nil}, {Key: "dns", Val: nil}, {Key: "x", Val: nil},
		{Key: "grouped", Val: nil}, {Key: "list", Val: nil},
	}
	var shapes [][]chunktest.Field
	for i := 0; i < 4; i++ {
		s := append([]chunktest.Field(nil), fields[:8+rng.IntN(len(fields)-8)]...)
		rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		shapes = append(shapes, s)
	}
	var data []byte
	for r := 0; r < 3000; r++ {
		s := shapes[rng.IntN(len(shapes))]
		if rng.IntN(8) == 0 { // a changed shape: keys swapped, one moved into another map
			s = append([]chunktest.Field(nil), s...)
			i, j := rng.IntN(len(s)), rng.IntN(len(s))
			s[i], s[j] = s[j], s[i]
			shapes[rng.IntN(len(shapes))] = s
		}
		rec := make(chunktest.Record, 0, len(s))
		for _, f := range s {
			switch f.Key {
			case "id", "id2", "x":
				f.Val = inner()
			case "dns":
				f.Val = chunktest.R("grouped", inner(), "queries", []any{inner(), inner()}, "type", "answer")
			case "grouped":
				f.Val = chunktest.R("A", inner())
			case "list":
				f.Val = []any{inner(), int64(1), inner()}
			}
			rec = append(rec, f)
		}
		data = chunktest.Append(data, chunktest.Event{Time: time.Unix(1732600000+int64(r), 0), Record: rec,
			Layout: chunktest.Layouts[r%len(chunktest.Layouts)], BinText: rng.IntN(4) == 0})
	}
	if o := decodeMapped(data, true); o.records != 3000 || o.err != "" {
		t.Fatalf("pull: %d records, error %q", o.records, o.err)
	}
	samePullAndVisitor(t, data)
}
