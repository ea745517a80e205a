package chunk

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/netflightrecorder/nfr/formats/record"
)

// NextMapped decodes the next record straight into m, the pull path the
// plugin uses: each key is resolved once (Mapper.Lookup, which remembers
// the previous record's keys) and each value read in place (the common
// msgpack types inline) and handed to m.SetField, without the FieldSink
// interface; the values of keys m ignores are read past, not handed over. Errors, offsets, counters and
// group markers are those of Next: both walk the chunk with the same code.
func (d *Decoder) NextMapped(m *record.Mapper) error {
	d.m = m
	return d.next(m.Begin)
}

// next reads the next event and walks its record map.
func (d *Decoder) next(begin func(time.Time)) error {
	t, err := d.nextEvent()
	if err != nil {
		return err
	}
	begin(t)
	start := d.off
	n, ok, err := d.mapHeader()
	if err != nil {
		return err
	}
	if !ok {
		return d.fail(start, "record is not a map")
	}
	d.key = d.key[:0]
	if err := d.mapBody(n, 0); err != nil {
		return err
	}
	d.Records++
	return nil
}

// mapBody walks n key/value pairs under the key prefix d.key. Keys of up
// to 255 bytes (fixstr, str8, bin8) are read inline, as a view of the
// chunk at the top level; other keys are built in d.key.
func (d *Decoder) mapBody(n, depth int) error {
	prefix := len(d.key)
	for i := 0; i < n; i++ {
		off, data := d.off, d.data
		start, end := len(data)+1, len(data)+1
		if off+1 < len(data) {
			switch b := data[off]; {
			case b>>5 == 0x5:
				start, end = off+1, off+1+int(b&0x1f)
			case b == 0xd9 || b == 0xc4:
				start, end = off+2, off+2+int(data[off+1])
			}
		}
		var key []byte
		view := prefix == 0
		switch {
		case end <= len(data) && view:
			key, d.off = data[start:end], end
		case end <= len(data):
			d.key = append(append(d.key[:prefix], '.'), data[start:end]...)
			key, d.off = d.key, end
		default:
			var err error
			if key, err = d.otherKey(prefix); err != nil {
				return err
			}
			if key == nil { // a key that is not text or integer: skip the entry
				if err := d.skip(); err != nil {
					return err
				}
				continue
			}
			view = false
		}
		var f *record.Field
		if d.m != nil {
			f = d.m.Lookup(key)
		}
		if err := d.value(key, f, view, depth); err != nil {
			return err
		}
	}
	d.key = d.key[:prefix]
	return nil
}

// otherKey reads a key mapBody does not read inline into d.key after
// prefix; nil when it is neither text nor an integer (it has then been
// skipped).
func (d *Decoder) otherKey(prefix int) ([]byte, error) {
	d.key = d.key[:prefix]
	if prefix > 0 {
		d.key = append(d.key, '.')
	}
	ok, err := d.appendKey()
	if !ok || err != nil {
		return nil, err
	}
	return d.key, nil
}

// value reads one value under key: a scalar (text up to 255 bytes,
// integers up to 16 bits, bool and float64 inline) goes to the Mapper or
// the sink, a container is walked with its depth checked.
func (d *Decoder) value(key []byte, f *record.Field, view bool, depth int) error {
	off, data := d.off, d.data
	if off+1 >= len(data) { // every value is followed by at least one byte, except a chunk's last
		if ext, err := d.scalarOrContainer(key, f, view, depth); err != nil || ext {
			return err
		}
	} else {
		v := &d.val
		switch b := data[off]; {
		case b>>5 == 0x5 && off+1+int(b&0x1f) <= len(data): // fixstr
			end := off + 1 + int(b&0x1f)
			v.Kind, v.Str, d.off = KindString, data[off+1:end], end
		case (b == 0xd9 || b == 0xc4) && off+2+int(data[off+1]) <= len(data): // str8, bin8
			end := off + 2 + int(data[off+1])
			v.Kind, v.Str, d.off = KindString, data[off+2:end], end
		case b <= 0x7f: // positive fixint
			v.Kind, v.Uint, v.Int, d.off = KindUint, uint64(b), int64(b), off+1
		case b == 0xcc:
			v.Kind, v.Uint, v.Int, d.off = KindUint, uint64(data[off+1]), int64(data[off+1]), off+2
		case b == 0xcd && off+3 <= len(data):
			u := uint64(binary.BigEndian.Uint16(data[off+1 : off+3]))
			v.Kind, v.Uint, v.Int, d.off = KindUint, u, int64(u), off+3
		case b == 0xc2 || b == 0xc3:
			v.Kind, v.Bool, d.off = KindBool, b == 0xc3, off+1
		case b == 0xcb && off+9 <= len(data):
			v.Kind, v.Float = KindFloat, math.Float64frombits(binary.BigEndian.Uint64(data[off+1:off+9]))
			d.off = off + 9
		default:
			if ext, err := d.scalarOrContainer(key, f, view, depth); err != nil || ext {
				return err
			}
		}
	}
	if d.m != nil { // to the Mapper, when it reads the key
		if f != nil {
			d.m.SetField(f, key, &d.val)
		}
		return nil
	}
	d.sink.Field(key, &d.val)
	return nil
}

// scalarOrContainer reads a scalar into d.val (done is false: the caller
// sets it) or walks a container (done is true).
func (d *Decoder) scalarOrContainer(key []byte, f *record.Field, view bool, depth int) (done bool, err error) {
	if d.off < len(d.data) && isContainer(d.data[d.off]) {
		return true, d.container(key, f, view, depth)
	}
	if d.off >= len(d.data) {
		return true, d.truncated(d.off)
	}
	return d.scalar(&d.val)
}

// container walks a map (keys appended to key) or an array (each
// element under key).
func (d *Decoder) container(key []byte, f *record.Field, view bool, depth int) error {
	if depth >= MaxDepth {
		return d.fail(d.off, fmt.Sprintf("nesting deeper than %d", MaxDepth))
	}
	if n, ok, err := d.mapHeader(); err != nil {
		return err
	} else if ok {
		if view {
			d.key = append(d.key[:0], key...)
		}
		return d.mapBody(n, depth+1)
	}
	n, _, err := d.arrayHeader()
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := d.value(key, f, view, depth+1); err != nil {
			return err
		}
	}
	return nil
}
