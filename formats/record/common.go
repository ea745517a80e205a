package record

import (
	"bytes"
	"math/bits"
	"time"
	"unsafe"

	"github.com/netflightrecorder/nfr/formats/internal/unchecked"
	"github.com/netflightrecorder/nfr/scoring"
)

// The sniffer dialect is nfr's own records (nfr-sniffer's, written with
// the Key names, which follow Zeek's): its fields are the common keys
// every dialect shares, and "_type" marks its records.
var sniffer = Dialect{
	Name:    "sniffer",
	Origins: [6]string{"sniffer", "sniffer:dns", "sniffer:flow", "sniffer:icmp", "sniffer:http", "sniffer:tls"},
	Fields: []Field{
		{Keys: []string{KeyTS}, kind: kindTS, Set: setTS},
		{Keys: []string{KeyType}, Group: GroupDialect | GroupStructured, Set: func(m *Mapper, _ []byte, v *Value) { m.SetHint(v, snifferHints) }},
		{Keys: []string{KeyUID}, kind: kindUID, Set: SetUID},
		{Keys: []string{KeyOrigH}, kind: kindSrcIP, Group: GroupStructured, Set: func(m *Mapper, key []byte, v *Value) { m.e.SrcIP, _ = m.Addr(key, v) }},
		{Keys: []string{KeyRespH}, kind: kindDstIP, Group: GroupStructured, Set: func(m *Mapper, key []byte, v *Value) { m.e.DstIP, _ = m.Addr(key, v) }},
		{Keys: []string{KeyOrigP}, kind: kindSrcPort, Set: func(m *Mapper, key []byte, v *Value) { m.e.SrcPort = m.port(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if n, ok := digits16(b); ok {
					m.e.SrcPort = n
				} else {
					m.e.SrcPort = m.port(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyRespP}, kind: kindDstPort, Set: func(m *Mapper, key []byte, v *Value) { m.e.DstPort = m.port(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if n, ok := digits16(b); ok {
					m.e.DstPort = n
				} else {
					m.e.DstPort = m.port(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyProto}, kind: kindProto, Set: setProto, text: func(m *Mapper, _, b []byte) { m.e.Proto = scoring.ParseProto(view(b)) }},
		{Keys: []string{"log", "message"}, Set: setRaw},
		{Keys: []string{"date", "@timestamp"}, Set: setShipperTime},

		{Keys: []string{KeyQuery}, kind: kindQuery, Group: GroupDNS, Set: func(m *Mapper, _ []byte, v *Value) { m.e.DNS.Query = m.Str(v) }},
		{Keys: []string{KeyQType}, kind: kindQType, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) { m.e.DNS.QType = m.uint16(key, v) },
			text: func(m *Mapper, key, b []byte) {
				if n, ok := digits16(b); ok {
					m.e.DNS.QType = n
				} else {
					m.e.DNS.QType = m.uint16(key, m.Text(b))
				}
			}},
		{Keys: []string{KeyQTypeName}, kind: kindQTypeName, Group: GroupDNS, Set: SetQTypeName, text: setQTypeNameText},
		{Keys: []string{KeyRcode}, kind: kindRcode, Group: GroupDNS, Set: setRcode, text: setRcodeText},
		{Keys: []string{KeyRcodeName}, kind: kindRcodeName, Group: GroupDNS, Set: setRcodeName, text: setRcodeNameText},
		{Keys: []string{KeyAnswers}, kind: kindAnswers, Group: GroupDNS, Set: SetAnswer,
			text: func(m *Mapper, _, b []byte) { m.e.DNS.Answers = append(m.e.DNS.Answers, m.keep(b)) }},
		{Keys: []string{KeyIsResponse}, Group: GroupDNS, Set: SetIsResponse},
		{Keys: []string{KeyAuthority}, kind: kindAuthority, Group: GroupDNS, Set: func(m *Mapper, _ []byte, v *Value) {
			m.e.DNS.Authority = append(m.e.DNS.Authority, m.Str(v))
		}},
		{Keys: []string{KeyRespSize}, Group: GroupDNS, Set: func(m *Mapper, key []byte, v *Value) {
			n, _ := m.Unsigned(key, v, 1<<31, "bad number")
			m.e.DNS.AnswerSize = int(n)
		}},

		{Keys: []string{KeyService}, Group: GroupFlow, kind: kindFlow, Set: setService},
		{Keys: []string{KeyDuration}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.Duration = m.duration(key, v) }},
		{Keys: []string{KeyOrigBytes}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.OrigBytes = m.count(key, v) }},
		{Keys: []string{KeyRespBytes}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.RespBytes = m.count(key, v) }},
		{Keys: []string{KeyOrigPkts}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.OrigPkts = m.count(key, v) }},
		{Keys: []string{KeyRespPkts}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.RespPkts = m.count(key, v) }},
		{Keys: []string{KeyConnState}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.ConnState = m.Str(v) }},
		{Keys: []string{KeyHistory}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.History = m.Str(v) }},
		{Keys: []string{KeyApp}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.App = m.Str(v) }},
		{Keys: []string{KeyAppConfidence}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.AppConfidence = m.Str(v) }},
		{Keys: []string{KeyAppEvidence}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, _ []byte, v *Value) { m.e.Flow.AppEvidence = m.Str(v) }},
		{Keys: []string{KeyLocalOrig}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.LocalOrig, _ = m.Bool(key, v) }},
		{Keys: []string{KeyLocalResp}, Group: GroupFlow, kind: kindFlow, Set: func(m *Mapper, key []byte, v *Value) { m.e.Flow.LocalResp, _ = m.Bool(key, v) }},

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
func SetAnswer(m *Mapper, _ []byte, v *Value) {
	if v.Kind == KindString {
		m.e.DNS.Answers = append(m.e.DNS.Answers, m.keep(v.Str))
		return
	}
	m.e.DNS.Answers = append(m.e.DNS.Answers, m.Str(v))
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
	if f, ok := plainDecimal(v); ok && plainSeconds(f) {
		return seconds(f)
	}
	d, _ := m.Duration(key, v)
	return d
}

// plainSeconds reports a plain duration in seconds, 0 to 10^9, which
// seconds converts (duration's fast path; Duration judges any other).
func plainSeconds(f float64) bool { return f >= 0 && f <= 1e9 }

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
// or fail. The fast paths of ports and 16-bit numbers are written in the
// setters themselves (digits16 inline): a helper holding both paths
// cannot be inlined, and its call cost 8 to 16 instructions a field
// (BenchmarkZeekLookupsTSV: 4,526 -> 4,393 a line). Times, uids,
// addresses and queries have none: ApplyLine reads their common texts
// itself, and ApplyText has them only for markers and sets.

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

// textKind names the common fields of Zeek's logs for Columns: what their
// setters write, and read, is known, so a layout of such columns may be
// read in two passes. kindOther is any other field.
type textKind uint8

const (
	kindOther textKind = iota
	// Read in the second pass, through Field.text but for the commonest
	// texts of kindTS to kindQuery, which ApplyLine reads itself.
	kindTS
	kindUID
	kindSrcIP
	kindDstIP
	kindQuery
	kindAnswers
	kindAuthority // Zeek's auth column (the auth-addl policy): it writes e.DNS.Authority alone
	kindFlow      // any field that writes e.Flow alone (of a conn.log), one or many
	// Read in the first pass, without calls, when their text is the
	// common one (quickPass): 16-bit numbers, the others.
	kindSrcPort
	kindDstPort
	kindQType
	kindProto
	kindRcode
	kindQTypeName
	kindRcodeName
	kindCount
)

// Column is one column of records of text fields (a Zeek TSV line): the
// field LookupField gave for its name, the name (the key of error
// details), its place among the record's fields, and Own when the caller
// reads its texts itself. Items marks a column of items separated by the
// byte Sep (Zeek's sets and vectors), each handed to the field's setter
// (an empty text is one empty item).
type Column struct {
	Field *Field
	Key   []byte
	At    int
	Own   bool
	Items bool
	Sep   byte
}

// Columns is a layout of records of text fields, the columns a dialect
// reads (Set), for ApplyLine.
type Columns struct {
	width  int   // the fields of a record
	bounds []int // -1, then where each field of the line at hand ends (split)
	cols   []Column
	quick  []quickColumn // read in the first pass
	rest   []Column      // read in the second pass
	merged []Column      // rest and the first pass's columns it left, in order (merge)
}

// quickColumn is a column of the first pass: its place in the record,
// its index in Columns.cols, its field's kind and group.
type quickColumn struct {
	at    int
	i     int
	off   uintptr // quickOffsets's
	kind  textKind
	group Group
}

// Set makes cols, in the order of the record's fields, the layout of
// records of width fields. It panics on columns out of order or past
// width.
func (l *Columns) Set(cols []Column, width int) {
	for i, c := range cols {
		if c.At >= width || i > 0 && c.At <= cols[i-1].At || c.At < 0 {
			panic("record: columns out of order or past the record's fields")
		}
	}
	l.width, l.bounds = width, make([]int, width+1)
	l.bounds[0] = -1
	l.cols = append(l.cols[:0], cols...)
	l.quick, l.rest = l.quick[:0], l.rest[:0]
	two := twoPasses(cols)
	for i, c := range cols {
		if two && !c.Own && !c.Items && c.Field.kind >= kindSrcPort && len(l.quick) < 64 {
			l.quick = append(l.quick, quickColumn{at: c.At, i: i, kind: c.Field.kind, group: c.Field.group,
				off: quickOffsets[c.Field.kind]})
		} else {
			l.rest = append(l.rest, c)
		}
	}
}

// twoPasses reports whether a layout may be read in two passes, the
// first-pass kinds first, and give the record a column at a time gives:
// no column of the second pass may write what one of the first writes or
// read it before it is written. So every column is of a known kind (what
// kindOther's setters write is not known), no two of the same kind but
// kindFlow (which no first-pass field reads or writes), and the names of
// query types and rcodes, which are read only when the number is not
// known, come after the numbers.
func twoPasses(cols []Column) bool {
	var at [kindCount]int // 1 + the column of each kind
	for i, c := range cols {
		k := c.Field.kind
		if k == kindOther || at[k] != 0 && k != kindFlow {
			return false
		}
		at[k] = i + 1
	}
	return (at[kindQTypeName] == 0 || at[kindQType] < at[kindQTypeName]) &&
		(at[kindRcodeName] == 0 || at[kindRcode] < at[kindRcodeName])
}

// ApplyLine splits line on the separator sep and hands its fields to
// their setters, as ApplyText does a field at a time, column after
// column, when line has as many fields as the layout (it returns the
// number of fields line has, and hands nothing over when they are more or
// fewer). A column that is Own, or whose field starts with one of the
// bytes marks (Zeek's unset and empty markers, and any field that starts
// like them), goes to other instead; an Items column's items go to its
// setter one after the other. When the layout allows (Columns.Set),
// ports, counts, the protocol and the names that follow a number
// are read first, in a loop that calls nothing and so keeps its state in
// registers; the columns it cannot read (markers, odd texts) and the
// others follow, in their order, through Field.text. Columns no dialect
// reads are not listed, so they cost nothing (BenchmarkZeekLookupsTSV:
// 4,389 -> 4,263 instructions a line against a loop over every column
// calling ApplyText). The fields are cut from line without bounds checks
// (fieldAt), as split has just recorded where they end. The second pass
// walks a list of its columns (merge adds those the first left, the rare
// case), not a bit set over them (3,929 -> 3,794).
func (m *Mapper) ApplyLine(l *Columns, line []byte, sep byte, marks [2]byte, other func(c *Column, field []byte)) int {
	n := l.split(line, sep)
	if n != l.width {
		return n
	}
	groups, left := quickPass(m.e, l.quick, line, l.bounds, marks)
	rest := l.rest
	if left != 0 {
		rest = l.merge(left)
	}
	for i := range rest {
		c := &rest[i]
		field := fieldAt(line, l.bounds, c.At)
		if c.Own || len(field) > 0 && (field[0] == marks[0] || field[0] == marks[1]) {
			other(c, field)
			continue
		}
		groups |= c.Field.group
		if c.Items {
			m.applyItems(c, field)
			continue
		}
		// The commonest texts of the second pass's common fields, read
		// here rather than through a func value; any other text goes to
		// the Setter (Field.text) to read or fail. Fields of other kinds
		// (conn.log's) pass one test, not the switch's search (Zeek TSV
		// conn lines 4,729 -> 4,594 instructions; 4,567 before ApplyLine).
		if k := c.Field.kind; k-kindTS <= kindQuery-kindTS {
			switch e := m.e; k {
			case kindTS:
				if len(field) > 0 && field[0]-'0' <= 9 { // Time's test for an epoch
					t, ok := zeekEpoch(field)
					if !ok {
						t, ok = epochText(field)
					}
					if ok {
						m.SetTime(t)
						continue
					}
				}
			case kindUID:
				e.UID = m.keep(field)
				continue
			case kindSrcIP, kindDstIP:
				if a, ok := m.addrs.ipv4(field); ok {
					if c.Field.kind == kindSrcIP {
						e.SrcIP = a
					} else {
						e.DstIP = a
					}
					continue
				}
			case kindQuery:
				e.DNS.Query = m.intern.Get(field)
				continue
			}
		}
		c.Field.text(m, c.Key, field)
	}
	m.groups |= groups
	return n
}

// merge returns the columns of the second pass when the first left some
// of its own (bit i of left: quick[i]), in the order of the record.
func (l *Columns) merge(left uint64) []Column {
	out, rest := l.merged[:0], l.rest
	for ; left != 0; left &= left - 1 {
		q := &l.quick[bits.TrailingZeros64(left)]
		for len(rest) > 0 && rest[0].At < q.at {
			out, rest = append(out, rest[0]), rest[1:]
		}
		out = append(out, l.cols[q.i])
	}
	out = append(out, rest...)
	l.merged = out
	return out
}

// applyItems hands each item of an Items column's field to its setter.
func (m *Mapper) applyItems(c *Column, field []byte) {
	for {
		i := bytes.IndexByte(field, c.Sep)
		if i < 0 {
			c.Field.text(m, c.Key, field)
			return
		}
		c.Field.text(m, c.Key, field[:i])
		field = field[i+1:]
	}
}

// split records in l.bounds[1:] where each of the first l.width fields of
// line ends, and returns the number of fields. It scans eight bytes at a
// time (a word compared with the separator in every byte at once) rather
// than calling IndexByte per field: Zeek's fields are short, and a call's
// setup cost more than the scan.
func (l *Columns) split(line []byte, sep byte) int {
	ends := l.bounds[1:]
	n, i := 0, 0
	rep := uint64(sep) * lowBytes
	for ; i+8 <= len(line); i += 8 {
		// The high bit of each byte of z is set where line holds sep.
		for z := scoring.ZeroBytes(unchecked.Uint64LE(line, i) ^ rep); z != 0; z &= z - 1 {
			if uint(n) < uint(len(ends)) { // one test, the bounds check's
				ends[n] = i + bits.TrailingZeros64(z)>>3
			}
			n++
		}
	}
	for ; i < len(line); i++ {
		if line[i] == sep {
			if uint(n) < uint(len(ends)) {
				ends[n] = i
			}
			n++
		}
	}
	if n < len(ends) {
		ends[n] = len(line)
	}
	return n + 1
}

const lowBytes = 0x0101010101010101

// fieldAt returns field at of line, line[bounds[at]+1 : bounds[at+1]],
// without bounds checks (BenchmarkZeekLookupsTSV: 4,263 -> 4,025
// instructions a line, 21 fields read): ApplyLine calls
// it only with the line split has just recorded the bounds of, which are
// increasing and within it, and at below the layout's width (Set). An
// empty field is line[:0], not a pointer that may be past line's end.
func fieldAt(line []byte, bounds []int, at int) []byte {
	b := unsafe.Pointer(unsafe.SliceData(bounds))
	start := *(*int)(unsafe.Add(b, at*8)) + 1
	end := *(*int)(unsafe.Add(b, at*8+8))
	if start == end {
		return line[:0]
	}
	// An array's slice costs one check, unsafe.Slice's three.
	n := end - start
	return (*[1 << 40]byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(line)), start))[:n:n]
}

// quickPass is ApplyLine's first pass: it reads the fields of the
// columns quick (at most 64: a layout has a column of each kind at most)
// into e, and returns the groups of the fields it read and the columns it
// left to the second pass (bit i: quick[i]). It calls nothing, so that its
// loop keeps its state in registers.
func quickPass(e *scoring.Event, quick []quickColumn, line []byte, bounds []int, marks [2]byte) (groups Group, left uint64) {
	for i := range quick {
		q := &quick[i] // not a copy of it
		field := fieldAt(line, bounds, q.at)
		if len(field) > 0 && (field[0] == marks[0] || field[0] == marks[1]) {
			left |= 1 << (i & 63)
			continue
		}
		groups |= q.group // the second pass's column, when it is one, has the same
		switch k := q.kind; {
		case k <= kindQType: // a 16-bit number (in kind order: the commonest first)
			if n, ok := digits16(field); ok {
				setNumber16(e, q.off, n)
				continue
			}
		case k == kindProto: // ParseProto's commonest names
			if string(field) == "udp" {
				e.Proto = scoring.ProtoUDP
				continue
			}
			if string(field) == "tcp" {
				e.Proto = scoring.ProtoTCP
				continue
			}
		case k == kindRcode:
			if n, ok := digits16(field); ok && n <= 4095 {
				e.DNS.Rcode = int16(n)
				continue
			}
		case k == kindQTypeName:
			if e.DNS.QType != 0 { // SetQTypeName reads the name only without a number
				continue
			}
		case k == kindRcodeName:
			if e.DNS.Rcode != scoring.RcodeUnknown { // setRcodeName reads the name only without a number
				continue
			}
		}
		left |= 1 << (i & 63)
	}
	return groups, left
}

// number16 reports the kinds of 16-bit numbers (quickOffsets).
func (k textKind) number16() bool { return k >= kindSrcPort && k <= kindQType }

// setNumber16 writes n where quickOffsets places a 16-bit kind's number
// (off) in e, as the kind's setter would.
func setNumber16(e *scoring.Event, off uintptr, n uint16) {
	*(*uint16)(unsafe.Add(unsafe.Pointer(e), off)) = n
}

// quickOffsets holds where in a scoring.Event the first pass writes the
// number of each 16-bit kind.
var quickOffsets = [kindCount]uintptr{
	kindSrcPort: unsafe.Offsetof(scoring.Event{}.SrcPort),
	kindDstPort: unsafe.Offsetof(scoring.Event{}.DstPort),
	kindQType:   unsafe.Offsetof(scoring.Event{}.DNS) + unsafe.Offsetof(scoring.DNS{}.QType),
}
