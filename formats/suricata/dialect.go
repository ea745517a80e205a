package suricata

import (
	"time"

	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

const (
	dns      = record.GroupDNS | record.GroupDialect
	flow     = record.GroupFlow | record.GroupDialect
	suricata = record.GroupDialect
)

// Dialect is Suricata eve's: its spellings of the common fields, its own
// DNS (v1 per-answer records, v2/v3 "answers", "queries" and "grouped")
// and flow keys (start, end and age; TCP flags), and a finish hook that
// derives flow durations and TCP states and turns responses around so
// that the source is the client.
var Dialect = record.Dialect{
	Name:    "suricata",
	Origins: [6]string{"suricata", "suricata:dns", "suricata:flow", "suricata:icmp", "suricata:http", "suricata:tls"},
	Fields: []record.Field{
		record.Alias(record.KeyTS, suricata, "timestamp"),
		{Keys: []string{"event_type"}, Group: suricata, Set: func(m *record.Mapper, _ []byte, v *record.Value) { m.SetHint(v, hints) }},
		{Keys: []string{"flow_id"}, Group: suricata, Set: record.SetUID},
		record.Alias(record.KeyOrigH, 0, "src_ip"),
		record.Alias(record.KeyOrigP, 0, "src_port"),
		record.Alias(record.KeyRespH, 0, "dest_ip"),
		record.Alias(record.KeyRespP, 0, "dest_port"),

		record.Alias(record.KeyQuery, 0, "dns.rrname"),
		record.Alias(record.KeyQTypeName, 0, "dns.rrtype"),
		record.Alias(record.KeyRcodeName, 0, "dns.rcode"),
		{Keys: []string{"dns.type"}, Group: dns, Set: setDNSType},
		{Keys: []string{"dns.qr"}, Group: dns, Set: record.SetIsResponse},
		// v1 answer records (one rdata each), v2 answers[].
		{Keys: []string{"dns.rdata", "dns.answers.rdata"}, Group: dns, Set: record.SetAnswer},
		// v3 queries[].
		{Keys: []string{"dns.queries.rrname"}, Group: dns, Set: setQueryName},
		{Keys: []string{"dns.queries.rrtype"}, Group: dns, Set: record.SetQTypeName},
		// v2 grouped.<TYPE>[]: the answers when no answer list came.
		{Keys: []string{"dns.grouped."}, Prefix: true, Group: dns, Set: setGrouped},

		record.Alias(record.KeyService, 0, "app_proto"),
		record.Alias(record.KeyOrigBytes, 0, "flow.bytes_toserver"),
		record.Alias(record.KeyRespBytes, 0, "flow.bytes_toclient"),
		record.Alias(record.KeyOrigPkts, 0, "flow.pkts_toserver"),
		record.Alias(record.KeyRespPkts, 0, "flow.pkts_toclient"),
		{Keys: []string{"flow.start"}, Group: flow, Set: func(m *record.Mapper, key []byte, v *record.Value) { st(m).flowStart, _ = m.Time(key, v) }},
		{Keys: []string{"flow.end"}, Group: flow, Set: func(m *record.Mapper, key []byte, v *record.Value) { st(m).flowEnd, _ = m.Time(key, v) }},
		{Keys: []string{"flow.age"}, Group: flow, Set: func(m *record.Mapper, key []byte, v *record.Value) {
			if n, ok := m.Unsigned(key, v, 1<<31, "bad number"); ok {
				st(m).flowAge = time.Duration(n) * time.Second
			}
		}},
		// TCP flags seen to the server and to the client (hex).
		{Keys: []string{"tcp.tcp_flags_ts"}, Group: flow, Set: func(m *record.Mapper, key []byte, v *record.Value) {
			tcpFlags(m, key, v, &st(m).tcpFlagsTS)
		}},
		{Keys: []string{"tcp.tcp_flags_tc"}, Group: flow, Set: func(m *record.Mapper, key []byte, v *record.Value) {
			tcpFlags(m, key, v, &st(m).tcpFlagsTC)
		}},

		record.Alias("method", 0, "http.http_method"),
		record.Alias("host", 0, "http.hostname"),
		record.Alias("uri", 0, "http.url"),
		record.Alias("referrer", 0, "http.http_refer"),
		record.Alias("user_agent", 0, "http.http_user_agent"),
		record.Alias("status_code", 0, "http.status"),
		record.Alias("response_body_len", 0, "http.length"),
		record.Alias("resp_mime_types", 0, "http.http_content_type"),

		record.Alias(record.KeyVersion, 0, "tls.version"),
		record.Alias(record.KeyServerName, 0, "tls.sni"),
		record.Alias(record.KeyJA3, 0, "tls.ja3.hash"),
		record.Alias(record.KeyJA3S, 0, "tls.ja3s.hash"),
		record.Alias("subject", 0, "tls.subject"),
		record.Alias("issuer", 0, "tls.issuerdn"),
		{Keys: []string{"tls.notbefore"}, Group: record.GroupTLS, Set: func(m *record.Mapper, key []byte, v *record.Value) {
			m.Event().TLS.NotBefore, _ = m.Time(key, v)
		}},
		{Keys: []string{"tls.notafter"}, Group: record.GroupTLS, Set: func(m *record.Mapper, key []byte, v *record.Value) {
			m.Event().TLS.NotAfter, _ = m.Time(key, v)
		}},
	},
	State:  func() record.State { return &state{} },
	Finish: finish,

	Formats: []string{"suricata"},
	Open:    openFile,
	Detect:  detect,
}

// Input is the Suricata dialect's.
var Input record.Input

func init() { Input = record.Register(&Dialect) }

var hints = record.Hints{{Name: "dns", Type: scoring.TypeDNS}, {Name: "flow", Type: scoring.TypeFlow},
	{Name: "http", Type: scoring.TypeHTTP}, {Name: "tls", Type: scoring.TypeTLS}}

// state is what one record keeps besides its event.
type state struct {
	grouped       []string
	queryFromList bool
	flowStart     time.Time
	flowEnd       time.Time
	flowAge       time.Duration
	tcpFlagsTS    uint8 // TCP flags each way; tcpFlagsSeen marks presence
	tcpFlagsTC    uint8
}

func (s *state) Reset() {
	*s = state{grouped: s.grouped[:0]}
}

func st(m *record.Mapper) *state { return m.State(Input).(*state) }

func setDNSType(m *record.Mapper, _ []byte, v *record.Value) {
	switch string(v.Str) {
	case "query", "request":
		m.SetResponse(false)
	case "answer", "response":
		m.SetResponse(true)
	}
}

func setQueryName(m *record.Mapper, _ []byte, v *record.Value) {
	if s := st(m); !s.queryFromList {
		m.Event().DNS.Query, s.queryFromList = m.Str(v), true
	}
}

func setGrouped(m *record.Mapper, _ []byte, v *record.Value) {
	if v.Kind == record.KindString {
		s := st(m)
		s.grouped = append(s.grouped, m.Str(v))
	}
}

func tcpFlags(m *record.Mapper, key []byte, v *record.Value, out *uint8) {
	n, ok := uint64(0), false
	if v.Kind == record.KindString {
		n, ok = record.ParseHex(v.Str)
	}
	if !ok || n > 0xff {
		m.Fail("bad number", key, v)
		return
	}
	*out = uint8(n) | tcpFlagsSeen
}

// finish runs for Suricata records (own) and for records of other
// dialects that carried Suricata keys (their answers, flow times and TCP
// flags are read the same).
func finish(m *record.Mapper, typ scoring.EventType, own bool) error {
	e, s := m.Event(), st(m)
	switch typ {
	case scoring.TypeDNS:
		d := &e.DNS
		if len(d.Answers) == 0 && len(s.grouped) > 0 {
			d.Answers = append(d.Answers, s.grouped...)
		}
		if !own {
			return nil
		}
		resp, known := m.Response()
		if !known {
			resp = d.Rcode != scoring.RcodeUnknown || len(d.Answers) > 0
			m.SetResponse(resp)
		}
		// Suricata logs a response from the server's side; nfr's source
		// is always the client that asked.
		if resp && e.SrcPort == 53 && e.DstPort != 53 {
			e.SrcIP, e.DstIP = e.DstIP, e.SrcIP
			e.SrcPort, e.DstPort = e.DstPort, e.SrcPort
		}
	case scoring.TypeFlow:
		f := &e.Flow
		if f.Duration == 0 {
			if !s.flowStart.IsZero() && s.flowEnd.After(s.flowStart) {
				f.Duration = s.flowEnd.Sub(s.flowStart)
			} else if s.flowAge > 0 {
				f.Duration = s.flowAge
			}
		}
		if f.ConnState == "" && e.Proto == scoring.ProtoTCP {
			f.ConnState = connState(s, f)
		}
	}
	return nil
}

// TCP flag bits, and a marker that a flags field was present.
const (
	tcpFIN       = 0x01
	tcpSYN       = 0x02
	tcpRST       = 0x04
	tcpFlagsSeen = 0x80 // CWR, unused by the states below
)

// connState derives the Zeek connection states nfr's detectors rely on
// from Suricata's per-direction TCP flags: S0 (a SYN, no reply), REJ (a
// SYN answered by a reset), SF (opened and closed with FINs); "" when the
// flags do not say.
func connState(s *state, f *scoring.Flow) string {
	ts, tc := s.tcpFlagsTS, s.tcpFlagsTC
	if ts&tcpFlagsSeen == 0 {
		return ""
	}
	switch {
	case ts&tcpSYN != 0 && f.RespPkts == 0 && tc&^tcpFlagsSeen == 0:
		return "S0"
	case ts&tcpSYN != 0 && tc&tcpRST != 0 && tc&tcpSYN == 0:
		return "REJ"
	case ts&tcpSYN != 0 && tc&tcpSYN != 0 && ts&tcpFIN != 0 && tc&tcpFIN != 0 && (ts|tc)&tcpRST == 0:
		return "SF"
	}
	return ""
}
