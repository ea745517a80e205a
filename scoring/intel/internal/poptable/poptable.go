// Package poptable is the built-in popularity prior in a form read in
// place: an open-addressed hash table of (domain, rank) built from the
// one-domain-a-line list once per process: one allocation the
// garbage collector never scans (a map of 100,000 strings it would walk
// on every cycle) and no per-domain allocation while building it. The
// table points into the list itself (the embedded prior, read-only), so
// the list's text is neither copied nor held twice.
//
// Layout of the slots (little-endian): the magic, the number of domains,
// the number of slots (a power of two), then one 8-byte slot per slot
// (the domain's offset in the list times 256 plus its length, 0 when
// empty; its rank). A slot is found by scoring.HashString of the domain
// and linear probing; a lookup compares the domain itself, so no name can
// take another's rank by colliding.
package poptable

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/internal/hotmem"
)

const (
	magic  = "NFRPOP1\n"
	header = len(magic) + 8
	// maxLen bounds a domain's length (it is stored in 8 bits); longer
	// lines are not registered domains.
	maxLen = 253
)

// Build makes the table from a list: line n has rank n, empty lines are
// ranks without an entry, and a domain listed twice keeps its better
// (lower) rank. The table refers to list's text, which must not change
// afterwards. The list is plain text, not gzipped: inflating the 1.35 MB
// prior took about 90 of the 230 million instructions `nfr score` spent
// starting up.
func Build(list string) (Table, error) {
	lines := strings.Count(list, "\n") + 1
	slots := 1
	for slots < 2*lines { // load at most 1/2
		slots <<= 1
	}
	if len(list) >= 1<<24 {
		return Table{}, errors.New("poptable: list text over 16 MiB")
	}
	out := hotmem.Table[byte](header + 8*slots)
	copy(out, magic)
	binary.LittleEndian.PutUint32(out[len(magic)+4:], uint32(slots))
	entries := 0
	for off, rank := 0, uint32(1); off < len(list); rank++ {
		n := strings.IndexByte(list[off:], '\n')
		if n < 0 {
			n = len(list) - off
		}
		if n > maxLen {
			return Table{}, fmt.Errorf("poptable: line %d: %d bytes", rank, n)
		}
		if n > 0 && insert(out, slots, list, off, n, rank) {
			entries++
		}
		off += n + 1
	}
	binary.LittleEndian.PutUint32(out[len(magic):], uint32(entries))
	return Table{slots: out, text: list}, nil
}

// insert fills the slot of the domain list[off:off+n] in the table being
// built in out; a domain already there keeps its earlier, better rank and
// insert reports false.
func insert(out []byte, slots int, list string, off, n int, rank uint32) bool {
	domain := list[off : off+n]
	for i := slot(domain, slots); ; i = (i + 1) & (slots - 1) {
		p := out[header+8*i:]
		offLen := binary.LittleEndian.Uint32(p)
		if offLen == 0 {
			binary.LittleEndian.PutUint32(p, uint32(off)<<8|uint32(n))
			binary.LittleEndian.PutUint32(p[4:], rank)
			return true
		}
		if m, at := offLen&0xff, offLen>>8; int(m) == n && list[at:at+m] == domain {
			return false
		}
	}
}

func slot(domain string, slots int) int { return int(scoring.HashString(domain) & uint64(slots-1)) }

// Table is a built table, read in place: its slots and the list they
// point into. The zero Table holds no domain.
type Table struct {
	slots []byte // never written once built
	text  string
}

// Check validates t's header and size.
func (t *Table) Check() error {
	if len(t.slots) < header || string(t.slots[:len(magic)]) != magic {
		return errors.New("poptable: not a popularity table")
	}
	slots := int(binary.LittleEndian.Uint32(t.slots[len(magic)+4:]))
	if slots == 0 || slots&(slots-1) != 0 || len(t.slots) != header+8*slots {
		return errors.New("poptable: bad slot count")
	}
	return nil
}

// Empty reports whether t is the zero Table.
func (t *Table) Empty() bool { return len(t.slots) == 0 }

// Len is the number of domains.
func (t *Table) Len() int {
	if t.Empty() {
		return 0
	}
	return int(binary.LittleEndian.Uint32(t.slots[len(magic):]))
}

// Rank returns domain's rank, 0 when unlisted. It does not allocate.
func (t *Table) Rank(domain string) uint32 { return t.RankHashed(domain, scoring.HashString(domain)) }

// RankHashed is Rank for a caller that has hashed domain already (h must
// be scoring.HashString(domain), as FQDN.RegisteredHash is).
func (t *Table) RankHashed(domain string, h uint64) uint32 {
	if len(domain) == 0 || len(domain) > maxLen || t.Empty() {
		return 0
	}
	slots := int(binary.LittleEndian.Uint32(t.slots[len(magic)+4:]))
	for i := int(h & uint64(slots-1)); ; i = (i + 1) & (slots - 1) {
		offLen := binary.LittleEndian.Uint32(t.slots[header+8*i:])
		if offLen == 0 {
			return 0
		}
		if n, off := offLen&0xff, offLen>>8; int(n) == len(domain) && t.text[off:off+n] == domain {
			return binary.LittleEndian.Uint32(t.slots[header+8*i+4:])
		}
	}
}
