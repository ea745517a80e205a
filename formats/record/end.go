package record

import (
	"bytes"
	"math/bits"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

// skipReason marks the LineError of a record that holds no event (a
// header, a comment, an unsupported log type). It is not bad input; see
// IsSkip.
const skipReason = "skipped"

// Skip kinds shared by the dialects.
const (
	SkipUnsupported = "unsupported record"
	SkipHeader      = "header"
	SkipBlank       = "blank"
)

// OriginMSDNS is the Origin of every event from a Windows DNS Server debug
// log, whose queries and responses are separate records (formats/msdns
// joins them).
const OriginMSDNS = "msdns"

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
	if m.rawOnly() {
		m.e = &m.own // the line is read again into the Mapper's own event
		return m.endRaw(ev)
	}
	if m.e == ev { // BeginInto: the event was assembled in place
		err := m.end(nil)
		m.e = &m.own
		// Like EndEvent, leave the record's state for the next Begin to
		// reset (which it does in any case): resetting it here too cost
		// 36 instructions a Zeek line (BenchmarkZeekLookupsTSV).
		return err
	}
	err := m.end(ev)
	m.e = &m.own
	m.reset()
	return err
}

// EndEvent is End without the copy, for a caller that reads the event
// before the record after it begins (the plugin scores it at once): it
// returns the Mapper's own event, valid until the next Begin or End.
func (m *Mapper) EndEvent() (*scoring.Event, error) {
	if m.rawOnly() {
		m.e = &m.own
		m.held.Reset()
		return &m.held, m.endRaw(&m.held)
	}
	if err := m.end(nil); err != nil {
		m.reset()
		return nil, err
	}
	return m.e, nil // reset by the next Begin
}

// rawOnly reports whether the record's only content is a raw log line.
func (m *Mapper) rawOnly() bool {
	return len(m.raw) > 0 && !m.inRaw && m.hint == scoring.TypeUnknown && !m.hintBad &&
		m.groups&(GroupStructured|GroupDNS) == 0
}

func (m *Mapper) end(ev *scoring.Event) error {
	if m.err.set {
		return &formats.LineError{Reason: m.err.reason, Detail: string(m.err.detail)}
	}
	d := m.dialect()
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
	hooks := m.touched != 0 || d != nil && d.Finish != nil
	if hooks { // else finishDialects has nothing to do
		if err := m.finishDialects(d, typ); err != nil {
			return err
		}
	}
	if !m.haveTime {
		if m.transport.IsZero() {
			return &formats.LineError{Reason: "missing timestamp"}
		}
		m.e.Time = m.transport.UTC()
	}
	m.finish(typ)
	origin := ""
	if d != nil {
		origin = d.Origins[typ]
	}
	if ev == nil {
		written := m.groups
		if hooks {
			written = groupsOfEvent // a Finish hook may write any part
		}
		m.seal(origin, typ, written)
		return nil
	}
	m.copyTo(ev, origin, typ)
	return nil
}

// finishDialects runs the Finish hook of the record's dialect, then those
// of the other dialects whose state the record used.
func (m *Mapper) finishDialects(d *Dialect, typ scoring.EventType) error {
	if d != nil && d.Finish != nil {
		if err := d.Finish(m, typ, true); err != nil {
			return err
		}
	}
	for t := m.touched; t != 0; t &= t - 1 {
		if o := dialects[bits.TrailingZeros32(t)]; o != d && o.Finish != nil {
			if err := o.Finish(m, typ, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// groupsOfEvent are the groups naming a sub-struct of the event, whose
// bits are 1 << (t-1) for the EventType t of the sub-struct.
const groupsOfEvent = GroupDNS | GroupFlow | GroupICMP | GroupHTTP | GroupTLS

// seal completes the Mapper's own event in place, as copyTo completes a
// copy: its type and origin, and only the sub-struct matching the type.
// The event was reset when the record began (Begin, BeginInto), so seal
// clears only the other sub-structs the record may have written: those
// of the groups in written (setters write the sub-structs of their
// fields' groups, as TestSettersWriteTheirGroups checks; the caller
// passes the record's groups, or all when a dialect's Finish hook ran),
// and TLS when its Version is set, which the groupless "version" field
// writes. Clearing the four others every time cost 71 instructions a DNS
// line (BenchmarkZeekLookupsTSV).
func (m *Mapper) seal(origin string, typ scoring.EventType, written Group) {
	e := m.e
	e.Type, e.Origin = typ, origin
	if e.TLS.Version != "" {
		written |= GroupTLS
	}
	if others := written & groupsOfEvent &^ (1 << (typ - 1)); others != 0 {
		clearOthers(e, others)
	}
}

// clearOthers clears the sub-structs of e of the groups in others.
func clearOthers(e *scoring.Event, others Group) {
	if others&GroupDNS != 0 {
		answers, ttls, auth := e.DNS.Answers[:0], e.DNS.TTLs[:0], e.DNS.Authority[:0]
		e.DNS = scoring.DNS{Answers: answers, TTLs: ttls, Authority: auth, Rcode: scoring.RcodeUnknown}
	}
	if others&GroupFlow != 0 {
		e.Flow = scoring.Flow{}
	}
	if others&GroupICMP != 0 {
		e.ICMP = scoring.ICMP{}
	}
	if others&GroupHTTP != 0 {
		e.HTTP = scoring.HTTP{}
	}
	if others&GroupTLS != 0 {
		e.TLS = scoring.TLS{}
	}
}

// dialect returns the record's dialect: the Mapper's, or with InputAuto
// the first registered one whose keys the record has, else the Default.
func (m *Mapper) dialect() *Dialect {
	if m.in != InputAuto {
		return dialectOf(m.in)
	}
	if marks := m.groups >> dialectShift; marks != 0 {
		return dialects[bits.TrailingZeros32(uint32(marks))]
	}
	return defaultDialect
}

func (m *Mapper) typeFromGroups() scoring.EventType {
	g := m.groups
	switch {
	case g&GroupDNS != 0:
		return scoring.TypeDNS
	case g&GroupHTTP != 0:
		return scoring.TypeHTTP
	case g&GroupTLS != 0:
		return scoring.TypeTLS
	case g&GroupICMP != 0 && g&GroupFlow == 0:
		return scoring.TypeICMP
	case g&GroupFlow != 0:
		return scoring.TypeFlow
	}
	return scoring.TypeUnknown
}

// finish derives what depends on several fields, after the dialects'.
func (m *Mapper) finish(typ scoring.EventType) {
	e := m.e
	switch typ {
	case scoring.TypeDNS:
		d := &e.DNS
		if m.explicitResp >= 0 {
			d.Response = m.explicitResp == 1
		} else {
			d.Response = d.Rcode != scoring.RcodeUnknown || len(d.Answers) > 0
		}
	case scoring.TypeHTTP, scoring.TypeTLS:
		if e.Proto == scoring.ProtoUnknown {
			e.Proto = scoring.ProtoTCP
		}
	case scoring.TypeFlow:
		f := &e.Flow
		if f.Service == "failed" {
			f.Service = ""
		}
		// Like Zeek, an ICMP flow carries the ICMP type and code as ports.
		if m.icmpSeen && e.SrcPort == 0 && e.DstPort == 0 {
			e.SrcPort, e.DstPort = uint16(e.ICMP.Type), uint16(e.ICMP.Code)
		}
	}
}

// copyTo moves the assembled event into ev, keeping ev's slice capacity
// and only the sub-struct that matches the type.
func (m *Mapper) copyTo(ev *scoring.Event, origin string, typ scoring.EventType) {
	answers, ttls, auth := ev.DNS.Answers[:0], ev.DNS.TTLs[:0], ev.DNS.Authority[:0]
	e := m.e
	*ev = scoring.Event{
		Time: e.Time, Type: typ, Origin: origin, UID: e.UID,
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
	if len(bytes.TrimSpace(line)) == 0 {
		err = SkipError(SkipBlank)
	} else if d := m.lineDialect(line); d != nil {
		if err = d.Line(m, line); err == nil {
			err = m.end(ev)
		}
	} else if line[0] == '{' {
		if err = m.FeedJSON(line); err == nil {
			err = m.end(ev)
		}
	} else {
		err = &formats.LineError{Reason: "unrecognised line", Detail: "no dialect reads raw lines"}
	}
	m.reset()
	return err
}

// lineDialect picks the dialect that reads a raw line (nil: JSON).
func (m *Mapper) lineDialect(line []byte) *Dialect {
	for _, d := range dialects {
		if d.Line != nil && d.LooksLike != nil && (m.in == d.input || (m.in == InputAuto && d.LooksLike(line))) {
			return d
		}
	}
	if line[0] == '{' {
		return nil
	}
	if d := dialectOf(m.in); d != nil && d.Line != nil {
		return d
	}
	for _, d := range dialects {
		if d.Default && d.Line != nil {
			return d
		}
	}
	return nil
}
