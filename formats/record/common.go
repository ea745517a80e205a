package record

import (
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// The sniffer dialect is nfr's own records (nfr-sniffer's, written with
// the Key names, which follow Zeek's): its fields are the common keys
// every dialect shares, and "_type" marks its records.
var sniffer = Dialect{
	Name:    "sniffer",
	Origins: [6]string{"sniffer", "sniffer:dns", "sniffer:flow", "sniffer:icmp", "sniffer:http", "sniffer:tls"},
	Fields: []Field{
		{Keys: []string{KeyTS}, Set: setTS, text: setTSText},
		{Keys: []string{KeyType}, Group: GroupDialect | GroupStructured, Set: func(m *Mapper, _ []byte, v *Value) { m.SetHint(v, snifferHints) }},
		{Keys: []string{KeyUID}, Set: SetUID, text: func(m *Mapper, _, b []byte) { m.e.UID = m.keep(b) }},
		{Keys: []string{KeyOrigH}, Group: GroupStructured, Set: func(m *Mapper, key []byte, v *Value) { m.e.SrcIP, _ = m.Addr(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if a, ok := m.addrs.ipv4(b); ok {
					m.e.SrcIP = a
				} else {
					m.e.SrcIP, _ = m.Addr(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyRespH}, Group: GroupStructured, Set: func(m *Mapper, key []byte, v *Value) { m.e.DstIP, _ = m.Addr(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if a, ok := m.addrs.ipv4(b); ok {
					m.e.DstIP = a
				} else {
					m.e.DstIP, _ = m.Addr(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyOrigP}, Set: func(m *Mapper, key []byte, v *Value) { m.e.SrcPort = m.port(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if n, ok := digits16(b); ok {
					m.e.SrcPort = n
				} else {
					m.e.SrcPort = m.port(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyRespP}, Set: func(m *Mapper, key []byte, v *Value) { m.e.DstPort = m.port(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if n, ok := digits16(b); ok {
					m.e.DstPort = n
				} else {
					m.e.DstPort = m.port(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyProto}, Set: setProto, text: func(m *Mapper, _, b []byte) { m.e.Proto = scoring.ParseProto(view(b)) }},
		{Keys: []string{"log", "message"}, Set: setRaw},
		{Keys: []string{"date", "@timestamp"}, Set: setShipperTime},

		{Keys: []string{KeyTransID}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) { m.e.DNS.TransID = m.uint16(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if n, ok := digits16(b); ok {
					m.e.DNS.TransID = n
				} else {
					m.e.DNS.TransID = m.uint16(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyRTT}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) { m.e.DNS.RTT = m.duration(key, v) },
			text: func(m *Mapper, key, b []byte) { m.e.DNS.RTT = m.durationText(key, b) }},
		{Keys: []string{KeyQuery}, Group: GroupDNS, Set: func(m *Mapper, _ []byte, v *Value) { m.e.DNS.Query = m.Str(v) },
			text: func(m *Mapper, _, b []byte) { m.e.DNS.Query = m.intern.Get(b) }},
		{Keys: []string{"qclass"}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) { m.e.DNS.QClass = m.uint16(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if n, ok := digits16(b); ok {
					m.e.DNS.QClass = n
				} else {
					m.e.DNS.QClass = m.uint16(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyQType}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) { m.e.DNS.QType = m.uint16(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if n, ok := digits16(b); ok {
					m.e.DNS.QType = n
				} else {
					m.e.DNS.QType = m.uint16(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyQTypeName}, Group: GroupDNS, Set: SetQTypeName, text: setQTypeNameText},
		{Keys: []string{KeyRcode}, Group: GroupDNS, Set: setRcode, text: setRcodeText},
		{Keys: []string{KeyRcodeName}, Group: GroupDNS, Set: setRcodeName, text: setRcodeNameText},
		{Keys: []string{KeyAA}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) { m.e.DNS.AA, _ = m.Bool(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if v, ok := zeekBool(b); ok {
					m.e.DNS.AA = v
				} else {
					m.e.DNS.AA, _ = m.boolOf(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyTC}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) { m.e.DNS.TC, _ = m.Bool(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if v, ok := zeekBool(b); ok {
					m.e.DNS.TC = v
				} else {
					m.e.DNS.TC, _ = m.boolOf(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyRD}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) { m.e.DNS.RD, _ = m.Bool(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if v, ok := zeekBool(b); ok {
					m.e.DNS.RD = v
				} else {
					m.e.DNS.RD, _ = m.boolOf(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyRA}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) { m.e.DNS.RA, _ = m.Bool(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if v, ok := zeekBool(b); ok {
					m.e.DNS.RA = v
				} else {
					m.e.DNS.RA, _ = m.boolOf(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyAnswers}, Group: GroupDNS, Set: SetAnswer,
			text: func(m *Mapper, _, b []byte) { m.e.DNS.Answers = append(m.e.DNS.Answers, m.intern.Get(b)) }},
		{Keys: []string{KeyTTLs}, Group: GroupDNS, Set: SetTTL, text: setTTLText},
		{Keys: []string{KeyIsResponse}, Group: GroupDNS, Set: SetIsResponse},
		{Keys: []string{KeyAuthority}, Group: GroupDNS, Set: func(m *Mapper, _ []byte, v *Value) {
			m.e.DNS.Authority = append(m.e.DNS.Authority, m.Str(v))
		}},
		{Keys: []string{KeyRespSize}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) {
			n, _ := m.Unsigned(key, v, 1<<31, "bad number")
			m.e.DNS.AnswerSize = int(n)
		}},

		{Keys: []string{KeyService}, Group: GroupFlow, Set: setService},
		{Keys: []string{KeyDuration}, Group: GroupFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.Duration = m.duration(key, v) }},
		{Keys: []string{KeyOrigBytes}, Group: GroupFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.OrigBytes = m.count(key, v) }},
		{Keys: []string{KeyRespBytes}, Group: GroupFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.RespBytes = m.count(key, v) }},
		{Keys: []string{KeyOrigPkts}, Group: GroupFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.OrigPkts = m.count(key, v) }},
		{Keys: []string{KeyRespPkts}, Group: GroupFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.RespPkts = m.count(key, v) }},
		{Keys: []string{KeyConnState}, Group: GroupFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.ConnState = m.Str(v) }},
		{Keys: []string{KeyHistory}, Group: GroupFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.History = m.Str(v) }},
		{Keys: []string{KeyApp}, Group: GroupFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.App = m.Str(v) }},
		{Keys: []string{KeyAppConfidence}, Group: GroupFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.AppConfidence = m.Str(v) }},
		{Keys: []string{KeyAppEvidence}, Group: GroupFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.AppEvidence = m.Str(v) }},
		{Keys: []string{KeyLocalOrig}, Group: GroupFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.LocalOrig, _ = m.Bool(key, v) }},
		{Keys: []string{KeyLocalResp}, Group: GroupFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.LocalResp, _ = m.Bool(key, v) }},

		{Keys: []string{KeyICMPType}, Group: GroupICMP, Set: func(m *Mapper, key []byte, v *Value) {
			n, _ := m.Unsigned(key, v, 255, "bad number")
			m.e.ICMP.Type, m.icmpSeen = uint8(n), true
		}},
		{Keys: []string{KeyICMPCode}, Group: GroupICMP, Set: func(m *Mapper, key []byte, v *Value) {
			n, _ := m.Unsigned(key, v, 255, "bad number")
			m.e.ICMP.Code = uint8(n)
		}},
		{Keys: []string{KeyICMPID}, Group: GroupICMP, Set: func(m *Mapper, key []byte, v *Value) { m.e.ICMP.ID = m.uint16(key, v) }},
		{Keys: []string{KeyICMPSeq}, Group: GroupICMP, Set: func(m *Mapper, key []byte, v *Value) { m.e.ICMP.Seq = m.uint16(key, v) }},
		{Keys: []string{KeyPayloadLen}, Group: GroupICMP, Set: func(m *Mapper, key []byte, v *Value) {
			n, _ := m.Unsigned(key, v, 1<<31, "bad number")
			m.e.ICMP.PayloadLen = int(n)
		}},
		{Keys: []string{KeyPayloadEntropy}, Group: GroupICMP, Set: setPayloadEntropy},
		{Keys: []string{KeyPayloadDigest}, Group: GroupICMP, Set: setPayloadDigest},

		{Keys: []string{"method"}, Group: GroupHTTP, Set: func(m *Mapper, _ []byte, v *Value) { m.e.HTTP.Method = m.Str(v) }},
		{Keys: []string{"host"}, Group: GroupHTTP, Set: func(m *Mapper, _ []byte, v *Value) { m.e.HTTP.Host = m.Str(v) }},
		{Keys: []string{"uri"}, Group: GroupHTTP, Set: func(m *Mapper, _ []byte, v *Value) { m.e.HTTP.URI = m.Str(v) }},
		{Keys: []string{"referrer"}, Group: GroupHTTP, Set: func(m *Mapper, _ []byte, v *Value) { m.e.HTTP.Referrer = m.Str(v) }},
		{Keys: []string{"user_agent"}, Group: GroupHTTP, Set: func(m *Mapper, _ []byte, v *Value) { m.e.HTTP.UserAgent = m.Str(v) }},
		{Keys: []string{"status_code"}, Group: GroupHTTP, Set: func(m *Mapper, key []byte, v *Value) {
			n, _ := m.Unsigned(key, v, 999, "bad number")
			m.e.HTTP.Status = int(n)
		}},
		{Keys: []string{"request_body_len"}, Group: GroupHTTP, Set: func(m *Mapper, key []byte, v *Value) { m.e.HTTP.ReqBytes = m.count(key, v) }},
		{Keys: []string{"response_body_len"}, Group: GroupHTTP, Set: func(m *Mapper, key []byte, v *Value) { m.e.HTTP.RespBytes = m.count(key, v) }},
		{Keys: []string{"resp_mime_types"}, Group: GroupHTTP, Set: func(m *Mapper, _ []byte, v *Value) {
			if !m.mimeSeen {
				m.SetContentType(m.Str(v))
			}
		}},

		// version is also http.log's; End keeps it for TLS only.
		{Keys: []string{KeyVersion}, Set: func(m *Mapper, _ []byte, v *Value) { m.e.TLS.Version = m.Str(v) }},
		{Keys: []string{KeyServerName}, Group: GroupTLS, Set: func(m *Mapper, _ []byte, v *Value) { m.e.TLS.SNI = m.Str(v) }},
		{Keys: []string{KeyJA3}, Group: GroupTLS, Set: func(m *Mapper, _ []byte, v *Value) { m.e.TLS.JA3 = m.Str(v) }},
		{Keys: []string{KeyJA3S}, Group: GroupTLS, Set: func(m *Mapper, _ []byte, v *Value) { m.e.TLS.JA3S = m.Str(v) }},
		{Keys: []string{"subject"}, Group: GroupTLS, Set: func(m *Mapper, _ []byte, v *Value) { m.e.TLS.Subject = m.Str(v) }},
		{Keys: []string{"issuer"}, Group: GroupTLS, Set: func(m *Mapper, _ []byte, v *Value) { m.e.TLS.Issuer = m.Str(v) }},
		{Keys: []string{"validation_status"}, Group: GroupTLS, Set: func(m *Mapper, _ []byte, v *Value) { m.e.TLS.ValidationStatus = m.Str(v) }},
		{Keys: []string{"established"}, Group: GroupTLS, Set: func(m *Mapper, key []byte, v *Value) { m.e.TLS.Established, _ = m.Bool(key, v) }},
	},
}

// InputSniffer is the sniffer dialect's Input.
var InputSniffer = Register(&sniffer)

func setTS(m *Mapper, key []byte, v *Value) {
	if t, ok := m.Time(key, v); ok {
		m.SetTime(t)
	}
}

// SetUID sets the connection id. Ids are unique per connection: interning
// them would only evict the names that do repeat.
func SetUID(m *Mapper, _ []byte, v *Value) {
	if v.Kind == KindString {
		m.e.UID = m.keep(v.Str)
	} else {
		m.e.UID = m.Str(v)
	}
}

func setProto(m *Mapper, key []byte, v *Value) {
	if v.Kind == KindString {
		m.e.Proto = scoring.ParseProto(view(v.Str))
	} else if n, ok := m.Unsigned(key, v, 255, "bad number"); ok {
		m.e.Proto = scoring.Proto(n)
	}
}

func setRaw(m *Mapper, _ []byte, v *Value) {
	if !m.inRaw && v.Kind == KindString {
		m.raw = append(m.raw[:0], v.Str...)
	}
}

// setShipperTime reads Fluent Bit's json_date_key, Logstash's @timestamp:
// a transport time, used only when the record has no time of its own.
func setShipperTime(m *Mapper, _ []byte, v *Value) {
	if v.Kind == KindString {
		if t, err := time.Parse(time.RFC3339Nano, view(v.Str)); err == nil {
			m.transport = t
		}
	}
}

// Hints maps the record type names of a dialect's type key ("_path",
// "event_type") to event types.
type Hints []struct {
	Name string
	Type scoring.EventType
}

// Lookup returns the type named b.
func (h Hints) Lookup(b []byte) (scoring.EventType, bool) {
	for _, e := range h {
		if string(b) == e.Name {
			return e.Type, true
		}
	}
	return scoring.TypeUnknown, false
}

var snifferHints = Hints{{"dns", scoring.TypeDNS}, {"flow", scoring.TypeFlow}, {"icmp", scoring.TypeICMP}, {"http", scoring.TypeHTTP}, {"tls", scoring.TypeTLS}}

// SetHint sets the record's type from a type key's value; a name h does
// not know makes the record one nfr does not map (End skips it).
func (m *Mapper) SetHint(v *Value, h Hints) {
	if t, ok := h.Lookup(v.Str); ok {
		m.hint = t
		return
	}
	m.hintBad = true
}

// SetType sets the record's type as SetHint does; TypeUnknown marks a
// record nfr does not map.
func (m *Mapper) SetType(t scoring.EventType) {
	m.hint, m.hintBad = t, t == scoring.TypeUnknown
}

// SetQTypeName reads a query type name. A name the table does not know
// (Zeek's "NIMLOC") leaves the numeric qtype, when given, in place.
func SetQTypeName(m *Mapper, _ []byte, v *Value) {
	d := &m.e.DNS
	if d.QType == 0 {
		if t, ok := scoring.ParseQType(m.Str(v)); ok {
			d.QType = t
		}
	}
}

func setRcode(m *Mapper, key []byte, v *Value) {
	n, ok := plainUnsigned(v)
	if !ok || n > 4095 {
		n, ok = m.Unsigned(key, v, 4095, "bad number")
	}
	if ok {
		m.e.DNS.Rcode = int16(n)
	}
}

func setRcodeName(m *Mapper, _ []byte, v *Value) {
	if m.e.DNS.Rcode == scoring.RcodeUnknown {
		m.e.DNS.Rcode = parseRcode(v.Str)
	}
}

// SetAnswer appends one answer.
func SetAnswer(m *Mapper, _ []byte, v *Value) { m.e.DNS.Answers = append(m.e.DNS.Answers, m.Str(v)) }

// SetTTL appends one answer's TTL.
func SetTTL(m *Mapper, key []byte, v *Value) {
	f, ok := plainDecimal(v)
	if !ok {
		f, ok = m.Float(key, v)
	}
	if ok {
		m.e.DNS.TTLs = append(m.e.DNS.TTLs, f)
	}
}

// SetIsResponse reads a boolean saying the record is a response.
func SetIsResponse(m *Mapper, key []byte, v *Value) {
	if b, ok := m.Bool(key, v); ok {
		m.SetResponse(b)
	}
}

// parseRcode reads an rcode name (also Microsoft's spellings) or number;
// an unknown name leaves the rcode unknown rather than failing the record.
func parseRcode(b []byte) int16 {
	switch string(b) {
	case "NOTIMPL", "NOTIMP":
		return 4
	case "SERV_FAIL":
		return scoring.RcodeServFail
	case "NAME_ERROR", "NXDOMAIN":
		return scoring.RcodeNXDomain
	}
	if r, ok := scoring.ParseRcode(view(b)); ok {
		return r
	}
	return scoring.RcodeUnknown
}

func setService(m *Mapper, _ []byte, v *Value) {
	f := &m.e.Flow
	f.Service = m.Str(v)
	if f.App == "" {
		f.App = ServiceApp(f.Service)
	}
}

func setPayloadEntropy(m *Mapper, key []byte, v *Value) {
	if x, ok := m.Float(key, v); ok {
		if x < 0 || x > 8 {
			m.Fail("bad number", key, v)
		}
		m.e.ICMP.PayloadEntropy = x
	}
}

func setPayloadDigest(m *Mapper, key []byte, v *Value) {
	var n uint64
	ok := false
	switch v.Kind {
	case KindString:
		n, ok = ParseHex(v.Str)
	case KindUint, KindInt:
		n, ok = m.Unsigned(key, v, 1<<64-1, "bad number")
	}
	if !ok {
		m.Fail("bad number", key, v)
	}
	m.e.ICMP.PayloadDigest = n
}

// SetContentType sets an HTTP content type: the first of a record's.
func (m *Mapper) SetContentType(s string) {
	if !m.mimeSeen {
		m.e.HTTP.ContentType, m.mimeSeen = s, true
	}
}

// SetResponse says whether the record is a DNS response; without it End
// derives it from the rcode and answers.
func (m *Mapper) SetResponse(b bool) { m.explicitResp = boolInt(b) }

// Response returns what SetResponse said, known false when nothing did.
func (m *Mapper) Response() (resp, known bool) { return m.explicitResp == 1, m.explicitResp >= 0 }

func boolInt(b bool) int8 {
	if b {
		return 1
	}
	return 0
}

// duration is Duration (0 after a failure), with plainDecimal's fast
// path for what Duration accepts.
func (m *Mapper) duration(key []byte, v *Value) time.Duration {
	if f, ok := plainDecimal(v); ok && f >= 0 && f <= 1e9 {
		return seconds(f)
	}
	d, _ := m.Duration(key, v)
	return d
}

// plainDecimal reads the commonest numbers of duration fields: a float
// value (msgpack, JSON) and Zeek's plain decimal text ("0.012000"), the
// latter without the calls of Float and parseFloat
// (BenchmarkZeekLookupsTSV: 5,051 -> 4,998 instructions a line). It
// answers what Float answers; anything else is not ok, for Float to read
// or fail.
func plainDecimal(v *Value) (float64, bool) {
	switch v.Kind {
	case KindString:
		return exactDecimal(v.Str)
	case KindFloat:
		return v.Float, true
	}
	return 0, false
}

// uint16 reads a 16-bit number.
func (m *Mapper) uint16(key []byte, v *Value) uint16 {
	if n, ok := plainUnsigned(v); ok && n <= 65535 {
		return uint16(n)
	}
	n, _ := m.Unsigned(key, v, 65535, "bad number")
	return uint16(n)
}

// port is Port, with plainUnsigned's fast path.
func (m *Mapper) port(key []byte, v *Value) uint16 {
	if n, ok := plainUnsigned(v); ok && n <= 65535 {
		return uint16(n)
	}
	return m.Port(key, v)
}

// plainUnsigned reads the commonest numbers of counting fields: an
// integer value (msgpack, JSON) and text of 1 to 19 digits (Zeek
// TSV's numbers, which cannot overflow), without Unsigned's call, kind
// switch and overflow test (BenchmarkZeekLookupsTSV: 5,311 -> 5,164
// instructions a line). It answers what Unsigned answers; anything else
// is not ok, for Unsigned to read or fail.
func plainUnsigned(v *Value) (uint64, bool) {
	switch v.Kind {
	case KindString:
		if uint(len(v.Str)-1) < 19 { // 1 to 19 digits, one test
			return digits(v.Str)
		}
	case KindUint:
		return v.Uint, true
	case KindInt: // JSON's numbers
		return uint64(v.Int), v.Int >= 0
	}
	return 0, false
}

func (m *Mapper) count(key []byte, v *Value) uint64 {
	n, _ := m.Unsigned(key, v, 1<<62, "bad number")
	return n
}

// The text setters of the common fields (Field.text) answer what their
// Setter answers for String(text) on the texts Zeek TSV lines carry, and
// hand any other text to the Setter's conversion, through m.Text, to read
// or fail. The fast paths of addresses, ports, 16-bit numbers and booleans
// are written in the setters themselves (digits16, zeekBool inline): a
// helper holding both paths cannot be inlined, and its call cost 8 to 16
// instructions a field (BenchmarkZeekLookupsTSV: 4,526 -> 4,393 a line).

func setTSText(m *Mapper, key, b []byte) {
	if len(b) > 0 && b[0]-'0' <= 9 { // Time's test for an epoch
		if t, ok := parseEpoch(b); ok {
			m.SetTime(t)
			return
		}
	}
	setTS(m, key, m.Text(b))
}

// digits16 reads the text of a 16-bit number of up to five digits as
// plainUnsigned does, inlined into the setters of ports and 16-bit numbers
// (Zeek TSV: 16 instructions a field fewer than a call).
func digits16(b []byte) (uint16, bool) {
	if uint(len(b)-1) < 5 {
		n, ok := digits(b)
		return uint16(n), ok && n <= 65535
	}
	return 0, false
}

// durationText is duration for text.
func (m *Mapper) durationText(key, b []byte) time.Duration {
	if f, ok := exactDecimal(b); ok && f >= 0 && f <= 1e9 {
		return seconds(f)
	}
	return m.duration(key, m.Text(b))
}

// zeekBool reads Zeek's T and F as Bool does, inlined into the setters
// of booleans (Zeek TSV: 8 instructions a field fewer than a call).
func zeekBool(b []byte) (v, ok bool) {
	return len(b) == 1 && b[0] == 'T', len(b) == 1 && (b[0] == 'T' || b[0] == 'F')
}

func setQTypeNameText(m *Mapper, _, b []byte) {
	if d := &m.e.DNS; d.QType == 0 {
		if t, ok := scoring.ParseQType(m.intern.Get(b)); ok {
			d.QType = t
		}
	}
}

func setRcodeText(m *Mapper, key, b []byte) {
	if uint(len(b)-1) < 19 {
		if n, ok := digits(b); ok && n <= 4095 {
			m.e.DNS.Rcode = int16(n)
			return
		}
	}
	setRcode(m, key, m.Text(b))
}

func setRcodeNameText(m *Mapper, _, b []byte) {
	if m.e.DNS.Rcode == scoring.RcodeUnknown {
		m.e.DNS.Rcode = parseRcode(b)
	}
}

func setTTLText(m *Mapper, key, b []byte) {
	if f, ok := exactDecimal(b); ok {
		m.e.DNS.TTLs = append(m.e.DNS.TTLs, f)
		return
	}
	SetTTL(m, key, m.Text(b))
}
