package asn

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

// The tests write their own small database in the MaxMind DB format
// (https://maxmind.github.io/MaxMind-DB/): an IPv4 search tree with 32-bit
// records, a data section and the metadata map.

type mmdbWriter struct{ data bytes.Buffer }

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
func buildDB(t *testing.T, entries map[string][2]any) []byte {
	t.Helper()
	root := &node{}
	var data bytes.Buffer
	for pfx, as := range entries {
		p := netip.MustParsePrefix(pfx)
		off := data.Len()
		putMap(&data, []string{"autonomous_system_number", "autonomous_system_organization"}, []any{as[0], as[1]})
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

func TestLookup(t *testing.T) {
	db := buildDB(t, map[string][2]any{
		"1.1.1.0/24":     {uint32(13335), "Cloudflare, Inc."},
		"8.8.8.0/24":     {uint32(15169), "Google LLC"},
		"203.0.113.0/25": {uint32(0), "no number"},
	})
	path := filepath.Join(t.TempDir(), "asn.mmdb")
	if err := os.WriteFile(path, db, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Type() != "Test-ASN" {
		t.Errorf("type %q", d.Type())
	}
	cases := []struct {
		addr string
		asn  uint32
		org  string
		ok   bool
	}{
		{"1.1.1.1", 13335, "Cloudflare, Inc.", true},
		{"8.8.8.8", 15169, "Google LLC", true},
		{"::ffff:8.8.4.4", 0, "", false}, // 8.8.4.0/24 is not in the database
		{"::ffff:8.8.8.53", 15169, "Google LLC", true},
		{"9.9.9.9", 0, "", false},
		{"10.1.2.3", 0, "", false}, // private
		{"203.0.113.5", 0, "", false},
		{"2001:db8::1", 0, "", false}, // IPv4-only database
	}
	for _, c := range cases {
		asn, org, ok := d.Lookup(netip.MustParseAddr(c.addr))
		if asn != c.asn || org != c.org || ok != c.ok {
			t.Errorf("Lookup(%s) = %d %q %v, want %d %q %v", c.addr, asn, org, ok, c.asn, c.org, c.ok)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "missing.mmdb")); err == nil {
		t.Error("missing file opened")
	}
	if _, err := OpenBytes([]byte("not a database")); err == nil {
		t.Error("garbage opened")
	}
}
