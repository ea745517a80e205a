package record

import (
	"bytes"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

// skipReason marks the LineError of a record that holds no event (a
// header, a comment, an unsupported log type). It is not bad input; see
// IsSkip.
const skipReason = "skipped"

// Skip kinds for records that are not MS DNS lines.
const (
	SkipUnsupported = "unsupported record"
)

// IsSkip reports whether err (from End) says the record holds no event
// rather than bad input, and what kind of record it was.
func IsSkip(err error) (kind string, ok bool) {
	le, isLE := err.(*formats.LineError)
	if !isLE || le.Reason != skipReason {
		return "", false
	}
	return le.Detail, true
}

// SkipError returns the error End gives for a record that holds no event
// (IsSkip reports it), for line decoders that skip records themselves.
func SkipError(kind string) error {
	return &formats.LineError{Reason: skipReason, Detail: kind}
}

// End fills ev (reset first) from the record's fields. It returns a
// *formats.LineError (Line 0: the caller sets File and Line) for a record
// that cannot be mapped, and one for which IsSkip is true for a record
// that holds no event.
func (m *Mapper) End(ev *scoring.Event) error {
	if len(m.raw) > 0 && !m.inRaw && m.hint == scoring.TypeUnknown && !m.hintBad &&
		m.groups&(gAddr|gMSDNS|gDNS|gSniffer) == 0 {
		return m.endRaw(ev)
	}
	err := m.end(ev)
	m.reset()
	return err
}

// EndEvent is End without the copy, for a caller that reads the event
// before the record after it begins (the plugin scores it at once): it
// returns the Mapper's own event, valid until the next Begin or End.
func (m *Mapper) EndEvent() (*scoring.Event, error) {
	if len(m.raw) > 0 && !m.inRaw && m.hint == scoring.TypeUnknown && !m.hintBad &&
		m.groups&(gAddr|gMSDNS|gDNS|gSniffer) == 0 {
		m.held.Reset()
		return &m.held, m.endRaw(&m.held)
	}
	if err := m.end(nil); err != nil {
		m.reset()
		return nil, err
	}
	return &m.e, nil // reset by the next Begin
}

func (m *Mapper) end(ev *scoring.Event) error {
	if m.err.set {
		return &formats.LineError{Reason: m.err.reason, Detail: string(m.err.detail)}
	}
	dialect := m.dialect()
	typ := m.hint
	if m.hintBad {
		return SkipError(SkipUnsupported)
	}
	if typ == scoring.TypeUnknown {
		typ = m.typeFromGroups()
	}
	if typ == scoring.TypeUnknown {
		return &formats.LineError{Reason: "unrecognised record", Detail: "no known fields"}
	}
	if dialect == InputMSDNS {
		skip, reason := m.finishMSDNS()
		if skip != "" {
			return SkipError(skip)
		}
		if reason != "" {
			return &formats.LineError{Reason: reason, Detail: "incomplete PACKET record"}
		}
	}
	if !m.haveTime {
		if m.transport.IsZero() {
			return &formats.LineError{Reason: "missing timestamp"}
		}
		m.e.Time = m.transport.UTC()
	}
	m.finish(dialect, typ)
	if ev == nil {
		m.seal(dialect, typ)
		return nil
	}
	m.copyTo(ev, dialect, typ)
	return nil
}

// seal completes the Mapper's own event in place, as copyTo completes a
// copy: its type and origin, and only the sub-struct matching the type.
func (m *Mapper) seal(dialect Input, typ scoring.EventType) {
	e := &m.e
	e.Type, e.Origin = typ, origins[dialect][typ]
	if typ != scoring.TypeDNS {
		answers, ttls, auth := e.DNS.Answers[:0], e.DNS.TTLs[:0], e.DNS.Authority[:0]
		e.DNS = scoring.DNS{Answers: answers, TTLs: ttls, Authority: auth, Rcode: scoring.RcodeUnknown}
	}
	if typ != scoring.TypeFlow {
		e.Flow = scoring.Flow{}
	}
	if typ != scoring.TypeICMP {
		e.ICMP = scoring.ICMP{}
	}
	if typ != scoring.TypeHTTP {
		e.HTTP = scoring.HTTP{}
	}
	if typ != scoring.TypeTLS {
		e.TLS = scoring.TLS{}
	}
}

func (m *Mapper) dialect() Input {
	if m.in != InputAuto {
		return m.in
	}
	switch {
	case m.groups&gSniffer != 0:
		return InputSniffer
	case m.groups&gSuricata != 0:
		return InputSuricata
	case m.groups&gMSDNS != 0:
		return InputMSDNS
	}
	return InputZeek
}

func (m *Mapper) typeFromGroups() scoring.EventType {
	g := m.groups
	switch {
	case g&(gDNS|gMSDNS) != 0:
		return scoring.TypeDNS
	case g&gHTTP != 0:
		return scoring.TypeHTTP
	case g&gTLS != 0:
		return scoring.TypeTLS
	case g&gICMP != 0 && g&gFlow == 0:
		return scoring.TypeICMP
	case g&gFlow != 0:
		return scoring.TypeFlow
	}
	return scoring.TypeUnknown
}

// finish derives what depends on several fields.
func (m *Mapper) finish(dialect Input, typ scoring.EventType) {
	e := &m.e
	switch typ {
	case scoring.TypeDNS:
		d := &e.DNS
		if len(d.Answers) == 0 && len(m.grouped) > 0 {
			d.Answers = append(d.Answers, m.grouped...)
		}
		// TTLs are parallel to the answers or not known at all (Suricata
		// answer entries without rdata would shift them).
		if len(d.TTLs) != len(d.Answers) {
			d.TTLs = d.TTLs[:0]
		}
		switch {
		case m.explicitResp >= 0:
			d.Response = m.explicitResp == 1
		case dialect != InputMSDNS:
			d.Response = d.Rcode != scoring.RcodeUnknown || len(d.Answers) > 0
		}
		// Suricata logs a response from the server's side; nfr's
		// source is always the client that asked.
		if dialect == InputSuricata && d.Response && e.SrcPort == 53 && e.DstPort != 53 {
			e.SrcIP, e.DstIP = e.DstIP, e.SrcIP
			e.SrcPort, e.DstPort = e.DstPort, e.SrcPort
		}
	case scoring.TypeHTTP, scoring.TypeTLS:
		if e.Proto == scoring.ProtoUnknown {
			e.Proto = scoring.ProtoTCP
		}
	case scoring.TypeFlow:
		f := &e.Flow
		if f.Duration == 0 {
			if !m.flowStart.IsZero() && m.flowEnd.After(m.flowStart) {
				f.Duration = m.flowEnd.Sub(m.flowStart)
			} else if m.flowAge > 0 {
				f.Duration = m.flowAge
			}
		}
		if f.Service == "failed" {
			f.Service = ""
		}
		if f.ConnState == "" && e.Proto == scoring.ProtoTCP {
			f.ConnState = m.connState(f)
		}
		// Like Zeek, an ICMP flow carries the ICMP type and code as ports.
		if m.icmpSeen && e.SrcPort == 0 && e.DstPort == 0 {
			e.SrcPort, e.DstPort = uint16(e.ICMP.Type), uint16(e.ICMP.Code)
		}
	}
}

// OriginMSDNS is the Origin of every event from a Windows DNS Server debug
// log, whose queries and responses are separate records (formats/msdns
// joins them).
const OriginMSDNS = "msdns"

var origins = [...][6]string{
	InputZeek:     {"zeek", "zeek:dns", "zeek:conn", "zeek:icmp", "zeek:http", "zeek:ssl"},
	InputMSDNS:    {OriginMSDNS, OriginMSDNS, OriginMSDNS, OriginMSDNS, OriginMSDNS, OriginMSDNS},
	InputSuricata: {"suricata", "suricata:dns", "suricata:flow", "suricata:icmp", "suricata:http", "suricata:tls"},
	InputSniffer:  {"sniffer", "sniffer:dns", "sniffer:flow", "sniffer:icmp", "sniffer:http", "sniffer:tls"},
}

// copyTo moves the assembled event into ev, keeping ev's slice capacity
// and only the sub-struct that matches the type.
func (m *Mapper) copyTo(ev *scoring.Event, dialect Input, typ scoring.EventType) {
	answers, ttls, auth := ev.DNS.Answers[:0], ev.DNS.TTLs[:0], ev.DNS.Authority[:0]
	e := &m.e
	*ev = scoring.Event{
		Time: e.Time, Type: typ, Origin: origins[dialect][typ], UID: e.UID,
		SrcIP: e.SrcIP, DstIP: e.DstIP, SrcPort: e.SrcPort, DstPort: e.DstPort, Proto: e.Proto,
	}
	ev.DNS.Rcode = scoring.RcodeUnknown
	switch typ {
	case scoring.TypeDNS:
		ev.DNS = e.DNS
		answers = append(answers, e.DNS.Answers...)
		ttls = append(ttls, e.DNS.TTLs...)
		auth = append(auth, e.DNS.Authority...)
	case scoring.TypeFlow:
		ev.Flow = e.Flow
	case scoring.TypeICMP:
		ev.ICMP = e.ICMP
	case scoring.TypeHTTP:
		ev.HTTP = e.HTTP
	case scoring.TypeTLS:
		ev.TLS = e.TLS
	}
	ev.DNS.Answers, ev.DNS.TTLs, ev.DNS.Authority = answers, ttls, auth
}

// endRaw decodes a record whose only content is a raw log line, with the
// line decoder of the Mapper's input (or the one the line looks like).
func (m *Mapper) endRaw(ev *scoring.Event) error {
	line := append(m.rawLine[:0], m.raw...)
	m.rawLine = line
	transport := m.transport
	m.reset()
	m.transport = transport
	m.inRaw = true
	defer func() { m.inRaw = false }()
	line = bytes.TrimRight(line, "\r\n")
	var err error
	switch {
	case len(bytes.TrimSpace(line)) == 0:
		err = SkipError(SkipBlank)
	case m.in == InputMSDNS || (m.in == InputAuto && looksMSDNS(line)):
		if skip := m.FeedMSDNS(line); skip != "" {
			err = SkipError(skip)
		} else {
			err = m.end(ev)
		}
	case line[0] == '{':
		if err = m.FeedJSON(line); err == nil {
			err = m.end(ev)
		}
	case line[0] == '#':
		m.tsv.Header(line)
		err = SkipError(SkipHeader)
	default:
		if err = m.tsv.Feed(m, line); err == nil {
			err = m.end(ev)
		}
	}
	m.reset()
	return err
}

// looksMSDNS reports whether a raw line is from a DNS Server debug log.
func looksMSDNS(line []byte) bool {
	if len(line) > 0 && line[0] >= '0' && line[0] <= '9' {
		return bytes.Contains(line, []byte(" PACKET ")) || bytes.Contains(line, []byte(" EVENT "))
	}
	for _, p := range msHeaderPrefixes {
		if bytes.HasPrefix(line, p) {
			return true
		}
	}
	return false
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
func (m *Mapper) connState(f *scoring.Flow) string {
	ts, tc := m.tcpFlagsTS, m.tcpFlagsTC
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
