package chunk

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/netflightrecorder/nfr/formats/record"
)

// NextMapped decodes the next record straight into m, the pull path the
// plugin uses: each key is resolved once (record.LookupField, also for
// the elements of an array) and each value read in place (the common
// msgpack types inline) and handed to m.SetField, without the FieldSink
// interface; the values of keys m ignores are read past, not handed over. Errors, offsets, counters and
// group markers are those of Next: both walk the chunk with the same code.
func (d *Decoder) NextMapped(m *record.Mapper) error {
	d.m = m
	if !d.keys.Ready() {
		d.keys.Init()
	}
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
	saved := d.keys.EnterMap(d.key)
	for i := 0; i < n; i++ {
		k, err := d.pairs(prefix, n-i, depth)
		if err != nil {
			return err
		}
		if i += k; i == n {
			break
		}
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
		var f *record.Field
		view := prefix == 0
		if end <= len(data) {
			key, f = d.inlineKey(data, prefix, start, end)
			d.off = end
		} else {
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
			if d.m != nil {
				f = record.LookupField(key)
			}
		}
		if d.off < len(d.data) && isContainer(d.data[d.off]) {
			err = d.container(key, f, view, depth) // as value would, without its checks
		} else {
			err = d.value(key, f, view, depth)
		}
		if err != nil {
			return err
		}
	}
	d.key = d.key[:prefix]
	d.keys.LeaveMap(saved)
	return nil
}

// inlineKey returns the key data[ks:ke] of a map under prefix (its length
// in d.key), a view of the chunk at the top level, built in d.key when
// nested, and, for the Mapper, its field, predicted or looked up.
func (d *Decoder) inlineKey(data []byte, prefix, ks, ke int) ([]byte, *record.Field) {
	switch {
	case d.m == nil:
		return d.flatKey(data, prefix, ks, ke), nil
	case d.keys.Predicts(data, ks, ke):
		f, _ := d.keys.Take()
		return d.flatKey(data, prefix, ks, ke), f
	}
	return d.resolve(data, prefix, ks, ke)
}

// flatKey returns the raw key data[ks:ke] of a map under prefix (its
// length in d.key): a view of the chunk at the top level, built in d.key
// when nested ("id.orig_h").
func (d *Decoder) flatKey(data []byte, prefix, ks, ke int) []byte {
	key := data[ks:ke]
	if prefix > 0 {
		d.key = append(append(d.key[:prefix], '.'), key...)
		key = d.key
	}
	return key
}

// resolve returns the flattened key of data[ks:ke] (flatKey) and its
// field when the key prediction's first guess missed it: the second
// guess's or the key table's.
func (d *Decoder) resolve(data []byte, prefix, ks, ke int) ([]byte, *record.Field) {
	key := d.flatKey(data, prefix, ks, ke)
	if d.keys.PredictsSecond(data, ks, ke) {
		f, _ := d.keys.TakeSecond()
		return key, f
	}
	return key, d.keys.Lookup(data, ks, ke, key)
}

// pairs reads up to n key/value pairs of the common shape, one step
// each, the hot path: a text key up to 255 bytes (after prefix, when
// nested) and a scalar value (text up to 255 bytes, an integer up to 32
// bits, a bool, a float64) followed by at least one byte; the key is
// resolved and the value handed to the Mapper (or the sink). A map or an
// array value (the container of a map at depth) is walked as mapBody
// walks it, with its errors. It returns how many pairs it read, stopping
// before the first pair of another shape, which mapBody then reads the
// general way (with the same errors).
func (d *Decoder) pairs(prefix, n, depth int) (int, error) {
	data := d.data
	for i := 0; i < n; i++ {
		off := d.off
		if off+1 >= len(data) {
			return i, nil
		}
		ks, ke := 0, 0
		switch b := data[off]; {
		case b>>5 == 0x5: // fixstr
			ks, ke = off+1, off+1+int(b&0x1f)
		case b == 0xd9 || b == 0xc4: // str8, bin8
			ks, ke = off+2, off+2+int(data[off+1])
		default:
			return i, nil
		}
		if ke+1 >= len(data) {
			return i, nil
		}
		v, next := &d.val, 0
		switch b := data[ke]; { // the commonest kinds first: each case is a compare or two
		case b>>5 == 0x5: // fixstr
			end := ke + 1 + int(b&0x1f)
			if end > len(data) {
				return i, nil
			}
			v.Kind, v.Str, next = KindString, data[ke+1:end], end
		case b == 0xd9 || b == 0xc4: // str8, bin8
			end := ke + 2 + int(data[ke+1])
			if end > len(data) {
				return i, nil
			}
			v.Kind, v.Str, next = KindString, data[ke+2:end], end
		case b <= 0x7f: // positive fixint
			v.Kind, v.Uint, v.Int, next = KindUint, uint64(b), int64(b), ke+1
		case b == 0xc2 || b == 0xc3:
			v.Kind, v.Bool, next = KindBool, b == 0xc3, ke+1
		case b == 0xcb && ke+9 <= len(data):
			v.Kind, v.Float, next = KindFloat, math.Float64frombits(binary.BigEndian.Uint64(data[ke+1:ke+9])), ke+9
		case b == 0xcc:
			v.Kind, v.Uint, v.Int, next = KindUint, uint64(data[ke+1]), int64(data[ke+1]), ke+2
		case b == 0xcd && ke+3 <= len(data):
			u := uint64(binary.BigEndian.Uint16(data[ke+1 : ke+3]))
			v.Kind, v.Uint, v.Int, next = KindUint, u, int64(u), ke+3
		case b == 0xce && ke+5 <= len(data):
			u := uint64(binary.BigEndian.Uint32(data[ke+1 : ke+5]))
			v.Kind, v.Uint, v.Int, next = KindUint, u, int64(u), ke+5
		case b == 0xd0:
			i := int64(int8(data[ke+1]))
			v.Kind, v.Int, v.Uint, next = KindInt, i, nonNegative(i), ke+2
		case b == 0xd1 && ke+3 <= len(data):
			i := int64(int16(binary.BigEndian.Uint16(data[ke+1 : ke+3])))
			v.Kind, v.Int, v.Uint, next = KindInt, i, nonNegative(i), ke+3
		case b == 0xd2 && ke+5 <= len(data):
			i := int64(int32(binary.BigEndian.Uint32(data[ke+1 : ke+5])))
			v.Kind, v.Int, v.Uint, next = KindInt, i, nonNegative(i), ke+5
		default:
			if !isContainer(b) {
				return i, nil
			}
			// A map or an array: its key as mapBody reads it, then the
			// container (at d.off) as mapBody walks it.
			d.off = ke
			key, f := d.inlineKey(data, prefix, ks, ke)
			if err := d.container(key, f, prefix == 0, depth); err != nil {
				return i, err
			}
			continue
		}
		d.off = next
		if d.m == nil {
			d.sink.Field(d.flatKey(data, prefix, ks, ke), v)
			continue
		}
		var f *record.Field
		var key []byte
		if d.keys.Predicts(data, ks, ke) {
			f, key = d.keys.Take()
		} else {
			key, f = d.resolve(data, prefix, ks, ke)
		}
		if f == nil {
			continue
		}
		if record.MayBeMarker(v) { // v is not nil: else SetField is Apply, which inlines
			d.m.SetField(f, key, v)
		} else {
			d.m.Apply(f, key, v)
		}
	}
	return n, nil
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

// value reads one value under key: a scalar goes to the Mapper or the
// sink, a container is walked with its depth checked. (The common scalars
// of the pull path are read inline by pairs.)
func (d *Decoder) value(key []byte, f *record.Field, view bool, depth int) error {
	if ext, err := d.scalarOrContainer(key, f, view, depth); err != nil || ext {
		return err
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
	if n, isMap, ok := d.fixHeader(); ok {
		if !isMap {
			return d.elements(key, f, view, n, depth)
		}
		if view {
			d.key = append(d.key[:0], key...)
		}
		return d.mapBody(n, depth+1)
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
	return d.elements(key, f, view, n, depth)
}

// fixHeader reads the header of a fixmap or fixarray whose items fit in
// the bytes left, container's fast path; ok is false, nothing having been
// read, for any other header, which mapHeader and arrayHeader then read
// (with the same errors).
func (d *Decoder) fixHeader() (n int, isMap, ok bool) {
	if d.off >= len(d.data) {
		return 0, false, false
	}
	b := d.data[d.off]
	n, isMap = int(b&0x0f), b>>4 == 0x8
	items := n
	if isMap {
		items = 2 * n
	}
	if b>>5 != 0x4 || items > len(d.data)-d.off-1 {
		return 0, false, false
	}
	d.off++
	return n, isMap, true
}

// elements walks the n elements of an array under key.
func (d *Decoder) elements(key []byte, f *record.Field, view bool, n, depth int) error {
	for i := 0; i < n; i++ {
		if f != nil && d.m != nil && d.element() {
			if v := &d.val; record.MayBeMarker(v) { // as pairs hands values over
				d.m.SetField(f, key, v)
			} else {
				d.m.Apply(f, key, v)
			}
			continue
		}
		if err := d.value(key, f, view, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// element reads an array element of the common kinds (text up to 255
// bytes, a float64, a positive fixint) into d.val, the fast path of an
// array the Mapper reads (answers); it returns false, having read
// nothing, for any other value.
func (d *Decoder) element() bool {
	data, off := d.data, d.off
	if off >= len(data) {
		return false
	}
	v := &d.val
	switch b := data[off]; {
	case b>>5 == 0x5: // fixstr
		end := off + 1 + int(b&0x1f)
		if end > len(data) {
			return false
		}
		v.Kind, v.Str, d.off = KindString, data[off+1:end], end
	case (b == 0xd9 || b == 0xc4) && off+1 < len(data): // str8, bin8
		end := off + 2 + int(data[off+1])
		if end > len(data) {
			return false
		}
		v.Kind, v.Str, d.off = KindString, data[off+2:end], end
	case b == 0xcb && off+9 <= len(data):
		v.Kind, v.Float, d.off = KindFloat, math.Float64frombits(binary.BigEndian.Uint64(data[off+1:off+9])), off+9
	case b <= 0x7f:
		v.Kind, v.Uint, v.Int, d.off = KindUint, uint64(b), int64(b), off+1
	default:
		return false
	}
	return true
}

// nonNegative is i as the Uint of an integer Value (0 when negative), as
// the general path (intValue) sets it.
func nonNegative(i int64) uint64 {
	if i < 0 {
		return 0
	}
	return uint64(i)
}
