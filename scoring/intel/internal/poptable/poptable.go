// Package poptable is the built-in popularity prior in a form read in
// place: an open-addressed hash table of (domain, rank) built from the
// one-domain-a-line list once per process: one allocation the
// garbage collector never scans (a map of 100,000 strings it would walk
// on every cycle) and no per-domain allocation while building it.
//
// Layout (little-endian): the magic, the number of domains, the number of
// slots (a power of two), then one 8-byte slot per slot (the domain's
// offset in the text times 256 plus its length, 0 when empty; its rank),
// then the text: the domains, concatenated. A slot is found by
// scoring.HashString of the domain and linear probing; a lookup compares
// the domain itself, so no name can take another's rank by colliding.
package poptable

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/netflightrecorder/nfr/scoring"
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
// (lower) rank. The list is plain text, not gzipped: inflating the 1.35 MB
// prior took about 90 of the 230 million instructions `nfr score` spent
// starting up.
func Build(list []byte) ([]byte, error) {
	lines := bytes.Count(list, []byte{'\n'}) + 1
	slots := 1
	for slots < 2*lines { // load at most 1/2
		slots <<= 1
	}
	if len(list) >= 1<<24 {
		return nil, errors.New("poptable: list text over 16 MiB")
	}
	out := make([]byte, header+8*slots, header+8*slots+len(list))
	copy(out, magic)
	binary.LittleEndian.PutUint32(out[len(magic)+4:], uint32(slots))
	entries := 0
	for rank := uint32(1); len(list) > 0; rank++ {
		d := list
		if i := bytes.IndexByte(list, '\n'); i >= 0 {
			d, list = list[:i], list[i+1:]
		} else {
			list = nil
		}
		if len(d) > maxLen {
			return nil, fmt.Errorf("poptable: line %d: %d bytes", rank, len(d))
		}
		if len(d) > 0 && insert(out, slots, string(d), rank) {
			out = append(out, d...)
			entries++
		}
	}
	binary.LittleEndian.PutUint32(out[len(magic):], uint32(entries))
	return out, nil
}

// insert fills domain's slot in the table being built in out, pointing at
// the end of out's text (the caller then appends domain); a domain already
// there keeps its earlier, better rank and insert reports false.
func insert(out []byte, slots int, domain string, rank uint32) bool {
	text := out[header+8*slots:]
	for i := slot(domain, slots); ; i = (i + 1) & (slots - 1) {
		p := out[header+8*i:]
		offLen := binary.LittleEndian.Uint32(p)
		if offLen == 0 {
			binary.LittleEndian.PutUint32(p, uint32(len(text))<<8|uint32(len(domain)))
			binary.LittleEndian.PutUint32(p[4:], rank)
			return true
		}
		if n, off := offLen&0xff, offLen>>8; int(n) == len(domain) && string(text[off:off+n]) == domain {
			return false
		}
	}
}

func slot(domain string, slots int) int { return int(scoring.HashString(domain) & uint64(slots-1)) }

// Table is a built table, read in place.
type Table string

// Check validates t's header and size.
func (t Table) Check() error {
	if len(t) < header || string(t[:len(magic)]) != magic {
		return errors.New("poptable: not a popularity table")
	}
	slots := int(le32(string(t), len(magic)+4))
	if slots == 0 || slots&(slots-1) != 0 || len(t) < header+8*slots {
		return errors.New("poptable: bad slot count")
	}
	return nil
}

// Len is the number of domains.
func (t Table) Len() int { return int(le32(string(t), len(magic))) }

// Rank returns domain's rank, 0 when unlisted. It does not allocate.
func (t Table) Rank(domain string) uint32 { return t.RankHashed(domain, scoring.HashString(domain)) }

// RankHashed is Rank for a caller that has hashed domain already (h must
// be scoring.HashString(domain), as FQDN.RegisteredHash is).
func (t Table) RankHashed(domain string, h uint64) uint32 {
	if len(domain) == 0 || len(domain) > maxLen {
		return 0
	}
	slots := int(le32(string(t), len(magic)+4))
	text := string(t[header+8*slots:])
	for i := int(h & uint64(slots-1)); ; i = (i + 1) & (slots - 1) {
		offLen := le32(string(t), header+8*i)
		if offLen == 0 {
			return 0
		}
		if n, off := offLen&0xff, offLen>>8; int(n) == len(domain) && text[off:off+n] == domain {
			return le32(string(t), header+8*i+4)
		}
	}
}

func le32(s string, i int) uint32 {
	_ = s[i+3]
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}
