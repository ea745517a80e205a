package msdns

import (
	"bytes"
	"time"

	"github.com/netflightrecorder/nfr/formats/record"
)

var (
	keyDatetime  = []byte("datetime")
	keyThread    = []byte("thread")
	keyPacketID  = []byte("packet_id")
	keyTransport = []byte("transport")
	keyDirection = []byte("direction")
	keyRemote    = []byte("remote")
	keyXID       = []byte("xid")
	keyQR        = []byte("qr")
	keyOpcode    = []byte("opcode")
	keyFlagsHex  = []byte("flags_hex")
	keyFlagsChar = []byte("flags_char")
	keyRcodeName = []byte("rcode_name")
	keyQTypeName = []byte("qtype_name")
	keyQName     = []byte("qname")
	keyLine      = []byte("line")
)

var headerPrefixes = [][]byte{
	[]byte("DNS Server log"),
	[]byte("Log file wrap"),
	[]byte("Message logging key"),
	[]byte("Field #"),
}

// feedLine is the dialect's Line: FeedLine with skips as errors.
func feedLine(m *record.Mapper, line []byte) error {
	if skip := FeedLine(m, line); skip != "" {
		return record.SkipError(skip)
	}
	return nil
}

// FeedLine hands one line of a Windows DNS Server debug log to m, as the
// fields the parsers.conf regex would produce. For a line that holds no
// event it returns the skip kind (record.SkipHeader, record.SkipBlank,
// SkipEvent, SkipDetail) and End must not be called; otherwise End yields
// the event or the line's error.
func FeedLine(m *record.Mapper, line []byte) (skip string) {
	line = bytes.TrimRight(line, " \t\r\n")
	if len(line) == 0 {
		return record.SkipBlank
	}
	if line[0] < '0' || line[0] > '9' {
		return nonPacket(m, line)
	}
	rest := line
	date, rest := nextToken(rest)
	clock, rest := nextToken(rest)
	end := len(line) - len(rest)
	if t, r := nextToken(rest); string(t) == "AM" || string(t) == "PM" || string(t) == "am" || string(t) == "pm" {
		rest, end = r, len(line)-len(r)
	}
	datetime := line[:end]
	thread, rest := nextToken(rest)
	keyword, rest := nextToken(rest)
	if len(date) == 0 || len(clock) == 0 || len(thread) == 0 {
		m.FailText("unrecognised line", keyLine, line)
		return ""
	}
	if string(keyword) != "PACKET" {
		if _, ok := st(m).parseTime(datetime, m.Location()); ok {
			return SkipEvent
		}
		m.FailText("unrecognised line", keyLine, line)
		return ""
	}
	m.SetField(fTime, keyDatetime, m.Text(datetime))
	m.SetField(fThread, keyThread, m.Text(thread))
	packet(m, line, rest)
	return ""
}

func nonPacket(m *record.Mapper, line []byte) string {
	switch line[0] {
	case '\t': // the logging key block
		return record.SkipHeader
	case ' ': // detailed packet logging
		return SkipDetail
	}
	for _, p := range headerPrefixes {
		if bytes.HasPrefix(line, p) {
			return record.SkipHeader
		}
	}
	if bytes.HasPrefix(line, []byte("UDP ")) || bytes.HasPrefix(line, []byte("TCP ")) {
		return SkipDetail
	}
	m.FailText("unrecognised line", keyLine, line)
	return ""
}

// packet feeds the part of a PACKET line after the keyword.
func packet(m *record.Mapper, line, rest []byte) {
	var tok []byte
	fields := [...]struct {
		f   *record.Field
		key []byte
	}{{fPacketID, keyPacketID}, {fTransport, keyTransport}, {fDirection, keyDirection}, {fRemote, keyRemote}, {fXID, keyXID}}
	list := fields[:]
	// Windows Server 2003 writes no packet id: "PACKET UDP Rcv ...".
	if tok, _ := nextToken(rest); string(tok) == "UDP" || string(tok) == "TCP" {
		list = list[1:]
	}
	for _, f := range list {
		if tok, rest = nextToken(rest); len(tok) == 0 {
			m.FailText("bad packet line", keyLine, line)
			return
		}
		m.SetField(f.f, f.key, m.Text(tok))
	}
	tok, rest = nextToken(rest)
	if string(tok) == "R" {
		m.SetField(fQR, keyQR, m.Text(tok))
		tok, rest = nextToken(rest)
	}
	m.SetField(fOpcode, keyOpcode, m.Text(tok))
	open, close := bytes.IndexByte(rest, '['), bytes.IndexByte(rest, ']')
	if open < 0 || close < open || len(bytes.TrimSpace(rest[:open])) != 0 {
		m.FailText("bad packet line", keyLine, line)
		return
	}
	flags(m, line, rest[open+1:close])
	rest = rest[close+1:]
	tok, rest = nextToken(rest)
	qname := bytes.TrimSpace(rest)
	if len(tok) == 0 || len(qname) == 0 {
		m.FailText("bad packet line", keyLine, line)
		return
	}
	m.SetField(fQTypeName, keyQTypeName, m.Text(tok))
	m.SetField(fQName, keyQName, m.Text(qname))
}

// flags feeds the bracketed "8385 A DR NXDOMAIN": four hex digits, the
// four flag columns A, T, D, R (blank when unset), and the rcode right
// aligned in eight columns. Logs whose blanks were collapsed by a copy
// ("8081 DR NXDOMAIN") are read by words instead.
func flags(m *record.Mapper, line, in []byte) {
	if len(in) >= 11 && in[4] == ' ' && in[9] == ' ' && isFlagChars(in[5:9]) {
		m.SetField(fFlagsHex, keyFlagsHex, m.Text(in[:4]))
		m.SetField(fFlagsChar, keyFlagsChar, m.Text(in[5:9]))
		m.SetField(fRcodeName, keyRcodeName, m.Text(bytes.TrimSpace(in[10:])))
		return
	}
	hex, rest := nextToken(in)
	a, rest := nextToken(rest)
	b, rest := nextToken(rest)
	if len(hex) == 0 || len(a) == 0 || len(bytes.TrimSpace(rest)) != 0 {
		m.FailText("bad packet line", keyLine, line)
		return
	}
	m.SetField(fFlagsHex, keyFlagsHex, m.Text(hex))
	rcode := a
	if len(b) != 0 {
		m.SetField(fFlagsChar, keyFlagsChar, m.Text(a))
		rcode = b
	}
	m.SetField(fRcodeName, keyRcodeName, m.Text(rcode))
}

func isFlagChars(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != 'A' && c != 'T' && c != 'D' && c != 'R' {
			return false
		}
	}
	return true
}

// nextToken returns the next run of non-blank bytes and what follows it.
func nextToken(s []byte) (tok, rest []byte) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	j := i
	for j < len(s) && s[j] != ' ' && s[j] != '\t' {
		j++
	}
	return s[i:j], s[j:]
}

// looksLike reports whether a raw line is from a DNS Server debug log.
func looksLike(line []byte) bool {
	if len(line) > 0 && line[0] >= '0' && line[0] <= '9' {
		return bytes.Contains(line, []byte(" PACKET ")) || bytes.Contains(line, []byte(" EVENT "))
	}
	for _, p := range headerPrefixes {
		if bytes.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// detect names a debug log file from its first telling line.
func detect(line []byte) string {
	if bytes.HasPrefix(line, []byte("DNS Server log")) || bytes.HasPrefix(line, []byte("Message logging key")) ||
		bytes.HasPrefix(line, []byte("Log file wrap")) {
		return "msdns"
	}
	if line[0] >= '0' && line[0] <= '9' && len(bytes.Fields(line)) >= 4 &&
		(bytes.Contains(line, []byte(" PACKET ")) || bytes.Contains(line, []byte(" EVENT "))) {
		return "msdns"
	}
	return ""
}

// parseTime parses the date and time forms Windows writes, in loc:
// "6/5/2013 10:00:32 AM" (US, 12-hour), "22/12/2021 21:46:04" (day first,
// 24-hour), "2017-01-02 21:00:00" (ISO-like), "22.12.2021 21:46:04",
// "20080702 20:59:38" (Windows Server 2003).
// Slash dates without AM/PM are day-first unless a field proves otherwise
// (a month above 12); the first proof fixes the order for the stream.
func (st *state) parseTime(s []byte, loc *time.Location) (time.Time, bool) {
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
		n, isNum := record.ParseUint(date)
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
		month, day, year = st.slashOrder(p[0], p[1]), 0, p[2]
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
	t := time.Date(int(year), time.Month(month), int(day), int(hour), int(c[1]), int(c[2]), 0, loc)
	if t.Day() != int(day) {
		return time.Time{}, false // 31 February
	}
	return t.UTC(), true
}

// slashOrder returns the month of a 24-hour slash date a/b/yyyy.
func (st *state) slashOrder(a, b uint64) uint64 {
	switch {
	case a > 12:
		st.dayFirst = 1
	case b > 12:
		st.dayFirst = -1
	}
	if st.dayFirst < 0 {
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
		n, ok := record.ParseUint(s[:j])
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
