package alert

import (
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/netflightrecorder/nfr/build"
	"github.com/netflightrecorder/nfr/scoring"
)

// engineName is the alert's engine field, fixed once the binary starts.
var engineName = build.Engine()

// tsLayout is RFC 3339 in UTC with microseconds, always with the fraction.
const tsLayout = "2006-01-02T15:04:05.000000Z07:00"

// AppendJSON appends a as one line of JSON (no trailing newline) to dst.
// The fields are documented in README.md and alert.schema.json.
func AppendJSON(dst []byte, a *scoring.Alert) []byte {
	ev := &a.Event
	dst = append(dst, `{"ts":"`...)
	dst = alertTime(a).UTC().AppendFormat(dst, tsLayout)
	dst = append(dst, `","eventType":`...)
	dst = AppendJSONString(dst, ev.Type.String())
	dst = jsonOptString(dst, "origin", ev.Origin)
	dst = jsonOptString(dst, "uid", ev.UID)
	dst = jsonAddr(dst, "srcIP", ev.SrcIP)
	dst = jsonOptUint(dst, "srcPort", uint64(ev.SrcPort))
	dst = jsonAddr(dst, "destIP", ev.DstIP)
	dst = jsonOptUint(dst, "destPort", uint64(ev.DstPort))
	if ev.Proto != scoring.ProtoUnknown {
		dst = jsonOptString(dst, "proto", ev.Proto.String())
	}
	dst = jsonEventDetail(dst, ev)
	dst = append(dst, `,"severity":`...)
	dst = strconv.AppendInt(dst, int64(a.Severity), 10)
	dst = jsonThreats(dst, a.Threats)
	dst = append(dst, `,"flags":[`...)
	for i, f := range a.Flags {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSONString(dst, f)
	}
	dst = append(dst, `],"groups":[`...)
	for i, g := range a.Groups {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"label":`...)
		dst = AppendJSONString(dst, g.Label)
		dst = append(dst, `,"desc":`...)
		dst = AppendJSONString(dst, g.Desc)
		dst = append(dst, '}')
	}
	dst = append(dst, `],"evidence":`...)
	dst = appendEvidenceJSON(dst, a.Evidence, "", false)
	dst = append(dst, `,"count":`...)
	dst = strconv.AppendInt(dst, int64(max(a.Count, 1)), 10)
	dst = append(dst, `,"engine":`...)
	dst = AppendJSONString(dst, engineName)
	return append(dst, '}')
}

// alertTime is the alert's time, else its event's.
func alertTime(a *scoring.Alert) time.Time {
	if a.Time.IsZero() {
		return a.Event.Time
	}
	return a.Time
}

func jsonEventDetail(dst []byte, ev *scoring.Event) []byte {
	switch ev.Type {
	case scoring.TypeDNS:
		return jsonDNS(dst, &ev.DNS)
	case scoring.TypeHTTP:
		return jsonHTTP(dst, &ev.HTTP)
	case scoring.TypeTLS:
		return jsonTLS(dst, &ev.TLS)
	case scoring.TypeICMP:
		return jsonICMP(dst, &ev.ICMP)
	case scoring.TypeFlow:
		return jsonFlow(dst, &ev.Flow)
	}
	return dst
}

func jsonDNS(dst []byte, d *scoring.DNS) []byte {
	dst = append(dst, `,"query":`...)
	dst = AppendJSONString(dst, d.Query)
	if d.QType != 0 {
		dst = jsonOptString(dst, "qtype", scoring.QTypeName(d.QType))
	}
	dst = jsonOptString(dst, "rcode", scoring.RcodeName(d.Rcode))
	if len(d.Answers) > 0 {
		dst = append(dst, `,"answers":[`...)
		for i, s := range d.Answers {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, s)
		}
		dst = append(dst, ']')
	}
	return dst
}

func jsonHTTP(dst []byte, h *scoring.HTTP) []byte {
	dst = append(dst, `,"http":{"host":`...)
	dst = AppendJSONString(dst, h.Host)
	dst = jsonOptString(dst, "uri", h.URI)
	dst = jsonOptString(dst, "method", h.Method)
	dst = jsonOptUint(dst, "status", uint64(max(h.Status, 0)))
	dst = jsonOptString(dst, "userAgent", h.UserAgent)
	dst = jsonOptString(dst, "referrer", h.Referrer)
	dst = jsonOptString(dst, "contentType", h.ContentType)
	dst = jsonOptUint(dst, "reqBytes", h.ReqBytes)
	dst = jsonOptUint(dst, "respBytes", h.RespBytes)
	return append(dst, '}')
}

func jsonTLS(dst []byte, t *scoring.TLS) []byte {
	dst = append(dst, `,"tls":{"sni":`...)
	dst = AppendJSONString(dst, t.SNI)
	dst = jsonOptString(dst, "version", t.Version)
	dst = jsonOptString(dst, "ja3", t.JA3)
	dst = jsonOptString(dst, "ja3s", t.JA3S)
	dst = jsonOptString(dst, "subject", t.Subject)
	dst = jsonOptString(dst, "issuer", t.Issuer)
	dst = jsonOptTime(dst, "notBefore", t.NotBefore)
	dst = jsonOptTime(dst, "notAfter", t.NotAfter)
	dst = jsonOptString(dst, "validationStatus", t.ValidationStatus)
	dst = append(dst, `,"established":`...)
	dst = strconv.AppendBool(dst, t.Established)
	return append(dst, '}')
}

func jsonICMP(dst []byte, c *scoring.ICMP) []byte {
	dst = append(dst, `,"icmp":{"type":`...)
	dst = strconv.AppendUint(dst, uint64(c.Type), 10)
	dst = append(dst, `,"code":`...)
	dst = strconv.AppendUint(dst, uint64(c.Code), 10)
	dst = jsonOptUint(dst, "payloadLen", uint64(max(c.PayloadLen, 0)))
	if c.PayloadLen > 0 {
		dst = append(dst, `,"payloadEntropy":`...)
		dst = appendJSONFloat(dst, c.PayloadEntropy)
	}
	return append(dst, '}')
}

func jsonFlow(dst []byte, f *scoring.Flow) []byte {
	dst = append(dst, `,"flow":{"duration":`...)
	dst = appendJSONFloat(dst, f.Duration.Seconds())
	dst = jsonOptString(dst, "service", f.Service)
	dst = jsonOptString(dst, "connState", f.ConnState)
	dst = jsonOptUint(dst, "origBytes", f.OrigBytes)
	dst = jsonOptUint(dst, "respBytes", f.RespBytes)
	dst = jsonOptUint(dst, "origPkts", f.OrigPkts)
	dst = jsonOptUint(dst, "respPkts", f.RespPkts)
	return append(dst, '}')
}

// jsonThreats appends the threats object, keeping the first of any repeated id.
func jsonThreats(dst []byte, threats []scoring.ThreatHit) []byte {
	dst = append(dst, `,"threats":{`...)
	first := true
	for i, t := range threats {
		if seenThreat(threats[:i], t.ID) {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = AppendJSONString(dst, string(t.ID))
		dst = append(dst, `:{"severity":`...)
		dst = strconv.AppendInt(dst, int64(t.Severity), 10)
		dst = append(dst, `,"desc":`...)
		dst = AppendJSONString(dst, t.Desc)
		dst = append(dst, `,"policy":`...)
		dst = strconv.AppendBool(dst, t.Policy)
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

func seenThreat(threats []scoring.ThreatHit, id scoring.ThreatID) bool {
	for _, t := range threats {
		if t.ID == id {
			return true
		}
	}
	return false
}

// appendEvidenceJSON appends the evidence array; when filter is set it keeps
// only the evidence whose Threat is only ("" meaning the flags' evidence).
func appendEvidenceJSON(dst []byte, evidence []scoring.Evidence, only scoring.ThreatID, filter bool) []byte {
	dst = append(dst, '[')
	first := true
	for i := range evidence {
		e := &evidence[i]
		if filter && e.Threat != only {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendOneEvidence(dst, e)
	}
	return append(dst, ']')
}

func appendOneEvidence(dst []byte, e *scoring.Evidence) []byte {
	dst = append(dst, `{"detector":`...)
	dst = AppendJSONString(dst, e.Detector)
	dst = jsonOptString(dst, "threat", string(e.Threat))
	dst = jsonOptString(dst, "rule", e.Rule)
	dst = jsonOptString(dst, "list", e.List)
	dst = jsonOptString(dst, "entry", e.Entry)
	dst = jsonOptString(dst, "ref", e.Ref)
	dst = jsonOptString(dst, "indicator", e.Indicator)
	if e.Window > 0 {
		dst = append(dst, `,"window":`...)
		dst = appendJSONFloat(dst, e.Window.Seconds())
	}
	if len(e.Figures) > 0 {
		dst = append(dst, `,"figures":{`...)
		for i, f := range e.Figures {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, f.Name)
			dst = append(dst, ':')
			dst = appendJSONFloat(dst, f.Value)
		}
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

func jsonOptString(dst []byte, key, v string) []byte {
	if v == "" {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	dst = append(dst, '"', ':')
	return AppendJSONString(dst, v)
}

func jsonOptUint(dst []byte, key string, v uint64) []byte {
	if v == 0 {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	dst = append(dst, '"', ':')
	return strconv.AppendUint(dst, v, 10)
}

func jsonOptTime(dst []byte, key string, t time.Time) []byte {
	if t.IsZero() {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	dst = append(dst, `":"`...)
	dst = t.UTC().AppendFormat(dst, tsLayout)
	return append(dst, '"')
}

func jsonAddr(dst []byte, key string, a netip.Addr) []byte {
	if !a.IsValid() {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	dst = append(dst, `":"`...)
	if zone := a.Zone(); zone != "" { // a zone is free text: escape it
		dst = a.WithZone("").AppendTo(dst)
		dst = append(dst, '%')
		dst = appendJSONBody(dst, zone)
		return append(dst, '"')
	}
	dst = a.AppendTo(dst)
	return append(dst, '"')
}

// appendJSONFloat appends v as a JSON number; NaN and infinities, which JSON
// cannot carry, become null.
func appendJSONFloat(dst []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(dst, "null"...)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}
