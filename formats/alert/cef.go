package alert

import (
	"net/netip"
	"strconv"

	"github.com/netflightrecorder/nfr/build"
	"github.com/netflightrecorder/nfr/scoring"
)

// FlagSignature is the CEF signature id of an alert that carries flags but
// no threat (one line is still written so the flags are not lost).
const FlagSignature = "flagged"

// cefSeverity maps nfr severities 1..5 to CEF's 0..10 (Low 0-3, Medium
// 4-6, High 7-8, Very-High 9-10). README.md documents it.
var cefSeverity = [...]int{0, 1, 3, 5, 8, 10}

// CEFSeverity returns the CEF severity for an nfr severity (clamped to 0..5).
func CEFSeverity(s int) int {
	return cefSeverity[min(max(s, 0), len(cefSeverity)-1)]
}

// AppendCEF appends a as CEF, one line per threat, each line ending in
// "\n". An alert with no threat yields one line with signature id
// FlagSignature. Callers that deliver line by line (syslog) split on "\n":
// no line contains a raw newline, since values escape it as \n.
func AppendCEF(dst []byte, a *scoring.Alert) []byte {
	if len(a.Threats) == 0 {
		hit := scoring.ThreatHit{ID: FlagSignature, Severity: a.Severity, Desc: "Flagged activity"}
		return appendCEFLine(dst, a, &hit)
	}
	for i := range a.Threats {
		if seenThreat(a.Threats[:i], a.Threats[i].ID) {
			continue
		}
		dst = appendCEFLine(dst, a, &a.Threats[i])
	}
	return dst
}

func appendCEFLine(dst []byte, a *scoring.Alert, t *scoring.ThreatHit) []byte {
	ev := &a.Event
	dst = append(dst, "CEF:0|nfr|nfr|"...)
	dst = appendCEFHeader(dst, build.Version)
	dst = append(dst, '|')
	dst = appendCEFHeader(dst, string(t.ID))
	dst = append(dst, '|')
	dst = appendCEFHeader(dst, t.Desc)
	dst = append(dst, '|')
	dst = strconv.AppendInt(dst, int64(CEFSeverity(t.Severity)), 10)
	dst = append(dst, "|rt="...)
	dst = strconv.AppendInt(dst, alertTime(a).UnixMilli(), 10)
	if t.Policy {
		dst = append(dst, " cat=policy"...)
	} else {
		dst = append(dst, " cat=threat"...)
	}
	dst = cefAddr(dst, "src", ev.SrcIP)
	dst = cefUint(dst, "spt", uint64(ev.SrcPort))
	dst = cefAddr(dst, "dst", ev.DstIP)
	dst = cefUint(dst, "dpt", uint64(ev.DstPort))
	dst = cefString(dst, "proto", cefProto(ev.Proto))
	dst = cefEventDetail(dst, ev)
	dst = append(dst, " cnt="...)
	dst = strconv.AppendInt(dst, int64(max(a.Count, 1)), 10)
	if th, ok := scoring.LookupThreat(t.ID); ok {
		dst = cefString(dst, "msg", th.Response)
	}
	dst = cefList(dst, "cs1", "flags", a.Flags)
	dst = cefGroups(dst, a.Groups)
	evidenceFor := t.ID
	if len(a.Threats) == 0 {
		evidenceFor = "" // the flags' evidence
	}
	dst = append(dst, " cs3Label=evidence cs3="...)
	dst = cefEvidence(dst, a.Evidence, evidenceFor)
	dst = cefLabelled(dst, "cs4", "indicator", indicatorFor(a, evidenceFor))
	dst = cefString(dst, "externalId", ev.UID)
	dst = cefString(dst, "deviceProcessName", ev.Origin)
	return append(dst, '\n')
}

func cefEventDetail(dst []byte, ev *scoring.Event) []byte {
	switch ev.Type {
	case scoring.TypeDNS:
		dst = append(dst, " app=DNS"...)
		dst = cefString(dst, "dhost", ev.DNS.Query)
		if ev.DNS.QType != 0 {
			dst = cefLabelled(dst, "cs5", "qtype", scoring.QTypeName(ev.DNS.QType))
		}
		dst = cefLabelled(dst, "cs6", "rcode", scoring.RcodeName(ev.DNS.Rcode))
	case scoring.TypeHTTP:
		h := &ev.HTTP
		dst = append(dst, " app=HTTP"...)
		dst = cefString(dst, "dhost", h.Host)
		if h.Host != "" || h.URI != "" {
			dst = append(dst, " request=http://"...)
			dst = appendCEFValue(dst, h.Host)
			dst = appendCEFValue(dst, h.URI)
		}
		dst = cefString(dst, "requestMethod", h.Method)
		dst = cefString(dst, "requestClientApplication", h.UserAgent)
		dst = cefString(dst, "requestContext", h.Referrer)
	case scoring.TypeTLS:
		dst = append(dst, " app=TLS"...)
		dst = cefString(dst, "dhost", ev.TLS.SNI)
		dst = cefLabelled(dst, "cs5", "ja3", ev.TLS.JA3)
		dst = cefLabelled(dst, "cs6", "tlsSubject", ev.TLS.Subject)
	case scoring.TypeFlow:
		dst = cefString(dst, "app", ev.Flow.Service)
		dst = cefUint(dst, "out", ev.Flow.OrigBytes)
		dst = cefUint(dst, "in", ev.Flow.RespBytes)
	case scoring.TypeICMP:
		dst = cefUint(dst, "out", uint64(max(ev.ICMP.PayloadLen, 0)))
	}
	return dst
}

// indicatorFor is the first indicator (else entry) of the threat's evidence.
func indicatorFor(a *scoring.Alert, id scoring.ThreatID) string {
	for i := range a.Evidence {
		e := &a.Evidence[i]
		if e.Threat != id {
			continue
		}
		if e.Indicator != "" {
			return e.Indicator
		}
		if e.Entry != "" {
			return e.Entry
		}
	}
	return ""
}

func cefProto(p scoring.Proto) string {
	switch p {
	case scoring.ProtoTCP:
		return "TCP"
	case scoring.ProtoUDP:
		return "UDP"
	case scoring.ProtoICMP:
		return "ICMP"
	case scoring.ProtoICMPv6:
		return "ICMP6"
	}
	return ""
}

func cefString(dst []byte, key, v string) []byte {
	if v == "" {
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, key...)
	dst = append(dst, '=')
	return appendCEFValue(dst, v)
}

func cefLabelled(dst []byte, key, label, v string) []byte {
	if v == "" {
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, key...)
	dst = append(dst, "Label="...)
	dst = append(dst, label...)
	return cefString(dst, key, v)
}

func cefUint(dst []byte, key string, v uint64) []byte {
	if v == 0 {
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, key...)
	dst = append(dst, '=')
	return strconv.AppendUint(dst, v, 10)
}

func cefAddr(dst []byte, key string, a netip.Addr) []byte {
	if !a.IsValid() {
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, key...)
	dst = append(dst, '=')
	if zone := a.Zone(); zone != "" { // a zone is free text: escape it
		dst = a.WithZone("").AppendTo(dst)
		dst = append(dst, '%')
		return appendCEFValue(dst, zone)
	}
	return a.AppendTo(dst)
}

// cefList appends a comma-separated list as a labelled custom string.
func cefList(dst []byte, key, label string, items []string) []byte {
	if len(items) == 0 {
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, key...)
	dst = append(dst, "Label="...)
	dst = append(dst, label...)
	dst = append(dst, ' ')
	dst = append(dst, key...)
	dst = append(dst, '=')
	for i, s := range items {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendCEFValue(dst, s)
	}
	return dst
}

// cefGroups appends the scope groups' labels as cs2, comma-separated.
func cefGroups(dst []byte, groups []scoring.Group) []byte {
	if len(groups) == 0 {
		return dst
	}
	dst = append(dst, " cs2Label=groups cs2="...)
	for i := range groups {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendCEFValue(dst, groups[i].Label)
	}
	return dst
}

// cefEvidence appends the threat's evidence as a JSON array, escaped as a
// CEF value. JSON output holds no raw control characters and no invalid
// UTF-8, so only backslash and '=' need escaping: the array is written
// into dst and then widened in place, back to front, allocating nothing.
func cefEvidence(dst []byte, evidence []scoring.Evidence, id scoring.ThreatID) []byte {
	n := len(dst)
	dst = appendEvidenceJSON(dst, evidence, id, true)
	extra := 0
	for _, c := range dst[n:] {
		if c == '\\' || c == '=' {
			extra++
		}
	}
	if extra == 0 {
		return dst
	}
	end := len(dst)
	dst = append(dst, make([]byte, extra)...)
	w := len(dst)
	for r := end - 1; r >= n; r-- {
		c := dst[r]
		w--
		dst[w] = c
		if c == '\\' || c == '=' {
			w--
			dst[w] = '\\'
		}
	}
	return dst
}
