// Package chunk decodes Fluent Bit output chunks (a concatenation of
// msgpack events) without copying them: it walks the bytes once and hands
// each record's fields, keys flattened with ".", straight to a
// formats/record Mapper (NextMapped, the plugin's path) or to any
// FieldSink (Next). It knows every event layout Fluent Bit hands to an
// output plugin (see Decoder).
//
// It must not allocate per record, retain the chunk after a call returns,
// do I/O, or panic on any input: malformed bytes yield an *Error with the
// byte offset where decoding stopped.
package chunk

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/netflightrecorder/nfr/formats/record"
)

// MaxDepth bounds how deeply maps and arrays may nest inside a record.
const MaxDepth = 32

// FieldSink receives records: Begin with the event time, then one Field per
// scalar (one per array element; nested map keys joined with "."). key, v
// and any Str in v alias decoder or chunk memory and are valid only during
// the call; the sink must not modify them. formats/record's Mapper is a
// FieldSink.
type FieldSink interface {
	Begin(t time.Time)
	Field(key []byte, v *Value)
}

// Error is a malformed chunk: what was wrong and at which byte offset.
type Error struct {
	Offset int
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("malformed chunk at byte %d: %s", e.Offset, e.Reason)
}

// Decoder walks one chunk at a time. The zero value is ready after Reset.
// A Decoder is not safe for concurrent use; pool them per worker.
//
// Accepted event layouts (Fluent Bit v2.1+ and legacy):
//
//	[[time, metadata_map], record_map]
//	[time, record_map]
//
// time is EventTime (ext type 0 as fixext8 or ext8), a non-negative integer
// (seconds) or a float (seconds). Group markers (EventTime seconds
// 0xFFFFFFFF / 0xFFFFFFFE, or integer -1 / -2) are skipped and counted.
// Keys and string values may be str or bin.
type Decoder struct {
	data []byte
	off  int
	key  []byte // flattened key of the field being emitted
	val  Value  // the value being emitted

	// The record's fields go to m (NextMapped) or, when m is nil, to sink.
	m    *record.Mapper
	sink FieldSink

	// keys predicts each key from the one before it, for the Mapper
	// (record.KeyPredictor).
	keys record.KeyPredictor

	// Records and Groups count what Next has produced and skipped since Reset.
	Records int
	Groups  int
}

// Reset points the decoder at a new chunk. The decoder keeps no reference
// to earlier chunks.
func (d *Decoder) Reset(data []byte) {
	d.data, d.off, d.key = data, 0, d.key[:0]
	d.Records, d.Groups = 0, 0
}

// Offset is the byte offset of the next event.
func (d *Decoder) Offset() int { return d.off }

// Release drops the reference to the current chunk (call before the chunk's
// memory is freed if the decoder outlives it).
func (d *Decoder) Release() { d.data, d.off = nil, 0 }

// Next decodes the next record into sink, skipping group markers. It
// returns io.EOF after the last event and an *Error for malformed bytes; on
// error sink may have received a partial record, which the caller discards.
// After an error the rest of the chunk cannot be decoded.
func (d *Decoder) Next(sink FieldSink) error {
	d.sink, d.m = sink, nil
	defer func() { d.sink = nil }()
	return d.next(sink.Begin)
}

// nextEvent reads event headers, skipping group markers, up to the next
// record map; io.EOF after the last event.
func (d *Decoder) nextEvent() (time.Time, error) {
	// Fast path: the header Fluent Bit 2 and later writes, [[EventTime
	// (fixext8, type 0), {}], which the general path below reads the same
	// way; markers and bad times take the general path.
	if off := d.off; off+13 <= len(d.data) {
		p := d.data[off : off+13]
		if p[0] == 0x92 && p[1] == 0x92 && p[2] == 0xd7 && p[3] == 0 && p[12] == 0x80 {
			sec, nsec := binary.BigEndian.Uint32(p[4:8]), binary.BigEndian.Uint32(p[8:12])
			if sec < 0xFFFFFFFE && nsec < 1e9 {
				d.off = off + 13
				return time.Unix(int64(sec), int64(nsec)).UTC(), nil
			}
		}
	}
	if t, ok, err := d.commonHeader(); ok || err != nil {
		return t, err
	}
	for d.off < len(d.data) {
		t, marker, err := d.eventHeader()
		if err != nil {
			return t, err
		}
		if !marker {
			return t, nil
		}
		if err := d.expectMap(); err != nil {
			return t, err
		}
		if err := d.skip(); err != nil {
			return t, err
		}
		d.Groups++
	}
	return time.Time{}, io.EOF
}

// commonHeader reads the header of an event in one step when it is not a
// group marker and its time is an EventTime (fixext8, ext8), an unsigned
// integer up to 32 bits or a float64: every layout, every time encoding
// Fluent Bit writes. ok is false, nothing having been read, for any other
// header, which eventHeader then reads (with the same errors); metadata
// is skipped as eventHeader skips it.
func (d *Decoder) commonHeader() (t time.Time, ok bool, err error) {
	data, p := d.data, d.off
	if p+1 >= len(data) || data[p] != 0x92 {
		return t, false, nil
	}
	p++
	nested := data[p] == 0x92 // [[time, metadata], record]
	if nested {
		p++
	}
	if t, p, ok = commonTime(data, p); !ok || p >= len(data) {
		return time.Time{}, false, nil
	}
	if !nested {
		d.off = p
		return t, true, nil
	}
	switch b := data[p]; {
	case b == 0x80: // {}, the usual metadata
		d.off = p + 1
	case b>>4 == 0x8 || b == 0xde || b == 0xdf:
		d.off = p
		err = d.skip()
	default:
		return time.Time{}, false, nil
	}
	return t, true, err
}

// commonTime reads the time at data[p:] for commonHeader: an EventTime
// (fixext8, ext8) that is not a group marker and has valid nanoseconds,
// an unsigned integer below 0xFFFFFFFE or a float64 in range. It returns
// the offset past it; false for any other time.
func commonTime(data []byte, p int) (time.Time, int, bool) {
	if p+9 > len(data) {
		return time.Time{}, p, false
	}
	switch data[p] {
	case 0xd7: // fixext8
		if data[p+1] == 0 && p+10 <= len(data) {
			return eventTime(data[p+2:p+10], p+10)
		}
	case 0xc7: // ext8
		if data[p+1] == 8 && data[p+2] == 0 && p+11 <= len(data) {
			return eventTime(data[p+3:p+11], p+11)
		}
	case 0xce: // uint32
		if sec := binary.BigEndian.Uint32(data[p+1:]); sec < 0xFFFFFFFE {
			return time.Unix(int64(sec), 0).UTC(), p + 5, true
		}
	case 0xcb: // float64
		f := math.Float64frombits(binary.BigEndian.Uint64(data[p+1:]))
		if t, ok := floatTime(f); ok {
			return t, p + 9, true
		}
	}
	return time.Time{}, p, false
}

// eventTime reads the seconds and nanoseconds of an EventTime that is
// not a group marker, for commonTime.
func eventTime(b []byte, next int) (time.Time, int, bool) {
	sec, nsec := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	if sec >= 0xFFFFFFFE || nsec >= 1e9 {
		return time.Time{}, next, false
	}
	return time.Unix(int64(sec), int64(nsec)).UTC(), next, true
}

// floatTime converts a float time in seconds, false out of range.
func floatTime(f float64) (time.Time, bool) {
	if math.IsNaN(f) || f < 0 || f >= 1<<40 {
		return time.Time{}, false
	}
	sec := math.Floor(f)
	nsec := math.Round((f - sec) * 1e9)
	return time.Unix(int64(sec), int64(nsec)).UTC(), true
}

// eventHeader reads "[" time (or "[[" time, metadata "]") and reports
// whether the event is a group marker.
func (d *Decoder) eventHeader() (t time.Time, marker bool, err error) {
	start := d.off
	n, ok, err := d.arrayHeader()
	if err != nil {
		return t, false, err
	}
	if !ok {
		return t, false, d.fail(start, "event is not an array")
	}
	if n != 2 {
		return t, false, d.fail(start, fmt.Sprintf("event array has %d elements, want 2", n))
	}
	hdr := d.off
	m, nested, err := d.arrayHeader()
	if err != nil {
		return t, false, err
	}
	if !nested {
		return d.time()
	}
	if m != 2 {
		return t, false, d.fail(hdr, fmt.Sprintf("event header has %d elements, want [time, metadata]", m))
	}
	if t, marker, err = d.time(); err != nil {
		return t, false, err
	}
	if err := d.expectMap(); err != nil {
		return t, false, err
	}
	return t, marker, d.skip() // metadata is not scored
}

// time reads an event time in any of its encodings.
func (d *Decoder) time() (time.Time, bool, error) {
	start := d.off
	if d.off >= len(d.data) {
		return time.Time{}, false, d.truncated(start)
	}
	b := d.data[d.off]
	switch {
	case b == 0xd7 || b == 0xc7: // fixext8 or ext8
		body := 2
		if b == 0xc7 {
			if d.off+2 < len(d.data) && d.data[d.off+1] != 8 {
				return time.Time{}, false, d.fail(start, fmt.Sprintf("ext8 time has length %d, want 8", d.data[d.off+1]))
			}
			body = 3
		}
		if d.off+body+8 > len(d.data) {
			return time.Time{}, false, d.truncated(start)
		}
		if typ := d.data[d.off+body-1]; typ != 0 {
			return time.Time{}, false, d.fail(start, fmt.Sprintf("time is ext type %d, want EventTime (0)", int8(typ)))
		}
		p := d.data[d.off+body:]
		sec := binary.BigEndian.Uint32(p)
		nsec := binary.BigEndian.Uint32(p[4:])
		d.off += body + 8
		if sec == 0xFFFFFFFF || sec == 0xFFFFFFFE {
			return time.Time{}, true, nil
		}
		if nsec >= 1e9 {
			return time.Time{}, false, d.fail(start, "EventTime nanoseconds out of range")
		}
		return time.Unix(int64(sec), int64(nsec)).UTC(), false, nil
	case b == 0xca || b == 0xcb:
		v := &d.val
		if _, err := d.scalar(v); err != nil {
			return time.Time{}, false, err
		}
		t, ok := floatTime(v.Float)
		if !ok {
			return time.Time{}, false, d.fail(start, "float time out of range")
		}
		return t, false, nil
	case b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3):
		if _, err := d.scalar(&d.val); err != nil {
			return time.Time{}, false, err
		}
		return d.intTime(start, &d.val)
	}
	return time.Time{}, false, d.fail(start, fmt.Sprintf("time has msgpack type 0x%02x, want EventTime, integer or float", b))
}

// intTime interprets an integer time in seconds; -1/-2 and their 32-bit
// unsigned forms are group markers.
func (d *Decoder) intTime(start int, v *Value) (time.Time, bool, error) {
	if v.Kind == KindInt && v.Int < 0 {
		if v.Int == -1 || v.Int == -2 {
			return time.Time{}, true, nil
		}
		return time.Time{}, false, d.fail(start, "negative integer time")
	}
	sec := v.Uint
	if v.Kind == KindInt {
		sec = uint64(v.Int)
	}
	switch {
	case sec == 0xFFFFFFFF || sec == 0xFFFFFFFE || sec >= math.MaxUint64-1:
		return time.Time{}, true, nil
	case sec >= 1<<40:
		return time.Time{}, false, d.fail(start, "integer time out of range")
	}
	return time.Unix(int64(sec), 0).UTC(), false, nil
}

// appendKey appends a str, bin or integer key to d.key; false when the key
// has another type (it has then been skipped).
func (d *Decoder) appendKey() (bool, error) {
	if d.off >= len(d.data) {
		return false, d.truncated(d.off)
	}
	b := d.data[d.off]
	if b>>5 == 0x5 && d.off+1+int(b&0x1f) <= len(d.data) { // fixstr: the usual key
		n := int(b & 0x1f)
		d.key = append(d.key, d.data[d.off+1:d.off+1+n]...)
		d.off += 1 + n
		return true, nil
	}
	if isContainer(b) {
		return false, d.skip()
	}
	v := &d.val
	if ext, err := d.scalar(v); err != nil || ext {
		return false, err
	}
	switch v.Kind {
	case KindString:
		d.key = append(d.key, v.Str...)
	case KindInt:
		d.key = strconv.AppendInt(d.key, v.Int, 10)
	case KindUint:
		d.key = strconv.AppendUint(d.key, v.Uint, 10)
	default:
		return false, nil
	}
	return true, nil
}

func (d *Decoder) fail(off int, reason string) error { return &Error{Offset: off, Reason: reason} }

func (d *Decoder) truncated(off int) error { return &Error{Offset: off, Reason: "truncated"} }

// expectMap checks, without consuming, that a map starts at d.off.
func (d *Decoder) expectMap() error {
	if d.off >= len(d.data) {
		return d.truncated(d.off)
	}
	if b := d.data[d.off]; b>>4 == 0x8 || b == 0xde || b == 0xdf {
		return nil
	}
	return d.fail(d.off, fmt.Sprintf("expected a map, found msgpack type 0x%02x", d.data[d.off]))
}
