package scoring

// SetBit sets bit b of the bitmap bits (bit b lives in bits[b/64]) and
// reports whether it was clear: detectors count distinct names, ports or
// hosts in fixed bitmaps with it.
func SetBit(bits []uint64, b uint64) bool {
	w, m := &bits[b/64], uint64(1)<<(b%64)
	if *w&m != 0 {
		return false
	}
	*w |= m
	return true
}

// PortSet is a set of TCP/UDP ports, one bit each.
type PortSet [65536 / 64]uint64

// NewPortSet returns the set of ports.
func NewPortSet(ports []uint16) *PortSet {
	s := new(PortSet)
	for _, p := range ports {
		s[p/64] |= 1 << (p % 64)
	}
	return s
}

// Has reports whether p is in s.
func (s *PortSet) Has(p uint16) bool { return s[p/64]&(1<<(p%64)) != 0 }
