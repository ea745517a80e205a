package scoring

import (
	"strings"

	"golang.org/x/net/idna"
)

// FQDN is the breakdown of a domain name, computed once per event and shared
// by every detector. A reused FQDN parses ASCII names without allocating.
type FQDN struct {
	// Name is normalised: lower case, ASCII (punycode for IDNs), no trailing dot.
	Name string
	// Unicode is Name with punycode labels decoded (equal to Name when ASCII).
	Unicode string
	// Suffix is the public suffix ("co.uk"), per the public suffix list.
	Suffix string
	// ICANN reports whether Suffix is an ICANN suffix (not a private one such as github.io).
	ICANN bool
	// Registered is the registrable domain: Suffix plus one label ("example.co.uk").
	// Empty when Name is itself a public suffix.
	Registered string
	// Subdomain is what stands left of Registered, without the joining dot.
	Subdomain string
	// TLD is the last label.
	TLD string
	// Valid is false when there was no name or it is malformed.
	Valid bool
	// Hash is HashString(Name) when Valid: caches keyed by the name
	// (state.NameCache's *Hashed methods) use it instead of hashing again.
	Hash uint64
	// Rank is Registered's rank in the popularity prior (1 = most
	// popular), set by the engine from its intel index; 0 when the name is
	// unranked, has no registered domain, or sits in a shared zone
	// (dynamic DNS, a private public-suffix section) where the rank of
	// the provider says nothing of the user's zone.
	Rank uint32

	labels []string // Labels' buffer, reused
	// regHash is HashString(Registered), or 0 when not hashed yet
	// (RegisteredHash; a hash that is 0 is recomputed, not wrong).
	regHash uint64
}

// Reset clears f, keeping the labels buffer.
func (f *FQDN) Reset() {
	labels := f.labels[:0]
	*f = FQDN{labels: labels}
}

// RegisteredHash returns HashString(f.Registered), hashing it at most once
// per name: the dnstunnel and nxdomain detectors, the popularity prior and
// the dga detector's score cache all key on the registered domain, and a
// name rebuilt from its layout (SetLayout) carries the hash with it when
// it was hashed before the layout was taken, so the engine's repeated
// names are not hashed again (about 28 instructions a lookup of issue
// 19's mix, BenchmarkProcessLookups).
func (f *FQDN) RegisteredHash() uint64 {
	if f.regHash == 0 {
		f.regHash = HashString(f.Registered)
	}
	return f.regHash
}

// Labels returns Name's labels, left to right, split on demand into a
// buffer f reuses (valid until f changes): few checks need them, so
// parsing does not build them.
func (f *FQDN) Labels() []string {
	f.labels = f.labels[:0]
	if !f.Valid {
		return f.labels
	}
	for rest := f.Name; ; {
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			f.labels = append(f.labels, rest)
			return f.labels
		}
		f.labels = append(f.labels, rest[:i])
		rest = rest[i+1:]
	}
}

// Parse fills f from a raw name (any case, optional trailing dot, Unicode or
// punycode). A name in normal form (lower-case ASCII, well formed, not an
// address) is read once, eight bytes a step, for its dots; the others are
// normalised first.
func (f *FQDN) Parse(raw string) {
	f.Reset()
	var dots dotSet
	if name := strings.TrimSuffix(raw, "."); scanNormal(name, &dots) {
		f.parseNormal(name, &dots, HashString(name))
		return
	}
	f.parseAny(raw)
}

// ParseHashed is Parse for a caller that has hashed raw already (h must be
// HashString(raw), as for a cache lookup): a name in normal form without a
// trailing dot is not hashed again.
func (f *FQDN) ParseHashed(raw string, h uint64) {
	f.Reset()
	var dots dotSet
	if name := strings.TrimSuffix(raw, "."); scanNormal(name, &dots) {
		if len(name) < len(raw) {
			h = HashString(name)
		}
		f.parseNormal(name, &dots, h)
		return
	}
	f.parseAny(raw)
}

// parseAny is Parse for any raw name: normalised, checked, then split.
func (f *FQDN) parseAny(raw string) {
	name := normalise(raw)
	if name == "" || len(name) > 253 {
		return
	}
	f.Name = name
	f.Unicode = name
	if strings.Contains(name, "xn--") {
		if u, err := idna.Punycode.ToUnicode(name); err == nil {
			f.Unicode = u
		}
	}
	if emptyLabel(name) {
		f.Reset() // malformed
		return
	}
	f.TLD = name[strings.LastIndexByte(name, '.')+1:]
	f.Suffix, f.ICANN = publicSuffix(name)
	if len(f.Suffix) < len(name) {
		head := name[:len(name)-len(f.Suffix)-1]
		dot := strings.LastIndexByte(head, '.')
		f.Registered = name[dot+1:]
		if dot > 0 {
			f.Subdomain = name[:dot]
		}
	}
	f.Valid = f.TLD != ""
	if f.Valid {
		f.Hash = HashString(name)
	}
}

// parseNormal fills f from a name that scanNormal accepted, whose dots are
// dots and whose HashString is h: what Parse finds for it, without the
// checks it passed.
func (f *FQDN) parseNormal(name string, dots *dotSet, h uint64) {
	f.Name, f.Unicode = name, name
	f.TLD = name[dots.before(len(name))+1:]
	f.Suffix, f.ICANN = pslWalk(name, dots)
	if len(f.Suffix) < len(name) {
		dot := dots.before(len(name) - len(f.Suffix) - 1)
		f.Registered = name[dot+1:]
		if dot > 0 {
			f.Subdomain = name[:dot]
		}
	}
	f.Valid, f.Hash = true, h
}

// emptyLabel reports a name with an empty label (leading or doubled dot;
// the one trailing dot is already gone).
func emptyLabel(name string) bool {
	return name[0] == '.' || name[len(name)-1] == '.' || strings.Contains(name, "..")
}

// Popular reports whether Registered ranks within the top of the
// popularity prior (top > 0).
func (f *FQDN) Popular(top uint32) bool { return f.Rank != 0 && f.Rank <= top }

// UnderZone reports whether name, or one of its parent domains, is a key
// of zones (name and keys normalised as FQDN.Name).
func UnderZone(name string, zones map[string]struct{}) bool {
	for rest := name; ; {
		if _, ok := zones[rest]; ok {
			return true
		}
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			return false
		}
		rest = rest[i+1:]
	}
}

// RegisteredLabel returns the label that carries the name: the registered
// domain's leftmost label ("example" in www.example.co.uk).
func (f *FQDN) RegisteredLabel() string {
	if f.Registered == "" {
		return ""
	}
	if i := strings.IndexByte(f.Registered, '.'); i > 0 {
		return f.Registered[:i]
	}
	return f.Registered
}

// RestrictedZone reports whether f's public suffix is one under which only
// governments, militaries, international organisations or academic
// institutions register (gov, mil, edu, int, and second-level zones such
// as gov.tr, ac.uk, go.jp, gob.mx): malware can hold no name there, so it
// is neither an impersonation nor a DGA registration.
func (f *FQDN) RestrictedZone() bool {
	first, rest, second := strings.Cut(f.Suffix, ".")
	switch first {
	case "gov", "mil", "edu", "int":
		return true
	case "govt", "gouv", "gob", "go", "ac", "gv", "mod":
		return second && rest != "" // .ac itself is an open ccTLD
	}
	return false
}

// normalise lower-cases raw, strips one trailing dot and converts a Unicode
// name to punycode. It allocates only when raw is not already normal.
func normalise(raw string) string {
	raw = strings.TrimSuffix(raw, ".")
	ascii := true
	upper := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c >= 0x80 {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !ascii {
		a, err := idna.Lookup.ToASCII(raw)
		if err != nil {
			return ""
		}
		return a
	}
	if upper {
		return strings.ToLower(raw)
	}
	return raw
}

// NameLayout records where a parsed name's parts lie, as byte offsets into
// its Name, so that an FQDN can be rebuilt from the same name without
// parsing it again (SetLayout). It holds no strings: a cache of layouts
// keeps no event memory alive.
type NameLayout struct {
	hash      uint64
	regHash   uint64 // FQDN.regHash: 0 when not hashed yet
	suffixLen uint8
	regStart  uint8 // offset of Registered in Name
	tldStart  uint8
	hasReg    bool
	icann     bool
}

// Layout returns f's layout. ok is false when f cannot be rebuilt from its
// Name alone: invalid, or an IDN (Unicode differs from Name).
func (f *FQDN) Layout() (l NameLayout, ok bool) {
	if !f.Valid || f.Unicode != f.Name || len(f.Name) > 255 {
		return NameLayout{}, false
	}
	l = NameLayout{hash: f.Hash, regHash: f.regHash, suffixLen: uint8(len(f.Suffix)), tldStart: uint8(len(f.Name) - len(f.TLD)), icann: f.ICANN}
	if f.Registered != "" {
		l.hasReg, l.regStart = true, uint8(len(f.Name)-len(f.Registered))
	}
	return l, true
}

// SetLayout fills f from name and l, which must be the layout of a name
// equal to name (FQDN.Parse(name) would give the same result).
func (f *FQDN) SetLayout(name string, l *NameLayout) {
	f.Reset()
	f.Name, f.Unicode, f.TLD = name, name, name[l.tldStart:]
	f.Suffix, f.ICANN = name[len(name)-int(l.suffixLen):], l.icann
	if l.hasReg {
		f.Registered = name[l.regStart:]
		if l.regStart > 0 {
			f.Subdomain = name[:l.regStart-1]
		}
	}
	f.Valid, f.Hash, f.regHash = true, l.hash, l.regHash
}
