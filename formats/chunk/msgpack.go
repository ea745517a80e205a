package chunk

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The msgpack primitives below read at d.off and advance it. Every length
// is checked against the bytes left before it is used.

// isContainer reports whether b starts a map or an array.
func isContainer(b byte) bool {
	return b>>4 == 0x8 || b>>4 == 0x9 || b == 0xdc || b == 0xdd || b == 0xde || b == 0xdf
}

// need returns the n bytes at d.off+skip, or a truncation error at start.
func (d *Decoder) need(start, skip, n int) ([]byte, error) {
	if n < 0 || d.off+skip+n > len(d.data) || d.off+skip+n < d.off {
		return nil, d.truncated(start)
	}
	return d.data[d.off+skip : d.off+skip+n], nil
}

// containerHeader reads a map (isMap) or array header. ok is false, and
// nothing is consumed, when another type starts at d.off. Counts larger
// than the bytes left are reported as truncation (each item needs a byte).
func (d *Decoder) containerHeader(isMap bool) (n int, ok bool, err error) {
	start := d.off
	if d.off >= len(d.data) {
		return 0, false, d.truncated(start)
	}
	b := d.data[d.off]
	fix, c16, c32 := byte(0x9), byte(0xdc), byte(0xdd)
	if isMap {
		fix, c16, c32 = 0x8, 0xde, 0xdf
	}
	switch {
	case b>>4 == fix:
		n, d.off = int(b&0x0f), d.off+1
	case b == c16:
		p, err := d.need(start, 1, 2)
		if err != nil {
			return 0, false, err
		}
		n, d.off = int(binary.BigEndian.Uint16(p)), d.off+3
	case b == c32:
		p, err := d.need(start, 1, 4)
		if err != nil {
			return 0, false, err
		}
		n, d.off = int(binary.BigEndian.Uint32(p)), d.off+5
	default:
		return 0, false, nil
	}
	items := n
	if isMap {
		items = 2 * n
	}
	if items > len(d.data)-d.off {
		d.off = start
		return 0, false, d.truncated(start)
	}
	return n, true, nil
}

func (d *Decoder) mapHeader() (int, bool, error)   { return d.containerHeader(true) }
func (d *Decoder) arrayHeader() (int, bool, error) { return d.containerHeader(false) }

// scalar reads one non-container value. ext is true for extension types,
// whose payload is skipped.
func (d *Decoder) scalar(v *Value) (ext bool, err error) {
	start := d.off
	if d.off >= len(d.data) {
		return false, d.truncated(start)
	}
	b := d.data[d.off]
	switch {
	case b <= 0x7f:
		d.off++
		*v = uintValue(uint64(b))
		return false, nil
	case b >= 0xe0:
		d.off++
		*v = intValue(int64(int8(b)))
		return false, nil
	case b>>5 == 0x5: // fixstr
		return d.text(v, start, 1, int(b&0x1f))
	}
	switch b {
	case 0xc0:
		d.off++
		*v = Value{Kind: KindNil}
		return false, nil
	case 0xc2, 0xc3:
		d.off++
		*v = Value{Kind: KindBool, Bool: b == 0xc3}
		return false, nil
	case 0xcc, 0xcd, 0xce, 0xcf:
		size := 1 << (b - 0xcc)
		p, err := d.need(start, 1, size)
		if err != nil {
			return false, err
		}
		d.off += 1 + size
		*v = uintValue(beUint(p))
		return false, nil
	case 0xd0, 0xd1, 0xd2, 0xd3:
		size := 1 << (b - 0xd0)
		p, err := d.need(start, 1, size)
		if err != nil {
			return false, err
		}
		d.off += 1 + size
		u := beUint(p)
		shift := 64 - 8*size // sign-extend
		*v = intValue(int64(u<<shift) >> shift)
		return false, nil
	case 0xca:
		p, err := d.need(start, 1, 4)
		if err != nil {
			return false, err
		}
		d.off += 5
		*v = Value{Kind: KindFloat, Float: float64(math.Float32frombits(binary.BigEndian.Uint32(p)))}
		return false, nil
	case 0xcb:
		p, err := d.need(start, 1, 8)
		if err != nil {
			return false, err
		}
		d.off += 9
		*v = Value{Kind: KindFloat, Float: math.Float64frombits(binary.BigEndian.Uint64(p))}
		return false, nil
	case 0xd9, 0xc4: // str8, bin8
		p, err := d.need(start, 1, 1)
		if err != nil {
			return false, err
		}
		return d.text(v, start, 2, int(p[0]))
	case 0xda, 0xc5: // str16, bin16
		p, err := d.need(start, 1, 2)
		if err != nil {
			return false, err
		}
		return d.text(v, start, 3, int(binary.BigEndian.Uint16(p)))
	case 0xdb, 0xc6: // str32, bin32
		p, err := d.need(start, 1, 4)
		if err != nil {
			return false, err
		}
		return d.text(v, start, 5, int(binary.BigEndian.Uint32(p)))
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1..16
		size := 1 << (b - 0xd4)
		if _, err := d.need(start, 2, size); err != nil {
			return false, err
		}
		d.off += 2 + size
		return true, nil
	case 0xc7, 0xc8, 0xc9: // ext 8, 16, 32
		lenSize := 1 << (b - 0xc7)
		p, err := d.need(start, 1, lenSize)
		if err != nil {
			return false, err
		}
		n := int(beUint(p))
		if _, err := d.need(start, 2+lenSize, n); err != nil {
			return false, err
		}
		d.off += 2 + lenSize + n
		return true, nil
	}
	if isContainer(b) {
		return false, d.fail(start, "unexpected map or array")
	}
	return false, d.fail(start, fmt.Sprintf("invalid msgpack byte 0x%02x", b))
}

// text returns the str or bin whose payload of n bytes starts hdr bytes
// after start.
func (d *Decoder) text(v *Value, start, hdr, n int) (bool, error) {
	p, err := d.need(start, hdr, n)
	if err != nil {
		return false, err
	}
	d.off += hdr + n
	*v = Value{Kind: KindString, Str: p}
	return false, nil
}

// skip consumes one complete value of any type without recursion.
func (d *Decoder) skip() error {
	for pending := 1; pending > 0; {
		pending--
		if d.skipScalar() {
			if pending > len(d.data)-d.off {
				return d.truncated(d.off)
			}
			continue
		}
		if n, isMap, ok := d.fixHeader(); ok {
			pending += n
			if isMap {
				pending += n
			}
		} else if n, ok, err := d.mapHeader(); err != nil {
			return err
		} else if ok {
			pending += 2 * n
		} else if n, ok, err := d.arrayHeader(); err != nil {
			return err
		} else if ok {
			pending += n
		} else if _, err := d.scalar(&d.val); err != nil {
			return err
		}
		if pending > len(d.data)-d.off { // every pending value needs a byte
			return d.truncated(d.off)
		}
	}
	return nil
}

// skipScalar consumes one value of the common kinds (a fixint, nil, a
// bool, a fixstr, str8 or bin8 that fits), skip's fast path; it returns
// false, having read nothing, for any other value.
func (d *Decoder) skipScalar() bool {
	off := d.off
	if off >= len(d.data) {
		return false
	}
	switch b := d.data[off]; {
	case b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3:
		d.off = off + 1
	case b>>5 == 0x5 && off+1+int(b&0x1f) <= len(d.data):
		d.off = off + 1 + int(b&0x1f)
	case (b == 0xd9 || b == 0xc4) && off+1 < len(d.data) && off+2+int(d.data[off+1]) <= len(d.data):
		d.off = off + 2 + int(d.data[off+1])
	default:
		return false
	}
	return true
}

func beUint(p []byte) uint64 {
	var u uint64
	for _, b := range p {
		u = u<<8 | uint64(b)
	}
	return u
}

func uintValue(u uint64) Value {
	v := Value{Kind: KindUint, Uint: u}
	if u <= math.MaxInt64 {
		v.Int = int64(u)
	}
	return v
}

func intValue(i int64) Value {
	v := Value{Kind: KindInt, Int: i}
	if i >= 0 {
		v.Uint = uint64(i)
	}
	return v
}
