package chunk

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/netflightrecorder/nfr/formats/record"
)

// NextMapped decodes the next record straight into m, the pull path the
// plugin uses: one loop reads each key, resolves it with
// record.LookupField, reads the value in place (the common msgpack types
// inline) and hands it to m.SetField; the values of keys m ignores are
// read past without being handed over. Errors, offsets, counters and group
// markers are exactly those of Next with m as the sink (tests compare
// them); only the calls for ignored keys are left out.
func (d *Decoder) NextMapped(m *record.Mapper) error {
	t, err := d.nextEvent()
	if err != nil {
		return err
	}
	m.Begin(t)
	start := d.off
	n, ok, err := d.mapHeader()
	if err != nil {
		return err
	}
	if !ok {
		return d.fail(start, "record is not a map")
	}
	d.key = d.key[:0]
	if err := d.mappedBody(m, n, 0); err != nil {
		return err
	}
	d.Records++
	return nil
}

// mappedBody is mapBody for NextMapped: n key/value pairs under the key
// prefix d.key.
func (d *Decoder) mappedBody(m *record.Mapper, n, depth int) error {
	prefix := len(d.key)
	for i := 0; i < n; i++ {
		key, view, ok, err := d.mappedKey(prefix)
		if err != nil {
			return err
		}
		if !ok { // a key that is not text or integer: skip the entry
			if err := d.skip(); err != nil {
				return err
			}
			continue
		}
		if err := d.mappedValue(m, key, view, depth); err != nil {
			return err
		}
	}
	d.key = d.key[:prefix]
	return nil
}

// mappedKey reads the next key: a top-level fixstr as a view of the chunk
// (view is then true), any other key flattened into d.key after prefix.
func (d *Decoder) mappedKey(prefix int) (key []byte, view, ok bool, err error) {
	if off := d.off; off < len(d.data) {
		if b := d.data[off]; b>>5 == 0x5 {
			if end := off + 1 + int(b&0x1f); end <= len(d.data) {
				d.off = end
				if prefix == 0 {
					return d.data[off+1 : end], true, true, nil
				}
				d.key = append(append(d.key[:prefix], '.'), d.data[off+1:end]...)
				return d.key, false, true, nil
			}
		}
	}
	d.key = d.key[:prefix]
	if prefix > 0 {
		d.key = append(d.key, '.')
	}
	ok, err = d.appendKey()
	return d.key, false, ok, err
}

// mappedValue is value for NextMapped: a scalar is read (fixstr, fixint,
// bool and float64 inline) and set unless m ignores its key; a container
// is walked as value walks it, with the same depth limit.
func (d *Decoder) mappedValue(m *record.Mapper, key []byte, view bool, depth int) error {
	off := d.off
	if off >= len(d.data) {
		return d.truncated(off)
	}
	v := &d.val
	switch b := d.data[off]; {
	case b>>5 == 0x5 && off+1+int(b&0x1f) <= len(d.data): // fixstr
		end := off + 1 + int(b&0x1f)
		v.Kind, v.Str, d.off = KindString, d.data[off+1:end], end
	case b <= 0x7f: // positive fixint
		v.Kind, v.Uint, v.Int, d.off = KindUint, uint64(b), int64(b), off+1
	case b == 0xc2 || b == 0xc3:
		v.Kind, v.Bool, d.off = KindBool, b == 0xc3, off+1
	case b == 0xcb && off+9 <= len(d.data):
		v.Kind, v.Float = KindFloat, math.Float64frombits(binary.BigEndian.Uint64(d.data[off+1:off+9]))
		d.off = off + 9
	case isContainer(b):
		return d.mappedContainer(m, key, view, depth)
	default:
		if ext, err := d.scalar(v); err != nil || ext {
			return err
		}
	}
	if f := record.LookupField(key); f != record.FieldNone {
		m.SetField(f, key, v)
	}
	return nil
}

// mappedContainer walks a map (keys appended to key) or an array (each
// element under key).
func (d *Decoder) mappedContainer(m *record.Mapper, key []byte, view bool, depth int) error {
	if depth >= MaxDepth {
		return d.fail(d.off, fmt.Sprintf("nesting deeper than %d", MaxDepth))
	}
	if n, ok, err := d.mapHeader(); err != nil {
		return err
	} else if ok {
		if view {
			d.key = append(d.key[:0], key...)
		}
		return d.mappedBody(m, n, depth+1)
	}
	n, _, err := d.arrayHeader()
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := d.mappedValue(m, key, view, depth+1); err != nil {
			return err
		}
	}
	return nil
}
