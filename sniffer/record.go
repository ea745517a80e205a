package sniffer

import (
	"encoding/binary"
	"math"
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tinylib/msgp/msgp"

	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// RecordType is the _type value of ev's record: "dns", "flow", "icmp" or "tls"
// ("" for events the sniffer does not produce).
func RecordType(ev *scoring.Event) string {
	switch ev.Type {
	case scoring.TypeDNS:
		return "dns"
	case scoring.TypeFlow:
		return "flow"
	case scoring.TypeICMP:
		return "icmp"
	case scoring.TypeTLS:
		return "tls"
	}
	return ""
}

// AppendRecord appends ev as a msgpack map (the Forward protocol's record)
// using the key names of formats/record. See sniffer/README.md.
func AppendRecord(dst []byte, ev *scoring.Event) []byte {
	w := recWriter{b: dst}
	w.begin()
	w.event(ev)
	w.end()
	return w.b
}

// AppendJSON appends ev as one line of NDJSON (newline included) with the
// same keys and values as AppendRecord. Bytes that are not UTF-8 are
// written as the four characters \xHH, as Zeek does.
func AppendJSON(dst []byte, ev *scoring.Event) []byte {
	w := recWriter{b: dst, json: true}
	w.begin()
	w.event(ev)
	w.end()
	return append(w.b, '\n')
}

// recWriter writes one record's fields either as msgpack or as JSON, so
// that the record layout is written down once (event below).
type recWriter struct {
	b      []byte
	json   bool
	start  int // msgpack: offset of the map32 header
	fields uint32
}

func (w *recWriter) begin() {
	if w.json {
		w.b = append(w.b, '{')
		return
	}
	w.start = len(w.b)
	w.b = append(w.b, 0xdf, 0, 0, 0, 0) // map32, count patched by end
}

func (w *recWriter) end() {
	if w.json {
		w.b = append(w.b, '}')
		return
	}
	binary.BigEndian.PutUint32(w.b[w.start+1:], w.fields)
}

func (w *recWriter) key(k string) {
	w.fields++
	if !w.json {
		w.b = msgp.AppendString(w.b, k)
		return
	}
	if w.fields > 1 {
		w.b = append(w.b, ',')
	}
	// Keys are the plain ASCII constants of formats/record: no escaping.
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *recWriter) str(k, v string) {
	w.key(k)
	w.strValue(v)
}

func (w *recWriter) strValue(v string) {
	if w.json {
		w.b = appendJSONString(w.b, v)
	} else {
		w.b = msgp.AppendString(w.b, v)
	}
}

func (w *recWriter) addr(k string, a netip.Addr) {
	w.key(k)
	if w.json {
		w.b = append(w.b, '"')
		w.b = a.AppendTo(w.b)
		w.b = append(w.b, '"')
		return
	}
	// Text of an address is at most 45 bytes: write it into a str8.
	w.b = append(w.b, 0xd9, 0)
	n := len(w.b)
	w.b = a.AppendTo(w.b)
	w.b[n-1] = byte(len(w.b) - n)
}

func (w *recWriter) uint(k string, v uint64) {
	w.key(k)
	if w.json {
		w.b = strconv.AppendUint(w.b, v, 10)
	} else {
		w.b = msgp.AppendUint64(w.b, v)
	}
}

func (w *recWriter) int(k string, v int64) {
	w.key(k)
	if w.json {
		w.b = strconv.AppendInt(w.b, v, 10)
	} else {
		w.b = msgp.AppendInt64(w.b, v)
	}
}

func (w *recWriter) float(k string, v float64, prec int) {
	w.key(k)
	w.floatValue(v, prec)
}

func (w *recWriter) floatValue(v float64, prec int) {
	if w.json {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		w.b = strconv.AppendFloat(w.b, v, 'f', prec, 64)
	} else {
		w.b = msgp.AppendFloat64(w.b, v)
	}
}

func (w *recWriter) bool(k string, v bool) {
	w.key(k)
	if w.json {
		w.b = strconv.AppendBool(w.b, v)
	} else {
		w.b = msgp.AppendBool(w.b, v)
	}
}

func (w *recWriter) seconds(k string, d time.Duration) {
	w.float(k, d.Seconds(), 6)
}

func (w *recWriter) strs(k string, vs []string) {
	w.key(k)
	w.array(len(vs))
	for i, v := range vs {
		w.sep(i)
		w.strValue(v)
	}
	w.arrayEnd()
}

func (w *recWriter) floats(k string, vs []float64) {
	w.key(k)
	w.array(len(vs))
	for i, v := range vs {
		w.sep(i)
		w.floatValue(v, 1)
	}
	w.arrayEnd()
}

func (w *recWriter) array(n int) {
	if w.json {
		w.b = append(w.b, '[')
	} else {
		w.b = msgp.AppendArrayHeader(w.b, uint32(n))
	}
}

func (w *recWriter) sep(i int) {
	if w.json && i > 0 {
		w.b = append(w.b, ',')
	}
}

func (w *recWriter) arrayEnd() {
	if w.json {
		w.b = append(w.b, ']')
	}
}

// event writes the record layout documented in sniffer/README.md.
func (w *recWriter) event(ev *scoring.Event) {
	w.str(record.KeyType, RecordType(ev))
	w.float(record.KeyTS, float64(ev.Time.UnixMicro())/1e6, 6)
	if ev.UID != "" {
		w.str(record.KeyUID, ev.UID)
	}
	w.addr(record.KeyOrigH, ev.SrcIP)
	w.uint(record.KeyOrigP, uint64(ev.SrcPort))
	w.addr(record.KeyRespH, ev.DstIP)
	w.uint(record.KeyRespP, uint64(ev.DstPort))
	w.str(record.KeyProto, ev.Proto.String())
	switch ev.Type {
	case scoring.TypeDNS:
		w.dns(&ev.DNS)
	case scoring.TypeFlow:
		w.flow(&ev.Flow)
	case scoring.TypeICMP:
		w.icmp(&ev.ICMP)
	case scoring.TypeTLS:
		w.tls(&ev.TLS)
	}
}

// tls writes Zeek ssl.log's names; server_name is absent without an SNI,
// ja3s without a ServerHello.
func (w *recWriter) tls(t *scoring.TLS) {
	if t.SNI != "" {
		w.str(record.KeyServerName, t.SNI)
	}
	if t.Version != "" {
		w.str(record.KeyVersion, t.Version)
	}
	w.str(record.KeyJA3, t.JA3)
	if t.JA3S != "" {
		w.str(record.KeyJA3S, t.JA3S)
	}
}

func (w *recWriter) dns(d *scoring.DNS) {
	w.uint(record.KeyTransID, uint64(d.TransID))
	w.str(record.KeyQuery, d.Query)
	w.uint(record.KeyQType, uint64(d.QType))
	w.str(record.KeyQTypeName, scoring.QTypeName(d.QType))
	w.bool(record.KeyIsResponse, d.Response)
	w.bool(record.KeyAA, d.AA)
	w.bool(record.KeyTC, d.TC)
	w.bool(record.KeyRD, d.RD)
	w.bool(record.KeyRA, d.RA)
	if !d.Response {
		return
	}
	if d.Rcode != scoring.RcodeUnknown {
		w.int(record.KeyRcode, int64(d.Rcode))
		w.str(record.KeyRcodeName, scoring.RcodeName(d.Rcode))
	}
	w.strs(record.KeyAnswers, d.Answers)
	w.floats(record.KeyTTLs, d.TTLs)
	if len(d.Authority) > 0 {
		w.strs(record.KeyAuthority, d.Authority)
	}
	if d.RTT > 0 {
		w.seconds(record.KeyRTT, d.RTT)
	}
	w.int(record.KeyRespSize, int64(d.AnswerSize))
}

func (w *recWriter) flow(f *scoring.Flow) {
	if f.Service != "" {
		w.str(record.KeyService, f.Service)
	}
	w.seconds(record.KeyDuration, f.Duration)
	w.uint(record.KeyOrigBytes, f.OrigBytes)
	w.uint(record.KeyRespBytes, f.RespBytes)
	w.uint(record.KeyOrigPkts, f.OrigPkts)
	w.uint(record.KeyRespPkts, f.RespPkts)
	w.str(record.KeyConnState, f.ConnState)
	w.str(record.KeyHistory, f.History)
	if f.App != "" {
		w.str(record.KeyApp, f.App)
		w.str(record.KeyAppConfidence, f.AppConfidence)
		w.str(record.KeyAppEvidence, f.AppEvidence)
	}
}

func (w *recWriter) icmp(ic *scoring.ICMP) {
	w.uint(record.KeyICMPType, uint64(ic.Type))
	w.uint(record.KeyICMPCode, uint64(ic.Code))
	w.uint(record.KeyICMPID, uint64(ic.ID))
	w.uint(record.KeyICMPSeq, uint64(ic.Seq))
	w.int(record.KeyPayloadLen, int64(ic.PayloadLen))
	w.float(record.KeyPayloadEntropy, ic.PayloadEntropy, -1)
	w.key(record.KeyPayloadDigest)
	var hex [16]byte
	const digits = "0123456789abcdef"
	for i := range hex {
		hex[i] = digits[(ic.PayloadDigest>>(60-4*uint(i)))&0xf]
	}
	if w.json {
		w.b = append(w.b, '"')
		w.b = append(w.b, hex[:]...)
		w.b = append(w.b, '"')
	} else {
		w.b = msgp.AppendStringFromBytes(w.b, hex[:])
	}
}

// appendJSONString appends s as a JSON string. Control characters are
// \u escaped; bytes that are not UTF-8 become the text \xHH.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, '\\', '\\', 'x', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		i++
	}
	return append(b, '"')
}
