package asn

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/netflightrecorder/nfr/formats/asn/asntest"
)

func TestLookup(t *testing.T) {
	db := asntest.Build(map[string]asntest.Entry{
		"1.1.1.0/24":     {ASN: 13335, Org: "Cloudflare, Inc."},
		"8.8.8.0/24":     {ASN: 15169, Org: "Google LLC"},
		"203.0.113.0/25": {ASN: 0, Org: "no number"},
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
