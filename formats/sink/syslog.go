package sink

import (
	"strconv"
	"time"

	"github.com/netflightrecorder/nfr/formats/alert"
	"github.com/netflightrecorder/nfr/scoring"
)

// AppName is the syslog APP-NAME (RFC 5424) and TAG (RFC 3164).
const AppName = "nfr"

// SyslogSeverity maps an nfr severity (1..5) to a syslog severity:
// 5 → 2 critical, 4 → 3 error, 3 → 4 warning, 2 → 5 notice, else 6 info.
func SyslogSeverity(s int) int {
	switch {
	case s >= 5:
		return 2
	case s == 4:
		return 3
	case s == 3:
		return 4
	case s == 2:
		return 5
	}
	return 6
}

// header writes syslog headers for one output.
type header struct {
	rfc3164  bool
	facility int
	hostname string // sanitized, never empty
	procID   string
}

// appendMessage appends one syslog message (no framing): header and body.
func (h *header) appendMessage(dst []byte, t time.Time, severity int, msgID string, body []byte) []byte {
	dst = append(dst, '<')
	dst = strconv.AppendInt(dst, int64(h.facility*8+SyslogSeverity(severity)), 10)
	dst = append(dst, '>')
	if h.rfc3164 {
		// RFC 3164 has no year or zone: the time is UTC.
		dst = t.UTC().AppendFormat(dst, time.Stamp)
		dst = append(dst, ' ')
		dst = append(dst, h.hostname...)
		dst = append(dst, " "+AppName+"["...)
		dst = append(dst, h.procID...)
		dst = append(dst, "]: "...)
		return append(dst, body...)
	}
	dst = append(dst, '1', ' ')
	if t.IsZero() {
		dst = append(dst, '-')
	} else {
		dst = t.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000000Z07:00")
	}
	dst = append(dst, ' ')
	dst = append(dst, h.hostname...)
	dst = append(dst, " "+AppName+" "...)
	dst = append(dst, h.procID...)
	dst = append(dst, ' ')
	dst = appendPrintable(dst, msgID, 32)
	dst = append(dst, " - "...) // no structured data
	return append(dst, body...)
}

// appendPrintable appends s limited to n printable US-ASCII characters
// (RFC 5424 header fields), other bytes becoming '_'; "" becomes "-".
func appendPrintable(dst []byte, s string, n int) []byte {
	if s == "" {
		return append(dst, '-')
	}
	for i := 0; i < len(s) && i < n; i++ {
		c := s[i]
		if c < 33 || c > 126 {
			c = '_'
		}
		dst = append(dst, c)
	}
	return dst
}

// eachMessage calls fn with every message body an alert yields: one JSON
// document, or one CEF line per threat (without its newline), each with
// the MSGID and severity it is sent under. scratch is reused and returned.
func eachMessage(scratch []byte, enc alert.Encoder, json bool, a *scoring.Alert,
	fn func(body []byte, msgID string, severity int)) []byte {
	scratch = enc(scratch[:0], a)
	if json {
		id := alert.FlagSignature
		if len(a.Threats) > 0 {
			id = string(a.Threats[0].ID)
		}
		fn(scratch, id, a.Severity)
		return scratch
	}
	rest, line := scratch, 0
	for len(rest) > 0 {
		end := 0
		for end < len(rest) && rest[end] != '\n' {
			end++
		}
		id, sev := alert.FlagSignature, a.Severity
		if t := nthDistinctThreat(a.Threats, line); t != nil {
			id, sev = string(t.ID), t.Severity
		}
		fn(rest[:end], id, sev)
		rest = rest[min(end+1, len(rest)):]
		line++
	}
	return scratch
}

// nthDistinctThreat returns the n-th threat not repeating an earlier id,
// the order in which AppendCEF writes its lines.
func nthDistinctThreat(threats []scoring.ThreatHit, n int) *scoring.ThreatHit {
	for i := range threats {
		if repeated(threats[:i], threats[i].ID) {
			continue
		}
		if n == 0 {
			return &threats[i]
		}
		n--
	}
	return nil
}

func repeated(threats []scoring.ThreatHit, id scoring.ThreatID) bool {
	for _, t := range threats {
		if t.ID == id {
			return true
		}
	}
	return false
}
