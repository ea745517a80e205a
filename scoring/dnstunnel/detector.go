package dnstunnel

import (
	"math"
	"math/bits"
	"net/netip"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// Rule names, as they appear in evidence.
const (
	RuleEncodedNames = "encoded_names"  // mean payload per distinct name >= name_bytes
	RuleTunnelTypes  = "tunnel_rrtypes" // mostly high-capacity record types and >= name_bytes/4
	RuleVolume       = "volume"         // payload summed over the window >= window_bytes
)

// seenBits is the size of each window's distinct-name bitmap.
const seenBits = 1024

// maxStructLabels is how many right-hand labels of the previous name are
// remembered to tell fixed structure ("tunnel" in x.tunnel.example.org) from
// the labels that vary from name to name.
const maxStructLabels = 8

type key struct {
	src    netip.Addr
	domain uint64
}

// window is the state of one (source, registered domain) pair. The
// fields every event updates come first, then those of a new name, then
// the bitmap, of which an event reads one word: an event touches fewer
// cache lines of the LRU node than with the bitmap in the middle
// (BenchmarkProcessLookups under cachegrind's cache simulation: D1 read
// misses in dnstunnel's code and its LRU 1.41M -> 1.33M).
type window struct {
	start       int64 // event time (Unix ns) the window opened
	last        int64
	answerBytes uint64
	queries     uint32
	unique      uint32 // distinct subdomains (bitmap misses)
	tunnelTypes uint32 // queries for record types with a large answer capacity
	answered    uint32
	reputation  uint32 // answers shaped like RFC 5782 list answers (127.0.0.0/8)
	raised      bool
	maxLabel    uint8
	prevN       uint8
	oddNames    uint32  // distinct names with characters outside [a-z0-9_-]
	payload     float64 // estimated payload bytes over distinct names
	maxPayload  float64
	prev        [maxStructLabels]uint32
	seen        [seenBits / 64]uint64
}

// Detector is the dnstunnel detector. Not safe for concurrent use.
type Detector struct {
	cfg    Config
	state  *state.LRU[key, window]
	counts [256]uint8 // payloadBytes' scratch
	labels labelMemo  // labels.go
}

// New returns a detector with configuration cfg (already validated).
func New(cfg Config) *Detector {
	return &Detector{cfg: cfg, state: state.NewLRUHash[key, window](cfg.MaxKeys, hashKey, nil)}
}

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "dnstunnel" }

// State implements scoring.StateReporter.
func (d *Detector) State() scoring.StateStats {
	return scoring.StateStats{
		Entries:   d.state.Len(),
		Capacity:  d.state.Cap(),
		Evictions: d.state.Evictions(),
		Bytes:     int64(d.state.Cap()) * int64(windowSize+keySize+48),
	}
}

const (
	windowSize = 8*3 + 4*2 + seenBits/8 + 8*2 + 8 + 4*5 + 8 + 4*maxStructLabels + 8
	keySize    = 32
)

// Wants implements scoring.EventFilter: DNS.
func (d *Detector) Wants(t scoring.EventType) bool { return t == scoring.TypeDNS }

// Inspect implements scoring.Detector.
func (d *Detector) Inspect(ev *scoring.Event, name *scoring.FQDN, r *scoring.Report) {
	if !d.cfg.Enabled || ev.Type != scoring.TypeDNS || r.HasAnyCategory(d.cfg.ExemptCategories) {
		return
	}
	registered, sub, domain := split(ev, name)
	if sub == "" {
		return
	}
	t := ev.Time.UnixNano()
	k := key{src: ev.SrcIP, domain: domain}
	w, inserted := d.state.GetOrInsertHashed(k, hashKey(k))
	if inserted || t-w.start >= int64(d.cfg.Window) || w.start-t >= int64(d.cfg.Window) {
		*w = window{start: t}
	}
	if t > w.last {
		w.last = t
	}
	w.queries++
	if tunnelType(ev.DNS.QType) {
		w.tunnelTypes++
	}
	if ev.DNS.Rcode != scoring.RcodeUnknown {
		w.answered++
		w.answerBytes += uint64(max(ev.DNS.AnswerSize, 0))
		if reputationAnswer(ev.DNS.Answers) {
			w.reputation++
		}
	}
	// Within one (source, registered domain) window, distinct subdomains
	// are distinct names: the name's hash, computed once, serves.
	h := name.Hash
	if !name.Valid {
		h = scoring.HashString(sub)
	}
	if scoring.SetBit(w.seen[:], h%seenBits) {
		w.unique++
		d.measureName(w, sub)
	}
	if w.raised || int(w.unique) < d.cfg.MinUnique {
		return // too few names whatever the evidence factor (at least 1): decide would find no rule
	}
	if rule := d.decide(w, d.evidenceFactor(name, r)); rule != "" {
		w.raised = true
		r.Raise(scoring.DNSTunneling, d.evidence(w, rule, registered))
	}
}

// measureName adds a new distinct name's payload estimate to w.
func (d *Detector) measureName(w *window, sub string) {
	var p float64
	var odd bool
	longest := len(sub)
	if e, ok := d.labels.lookup(sub, &d.counts); ok {
		p, odd = measureLabel(w, e)
	} else {
		var varying string
		varying, longest = varyingPart(sub, &w.prev, &w.prevN)
		p, odd = payloadBytes(varying, &d.counts)
	}
	w.payload += p
	w.maxPayload = max(w.maxPayload, p)
	w.maxLabel = max(w.maxLabel, uint8(min(longest, 255)))
	if odd {
		w.oddNames++
	}
}

// maxEvidenceFactor caps how much more evidence a popular zone needs.
const maxEvidenceFactor = 64

// evidenceFactor is how many times the usual evidence the event's zone
// needs: sqrt(PopularRank/rank) for a ranked registered domain (1 for an
// unranked one, or one the intel stage tagged as a tunnelling service).
func (d *Detector) evidenceFactor(name *scoring.FQDN, r *scoring.Report) float64 {
	if d.cfg.PopularRank == 0 || !name.Popular(uint32(d.cfg.PopularRank)) || r.HasCategory("tunnel") {
		return 1
	}
	return min(math.Sqrt(float64(d.cfg.PopularRank)/float64(name.Rank)), maxEvidenceFactor)
}

// decide returns the rule that fires for w, or "". factor (>= 1) scales
// the evidence required (evidenceFactor).
func (d *Detector) decide(w *window, factor float64) string {
	if float64(w.unique) < float64(d.cfg.MinUnique)*factor {
		return ""
	}
	if w.payload >= d.cfg.WindowBytes*factor {
		return RuleVolume
	}
	if w.answered > 0 && w.reputation*2 > w.answered {
		return "" // a reputation service: only volume counts
	}
	mean := w.payload / float64(w.unique)
	nameBytes := d.cfg.NameBytes * min(factor, 2)
	if mean >= nameBytes {
		return RuleEncodedNames
	}
	if w.tunnelTypes*2 >= w.queries && mean >= nameBytes/4 {
		return RuleTunnelTypes
	}
	return ""
}

func (d *Detector) evidence(w *window, rule, registered string) scoring.Evidence {
	elapsed := float64(w.last-w.start) / 1e9
	minutes := max(elapsed/60, 1.0/60)
	domain := strings.Clone(registered)
	return scoring.Evidence{
		Detector:  d.Name(),
		Rule:      rule,
		Entry:     domain,
		Indicator: domain,
		Window:    d.cfg.Window,
		Figures: []scoring.Figure{
			{Name: "dns_events", Value: float64(w.queries)}, // queries and responses are separate events from the sniffer and Suricata
			{Name: "unique_subdomains", Value: float64(w.unique)},
			{Name: "mean_name_bytes", Value: round2(w.payload / float64(w.unique))},
			{Name: "window_name_bytes", Value: round2(w.payload)},
			{Name: "max_name_bytes", Value: round2(w.maxPayload)},
			{Name: "max_label_len", Value: float64(w.maxLabel)},
			{Name: "odd_char_names", Value: float64(w.oddNames)},
			{Name: "tunnel_rrtype_share", Value: round2(float64(w.tunnelTypes) / float64(w.queries))},
			{Name: "answer_bytes", Value: float64(w.answerBytes)},
			{Name: "dns_events_per_min", Value: round2(float64(w.queries) / minutes)},
		},
	}
}

// split returns the registered domain and the subdomain of the event's
// name, with the registered domain's HashString (the window's key: the
// name's FQDN.RegisteredHash, which a repeated name carries, spares
// hashing it for each event). Names the FQDN breakdown rejects (raw 8-bit labels, as iodine's
// base128 encoding sends) are split on the raw query: the last two labels
// are taken as the registered domain. Reverse-map names (.arpa) have no
// subdomain: they cannot be registered by a tunnel operator.
func split(ev *scoring.Event, name *scoring.FQDN) (registered, sub string, h uint64) {
	if name.Valid {
		if name.TLD == "arpa" {
			return "", "", 0
		}
		// Most names are ICANN's: that check of directName (direct.go) is
		// inlined, the call spared (BenchmarkInspectLookups 639 -> 627).
		if !name.ICANN && directName(ev, name) {
			return DirectDomain, name.Name, directDomainHash
		}
		if name.Subdomain == "" {
			return name.Registered, "", 0 // no window: not worth a hash
		}
		return name.Registered, name.Subdomain, name.RegisteredHash()
	}
	q := strings.TrimSuffix(ev.DNS.Query, ".")
	i := strings.LastIndexByte(q, '.')
	if i <= 0 {
		return "", "", 0
	}
	j := strings.LastIndexByte(q[:i], '.')
	if j <= 0 {
		return "", "", 0
	}
	return q[j+1:], q[:j], scoring.HashString(q[j+1:])
}

// directDomainHash is HashString(DirectDomain).
var directDomainHash = scoring.HashString(DirectDomain)

// varyingPart strips from sub the right-hand labels it shares, position by
// position, with the previous distinct name of the window (fixed structure
// such as "tunnel" or "_email"), and any reversed-address prefix (DNSBL and
// PTR-style "4.3.2.1." or nibble labels), which identifies an address
// rather than carrying data. It records sub's labels as the new previous
// name and returns the rest with the longest label's length.
func varyingPart(sub string, prev *[maxStructLabels]uint32, prevN *uint8) (string, int) {
	var cur [maxStructLabels]uint32
	n := 0
	end := len(sub)
	keep := end // sub[:keep] is the varying part
	shared := true
	longest := 0
	for end > 0 {
		dot := strings.LastIndexByte(sub[:end], '.')
		label := sub[dot+1 : end]
		longest = max(longest, len(label))
		if n < maxStructLabels {
			cur[n] = uint32(scoring.HashString(label))
			if shared && n < int(*prevN) && prev[n] == cur[n] {
				keep = max(dot, 0)
			} else {
				shared = false
			}
			n++
		} else {
			shared = false
		}
		end = dot
		if dot < 0 {
			break
		}
	}
	*prev, *prevN = cur, uint8(n)
	if varying := sub[:keep]; mayStartWithAddress(varying) {
		return stripAddress(varying), longest
	}
	return sub[:keep], longest
}

// mayStartWithAddress reports whether s may start with what stripAddress
// strips: a reversed address starts with a decimal digit or a one-byte
// label, which most names do not (a check inlined, the call spared).
func mayStartWithAddress(s string) bool {
	return s != "" && (s[0]-'0' <= 9 || len(s) > 1 && s[1] == '.')
}

// stripAddress removes a leading reversed IPv4 address (four decimal labels
// of at most 255) or a run of at least eight single-nibble labels (reversed
// IPv6) from s.
func stripAddress(s string) string {
	if rest := stripNibbles(s); len(rest) < len(s) {
		return rest
	}
	rest := s
	for i := 0; i < 4; i++ {
		if rest == "" || rest[0] < '0' || rest[0] > '9' {
			return s // no octet: most names end here, without a search for the dot
		}
		dot := strings.IndexByte(rest, '.')
		label := rest
		if dot >= 0 {
			label = rest[:dot]
		}
		if !scoring.DecimalOctet(label) {
			return s
		}
		if dot < 0 {
			return ""
		}
		rest = rest[dot+1:]
	}
	return rest
}

func stripNibbles(s string) string {
	n := 0
	i := 0
	for i+1 < len(s) && s[i+1] == '.' && hexDigit(s[i]) {
		i += 2
		n++
	}
	if i+1 == len(s) && hexDigit(s[i]) {
		i, n = len(s), n+1
	}
	if n < 8 {
		return s
	}
	return strings.TrimPrefix(s[i:], ".")
}

func hexDigit(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }

// payloadBytes estimates the information in s, dots excluded: its length
// times its Shannon entropy in bits per character, over 8. odd reports
// characters outside lower-case letters, digits, '-' and '_' (base64 '+',
// '/', '=', raw 8-bit bytes), which host names never carry. counts is
// scratch for the characters' counts: all zero on entry, and left so.
//
// The entropy sum runs over the characters that occur more than once, in
// byte order (the order of a sum over every byte value: the other terms,
// count*log2(count) of a count of 0 or 1, are +0, which leaves the sum
// unchanged), so it costs the name's length plus its repeated characters,
// not 256 additions; most labels repeat few of theirs.
func payloadBytes(s string, counts *[256]uint8) (bytes float64, odd bool) {
	// Dots are counted with the rest and left out afterwards, odd
	// characters are or-ed in from a table (one branch a character), and
	// the counts are cleared whole, not character by character
	// (BenchmarkPayloadBytes 366 -> 300 instructions a label).
	var repeated [4]uint64 // bit c: c occurs more than once
	var oddChars uint8
	anyRepeated := false
	_ = counts[0] // the nil check out of the loop (BenchmarkPayloadBytes 300 -> 280)
	for i := 0; i < len(s); i++ {
		c := s[i]
		k := counts[c] + 1
		counts[c] = k
		oddChars |= oddByte[c]
		if k == 2 {
			repeated[c>>6] |= 1 << (c & 63)
			anyRepeated = true
		}
	}
	dots := int(counts['.']) // a uint8 count: exact below 256 bytes
	if len(s) > 255 {
		dots = strings.Count(s, ".")
	}
	n := len(s) - dots
	repeated['.'>>6] &^= 1 << ('.' & 63)
	sum := 0.0
	for w := 0; anyRepeated && w < len(repeated); w++ {
		for set := repeated[w]; set != 0; set &= set - 1 {
			sum += nlogn[counts[w<<6|bits.TrailingZeros64(set)]]
		}
	}
	*counts = [256]uint8{}
	odd = oddChars != 0
	if n < 2 {
		return 0, odd
	}
	h := log2(n) - sum/float64(n)
	return float64(n) * h / 8, odd
}

// oddByte[c] is 1 for the characters payloadBytes reports as odd: all but
// ldh(c) and the dot.
var oddByte = func() (t [256]uint8) {
	for c := range t {
		if !ldh(byte(c)) && c != '.' {
			t[c] = 1
		}
	}
	return t
}()

// log2 is math.Log2(float64(n)), from a table below 256.
func log2(n int) float64 {
	if uint(n) < uint(len(log2Table)) {
		return log2Table[n]
	}
	return math.Log2(float64(n))
}

var log2Table = func() (t [256]float64) {
	for n := range t {
		t[n] = math.Log2(float64(n))
	}
	return t
}()

func ldh(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || 'A' <= c && c <= 'Z'
}

// nlogn[k] is k*log2(k).
var nlogn = func() (t [256]float64) {
	for k := 2; k < len(t); k++ {
		t[k] = float64(k) * math.Log2(float64(k))
	}
	return t
}()

// tunnelType reports record types whose answers can carry kilobytes and
// that stub resolvers rarely ask for: NULL, TXT, KEY, CNAME, MX and the
// private-use range (iodine's PRIVATE is 65399). SRV is left out: Active
// Directory clients ask for many SRV names under their domain.
func tunnelType(qtype uint16) bool {
	switch qtype {
	case 5, 10, 15, 16, 25:
		return true
	}
	return qtype >= 65280 && qtype <= 65534
}

// reputationAnswer reports an answer set made only of 127.0.0.0/8 addresses,
// the RFC 5782 convention of DNS blocklists and reputation services.
func reputationAnswer(answers []string) bool {
	if len(answers) == 0 {
		return false
	}
	for _, a := range answers {
		if !strings.HasPrefix(a, "127.") {
			return false
		}
	}
	return true
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// hashKey hashes a window's key for the state LRU.
func hashKey(k key) uint64 { return state.Mix(state.HashAddr(k.src), k.domain) }
