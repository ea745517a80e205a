package record

import (
	"math"
	"math/bits"
	"net/netip"
	"strconv"
	"time"
	"unsafe"

	"github.com/netflightrecorder/nfr/formats/intern"
	"github.com/netflightrecorder/nfr/scoring"
)

// Mapper turns the fields of one record at a time into a scoring.Event:
// Begin, then Field for every (flattened) key, then End. It is reusable
// and keeps no per-record allocation beyond the event's own strings, which
// are interned in a small bounded cache. A Mapper is not safe for
// concurrent use; use one per stream (its dialects keep stream state
// between records: the Zeek TSV header and the MS DNS date order of raw
// log lines). It knows the keys of every registered dialect (see
// Register; formats/dialects links them all).
type Mapper struct {
	in        Input
	loc       *time.Location
	transport time.Time
	intern    intern.Table

	e        *scoring.Event // the record being assembled: &own, or BeginInto's
	own      scoring.Event
	held     scoring.Event // EndEvent's event for a raw line
	groups   Group
	hint     scoring.EventType // from _path, _type or event_type
	hintBad  bool              // the hint names a record nfr does not map
	haveTime bool
	err      fieldErr

	explicitResp int8 // -1 unknown, 0 query, 1 response (is_response, dns.type, dns.qr)
	mimeSeen     bool
	icmpSeen     bool

	states  []State // per dialect, made on first use
	touched uint32  // dialects whose state the record used

	raw     []byte // a raw log line ("log", "message"), copied
	rawLine []byte
	jkey    []byte       // JSON key path buffer
	jstr    []byte       // JSON unescape buffer
	jkeys   []string     // MapJSON's sorted keys, a stack over nested maps
	jpred   KeyPredictor // FeedJSON's key prediction (predict.go), made on first use
	inRaw   bool
	numBuf  [24]byte
	slab    []byte    // keep's current slab
	addrs   addrCache // IPv4 addresses parsed, by text
	text    Value     // Text's value
	conv    Value     // a value built by a setter of this package
	empty   Value     // "(empty)" as an empty text value
}

type fieldErr struct {
	set    bool
	reason string
	detail []byte
}

// NewMapper returns a Mapper for records of the given input.
func NewMapper(in Input) *Mapper {
	m := &Mapper{in: in, loc: time.UTC}
	m.e = &m.own
	m.intern.Init()
	m.empty = Value{Kind: KindString, Str: []byte{}}
	m.reset()
	return m
}

// SetLocation sets the time zone of the times dialects read as local time
// (MS DNS debug logs, which Windows writes in the server's local time;
// default UTC).
func (m *Mapper) SetLocation(loc *time.Location) {
	if loc == nil {
		loc = time.UTC
	}
	m.loc = loc
}

// Location returns the zone SetLocation set.
func (m *Mapper) Location() *time.Location { return m.loc }

// Begin starts a record. t is the transport's time for it (Fluent Bit
// chunk time, arrival time), used only when the record has no time.
func (m *Mapper) Begin(t time.Time) {
	m.e = &m.own
	m.reset()
	m.transport = t
}

// BeginInto is Begin for a record assembled in ev itself (reset first,
// keeping its slices' capacity): End(ev) then completes ev in place
// instead of copying the Mapper's event into it, the line decoders' path.
// After an error ev's content is unspecified. The Mapper forgets ev at
// End or at the next Begin.
func (m *Mapper) BeginInto(ev *scoring.Event, t time.Time) {
	m.e = ev
	m.reset()
	m.transport = t
}

// Field hands over one key and value. Nested maps are flattened with "."
// by the caller; each element of an array is one call with the same key.
// The Mapper neither keeps nor modifies key or v, but v reaches the field's
// setter through a func value, so Go cannot prove it stays on the stack:
// pass a Value that lives in the caller's own long-lived state (as the
// decoders do) or each call allocates one.
func (m *Mapper) Field(key []byte, v *Value) {
	if f := keys.get(key); f != nil {
		m.SetField(f, key, v)
	}
}

// SetField hands over one value whose key the caller resolved to f
// (LookupField); it is Field without the lookup. Zeek's unset ("-") and
// empty ("(empty)") markers are understood in text values, as regex
// parsers pass them through (see MayBeMarker). The Mapper neither keeps
// nor modifies key or v.
func (m *Mapper) SetField(f *Field, key []byte, v *Value) {
	switch v.Kind {
	case KindNil:
		return
	case KindString:
		if len(v.Str) == 1 && v.Str[0] == '-' {
			return
		}
		if len(v.Str) == 7 && string(v.Str) == "(empty)" {
			v = &m.empty
		}
	}
	m.groups |= f.group
	f.Set(m, key, v)
}

// MayBeMarker reports whether v is text of 1 or 7 bytes, the lengths of
// the markers SetField reads ("-", "(empty)"): for a value that is not nil
// and not MayBeMarker, SetField is Apply, which inlines into a decoder's
// hot loop where SetField does not.
func MayBeMarker(v *Value) bool {
	return v.Kind == KindString && markerLength(v.Str)
}

// markerLength reports whether text has the length of a marker.
func markerLength(text []byte) bool { return len(text) == 1 || len(text) == 7 }

// Apply is SetField without the markers, for a decoder that read them
// itself (Fluent Bit chunks test MayBeMarker; Zeek TSV, whose header names
// its own markers, hands text to ApplyText).
func (m *Mapper) Apply(f *Field, key []byte, v *Value) {
	m.groups |= f.group
	f.Set(m, key, v)
}

// ApplyText is Apply(f, key, m.Text(text)) for a field LookupField
// returned, through its setter for text (Field.text): the common fields
// of Zeek's logs read the bytes without the Value and its kind switches
// (BenchmarkZeekLookupsTSV: 4,993 -> 4,594 instructions a line); the
// others call Set with m.Text(text).
func (m *Mapper) ApplyText(f *Field, key, text []byte) {
	m.groups |= f.group
	f.text(m, key, text)
}

// Text returns a text value viewing b, in storage of the Mapper's (valid
// until the next Text), for a decoder handing text to SetField.
func (m *Mapper) Text(b []byte) *Value {
	m.text.Kind, m.text.Str = KindString, b // a text value's other fields are not read
	return &m.text
}

// field is Field for a value built in place.
func (m *Mapper) field(key []byte, v Value) {
	m.text = v
	m.Field(key, &m.text)
}

// Event returns the event being assembled, for setters.
func (m *Mapper) Event() *scoring.Event { return m.e }

// State returns dialect in's state in m (made with its Dialect.State on
// first use), and has it reset before the next record.
func (m *Mapper) State(in Input) State {
	i := int(in) - 1
	if i >= len(m.states) {
		m.states = append(m.states, make([]State, len(dialects)-len(m.states))...)
	}
	s := m.states[i]
	if s == nil {
		s = dialects[i].State()
		m.states[i] = s
	}
	m.touched |= 1 << i
	return s
}

func (m *Mapper) reset() {
	m.e.Reset()
	m.resetState()
}

// resetState is reset but for the event.
func (m *Mapper) resetState() {
	m.groups, m.hint, m.hintBad, m.haveTime = 0, scoring.TypeUnknown, false, false
	m.err.set, m.err.reason, m.err.detail = false, "", m.err.detail[:0]
	m.explicitResp = -1
	m.mimeSeen, m.icmpSeen = false, false
	for t := m.touched; t != 0; t &= t - 1 {
		m.states[bits.TrailingZeros32(t)].Reset()
	}
	m.touched = 0
	m.raw = m.raw[:0]
	m.transport = time.Time{}
}

// Fail records the first conversion error of the record: End returns it
// with reason and the key and value as detail.
func (m *Mapper) Fail(reason string, key []byte, v *Value) {
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

// FailText is Fail for a text value.
func (m *Mapper) FailText(reason string, key, text []byte) {
	m.conv = String(text)
	m.Fail(reason, key, &m.conv)
}

// Intern returns b as a string from the Mapper's bounded cache.
func (m *Mapper) Intern(b []byte) string { return m.intern.Get(b) }

// keep returns b as a string carved from a slab of the Mapper's, for text
// that is rarely repeated (connection ids) or that nothing keeps past its
// event (answers: the engine caches their addresses, not their text),
// which interning would not spare an allocation each, and whose hashing
// and probing it would pay for nothing (answers kept, not interned: Zeek
// TSV lookups 3,696 -> 3,633 instructions a line; a generated log's
// random answers had also pushed names out of the interning table). The
// bytes of a slab are written once and never again, so the string is
// immutable and stays valid as long as anything references it (which
// keeps its whole slab, slabSize bytes, alive: events kept long, such as
// an alert's copy, hold at most two slabs each).
func (m *Mapper) keep(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if n > slabSize/16 {
		return string(b)
	}
	if n > cap(m.slab)-len(m.slab) {
		m.slab = make([]byte, 0, slabSize)
	}
	start := len(m.slab)
	m.slab = append(m.slab, b...)
	return unsafe.String(&m.slab[start], n)
}

// slabSize is the size of keep's slabs: about a hundred Zeek uids.
const slabSize = 2048

// Str returns v as text, interned.
func (m *Mapper) Str(v *Value) string {
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

// Unsigned returns v as an unsigned integer no larger than max, or fails
// the record with reason.
func (m *Mapper) Unsigned(key []byte, v *Value, max uint64, reason string) (uint64, bool) {
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
		n, ok = ParseUint(v.Str)
	}
	if !ok || n > max {
		m.Fail(reason, key, v)
		return 0, false
	}
	return n, true
}

// Float returns v as a number.
func (m *Mapper) Float(key []byte, v *Value) (float64, bool) {
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
	m.Fail("bad number", key, v)
	return 0, false
}

// Duration returns v (seconds) as a duration.
func (m *Mapper) Duration(key []byte, v *Value) (time.Duration, bool) {
	f, ok := m.Float(key, v)
	if !ok || f < 0 || f > 1e9 {
		m.Fail("bad duration", key, v)
		return 0, false
	}
	return seconds(f), true
}

// Bool returns v as a boolean (also Zeek's T and F). A boolean value is
// read inline (boolOf is the rest).
func (m *Mapper) Bool(key []byte, v *Value) (bool, bool) {
	if v.Kind == KindBool {
		return v.Bool, true
	}
	return m.boolOf(key, v)
}

// boolOf is Bool for any value.
func (m *Mapper) boolOf(key []byte, v *Value) (bool, bool) {
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
	m.Fail("bad bool", key, v)
	return false, false
}

// Addr returns v as an IP address.
func (m *Mapper) Addr(key []byte, v *Value) (netip.Addr, bool) {
	if v.Kind == KindString {
		if a, ok := m.addrs.ipv4(v.Str); ok {
			return a, true
		}
		if a, err := netip.ParseAddr(view(v.Str)); err == nil {
			return a.Unmap(), true
		}
	}
	m.Fail("bad address", key, v)
	return netip.Addr{}, false
}

// Port returns v as a port number (0 after a failure).
func (m *Mapper) Port(key []byte, v *Value) uint16 {
	n, _ := m.Unsigned(key, v, 65535, "bad port")
	return uint16(n)
}

// Time reads epoch seconds (number or text) or ISO 8601 text.
func (m *Mapper) Time(key []byte, v *Value) (time.Time, bool) {
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
		m.Fail("bad timestamp", key, v)
	}
	return t, ok
}

// SetTime sets the record's time.
func (m *Mapper) SetTime(t time.Time) {
	m.e.Time, m.haveTime = t, true
}

// HasTime reports whether the record has a time of its own.
func (m *Mapper) HasTime() bool { return m.haveTime }

// AddrText is Addr for text.
func (m *Mapper) AddrText(key, text []byte) (netip.Addr, bool) {
	m.conv = String(text)
	return m.Addr(key, &m.conv)
}

// addrCache remembers the IPv4 addresses a Mapper has parsed, by their
// text: a stream names the same hosts over and over, and comparing two
// words is cheaper than parsing. It is direct-mapped, its size fixed
// (1,024 addresses, 40 KiB, as much as the intern table's strings; a text
// evicts the one before it in its slot); texts are summed up as the
// key table sums keys up (keyWords), which is the text itself for the at
// most 15 bytes of a dotted quad.
type addrCache [addrCacheSize]cachedAddr

const (
	addrCacheBits = 10
	addrCacheSize = 1 << addrCacheBits
)

type cachedAddr struct {
	a, z uint64
	n    int // the text's length: 0 marks an empty slot (no dotted quad is empty)
	addr netip.Addr
}

// ipv4 is parseIPv4, through the cache.
func (c *addrCache) ipv4(b []byte) (netip.Addr, bool) {
	if len(b) < len("0.0.0.0") || len(b) > len("255.255.255.255") {
		return netip.Addr{}, false
	}
	a, z := keyWords(b)
	e := &c[((a^z>>3)*0x9e3779b97f4a7c15)>>(64-addrCacheBits)]
	if e.a == a && e.z == z && e.n == len(b) {
		return e.addr, true
	}
	addr, ok := parseIPv4(b)
	if ok {
		*e = cachedAddr{a: a, z: z, n: len(b), addr: addr}
	}
	return addr, ok
}
