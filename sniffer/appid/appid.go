package appid

import (
	"encoding/hex"
	"unsafe"
)

// App is an application an identifier names.
type App uint8

// Applications. Unknown is the zero value: nothing matched.
const (
	Unknown App = iota
	Tor
	BitTorrent
	WireGuard
	OpenVPN
	IKE
	Monero
	Stratum
	Iodine
	numApps
)

var appNames = [numApps]string{"", "tor", "bittorrent", "wireguard", "openvpn", "ike", "monero", "stratum", "iodine"}

// String is the app's record value ("tor", "bittorrent", ...), "" for Unknown.
func (a App) String() string {
	if a < numApps {
		return appNames[a]
	}
	return ""
}

// Apps returns the names of every application, Unknown excluded.
func Apps() []string { return append([]string(nil), appNames[1:]...) }

// Confidence says how much of a protocol's shape matched.
type Confidence uint8

// Confidence levels. Low: one weak row (record only, detectors ignore it);
// Medium: one specific message; High: a long fixed signature, or messages
// of the same application from both sides.
const (
	None Confidence = iota
	Low
	Medium
	High
)

var confNames = [...]string{"", "low", "medium", "high"}

func (c Confidence) String() string {
	if int(c) < len(confNames) {
		return confNames[c]
	}
	return ""
}

// IP protocol numbers a row applies to.
const (
	TCP uint8 = 6
	UDP uint8 = 17
)

// Bounds of the work and state per flow.
const (
	// Window is how many bytes of a payload the rows read.
	Window = 512
	// MaxPayloads is how many payloads of each side are read.
	MaxPayloads = 4
	// maxSig bounds the matched bytes kept for the evidence.
	maxSig = 20
)

// Rule is one row of an identifier's table. Match gets the payload's
// first Window bytes and its whole length n, and returns the bytes that
// matched (a sub-slice of b, for the evidence), or nil.
type Rule struct {
	App   App
	Name  string // what matched, e.g. "wireguard handshake initiation (type 1, 148 bytes)"
	Proto uint8  // TCP or UDP
	Conf  Confidence
	Match func(b []byte, n int) []byte // nil: the row is decided outside the table (Tor)
}

// rules is every identifier's table, in order of evaluation.
var rules = concat(bittorrentRules, wireguardRules, openvpnRules, ikeRules, moneroRules, stratumRules, torRules, iodineRules)

func concat(tables ...[]Rule) []Rule {
	var all []Rule
	for _, t := range tables {
		all = append(all, t...)
	}
	if len(all) > 255 {
		panic("appid: too many rules")
	}
	return all
}

// Rules returns a copy of the table (documentation and tests).
func Rules() []Rule { return append([]Rule(nil), rules...) }

// State is one flow's identification state: fixed size, no pointers.
type State struct {
	app    App
	conf   Confidence
	rule   uint8 // index in rules, valid when app != Unknown
	sides  uint8 // bit 0: the originator sent a message of app, bit 1: the responder
	seen   [2]uint8
	sigLen uint8
	sig    [maxSig]byte
}

// StateBytes is the size of State: the identification memory per flow.
const StateBytes = int(unsafe.Sizeof(State{}))

// App returns the application found so far (Unknown when none).
func (s *State) App() App { return s.app }

// Confidence returns the confidence of App.
func (s *State) Confidence() Confidence { return s.conf }

// Rule returns the row that matched (Name, App) and whether one did.
func (s *State) Rule() (Rule, bool) {
	if s.app == Unknown {
		return Rule{}, false
	}
	return rules[s.rule], true
}

// Done reports whether no further payload can change the result.
func (s *State) Done() bool {
	return s.conf == High || (s.seen[0] >= MaxPayloads && s.seen[1] >= MaxPayloads)
}

// Observe reads one payload of a TCP or UDP flow, sent by the originator
// when fromOrig. It reads at most Window bytes and at most MaxPayloads
// payloads of each side.
func (s *State) Observe(proto uint8, b []byte, fromOrig bool) {
	side := 0
	if !fromOrig {
		side = 1
	}
	if len(b) == 0 || s.conf == High || s.seen[side] >= MaxPayloads {
		return
	}
	s.seen[side]++
	n := len(b)
	if n > Window {
		b = b[:Window]
	}
	for i := range rules {
		r := &rules[i]
		if r.Proto != proto || r.Match == nil || r.Conf < s.conf && r.App != s.app {
			continue
		}
		if sig := r.Match(b, n); sig != nil {
			s.record(i, sig, side)
		}
	}
}

// record keeps rule i's match when it is the best so far; messages of the
// same application from both sides raise the confidence to High.
func (s *State) record(i int, sig []byte, side int) {
	r := &rules[i]
	if r.App != s.app {
		if r.Conf <= s.conf {
			return
		}
		s.sides = 0
	}
	s.sides |= 1 << side
	conf := r.Conf
	if r.App == s.app && s.conf > conf {
		conf = s.conf
	}
	if s.sides == 3 && conf >= Medium {
		conf = High
	}
	if r.App == s.app && conf <= s.conf {
		return
	}
	if r.App == s.app && r.Conf <= rules[s.rule].Conf {
		s.conf = conf // both sides now; the evidence stays the stronger row
		return
	}
	s.app, s.conf, s.rule = r.App, conf, uint8(i)
	s.sigLen = uint8(copy(s.sig[:], sig))
}

// Set records a match decided outside the table (rule must be a row of
// app whose Match is nil, found with RuleIndex) when it beats what State
// holds.
func (s *State) Set(rule int, conf Confidence, sig []byte) {
	if rule < 0 || rule >= len(rules) || conf <= s.conf {
		return
	}
	s.app, s.conf, s.rule = rules[rule].App, conf, uint8(rule)
	s.sigLen = uint8(copy(s.sig[:], sig))
}

// RuleIndex returns the index of the row named name, or -1.
func RuleIndex(name string) int {
	for i := range rules {
		if rules[i].Name == name {
			return i
		}
	}
	return -1
}

// AppendEvidence appends "<rule name>[, both sides]; bytes <hex>" (the
// bytes the row matched, at most 20), or nothing when the flow is unknown.
func (s *State) AppendEvidence(dst []byte) []byte {
	if s.app == Unknown {
		return dst
	}
	dst = append(dst, rules[s.rule].Name...)
	if s.sides == 3 {
		dst = append(dst, ", both sides"...)
	}
	if s.sigLen == 0 {
		return dst
	}
	dst = append(dst, "; bytes "...)
	return hex.AppendEncode(dst, s.sig[:s.sigLen])
}

// Reset forgets everything (a new flow).
func (s *State) Reset() { *s = State{} }

// hasPrefix reports whether b starts with p.
func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

// contains reports whether b holds s.
func contains(b []byte, s string) bool { return index(b, s) >= 0 }

// index returns the offset of s in b, or -1.
func index(b []byte, s string) int {
	if len(s) == 0 {
		return 0
	}
	for i := 0; i+len(s) <= len(b); i++ {
		if b[i] == s[0] && string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}

// zero reports whether every byte of b is 0.
func zero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
