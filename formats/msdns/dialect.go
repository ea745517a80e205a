package msdns

import (
	"bytes"
	"io"
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// ms marks a field of the debug log: a DNS record of this dialect.
const ms = record.GroupDNS | record.GroupDialect

// Dialect is the Windows DNS Server debug log's: the fields named as the
// parsers.conf regex groups name them (datetime, thread, packet_id,
// transport, direction, remote, xid, qr, opcode, flags_hex, flags_char,
// qname; rcode_name and qtype_name are the common fields), the line
// tokenizer that produces the same fields from a raw line, and a finish
// hook that completes a PACKET record.
var Dialect = record.Dialect{
	Name:    "msdns",
	Origins: [6]string{record.OriginMSDNS, record.OriginMSDNS, record.OriginMSDNS, record.OriginMSDNS, record.OriginMSDNS, record.OriginMSDNS},
	Fields: []record.Field{
		fieldTime, fieldThread, fieldPacketID, fieldTransport, fieldDirection, fieldRemote, fieldXID,
		fieldQR, fieldOpcode, fieldFlagsHex, fieldFlagsChar, fieldQName,
	},
	State:     func() record.State { return &state{} },
	Finish:    finish,
	Line:      feedLine,
	LooksLike: looksLike,

	Formats: []string{"msdns"},
	Open: func(r io.Reader, file, _ string, loc *time.Location) formats.Source {
		return NewReader(r, file, Options{Location: loc})
	},
	Detect: detect,
}

// Input is the MS DNS dialect's.
var Input record.Input

func init() {
	Input = record.Register(&Dialect)
	for _, f := range []struct {
		f   **record.Field
		key []byte
	}{{&fTime, keyDatetime}, {&fThread, keyThread}, {&fPacketID, keyPacketID}, {&fTransport, keyTransport},
		{&fDirection, keyDirection}, {&fRemote, keyRemote}, {&fXID, keyXID}, {&fQR, keyQR}, {&fOpcode, keyOpcode},
		{&fFlagsHex, keyFlagsHex}, {&fFlagsChar, keyFlagsChar}, {&fRcodeName, keyRcodeName}, {&fQTypeName, keyQTypeName},
		{&fQName, keyQName}} {
		*f.f = record.LookupField(f.key)
	}
}

// The registered fields, which feedLine hands its tokens to.
var fTime, fThread, fPacketID, fTransport, fDirection, fRemote, fXID, fQR, fOpcode, fFlagsHex, fFlagsChar,
	fRcodeName, fQTypeName, fQName *record.Field

var (
	fieldTime      = record.Field{Keys: []string{"datetime"}, Group: ms, Set: text(setTime)}
	fieldThread    = record.Field{Keys: []string{"thread"}, Group: ms, Set: text(setHexID)}
	fieldPacketID  = record.Field{Keys: []string{"packet_id"}, Group: ms, Set: text(setHexID)}
	fieldTransport = record.Field{Keys: []string{"transport"}, Group: ms, Set: text(setTransport)}
	fieldDirection = record.Field{Keys: []string{"direction"}, Group: ms, Set: text(setDirection)}
	fieldRemote    = record.Field{Keys: []string{"remote"}, Group: ms, Set: text(setRemote)}
	fieldXID       = record.Field{Keys: []string{"xid"}, Group: ms, Set: text(setXID)}
	fieldQR        = record.Field{Keys: []string{"qr"}, Group: ms, Set: text(func(m *record.Mapper, s *state, _ []byte, t []byte) {
		s.response = len(t) == 1 && t[0] == 'R'
	})}
	fieldOpcode    = record.Field{Keys: []string{"opcode"}, Group: ms, Set: text(setOpcode)}
	fieldFlagsHex  = record.Field{Keys: []string{"flags_hex"}, Group: ms, Set: text(setFlagsHex)}
	fieldFlagsChar = record.Field{Keys: []string{"flags_char"}, Group: ms, Set: text(setFlagsChar)}
	fieldQName     = record.Field{Keys: []string{"qname"}, Group: ms, Set: text(setQName)}
)

// state is one record's PACKET fields besides its event, and the stream's
// date order.
type state struct {
	direction byte // 'S' (Snd) or 'R' (Rcv)
	remote    netip.Addr
	response  bool
	opcode    byte
	flagsHex  int32 // -1 when absent
	flagsChar [4]bool
	charsSeen bool
	qnameSeen bool

	dayFirst int8          // slash dates: 0 undecided, 1 day first, -1 month first (kept for the stream)
	nameBuf  []byte        // msName's
	v        *record.Value // the value being set, for Fail
}

func (s *state) Reset() {
	*s = state{flagsHex: -1, dayFirst: s.dayFirst, nameBuf: s.nameBuf[:0]}
}

func st(m *record.Mapper) *state { return m.State(Input).(*state) }

// text makes a setter of fields that are text (trimmed of blanks).
func text(set func(m *record.Mapper, s *state, key, text []byte)) record.Setter {
	return func(m *record.Mapper, key []byte, v *record.Value) {
		if v.Kind != record.KindString {
			m.Fail("bad field", key, v)
			return
		}
		s := st(m)
		s.v = v // for Fail
		set(m, s, key, bytes.TrimSpace(v.Str))
	}
}

func setTime(m *record.Mapper, s *state, key, t []byte) {
	if tm, ok := s.parseTime(t, m.Location()); ok {
		m.SetTime(tm)
	} else {
		m.Fail("bad date", key, s.v)
	}
}

func setHexID(m *record.Mapper, s *state, key, t []byte) {
	if _, ok := record.ParseHex(t); !ok {
		m.Fail("bad packet line", key, s.v)
	}
}

func setTransport(m *record.Mapper, s *state, key, t []byte) {
	e := m.Event()
	if e.Proto = scoring.ParseProto(string(t)); e.Proto == scoring.ProtoUnknown {
		m.Fail("bad packet line", key, s.v)
	}
}

func setDirection(m *record.Mapper, s *state, key, t []byte) {
	switch string(t) {
	case "Snd":
		s.direction = 'S'
	case "Rcv":
		s.direction = 'R'
	default:
		m.Fail("bad packet line", key, s.v)
	}
}

func setRemote(m *record.Mapper, s *state, key, t []byte) {
	s.remote, _ = m.AddrText(key, stripPort(t))
}

func setXID(m *record.Mapper, s *state, key, t []byte) {
	if n, ok := record.ParseHex(t); ok && n <= 0xffff {
		m.Event().DNS.TransID = uint16(n)
	} else {
		m.Fail("bad packet line", key, s.v)
	}
}

func setOpcode(m *record.Mapper, s *state, key, t []byte) {
	if len(t) != 1 {
		m.Fail("bad packet line", key, s.v)
		return
	}
	s.opcode = t[0]
}

func setFlagsHex(m *record.Mapper, s *state, key, t []byte) {
	if n, ok := record.ParseHex(t); ok && len(t) == 4 {
		s.flagsHex = int32(n)
	} else {
		m.Fail("bad packet line", key, s.v)
	}
}

func setFlagsChar(m *record.Mapper, s *state, key, t []byte) {
	s.charsSeen = true
	for _, c := range t {
		switch c {
		case 'A':
			s.flagsChar[0] = true
		case 'T':
			s.flagsChar[1] = true
		case 'D':
			s.flagsChar[2] = true
		case 'R':
			s.flagsChar[3] = true
		case ' ':
		default:
			m.Fail("bad packet line", key, s.v)
		}
	}
}

func setQName(m *record.Mapper, s *state, key, t []byte) {
	name, ok := s.name(m, t)
	if !ok {
		m.Fail("bad qname", key, s.v)
		return
	}
	m.Event().DNS.Query, s.qnameSeen = name, true
}

// stripPort drops a ":port" suffix some logs add to IPv4 remotes.
func stripPort(s []byte) []byte {
	if i := bytes.IndexByte(s, ':'); i > 0 && bytes.IndexByte(s[i+1:], ':') < 0 && bytes.IndexByte(s[:i], '.') > 0 {
		return s[:i]
	}
	return s
}

// name decodes "(3)www(7)example(3)com(0)" (or the dotted form some tools
// write, ".www.example.com.") to "www.example.com". The root is ".".
func (st *state) name(m *record.Mapper, s []byte) (string, bool) {
	if len(s) == 0 {
		return "", false
	}
	if s[0] != '(' {
		s = bytes.Trim(s, ".")
		if len(s) == 0 {
			return ".", true
		}
		return m.Intern(s), true
	}
	out := st.nameBuf[:0]
	for len(s) > 0 {
		if s[0] != '(' {
			return "", false
		}
		end := bytes.IndexByte(s, ')')
		if end < 2 {
			return "", false
		}
		n, ok := record.ParseUint(s[1:end])
		if !ok || n > 63 {
			return "", false
		}
		s = s[end+1:]
		if n == 0 {
			if len(s) != 0 {
				return "", false
			}
			break
		}
		if uint64(len(s)) < n {
			return "", false
		}
		if len(out) > 0 {
			out = append(out, '.')
		}
		out = append(out, s[:n]...)
		s = s[n:]
	}
	st.nameBuf = out
	if len(out) == 0 {
		return ".", true
	}
	return m.Intern(out), true
}

// Skip kinds of debug log lines that hold no event (besides
// record.SkipHeader and record.SkipBlank).
const (
	SkipEvent  = "event"
	SkipDetail = "packet detail"
	SkipOpcode = "non-query opcode"
)

// finish completes a PACKET record of the debug log.
func finish(m *record.Mapper, _ scoring.EventType, own bool) error {
	if !own {
		return nil
	}
	e, s := m.Event(), st(m)
	if !m.HasTime() || s.direction == 0 || !s.remote.IsValid() || !s.qnameSeen {
		return &formats.LineError{Reason: "bad packet line", Detail: "incomplete PACKET record"}
	}
	if s.opcode != 'Q' {
		return record.SkipError(SkipOpcode)
	}
	d := &e.DNS
	d.Response = s.response
	if s.flagsHex >= 0 {
		// Windows prints the flags word byte-swapped: "8081" is 0x8180.
		f := uint16(s.flagsHex)<<8 | uint16(s.flagsHex)>>8
		d.AA, d.TC, d.RD, d.RA = f&0x0400 != 0, f&0x0200 != 0, f&0x0100 != 0, f&0x0080 != 0
	} else if s.charsSeen {
		d.AA, d.TC, d.RD, d.RA = s.flagsChar[0], s.flagsChar[1], s.flagsChar[2], s.flagsChar[3]
	}
	if !d.Response {
		d.Rcode = scoring.RcodeUnknown
	}
	// The client is the host that sent the query: the remote for queries
	// received and responses sent; the server itself (unknown address)
	// for the queries it forwards.
	if (s.direction == 'R') != d.Response {
		e.SrcIP = s.remote
	} else {
		e.DstIP = s.remote
	}
	// The response is the PACKET line's, unless a key said otherwise.
	if _, known := m.Response(); !known {
		m.SetResponse(s.response)
	}
	return nil
}
