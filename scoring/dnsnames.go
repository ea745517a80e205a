package scoring

import "strconv"

var qtypeNames = map[uint16]string{
	1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 10: "NULL", 12: "PTR", 13: "HINFO", 15: "MX",
	16: "TXT", 17: "RP", 18: "AFSDB", 24: "SIG", 25: "KEY", 28: "AAAA", 29: "LOC", 33: "SRV",
	35: "NAPTR", 36: "KX", 37: "CERT", 39: "DNAME", 41: "OPT", 43: "DS", 44: "SSHFP",
	46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA",
	64: "SVCB", 65: "HTTPS", 99: "SPF", 249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR",
	255: "ANY", 256: "URI", 257: "CAA",
}

var qtypeByName = func() map[string]uint16 {
	m := make(map[string]uint16, len(qtypeNames)+1)
	for k, v := range qtypeNames {
		m[v] = k
	}
	m["*"] = 255
	return m
}()

// QTypeName returns the mnemonic for a qtype ("TXT"), or "TYPE<n>" (RFC 3597).
func QTypeName(t uint16) string {
	if s, ok := qtypeNames[t]; ok {
		return s
	}
	return "TYPE" + strconv.Itoa(int(t))
}

// ParseQType maps a mnemonic ("AAAA", "TYPE65") or a decimal string to a qtype.
func ParseQType(s string) (uint16, bool) {
	if t, ok := qtypeByName[s]; ok {
		return t, true
	}
	if len(s) > 4 && s[:4] == "TYPE" {
		s = s[4:]
	}
	n, err := strconv.ParseUint(s, 10, 16)
	return uint16(n), err == nil
}

var rcodeNames = [...]string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"}

// RcodeName returns the mnemonic of an rcode, "" for RcodeUnknown.
func RcodeName(r int16) string {
	if r == RcodeUnknown {
		return ""
	}
	if r >= 0 && int(r) < len(rcodeNames) {
		return rcodeNames[r]
	}
	return "RCODE" + strconv.Itoa(int(r))
}

// ParseRcode maps a mnemonic ("NXDOMAIN", also Microsoft's "NXDOMAIN"
// spelling) or a decimal string to an rcode.
func ParseRcode(s string) (int16, bool) {
	for i, n := range rcodeNames {
		if n == s {
			return int16(i), true
		}
	}
	n, err := strconv.ParseInt(s, 10, 16)
	return int16(n), err == nil && n >= 0
}
