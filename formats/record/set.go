package record

import (
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

var (
	unsetText = []byte("-")
	emptyText = []byte("(empty)")
)

// set applies one field. Zeek's unset ("-") and empty ("(empty)") markers
// are understood in text values, as regex parsers pass them through.
func (m *Mapper) set(id fieldID, key []byte, v *Value) {
	if id == fNone || v.Kind == KindNil {
		return
	}
	if v.Kind == KindString {
		if string(v.Str) == "-" {
			return
		}
		if string(v.Str) == "(empty)" {
			v = &Value{Kind: KindString, Str: v.Str[:0]}
		}
	}
	m.apply(id, key, v)
}

// ptrTo returns a pointer to a copy of v (kept on the stack when it does
// not escape).
func ptrTo(v Value) *Value { return &v }

// apply dispatches one field to its setter (markers already handled).
func (m *Mapper) apply(id fieldID, key []byte, v *Value) {
	r := &fieldRows[id]
	m.groups |= r.group
	switch r.set {
	case setterCommon:
		m.setCommon(id, key, v)
	case setterDNS:
		m.setDNS(id, key, v)
	case setterFlowICMP:
		m.setFlowICMP(id, key, v)
	case setterHTTPTLS:
		m.setHTTPTLS(id, key, v)
	case setterSuricata:
		m.setSuricata(id, key, v)
	case setterMSDNS:
		m.setMSDNS(id, key, v)
	}
}

func (m *Mapper) setCommon(id fieldID, key []byte, v *Value) {
	e := &m.e
	switch id {
	case fTS, fTimestamp:
		if t, ok := m.timeOf(key, v); ok {
			m.setTime(t)
		}
	case fPath:
		m.setHint(v, pathHints)
	case fType:
		m.setHint(v, snifferHints)
	case fEventType:
		m.setHint(v, suricataHints)
	case fUID, fFlowID:
		// Ids are unique per connection: interning them would only evict
		// the names that do repeat.
		if v.Kind == KindString {
			e.UID = string(v.Str)
		} else {
			e.UID = m.str(v)
		}
	case fOrigH:
		e.SrcIP, _ = m.addr(key, v)
	case fRespH:
		e.DstIP, _ = m.addr(key, v)
	case fOrigP:
		e.SrcPort = m.port(key, v)
	case fRespP:
		e.DstPort = m.port(key, v)
	case fProto:
		if v.Kind == KindString {
			e.Proto = scoring.ParseProto(view(v.Str))
		} else if n, ok := m.unsigned(key, v, 255, "bad number"); ok {
			e.Proto = scoring.Proto(n)
		}
	case fShipperTime:
		// Fluent Bit's json_date_key, Logstash's @timestamp: a transport
		// time, used only when the record has no time of its own.
		if v.Kind == KindString {
			if t, err := time.Parse(time.RFC3339Nano, view(v.Str)); err == nil {
				m.transport = t
			}
		}
	case fRaw:
		if !m.inRaw && v.Kind == KindString {
			m.raw = append(m.raw[:0], v.Str...)
		}
	}
}

type hintTable []struct {
	name string
	t    scoring.EventType
}

var (
	pathHints     = hintTable{{"dns", scoring.TypeDNS}, {"conn", scoring.TypeFlow}, {"http", scoring.TypeHTTP}, {"ssl", scoring.TypeTLS}}
	snifferHints  = hintTable{{"dns", scoring.TypeDNS}, {"flow", scoring.TypeFlow}, {"icmp", scoring.TypeICMP}, {"http", scoring.TypeHTTP}, {"tls", scoring.TypeTLS}}
	suricataHints = hintTable{{"dns", scoring.TypeDNS}, {"flow", scoring.TypeFlow}, {"http", scoring.TypeHTTP}, {"tls", scoring.TypeTLS}}
)

func (m *Mapper) setHint(v *Value, table hintTable) {
	for _, h := range table {
		if string(v.Str) == h.name {
			m.hint = h.t
			return
		}
	}
	m.hintBad = true
}

func (m *Mapper) setDNS(id fieldID, key []byte, v *Value) {
	d := &m.e.DNS
	switch id {
	case fTransID:
		n, _ := m.unsigned(key, v, 65535, "bad number")
		d.TransID = uint16(n)
	case fRTT:
		d.RTT, _ = m.duration(key, v)
	case fQuery:
		d.Query = m.str(v)
	case fQClass:
		n, _ := m.unsigned(key, v, 65535, "bad number")
		d.QClass = uint16(n)
	case fQType:
		n, _ := m.unsigned(key, v, 65535, "bad number")
		d.QType = uint16(n)
	case fQTypeName:
		// A name the table does not know (Zeek's "NIMLOC") leaves the
		// numeric qtype, when given, in place.
		if d.QType == 0 {
			if t, ok := scoring.ParseQType(m.str(v)); ok {
				d.QType = t
			}
		}
	case fRcode:
		n, ok := m.unsigned(key, v, 4095, "bad number")
		if ok {
			d.Rcode = int16(n)
		}
	case fRcodeName:
		if d.Rcode == scoring.RcodeUnknown {
			d.Rcode = parseRcode(v.Str)
		}
	case fAA:
		d.AA, _ = m.boolean(key, v)
	case fTC:
		d.TC, _ = m.boolean(key, v)
	case fRD:
		d.RD, _ = m.boolean(key, v)
	case fRA:
		d.RA, _ = m.boolean(key, v)
	case fAnswers:
		d.Answers = append(d.Answers, m.str(v))
	case fAnswersList:
		forEachItem(v, func(b []byte) { d.Answers = append(d.Answers, m.intern.Get(b)) })
	case fTTLs:
		if f, ok := m.float(key, v); ok {
			d.TTLs = append(d.TTLs, f)
		}
	case fTTLsList:
		forEachItem(v, func(b []byte) {
			if f, ok := m.float(key, ptrTo(String(b))); ok {
				d.TTLs = append(d.TTLs, f)
			}
		})
	case fIsResponse:
		if b, ok := m.boolean(key, v); ok {
			m.explicitResp = boolInt(b)
		}
	case fAuth:
		d.Authority = append(d.Authority, m.str(v))
	case fRespLen:
		n, _ := m.unsigned(key, v, 1<<31, "bad number")
		d.AnswerSize = int(n)
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

func boolInt(b bool) int8 {
	if b {
		return 1
	}
	return 0
}

// forEachItem calls fn with each comma-separated item of a text value.
func forEachItem(v *Value, fn func([]byte)) {
	if v.Kind != KindString || len(v.Str) == 0 {
		return
	}
	s := v.Str
	for {
		i := indexByte(s, ',')
		if i < 0 {
			fn(s)
			return
		}
		fn(s[:i])
		s = s[i+1:]
	}
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func (m *Mapper) setFlowICMP(id fieldID, key []byte, v *Value) {
	f, ic := &m.e.Flow, &m.e.ICMP
	switch id {
	case fService:
		f.Service = m.str(v)
		if f.App == "" {
			f.App = ServiceApp(f.Service)
		}
	case fDuration:
		f.Duration, _ = m.duration(key, v)
	case fOrigBytes:
		f.OrigBytes, _ = m.unsigned(key, v, 1<<62, "bad number")
	case fRespBytes:
		f.RespBytes, _ = m.unsigned(key, v, 1<<62, "bad number")
	case fOrigPkts:
		f.OrigPkts, _ = m.unsigned(key, v, 1<<62, "bad number")
	case fRespPkts:
		f.RespPkts, _ = m.unsigned(key, v, 1<<62, "bad number")
	case fConnState:
		f.ConnState = m.str(v)
	case fHistory:
		f.History = m.str(v)
	case fApp:
		f.App = m.str(v)
	case fAppConfidence:
		f.AppConfidence = m.str(v)
	case fAppEvidence:
		f.AppEvidence = m.str(v)
	case fLocalOrig:
		f.LocalOrig, _ = m.boolean(key, v)
	case fLocalResp:
		f.LocalResp, _ = m.boolean(key, v)
	case fICMPType:
		n, _ := m.unsigned(key, v, 255, "bad number")
		ic.Type, m.icmpSeen = uint8(n), true
	case fICMPCode:
		n, _ := m.unsigned(key, v, 255, "bad number")
		ic.Code = uint8(n)
	case fICMPID:
		n, _ := m.unsigned(key, v, 65535, "bad number")
		ic.ID = uint16(n)
	case fICMPSeq:
		n, _ := m.unsigned(key, v, 65535, "bad number")
		ic.Seq = uint16(n)
	case fPayloadLen:
		n, _ := m.unsigned(key, v, 1<<31, "bad number")
		ic.PayloadLen = int(n)
	case fPayloadEntropy:
		if x, ok := m.float(key, v); ok {
			if x < 0 || x > 8 {
				m.fail("bad number", key, v)
			}
			ic.PayloadEntropy = x
		}
	case fPayloadDigest:
		var n uint64
		ok := false
		switch v.Kind {
		case KindString:
			n, ok = parseHex(v.Str)
		case KindUint, KindInt:
			n, ok = m.unsigned(key, v, 1<<64-1, "bad number")
		}
		if !ok {
			m.fail("bad number", key, v)
		}
		ic.PayloadDigest = n
	}
}

func (m *Mapper) setHTTPTLS(id fieldID, key []byte, v *Value) {
	h, t := &m.e.HTTP, &m.e.TLS
	switch id {
	case fMethod:
		h.Method = m.str(v)
	case fHost:
		h.Host = m.str(v)
	case fURI:
		h.URI = m.str(v)
	case fReferrer:
		h.Referrer = m.str(v)
	case fUserAgent:
		h.UserAgent = m.str(v)
	case fStatus:
		n, _ := m.unsigned(key, v, 999, "bad number")
		h.Status = int(n)
	case fReqBodyLen:
		h.ReqBytes, _ = m.unsigned(key, v, 1<<62, "bad number")
	case fRespBodyLen:
		h.RespBytes, _ = m.unsigned(key, v, 1<<62, "bad number")
	case fMimeType:
		if !m.mimeSeen {
			h.ContentType, m.mimeSeen = m.str(v), true
		}
	case fMimeTypesList:
		forEachItem(v, func(b []byte) {
			if !m.mimeSeen {
				h.ContentType, m.mimeSeen = m.intern.Get(b), true
			}
		})
	case fVersion:
		t.Version = m.str(v) // also http.log's version; End keeps it for TLS only
	case fServerName:
		t.SNI = m.str(v)
	case fJA3:
		t.JA3 = m.str(v)
	case fJA3S:
		t.JA3S = m.str(v)
	case fSubject:
		t.Subject = m.str(v)
	case fIssuer:
		t.Issuer = m.str(v)
	case fValidation:
		t.ValidationStatus = m.str(v)
	case fEstablished:
		t.Established, _ = m.boolean(key, v)
	case fNotBefore:
		t.NotBefore, _ = m.timeOf(key, v)
	case fNotAfter:
		t.NotAfter, _ = m.timeOf(key, v)
	}
}

func (m *Mapper) setSuricata(id fieldID, key []byte, v *Value) {
	d := &m.e.DNS
	switch id {
	case fSDNSType:
		switch string(v.Str) {
		case "query", "request":
			m.explicitResp = 0
		case "answer", "response":
			m.explicitResp = 1
		}
	case fSDNSQR:
		if b, ok := m.boolean(key, v); ok {
			m.explicitResp = boolInt(b)
		}
	case fSDNSRData, fSDNSAnsRData:
		d.Answers = append(d.Answers, m.str(v))
	case fSDNSTTL, fSDNSAnsTTL:
		if f, ok := m.float(key, v); ok {
			d.TTLs = append(d.TTLs, f)
		}
	case fSDNSQueryName:
		if !m.queryFromList {
			d.Query, m.queryFromList = m.str(v), true
		}
	case fSDNSQueryType:
		if d.QType == 0 {
			if t, ok := scoring.ParseQType(m.str(v)); ok {
				d.QType = t
			}
		}
	case fSDNSGrouped:
		if v.Kind == KindString {
			m.grouped = append(m.grouped, m.str(v))
		}
	case fFlowStart:
		m.flowStart, _ = m.timeOf(key, v)
	case fFlowEnd:
		m.flowEnd, _ = m.timeOf(key, v)
	case fFlowAge:
		if n, ok := m.unsigned(key, v, 1<<31, "bad number"); ok {
			m.flowAge = time.Duration(n) * time.Second
		}
	case fTCPFlagsTS, fTCPFlagsTC:
		n, ok := uint64(0), false
		if v.Kind == KindString {
			n, ok = parseHex(v.Str)
		}
		if !ok || n > 0xff {
			m.fail("bad number", key, v)
			return
		}
		if id == fTCPFlagsTS {
			m.tcpFlagsTS = uint8(n) | tcpFlagsSeen
		} else {
			m.tcpFlagsTC = uint8(n) | tcpFlagsSeen
		}
	}
}
