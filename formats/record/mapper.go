package record

import (
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/netflightrecorder/nfr/formats/intern"
	"github.com/netflightrecorder/nfr/scoring"
)

// Mapper turns the fields of one record at a time into a scoring.Event:
// Begin, then Field for every (flattened) key, then End. It is reusable
// and keeps no per-record allocation beyond the event's own strings, which
// are interned in a small bounded cache. A Mapper is not safe for
// concurrent use; use one per stream (it keeps the Zeek TSV header and the
// MS DNS date order of raw log lines between records).
type Mapper struct {
	in        Input
	loc       *time.Location
	transport time.Time
	intern    intern.Table

	e        scoring.Event // the record being assembled
	held     scoring.Event // EndEvent's event for a raw line
	groups   group
	hint     scoring.EventType // from _path, _type or event_type
	hintBad  bool              // the hint names a record nfr does not map
	haveTime bool
	err      fieldErr

	explicitResp  int8 // -1 unknown, 0 query, 1 response (is_response, dns.type, dns.qr)
	grouped       []string
	queryFromList bool
	mimeSeen      bool
	icmpSeen      bool
	flowStart     time.Time
	flowEnd       time.Time
	flowAge       time.Duration
	tcpFlagsTS    uint8 // TCP flags each way (Suricata); tcpFlagsSeen marks presence
	tcpFlagsTC    uint8
	ms            msFields

	raw      []byte // a raw log line ("log", "message"), copied
	rawLine  []byte
	jkey     []byte   // JSON key path buffer
	jstr     []byte   // JSON unescape buffer
	jkeys    []string // MapJSON's sorted keys, a stack over nested maps
	inRaw    bool
	tsv      TSV // header state for raw Zeek TSV lines
	numBuf   [24]byte
	nameBuf  []byte
	dayFirst int8 // MS DNS slash dates: 0 undecided, 1 day first, -1 month first
}

type fieldErr struct {
	set    bool
	reason string
	detail []byte
}

// NewMapper returns a Mapper for records of the given input.
func NewMapper(in Input) *Mapper {
	m := &Mapper{in: in, loc: time.UTC}
	m.intern.Init()
	m.reset()
	return m
}

// SetLocation sets the time zone of MS DNS debug log times, which Windows
// writes in the server's local time (default UTC).
func (m *Mapper) SetLocation(loc *time.Location) {
	if loc == nil {
		loc = time.UTC
	}
	m.loc = loc
}

// Begin starts a record. t is the transport's time for it (Fluent Bit
// chunk time, arrival time), used only when the record has no time.
func (m *Mapper) Begin(t time.Time) {
	m.reset()
	m.transport = t
}

// Field hands over one key and value. Nested maps are flattened with "."
// by the caller; each element of an array is one call with the same key.
// The Mapper neither keeps nor modifies key or v.
func (m *Mapper) Field(key []byte, v *Value) {
	m.set(lookupField(key), key, v)
}

// field is Field for a Value built in place.
func (m *Mapper) field(key []byte, v Value) { m.Field(key, &v) }

func (m *Mapper) reset() {
	m.e.Reset()
	m.groups, m.hint, m.hintBad, m.haveTime = 0, scoring.TypeUnknown, false, false
	m.err.set, m.err.reason, m.err.detail = false, "", m.err.detail[:0]
	m.explicitResp = -1
	m.grouped = m.grouped[:0]
	m.queryFromList, m.mimeSeen, m.icmpSeen = false, false, false
	m.flowStart, m.flowEnd, m.flowAge = time.Time{}, time.Time{}, 0
	m.tcpFlagsTS, m.tcpFlagsTC = 0, 0
	m.ms = msFields{flagsHex: -1}
	m.raw = m.raw[:0]
	m.transport = time.Time{}
}

// fail records the first conversion error of the record.
func (m *Mapper) fail(reason string, key []byte, v *Value) {
	if m.err.set {
		return
	}
	m.err.set, m.err.reason = true, reason
	d := append(m.err.detail[:0], key...)
	d = append(d, '=')
	switch v.Kind {
	case KindString:
		if len(v.Str) > 80 {
			d = append(d, v.Str[:80]...)
			d = append(d, "..."...)
		} else {
			d = append(d, v.Str...)
		}
	case KindInt:
		d = strconv.AppendInt(d, v.Int, 10)
	case KindUint:
		d = strconv.AppendUint(d, v.Uint, 10)
	case KindFloat:
		d = strconv.AppendFloat(d, v.Float, 'g', -1, 64)
	case KindBool:
		d = strconv.AppendBool(d, v.Bool)
	}
	m.err.detail = d
}

// str returns v as text, interned.
func (m *Mapper) str(v *Value) string {
	switch v.Kind {
	case KindString:
		return m.intern.Get(v.Str)
	case KindInt:
		return m.intern.Get(strconv.AppendInt(m.numBuf[:0], v.Int, 10))
	case KindUint:
		return m.intern.Get(strconv.AppendUint(m.numBuf[:0], v.Uint, 10))
	case KindFloat:
		// Integral floats (encoding/json's numbers) print as integers.
		if v.Float == math.Trunc(v.Float) && math.Abs(v.Float) < 1<<53 {
			return m.intern.Get(strconv.AppendInt(m.numBuf[:0], int64(v.Float), 10))
		}
		return m.intern.Get(strconv.AppendFloat(m.numBuf[:0], v.Float, 'g', -1, 64))
	case KindBool:
		if v.Bool {
			return "true"
		}
		return "false"
	}
	return ""
}

// unsigned returns v as an unsigned integer no larger than max.
func (m *Mapper) unsigned(key []byte, v *Value, max uint64, reason string) (uint64, bool) {
	var n uint64
	ok := false
	switch v.Kind {
	case KindUint:
		n, ok = v.Uint, true
	case KindInt:
		n, ok = uint64(v.Int), v.Int >= 0
	case KindFloat:
		n, ok = uint64(v.Float), v.Float >= 0 && v.Float <= 1<<63 && v.Float == float64(uint64(v.Float))
	case KindString:
		n, ok = parseUint(v.Str)
	}
	if !ok || n > max {
		m.fail(reason, key, v)
		return 0, false
	}
	return n, true
}

func (m *Mapper) float(key []byte, v *Value) (float64, bool) {
	switch v.Kind {
	case KindFloat:
		return v.Float, true
	case KindInt:
		return float64(v.Int), true
	case KindUint:
		return float64(v.Uint), true
	case KindString:
		if f, ok := parseFloat(v.Str); ok {
			return f, true
		}
	}
	m.fail("bad number", key, v)
	return 0, false
}

func (m *Mapper) duration(key []byte, v *Value) (time.Duration, bool) {
	f, ok := m.float(key, v)
	if !ok || f < 0 || f > 1e9 {
		m.fail("bad duration", key, v)
		return 0, false
	}
	return seconds(f), true
}

func (m *Mapper) boolean(key []byte, v *Value) (bool, bool) {
	switch v.Kind {
	case KindBool:
		return v.Bool, true
	case KindInt:
		if v.Int == 0 || v.Int == 1 {
			return v.Int == 1, true
		}
	case KindUint:
		if v.Uint <= 1 {
			return v.Uint == 1, true
		}
	case KindString:
		switch string(v.Str) {
		case "T", "true", "1", "True", "TRUE":
			return true, true
		case "F", "false", "0", "False", "FALSE", "":
			return false, true
		}
	}
	m.fail("bad bool", key, v)
	return false, false
}

func (m *Mapper) addr(key []byte, v *Value) (netip.Addr, bool) {
	if v.Kind == KindString {
		if a, ok := parseIPv4(v.Str); ok {
			return a, true
		}
		if a, err := netip.ParseAddr(view(v.Str)); err == nil {
			return a.Unmap(), true
		}
	}
	m.fail("bad address", key, v)
	return netip.Addr{}, false
}

func (m *Mapper) port(key []byte, v *Value) uint16 {
	n, _ := m.unsigned(key, v, 65535, "bad port")
	return uint16(n)
}

// timeOf reads epoch seconds (number or text) or ISO 8601 text.
func (m *Mapper) timeOf(key []byte, v *Value) (time.Time, bool) {
	var t time.Time
	ok := false
	switch v.Kind {
	case KindFloat:
		t, ok = epochFloat(v.Float)
	case KindInt:
		ok = v.Int >= 0 && v.Int < 1<<40
		t = time.Unix(v.Int, 0).UTC()
	case KindUint:
		ok = v.Uint < 1<<40
		t = time.Unix(int64(v.Uint), 0).UTC()
	case KindString:
		if len(v.Str) > 0 && v.Str[0] >= '0' && v.Str[0] <= '9' {
			if t, ok = parseEpoch(v.Str); !ok {
				t, ok = parseISO(v.Str)
			}
		}
	}
	if !ok {
		m.fail("bad timestamp", key, v)
	}
	return t, ok
}

func (m *Mapper) setTime(t time.Time) {
	m.e.Time, m.haveTime = t, true
}
