package record

import "bytes"

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

var msHeaderPrefixes = [][]byte{
	[]byte("DNS Server log"),
	[]byte("Log file wrap"),
	[]byte("Message logging key"),
	[]byte("Field #"),
}

// FeedMSDNS hands one line of a Windows DNS Server debug log to m, as the
// fields the parsers.conf regex would produce. For a line that holds no
// event it returns the skip kind (SkipHeader, SkipBlank, SkipEvent,
// SkipDetail) and End must not be called; otherwise End yields the event
// or the line's error.
func (m *Mapper) FeedMSDNS(line []byte) (skip string) {
	line = bytes.TrimRight(line, " \t\r\n")
	if len(line) == 0 {
		return SkipBlank
	}
	if line[0] < '0' || line[0] > '9' {
		return m.msNonPacket(line)
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
		m.fail("unrecognised line", keyLine, ptrTo(String(line)))
		return ""
	}
	if string(keyword) != "PACKET" {
		if _, ok := m.msTime(datetime); ok {
			return SkipEvent
		}
		m.fail("unrecognised line", keyLine, ptrTo(String(line)))
		return ""
	}
	m.set(fMSTime, keyDatetime, ptrTo(String(datetime)))
	m.set(fMSThread, keyThread, ptrTo(String(thread)))
	m.msPacket(line, rest)
	return ""
}

func (m *Mapper) msNonPacket(line []byte) string {
	switch line[0] {
	case '\t': // the logging key block
		return SkipHeader
	case ' ': // detailed packet logging
		return SkipDetail
	}
	for _, p := range msHeaderPrefixes {
		if bytes.HasPrefix(line, p) {
			return SkipHeader
		}
	}
	if bytes.HasPrefix(line, []byte("UDP ")) || bytes.HasPrefix(line, []byte("TCP ")) {
		return SkipDetail
	}
	m.fail("unrecognised line", keyLine, ptrTo(String(line)))
	return ""
}

var msPacketFields = [...]struct {
	id  fieldID
	key []byte
}{{fMSPacketID, keyPacketID}, {fMSTransport, keyTransport}, {fMSDirection, keyDirection}, {fMSRemote, keyRemote}, {fMSXID, keyXID}}

// msPacket feeds the part of a PACKET line after the keyword.
func (m *Mapper) msPacket(line, rest []byte) {
	var tok []byte
	fields := msPacketFields[:]
	// Windows Server 2003 writes no packet id: "PACKET UDP Rcv ...".
	if tok, _ := nextToken(rest); string(tok) == "UDP" || string(tok) == "TCP" {
		fields = fields[1:]
	}
	for _, f := range fields {
		if tok, rest = nextToken(rest); len(tok) == 0 {
			m.fail("bad packet line", keyLine, ptrTo(String(line)))
			return
		}
		m.set(f.id, f.key, ptrTo(String(tok)))
	}
	tok, rest = nextToken(rest)
	if string(tok) == "R" {
		m.set(fMSQR, keyQR, ptrTo(String(tok)))
		tok, rest = nextToken(rest)
	}
	m.set(fMSOpcode, keyOpcode, ptrTo(String(tok)))
	open, close := bytes.IndexByte(rest, '['), bytes.IndexByte(rest, ']')
	if open < 0 || close < open || len(bytes.TrimSpace(rest[:open])) != 0 {
		m.fail("bad packet line", keyLine, ptrTo(String(line)))
		return
	}
	m.msFlags(line, rest[open+1:close])
	rest = rest[close+1:]
	tok, rest = nextToken(rest)
	qname := bytes.TrimSpace(rest)
	if len(tok) == 0 || len(qname) == 0 {
		m.fail("bad packet line", keyLine, ptrTo(String(line)))
		return
	}
	m.set(fQTypeName, keyQTypeName, ptrTo(String(tok)))
	m.set(fMSQName, keyQName, ptrTo(String(qname)))
}

// msFlags feeds the bracketed "8385 A DR NXDOMAIN": four hex digits, the
// four flag columns A, T, D, R (blank when unset), and the rcode right
// aligned in eight columns. Logs whose blanks were collapsed by a copy
// ("8081 DR NXDOMAIN") are read by words instead.
func (m *Mapper) msFlags(line, in []byte) {
	if len(in) >= 11 && in[4] == ' ' && in[9] == ' ' && isFlagChars(in[5:9]) {
		m.set(fMSFlagsHex, keyFlagsHex, ptrTo(String(in[:4])))
		m.set(fMSFlagsChar, keyFlagsChar, ptrTo(String(in[5:9])))
		m.set(fRcodeName, keyRcodeName, ptrTo(String(bytes.TrimSpace(in[10:]))))
		return
	}
	hex, rest := nextToken(in)
	a, rest := nextToken(rest)
	b, rest := nextToken(rest)
	if len(hex) == 0 || len(a) == 0 || len(bytes.TrimSpace(rest)) != 0 {
		m.fail("bad packet line", keyLine, ptrTo(String(line)))
		return
	}
	m.set(fMSFlagsHex, keyFlagsHex, ptrTo(String(hex)))
	rcode := a
	if len(b) != 0 {
		m.set(fMSFlagsChar, keyFlagsChar, ptrTo(String(a)))
		rcode = b
	}
	m.set(fRcodeName, keyRcodeName, ptrTo(String(rcode)))
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
