package scoring

// HashString is the 64-bit FNV-1a hash of s. Detectors key bounded state
// and bitmaps on it; it does not allocate.
func HashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// DecimalOctet reports whether s is a decimal number from 0 to 255 of at
// most three digits: one label of a (reversed) IPv4 address in a name.
func DecimalOctet(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v <= 255
}
