// Package chunktest builds Fluent Bit chunks byte for byte, in every event
// layout and time encoding Fluent Bit hands to output plugins, for tests
// and benchmarks of the chunk decoder and the plugin. It uses
// tinylib/msgp's encoder, independent of the decoder under test. It is not
// for production code.
package chunktest

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/tinylib/msgp/msgp"
)

// Layout is how an event's header is framed.
type Layout int

// Event layouts.
const (
	V2Fixmap Layout = iota // [[time, {}], record] with {} as fixmap 0x80
	V2Map32                // [[time, {}], record] with {} as map32 df 00000000
	V2Meta                 // [[time, {"otlp": {...}}], record]: non-empty metadata
	Legacy                 // [time, record]
	numLayouts
)

// TimeEnc is how an event's time is encoded.
type TimeEnc int

// Time encodings.
const (
	FixExt8 TimeEnc = iota // d7 00 sec nsec
	Ext8                   // c7 08 00 sec nsec
	Int                    // integer seconds (FLB_TIME_FORCE_FMT_INT)
	Float                  // float64 seconds
	numTimeEncs
)

// Layouts and TimeEncs list every variant, for tests that cover them all.
var (
	Layouts  = []Layout{V2Fixmap, V2Map32, V2Meta, Legacy}
	TimeEncs = []TimeEnc{FixExt8, Ext8, Int, Float}
)

// Field is one key/value of a record; Val is nil, bool, int64, uint64,
// float64, string, []byte (encoded as bin), Record (nested map) or []any.
type Field struct {
	Key string
	Val any
}

// Record is an ordered map.
type Record []Field

// Event is one chunk entry.
type Event struct {
	Time    time.Time
	Record  Record
	Layout  Layout
	TimeEnc TimeEnc
	// BinText encodes keys and string values as msgpack bin instead of str.
	BinText bool
}

// EncodedTime is the time the decoder must report for t under enc: Int
// truncates to seconds; Float is exact for the fractions tests use.
func EncodedTime(t time.Time, enc TimeEnc) time.Time {
	if enc == Int {
		return time.Unix(t.Unix(), 0).UTC()
	}
	return t.UTC()
}

// Append appends e to chunk.
func Append(chunk []byte, e Event) []byte {
	chunk = msgp.AppendArrayHeader(chunk, 2)
	chunk = appendHeader(chunk, e.Layout, func(b []byte) []byte { return appendTime(b, e.Time, e.TimeEnc) })
	return appendMap(chunk, e.Record, e.BinText)
}

// AppendGroupMarker appends an OpenTelemetry group start (or end) marker.
func AppendGroupMarker(chunk []byte, layout Layout, start bool) []byte {
	sec := uint32(0xFFFFFFFE)
	if start {
		sec = 0xFFFFFFFF
	}
	chunk = msgp.AppendArrayHeader(chunk, 2)
	chunk = appendHeader(chunk, layout, func(b []byte) []byte { return appendEventTime(b, sec, 0, false) })
	return appendMap(chunk, Record{{"resource", Record{{"service.name", "x"}}}}, false)
}

func appendHeader(b []byte, layout Layout, time func([]byte) []byte) []byte {
	if layout == Legacy {
		return time(b)
	}
	b = msgp.AppendArrayHeader(b, 2)
	b = time(b)
	switch layout {
	case V2Fixmap:
		return append(b, 0x80)
	case V2Map32:
		return append(b, 0xdf, 0, 0, 0, 0)
	case V2Meta:
		return appendMap(b, Record{{"otlp", Record{{"trace_id", []byte{1, 2, 3}}, {"flags", int64(-1)}}}}, false)
	}
	panic(fmt.Sprintf("chunktest: unknown layout %d", layout))
}

func appendTime(b []byte, t time.Time, enc TimeEnc) []byte {
	switch enc {
	case FixExt8, Ext8:
		return appendEventTime(b, uint32(t.Unix()), uint32(t.Nanosecond()), enc == Ext8)
	case Int:
		return msgp.AppendUint64(b, uint64(t.Unix()))
	case Float:
		return msgp.AppendFloat64(b, float64(t.Unix())+float64(t.Nanosecond())/1e9)
	}
	panic(fmt.Sprintf("chunktest: unknown time encoding %d", enc))
}

func appendEventTime(b []byte, sec, nsec uint32, ext8 bool) []byte {
	if ext8 {
		b = append(b, 0xc7, 8, 0)
	} else {
		b = append(b, 0xd7, 0)
	}
	b = binary.BigEndian.AppendUint32(b, sec)
	return binary.BigEndian.AppendUint32(b, nsec)
}

func appendMap(b []byte, r Record, bin bool) []byte {
	b = msgp.AppendMapHeader(b, uint32(len(r)))
	for _, f := range r {
		b = appendText(b, f.Key, bin)
		b = appendValue(b, f.Val, bin)
	}
	return b
}

func appendText(b []byte, s string, bin bool) []byte {
	if bin {
		return msgp.AppendBytes(b, []byte(s))
	}
	return msgp.AppendString(b, s)
}

func appendValue(b []byte, v any, bin bool) []byte {
	switch v := v.(type) {
	case nil:
		return msgp.AppendNil(b)
	case bool:
		return msgp.AppendBool(b, v)
	case int64:
		return msgp.AppendInt64(b, v)
	case uint64:
		return msgp.AppendUint64(b, v)
	case float64:
		return msgp.AppendFloat64(b, v)
	case string:
		return appendText(b, v, bin)
	case []byte:
		return msgp.AppendBytes(b, v)
	case Record:
		return appendMap(b, v, bin)
	case []any:
		b = msgp.AppendArrayHeader(b, uint32(len(v)))
		for _, x := range v {
			b = appendValue(b, x, bin)
		}
		return b
	}
	panic(fmt.Sprintf("chunktest: unsupported value %T", v))
}

// Flat is one field as the decoder must report it.
type Flat struct {
	Key string
	Val any // nil, bool, int64, uint64 (above MaxInt64 only), float64 or string
}

// Flatten lists r's scalars the way the decoder emits them: nested keys
// joined with ".", one entry per array element, bin as text.
func Flatten(r Record) []Flat {
	var out []Flat
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case Record:
			for _, f := range v {
				walk(join(key, f.Key), f.Val)
			}
		case []any:
			for _, x := range v {
				walk(key, x)
			}
		case []byte:
			out = append(out, Flat{key, string(v)})
		case uint64:
			if v <= math.MaxInt64 { // integers compare by value, whatever their width
				out = append(out, Flat{key, int64(v)})
			} else {
				out = append(out, Flat{key, v})
			}
		case float64:
			if math.IsNaN(v) {
				panic("chunktest: NaN cannot be compared")
			}
			out = append(out, Flat{key, v})
		default:
			out = append(out, Flat{key, v})
		}
	}
	walk("", r)
	return out
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// R builds a Record from alternating keys and values.
func R(kv ...any) Record {
	if len(kv)%2 != 0 {
		panic("chunktest: R needs key/value pairs")
	}
	r := make(Record, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		r = append(r, Field{Key: kv[i].(string), Val: kv[i+1]})
	}
	return r
}
