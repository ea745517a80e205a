package record

import (
	"bytes"
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// MS DNS debug log fields, named as the parsers.conf regex groups name
// them: datetime, thread, packet_id, transport, direction, remote, xid,
// qr, opcode, flags_hex, flags_char, rcode_name, qtype_name, qname.
type msFields struct {
	direction byte // 'S' (Snd) or 'R' (Rcv)
	remote    netip.Addr
	response  bool
	opcode    byte
	flagsHex  int32 // -1 when absent
	flagsChar [4]bool
	charsSeen bool
	qnameSeen bool
}

func (m *Mapper) setMSDNS(id fieldID, key []byte, v *Value) {
	if v.Kind != KindString {
		m.fail("bad field", key, v)
		return
	}
	s := bytes.TrimSpace(v.Str)
	switch id {
	case fMSTime:
		if t, ok := m.msTime(s); ok {
			m.setTime(t)
		} else {
			m.fail("bad date", key, v)
		}
	case fMSThread, fMSPacketID:
		if _, ok := parseHex(s); !ok {
			m.fail("bad packet line", key, v)
		}
	case fMSTransport:
		m.e.Proto = scoring.ParseProto(view(s))
		if m.e.Proto == scoring.ProtoUnknown {
			m.fail("bad packet line", key, v)
		}
	case fMSDirection:
		switch string(s) {
		case "Snd":
			m.ms.direction = 'S'
		case "Rcv":
			m.ms.direction = 'R'
		default:
			m.fail("bad packet line", key, v)
		}
	case fMSRemote:
		m.ms.remote, _ = m.addr(key, ptrTo(String(msStripPort(s))))
	case fMSXID:
		if n, ok := parseHex(s); ok && n <= 0xffff {
			m.e.DNS.TransID = uint16(n)
		} else {
			m.fail("bad packet line", key, v)
		}
	case fMSQR:
		m.ms.response = len(s) == 1 && s[0] == 'R'
	case fMSOpcode:
		if len(s) != 1 {
			m.fail("bad packet line", key, v)
			return
		}
		m.ms.opcode = s[0]
	case fMSFlagsHex:
		if n, ok := parseHex(s); ok && len(s) == 4 {
			m.ms.flagsHex = int32(n)
		} else {
			m.fail("bad packet line", key, v)
		}
	case fMSFlagsChar:
		m.ms.charsSeen = true
		for _, c := range s {
			switch c {
			case 'A':
				m.ms.flagsChar[0] = true
			case 'T':
				m.ms.flagsChar[1] = true
			case 'D':
				m.ms.flagsChar[2] = true
			case 'R':
				m.ms.flagsChar[3] = true
			case ' ':
			default:
				m.fail("bad packet line", key, v)
			}
		}
	case fMSQName:
		name, ok := m.msName(s)
		if !ok {
			m.fail("bad qname", key, v)
			return
		}
		m.e.DNS.Query, m.ms.qnameSeen = name, true
	}
}

// msStripPort drops a ":port" suffix some logs add to IPv4 remotes.
func msStripPort(s []byte) []byte {
	if i := bytes.IndexByte(s, ':'); i > 0 && bytes.IndexByte(s[i+1:], ':') < 0 && bytes.IndexByte(s[:i], '.') > 0 {
		return s[:i]
	}
	return s
}

// msName decodes "(3)www(7)example(3)com(0)" (or the dotted form some
// tools write, ".www.example.com.") to "www.example.com". The root is ".".
func (m *Mapper) msName(s []byte) (string, bool) {
	if len(s) == 0 {
		return "", false
	}
	if s[0] != '(' {
		s = bytes.Trim(s, ".")
		if len(s) == 0 {
			return ".", true
		}
		return m.intern.Get(s), true
	}
	out := m.nameBuf[:0]
	for len(s) > 0 {
		if s[0] != '(' {
			return "", false
		}
		end := bytes.IndexByte(s, ')')
		if end < 2 {
			return "", false
		}
		n, ok := parseUint(s[1:end])
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
	m.nameBuf = out
	if len(out) == 0 {
		return ".", true
	}
	return m.intern.Get(out), true
}

// msTime parses the date and time forms Windows writes, in m.loc:
// "6/5/2013 10:00:32 AM" (US, 12-hour), "22/12/2021 21:46:04" (day first,
// 24-hour), "2017-01-02 21:00:00" (ISO-like), "22.12.2021 21:46:04",
// "20080702 20:59:38" (Windows Server 2003).
// Slash dates without AM/PM are day-first unless a field proves otherwise
// (a month above 12); the first proof fixes the order for the stream.
func (m *Mapper) msTime(s []byte) (time.Time, bool) {
	sp := bytes.IndexByte(s, ' ')
	if sp < 0 {
		return time.Time{}, false
	}
	date, clock := s[:sp], bytes.TrimSpace(s[sp+1:])
	pm, twelve := false, false
	if n := len(clock); n > 3 && clock[n-3] == ' ' {
		switch string(clock[n-2:]) {
		case "AM", "am":
			twelve = true
		case "PM", "pm":
			twelve, pm = true, true
		default:
			return time.Time{}, false
		}
		clock = bytes.TrimSpace(clock[:n-3])
	}
	var p [3]uint64
	sep, ok := splitNums(date, &p)
	if !ok && len(date) == 8 { // 20080702, Windows Server 2003
		n, isNum := parseUint(date)
		sep, ok, p = '-', isNum, [3]uint64{n / 10000, n / 100 % 100, n % 100}
	}
	if !ok {
		return time.Time{}, false
	}
	var year, month, day uint64
	switch {
	case sep == '-' || p[0] > 31: // 2017-01-02
		year, month, day = p[0], p[1], p[2]
	case sep == '.': // 22.12.2021
		day, month, year = p[0], p[1], p[2]
	case twelve: // 6/5/2013 10:00:32 AM
		month, day, year = p[0], p[1], p[2]
	default:
		month, day, year = m.slashOrder(p[0], p[1]), 0, p[2]
		if month == p[0] {
			day = p[1]
		} else {
			day = p[0]
		}
	}
	var c [3]uint64
	if csep, ok := splitNums(clock, &c); !ok || csep != ':' {
		return time.Time{}, false
	}
	hour := c[0]
	if twelve {
		if hour < 1 || hour > 12 {
			return time.Time{}, false
		}
		hour %= 12
		if pm {
			hour += 12
		}
	}
	if year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || c[1] > 59 || c[2] > 60 {
		return time.Time{}, false
	}
	t := time.Date(int(year), time.Month(month), int(day), int(hour), int(c[1]), int(c[2]), 0, m.loc)
	if t.Day() != int(day) {
		return time.Time{}, false // 31 February
	}
	return t.UTC(), true
}

// slashOrder returns the month of a 24-hour slash date a/b/yyyy.
func (m *Mapper) slashOrder(a, b uint64) uint64 {
	switch {
	case a > 12:
		m.dayFirst = 1
	case b > 12:
		m.dayFirst = -1
	}
	if m.dayFirst < 0 {
		return a
	}
	return b
}

// splitNums splits "a?b?c" with one separator byte into three numbers.
func splitNums(s []byte, out *[3]uint64) (byte, bool) {
	var sep byte
	for i := 0; i < 3; i++ {
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		n, ok := parseUint(s[:j])
		if !ok || j > 4 {
			return 0, false
		}
		out[i] = n
		s = s[j:]
		if i == 2 {
			break
		}
		if len(s) == 0 || (sep != 0 && s[0] != sep) {
			return 0, false
		}
		sep, s = s[0], s[1:]
	}
	return sep, len(s) == 0
}

// msSkip kinds for MS DNS records that hold no event.
const (
	SkipHeader = "header"
	SkipBlank  = "blank"
	SkipEvent  = "event"
	SkipDetail = "packet detail"
	SkipOpcode = "non-query opcode"
)

// finishMSDNS completes an MS DNS event in End.
func (m *Mapper) finishMSDNS() (skip string, err string) {
	e, ms := &m.e, &m.ms
	if !m.haveTime || ms.direction == 0 || !ms.remote.IsValid() || !ms.qnameSeen {
		return "", "bad packet line"
	}
	if ms.opcode != 'Q' {
		return SkipOpcode, ""
	}
	d := &e.DNS
	d.Response = ms.response
	if ms.flagsHex >= 0 {
		// Windows prints the flags word byte-swapped: "8081" is 0x8180.
		f := uint16(ms.flagsHex)<<8 | uint16(ms.flagsHex)>>8
		d.AA, d.TC, d.RD, d.RA = f&0x0400 != 0, f&0x0200 != 0, f&0x0100 != 0, f&0x0080 != 0
	} else if ms.charsSeen {
		d.AA, d.TC, d.RD, d.RA = ms.flagsChar[0], ms.flagsChar[1], ms.flagsChar[2], ms.flagsChar[3]
	}
	if !d.Response {
		d.Rcode = scoring.RcodeUnknown
	}
	// The client is the host that sent the query: the remote for queries
	// received and responses sent; the server itself (unknown address)
	// for the queries it forwards.
	client := (ms.direction == 'R') != d.Response
	if client {
		e.SrcIP = ms.remote
	} else {
		e.DstIP = ms.remote
	}
	return "", ""
}
