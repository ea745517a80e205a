package intel

import (
	"encoding/binary"
	"hash/maphash"
	"net/netip"

	"github.com/netflightrecorder/nfr/scoring"
)

// filter is a one-hash Bloom filter over the index's domain, prefix and
// ip:port keys. A lookup tests one bit (in a bitset small enough to stay in cache)
// before probing the large maps, so the common case — a name or address
// that is in no list — costs no map probe. False positives only cost the
// probe; there are no false negatives.
type filter struct {
	bits []uint64
	mask uint64 // number of bits - 1 (a power of two minus one)
}

var filterSeed = maphash.MakeSeed()

// newFilter sizes a filter for n keys at 16 bits per key (about 6% false
// positives), at least 4096 bits.
func newFilter(n int) filter {
	size := uint64(4096)
	for size < uint64(n)*16 {
		size <<= 1
	}
	return filter{bits: make([]uint64, size/64), mask: size - 1}
}

func (f *filter) add(h uint64) {
	b := h & f.mask
	f.bits[b>>6] |= 1 << (b & 63)
}

func (f *filter) has(h uint64) bool {
	if f.bits == nil {
		return true
	}
	b := h & f.mask
	return f.bits[b>>6]&(1<<(b&63)) != 0
}

// hashString is the seeded hash of the popularity ranks feeds add
// (ranks: keyed by the hash alone, so crafted names must not be able to
// collide with a ranked one).
func hashString(s string) uint64 { return maphash.String(filterSeed, s) }

// filterKey is the filter's hash of a domain: scoring.HashString, fixed,
// which the engine has computed already for a query name (FQDN.Hash) and
// its registered domain (FQDN.RegisteredHash). A filter's false positives
// cost only a map probe, so a fixed hash changes no match; being fixed, it
// also makes the index's cost the same from run to run: with a seeded one,
// which of the common suffixes ("com", "net") the filter passed changed
// with the seed, and BenchmarkScoreZeekTSV varied by up to 40
// instructions an event between runs (about 20 with this hash: the
// runtime's maps stay seeded).
func filterKey(domain string) uint64 { return scoring.HashString(domain) }

// hashPrefix hashes a canonical (masked, zone-less) prefix.
func hashPrefix(p netip.Prefix) uint64 {
	b := p.Addr().As16()
	return hashPrefixWords(binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:]), p.Bits())
}

// hashPrefix4 is hashPrefix of the IPv4 prefix of the address a (masked to
// bits) and bits, without building it: its 16-byte form is a's
// IPv4-mapped IPv6 address.
func hashPrefix4(a uint32, bits int) uint64 {
	return hashPrefixWords(0, 0xffff<<32|uint64(a), bits)
}

// hashPrefixWords hashes a prefix given as its 16-byte address, big-endian
// halves hi and lo, and its length.
func hashPrefixWords(hi, lo uint64, bits int) uint64 {
	h := hi*0x9E3779B97F4A7C15 ^ lo*0xC2B2AE3D27D4EB4F ^ uint64(bits)*0x165667B19E3779F9
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 32
	return h
}

// hashAddrPort hashes a canonical address and port.
func hashAddrPort(ap netip.AddrPort) uint64 {
	return hashPrefix(netip.PrefixFrom(ap.Addr(), 0)) ^ uint64(ap.Port())*0x9E3779B97F4A7C15
}

// buildFilter fills the index's filter from its maps.
func (ix *Index) buildFilter() {
	ix.filter = newFilter(len(ix.domains) + ix.ips.Len() + len(ix.addrPorts))
	for d := range ix.domains {
		ix.filter.add(filterKey(d))
	}
	for p := range ix.ips.m {
		ix.filter.add(hashPrefix(p))
	}
	for ap := range ix.addrPorts {
		ix.filter.add(hashAddrPort(ap))
	}
}
