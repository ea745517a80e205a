// Package asn reads a MaxMind-format ASN database (GeoLite2-ASN or a
// compatible .mmdb) so alerts can name the destination's autonomous system.
// It only reads the file and answers lookups; it implements
// engine.ASNLookup and is safe for concurrent use.
package asn

import (
	"fmt"
	"net/netip"

	"github.com/oschwald/maxminddb-golang/v2"
)

// DB is an open ASN database.
type DB struct {
	r *maxminddb.Reader
}

// record is the part of an ASN database record nfr uses.
type record struct {
	Number uint32 `maxminddb:"autonomous_system_number"`
	Org    string `maxminddb:"autonomous_system_organization"`
}

// Open opens the database at path.
func Open(path string) (*DB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("asn database %s: %w", path, err)
	}
	return &DB{r: r}, nil
}

// OpenBytes opens a database held in memory.
func OpenBytes(b []byte) (*DB, error) {
	r, err := maxminddb.OpenBytes(b)
	if err != nil {
		return nil, fmt.Errorf("asn database: %w", err)
	}
	return &DB{r: r}, nil
}

// Type is the database type from its metadata, e.g. "GeoLite2-ASN".
func (d *DB) Type() string { return d.r.Metadata.DatabaseType }

// Lookup returns the autonomous system announcing a. ok is false for
// private, loopback and unlisted addresses, and for records without an AS
// number.
func (d *DB) Lookup(a netip.Addr) (asn uint32, org string, ok bool) {
	if !a.IsValid() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() {
		return 0, "", false
	}
	a = a.Unmap().WithZone("")
	if a.Is6() && d.r.Metadata.IPVersion == 4 {
		return 0, "", false
	}
	res := d.r.Lookup(a)
	if !res.Found() {
		return 0, "", false
	}
	var rec record
	if err := res.Decode(&rec); err != nil || rec.Number == 0 {
		return 0, "", false
	}
	return rec.Number, rec.Org, true
}

// Close releases the database.
func (d *DB) Close() error { return d.r.Close() }
