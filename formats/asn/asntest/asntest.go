// Package asntest writes small MaxMind-format ASN databases for tests
// (https://maxmind.github.io/MaxMind-DB/): an IPv4 search tree with 32-bit
// records, a data section and the metadata map. Test support only.
package asntest

import (
	"bytes"
	"encoding/binary"
	"net/netip"
)

// ctrl writes a control byte (type, then size: under 29 inline, up to
// 284 as 29 plus one byte).
func ctrl(buf *bytes.Buffer, typ, size int) {
	inline, extra := size, -1
	if size >= 29 {
		inline, extra = 29, size-29
	}
	if typ <= 7 {
		buf.WriteByte(byte(typ<<5 | inline))
	} else {
		buf.WriteByte(byte(inline))
		buf.WriteByte(byte(typ - 7))
	}
	if extra >= 0 {
		buf.WriteByte(byte(extra))
	}
}

func putString(buf *bytes.Buffer, s string) { ctrl(buf, 2, len(s)); buf.WriteString(s) }

func putUint(buf *bytes.Buffer, typ int, v uint64) {
	var b []byte
	for ; v > 0; v >>= 8 {
		b = append([]byte{byte(v)}, b...)
	}
	ctrl(buf, typ, len(b))
	buf.Write(b)
}

// putMap writes a map of string keys; values are string, uint32 (type 6),
// uint16 (type 5) or a nested map.
func putMap(buf *bytes.Buffer, keys []string, vals []any) {
	ctrl(buf, 7, len(keys))
	for i, k := range keys {
		putString(buf, k)
		switch v := vals[i].(type) {
		case string:
			putString(buf, v)
		case uint32:
			putUint(buf, 6, uint64(v))
		case uint16:
			putUint(buf, 5, uint64(v))
		case uint64:
			putUint(buf, 9, v)
		case []string:
			ctrl(buf, 11, len(v))
			for _, s := range v {
				putString(buf, s)
			}
		case map[string]string:
			var ks []string
			var vs []any
			for k2, v2 := range v {
				ks, vs = append(ks, k2), append(vs, v2)
			}
			putMap(buf, ks, vs)
		}
	}
}

type node struct {
	child [2]*node
	data  [2]int // data offset+1 for a leaf record, 0 when none
}

// buildDB returns an IPv4 ASN database mapping each prefix (non-overlapping) to its AS.
// Entry is one prefix's autonomous system.
type Entry struct {
	ASN uint32
	Org string
}

// Build returns an IPv4 ASN database (GeoLite2-ASN field names) holding
// entries, keyed by CIDR. It panics on a malformed CIDR (test data).
func Build(entries map[string]Entry) []byte {
	root := &node{}
	var data bytes.Buffer
	for pfx, as := range entries {
		p := netip.MustParsePrefix(pfx)
		off := data.Len()
		putMap(&data, []string{"autonomous_system_number", "autonomous_system_organization"}, []any{as.ASN, as.Org})
		addr := p.Addr().As4()
		bits := binary.BigEndian.Uint32(addr[:])
		n := root
		for d := 0; d < p.Bits(); d++ {
			b := int(bits >> (31 - d) & 1)
			if d == p.Bits()-1 {
				n.data[b] = off + 1
				break
			}
			if n.child[b] == nil {
				n.child[b] = &node{}
			}
			n = n.child[b]
		}
	}
	var order []*node
	index := map[*node]int{}
	var walk func(*node)
	walk = func(n *node) {
		index[n] = len(order)
		order = append(order, n)
		for _, c := range n.child {
			if c != nil {
				walk(c)
			}
		}
	}
	walk(root)
	count := uint32(len(order))
	var out bytes.Buffer
	for _, n := range order {
		for side := 0; side < 2; side++ {
			rec := count // empty
			if n.child[side] != nil {
				rec = uint32(index[n.child[side]])
			} else if n.data[side] > 0 {
				rec = count + 16 + uint32(n.data[side]-1)
			}
			binary.Write(&out, binary.BigEndian, rec)
		}
	}
	out.Write(make([]byte, 16))
	out.Write(data.Bytes())
	out.WriteString("\xAB\xCD\xEFMaxMind.com")
	putMap(&out,
		[]string{"node_count", "record_size", "ip_version", "database_type", "languages",
			"binary_format_major_version", "binary_format_minor_version", "build_epoch", "description"},
		[]any{count, uint16(32), uint16(4), "Test-ASN", []string{"en"}, uint16(2), uint16(0), uint64(1700000000),
			map[string]string{"en": "nfr test ASN database"}})
	return out.Bytes()
}
