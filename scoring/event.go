package scoring

import (
	"net/netip"
	"time"
)

// EventType says which part of an Event is filled in.
type EventType uint8

// Event types. Their String forms are the alert's eventType values.
const (
	TypeUnknown EventType = iota
	TypeDNS
	TypeFlow
	TypeICMP
	TypeHTTP
	TypeTLS
)

var eventTypeNames = [...]string{"unknown", "dns", "ip", "icmp", "http", "tls"}

func (t EventType) String() string {
	if int(t) < len(eventTypeNames) {
		return eventTypeNames[t]
	}
	return "unknown"
}

// Proto is an IP protocol number.
type Proto uint8

// IP protocol numbers nfr names.
const (
	ProtoUnknown Proto = 0
	ProtoICMP    Proto = 1
	ProtoTCP     Proto = 6
	ProtoUDP     Proto = 17
	ProtoICMPv6  Proto = 58
)

func (p Proto) String() string {
	switch p {
	case ProtoICMP:
		return "icmp"
	case ProtoTCP:
		return "tcp"
	case ProtoUDP:
		return "udp"
	case ProtoICMPv6:
		return "icmp6"
	}
	return "unknown"
}

// ParseProto maps Zeek/Suricata protocol names ("tcp", "UDP", "icmp") to Proto.
func ParseProto(s string) Proto {
	switch s {
	case "tcp", "TCP":
		return ProtoTCP
	case "udp", "UDP":
		return ProtoUDP
	case "icmp", "ICMP":
		return ProtoICMP
	case "icmp6", "ICMP6", "ipv6-icmp", "IPv6-ICMP", "icmpv6", "ICMPv6":
		return ProtoICMPv6
	}
	return ProtoUnknown
}

// Event is one observation of network activity, decoded from any input.
// Time is the record's own time; nfr never substitutes the wall clock.
// Only the sub-struct matching Type is meaningful; the others are zero.
type Event struct {
	Time time.Time
	Type EventType
	// Origin names the input that produced the event, e.g. "zeek:dns",
	// "msdns", "suricata:flow", "sniffer:dns". Used in stats and evidence.
	Origin string
	// UID is the input's record or connection id when it has one (Zeek uid,
	// Suricata flow_id), for analysts to pivot on.
	UID string

	SrcIP   netip.Addr
	DstIP   netip.Addr
	SrcPort uint16
	DstPort uint16
	Proto   Proto

	DNS  DNS
	Flow Flow
	ICMP ICMP
	HTTP HTTP
	TLS  TLS
}

// Reset clears ev for reuse while keeping the capacity of its slices.
// Of an event of a known Type it clears the fields outside the
// sub-structs and the sub-struct of the Type only, the others being zero
// as Event says (a decoder's event is of a known Type only once it is
// complete); of any other it clears all. Clearing all of every event
// (704 bytes) cost 49 instructions more a Zeek dns.log line
// (BenchmarkZeekLookupsTSV 3,736 -> 3,692).
func (ev *Event) Reset() {
	answers, ttls, auth := ev.DNS.Answers[:0], ev.DNS.TTLs[:0], ev.DNS.Authority[:0]
	typ := ev.Type
	if typ < TypeDNS || typ > TypeTLS {
		*ev = Event{}
	} else {
		ev.resetCommon()
	}
	switch typ {
	case TypeDNS:
		ev.DNS = DNS{}
	case TypeFlow:
		ev.Flow = Flow{}
	case TypeICMP:
		ev.ICMP = ICMP{}
	case TypeHTTP:
		ev.HTTP = HTTP{}
	case TypeTLS:
		ev.TLS = TLS{}
	}
	ev.DNS.Answers, ev.DNS.TTLs, ev.DNS.Authority = answers, ttls, auth
	ev.DNS.Rcode = RcodeUnknown
}

// resetCommon clears the fields of ev outside the sub-structs.
func (ev *Event) resetCommon() {
	ev.Time, ev.Type, ev.Origin, ev.UID = time.Time{}, TypeUnknown, "", ""
	ev.SrcIP, ev.DstIP, ev.SrcPort, ev.DstPort, ev.Proto = netip.Addr{}, netip.Addr{}, 0, 0, ProtoUnknown
}

// Clone returns a deep copy of ev whose slices share nothing with ev.
func (ev *Event) Clone() Event {
	var c Event
	c.CopyFrom(ev)
	return c
}

// CopyFrom makes ev a deep copy of src, reusing ev's slice capacity: the
// one way events are copied (decoders hand events out this way).
func (ev *Event) CopyFrom(src *Event) {
	answers, ttls, auth := ev.DNS.Answers[:0], ev.DNS.TTLs[:0], ev.DNS.Authority[:0]
	*ev = *src
	ev.DNS.Answers = append(answers, src.DNS.Answers...)
	ev.DNS.TTLs = append(ttls, src.DNS.TTLs...)
	ev.DNS.Authority = append(auth, src.DNS.Authority...)
}

// RcodeUnknown marks a DNS event whose response code was not seen.
const RcodeUnknown int16 = -1

// DNS rcodes nfr refers to by name.
const (
	RcodeNoError  int16 = 0
	RcodeServFail int16 = 2
	RcodeNXDomain int16 = 3
	RcodeRefused  int16 = 5
)

// DNS is a query and, when seen, its response. QClass, TransID, the
// header's flags (AA to RA), RTT and TTLs are filled by nfr-sniffer's
// packet decoder (its records carry them) and the MS DNS joiner (TransID,
// its join key, RTT and flags); the log and record decoders leave them
// unset, as nothing in scoring or in alerts reads them (docs/extending.md).
type DNS struct {
	Query    string // as seen; detectors use the FQDN breakdown instead
	QType    uint16 // numeric qtype (1 = A, 16 = TXT, ...)
	QClass   uint16
	Rcode    int16 // RcodeUnknown when no response was seen
	TransID  uint16
	Response bool // the record is (or includes) a response
	AA       bool
	TC       bool
	RD       bool
	RA       bool
	RTT      time.Duration
	// Answers holds answer data as text (addresses, names, TXT strings).
	Answers []string
	// TTLs holds the answers' TTLs in seconds, parallel to Answers when known.
	TTLs []float64
	// Authority holds NS names from the authority section when known.
	Authority []string
	// AnswerSize is the size in bytes of the response message, 0 when unknown.
	AnswerSize int
}

// NXDomain reports whether the response said the name does not exist.
func (d *DNS) NXDomain() bool { return d.Rcode == RcodeNXDomain }

// Flow is a connection summary, conn.log-like.
type Flow struct {
	Service   string
	Duration  time.Duration
	OrigBytes uint64
	RespBytes uint64
	OrigPkts  uint64
	RespPkts  uint64
	// ConnState uses Zeek's codes: S0, S1, SF, REJ, S2, S3, RSTO, RSTR,
	// RSTOS0, RSTRH, SH, SHR, OTH.
	ConnState string
	History   string
	LocalOrig bool
	LocalResp bool
	// App names the application the flow carries, recognised from what it
	// sends rather than its port: "tor", "bittorrent", "wireguard",
	// "openvpn", "ike", "monero", "stratum" (nfr-sniffer's identifiers;
	// Zeek's service and Suricata's app_proto map onto the same names).
	// Service stays the protocol dialect Zeek names ("ssl", "dns"): a Tor
	// flow is App "tor" and Service "ssl". AppConfidence is "low",
	// "medium" or "high" ("" when the source states none; detectors ignore
	// "low"); AppEvidence says what matched (the identifier's row and bytes).
	App           string
	AppConfidence string
	AppEvidence   string
}

// ICMP is one ICMP message (sniffer) or an ICMP flow summary (Zeek conn.log).
type ICMP struct {
	Type           uint8
	Code           uint8
	ID             uint16
	Seq            uint16
	PayloadLen     int
	PayloadEntropy float64 // Shannon entropy in bits per byte, 0..8
	PayloadDigest  uint64  // short digest of the payload, 0 when unknown
}

// HTTP is one request/response pair.
type HTTP struct {
	Host        string
	URI         string
	Method      string
	Status      int
	UserAgent   string
	Referrer    string
	ContentType string
	ReqBytes    uint64
	RespBytes   uint64
}

// TLS is one TLS handshake.
type TLS struct {
	SNI              string
	Version          string
	JA3              string
	JA3S             string
	Subject          string
	Issuer           string
	NotBefore        time.Time
	NotAfter         time.Time
	ValidationStatus string
	Established      bool
}

// ParseIPv4 reads a dotted quad ("192.0.2.1") exactly as netip.ParseAddr
// would (four fields of one to three digits, no leading zeros, each at
// most 255), faster and for text or bytes; anything else, IPv6 included,
// gives false. Every decoder and the intel stage parse addresses with it.
func ParseIPv4[T string | []byte](s T) (netip.Addr, bool) {
	if len(s) < len("0.0.0.0") || len(s) > len("255.255.255.255") {
		return netip.Addr{}, false
	}
	var ip [4]byte
	i := 0 // the next byte to read
	for part := range ip {
		if part > 0 {
			if i >= len(s) || s[i] != '.' {
				return netip.Addr{}, false
			}
			i++
		}
		if i >= len(s) || s[i]-'0' > 9 {
			return netip.Addr{}, false
		}
		v := uint(s[i] - '0')
		i++
		// A field that starts with 0 is "0": a digit after it fails as the
		// next field's dot.
		if v != 0 && i < len(s) && s[i]-'0' <= 9 {
			v = v*10 + uint(s[i]-'0')
			i++
			if i < len(s) && s[i]-'0' <= 9 {
				v = v*10 + uint(s[i]-'0')
				i++
			}
		}
		if v > 255 {
			return netip.Addr{}, false
		}
		ip[part] = byte(v)
	}
	if i != len(s) {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4(ip), true
}
