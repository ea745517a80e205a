package record

import (
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/internal/unchecked"
	"github.com/netflightrecorder/nfr/scoring"
)

const maxJSONDepth = 32

// FeedJSON hands one JSON object (one line of Zeek JSON, Suricata eve or
// NDJSON) to m, key by key: nested objects are flattened with ".", each
// array element is one field with the array's key. It returns a
// *formats.LineError for text that is not one JSON object.
func (m *Mapper) FeedJSON(data []byte) error { return m.feedJSON(data, true, &m.jpred) }

// feedJSON is FeedJSON, with plainMembers' fast path or (plain false,
// for tests) the general path alone; plainMembers resolves keys through
// keys when it is not nil (the key table otherwise).
func (m *Mapper) feedJSON(data []byte, plain bool, keys *KeyPredictor) error {
	if keys != nil && !keys.Ready() {
		keys.Init()
	}
	s := jsonScan{data: data, m: m, key: m.jkey[:0], plain: plain, keys: keys}
	s.ws()
	if s.pos >= len(data) || data[s.pos] != '{' {
		return s.fail("not a JSON object")
	}
	if err := s.value(nil, 0); err != nil {
		return err
	}
	s.ws()
	if s.pos != len(data) {
		return s.fail("text after the object")
	}
	m.jkey = s.key
	return nil
}

type jsonScan struct {
	data  []byte
	pos   int
	m     *Mapper
	key   []byte
	plain bool // plainMembers reads what it can

	// keys predicts plainMembers' keys (nil: each is looked up); while
	// known, the values read are those of a key it resolved to f (nil
	// for a key no dialect reads).
	keys  *KeyPredictor
	f     *Field
	known bool
	pad   [16]byte // a key near the line's start after 8 bytes, for Predicts
}

func (s *jsonScan) fail(what string) error {
	return &formats.LineError{Reason: "bad json", Detail: what + " at byte " + strconv.Itoa(s.pos)}
}

func (s *jsonScan) ws() {
	if s.pos < len(s.data) && s.data[s.pos] > ' ' {
		return // no whitespace, the common case (inlined)
	}
	s.wsRun()
}

// unread reports a value under a key plainMembers resolved to no field: a
// key no dialect reads, whose value is passed over (emit, emitCount,
// literal and number's plain fractions skip building it).
func (s *jsonScan) unread() bool { return s.known && s.f == nil }

// emit hands a value of key to the Mapper: to the field plainMembers
// resolved while known (Apply when SetField would be it), else to the
// key table's (Field).
func (s *jsonScan) emit(key []byte, v Value) {
	if s.unread() {
		return
	}
	m := s.m
	m.text = v
	switch {
	case !s.known:
		m.Field(key, &m.text)
	case MayBeMarker(&m.text):
		m.SetField(s.f, key, &m.text)
	default:
		m.Apply(s.f, key, &m.text)
	}
}

// emitCount is emit for a non-negative integer (of up to 18 digits): a
// port or query type of up to 65535 is written where its field's setter
// would write it, as Zeek TSV's first pass does (quickPass, quickOffsets),
// without a Value or the setter's call; others go to emit. Zeek JSON dns
// lines 8,445 -> 8,266 instructions (BenchmarkZeekLookupsJSON).
func (s *jsonScan) emitCount(key []byte, n int64) {
	if s.unread() {
		return
	}
	if f := s.f; s.known && f != nil && n <= 65535 && f.kind.number16() {
		s.m.groups |= f.group
		setNumber16(s.m.e, quickOffsets[f.kind], uint16(n))
		return
	}
	s.emit(key, Int(n))
}

// emitDecimal is emit for a number exactDecimal read: a record's time is
// set as its field's setter would set it (setTS's reading of a float),
// without a Value or the setter's call; others go to emit. Zeek JSON dns
// lines 8,112 -> 8,038 instructions with times. Only the fast path
// (plain) takes it, so that FuzzPlainMatchesGeneral checks it against
// emit.
func (s *jsonScan) emitDecimal(key []byte, x float64) {
	if f := s.f; s.known && f != nil && f.kind == kindTS {
		if t, ok := epochFloat(x); ok { // setTS's reading of a float
			s.m.groups |= f.group
			s.m.SetTime(t)
			return
		}
	}
	s.emit(key, Float(x))
}

// epoch reads a record's time written as Zeek writes it, ten digits, a
// dot and six ("1795424400.000000", the whole number: zeekEpoch), and
// sets it as setTS would set the float the general path reads
// (emitDecimal): for seconds from 10^9 to 2*10^9 - 1 a float64 holds the
// text to within 0.12 µs, so epochFloat's rounding to the microsecond
// gives zeekEpoch's exact time. It reports false, reading nothing, for
// any other text. Zeek JSON dns lines 8,038 -> 7,706 instructions;
// TestZeekEpochMatchesFloatPath checks the range.
func (s *jsonScan) epoch(rest []byte) bool {
	if len(rest) < 17 || rest[0] != '1' || rest[10] != '.' || len(rest) > 17 && numberByte[rest[17]] != 0 {
		return false
	}
	t, ok := zeekEpoch(rest[:17]) // ok only when the 16 others are digits
	if ok {
		s.pos += 17
		s.m.groups |= s.f.group
		s.m.SetTime(t)
	}
	return ok
}

// emitString is emit for a string value: one that cannot be a marker
// ("-", "(empty)") goes to the resolved field's setter for text
// (ApplyText, as Zeek TSV columns do), without a Value: Zeek JSON dns
// lines 8,717 -> 8,485 instructions (BenchmarkZeekLookupsJSON).
func (s *jsonScan) emitString(key, str []byte) {
	if s.known && !markerLength(str) {
		if s.f != nil {
			s.m.ApplyText(s.f, key, str)
		}
		return
	}
	s.emit(key, String(str))
}

func (s *jsonScan) wsRun() {
	data, i := s.data, s.pos
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	s.pos = i
}

// value reads one value whose flattened key is key: a top-level key
// viewing the input, or s.key.
func (s *jsonScan) value(key []byte, depth int) error {
	if depth > maxJSONDepth {
		return s.fail("nesting too deep")
	}
	s.ws()
	if s.pos >= len(s.data) {
		return s.fail("unexpected end")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(key, depth)
	case c == '[':
		return s.array(key, depth)
	case c == '"':
		str, err := s.str(&s.m.jstr)
		if err != nil {
			return err
		}
		s.emitString(key, str)
	case c == 't' || c == 'f' || c == 'n':
		return s.literal(key)
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number(key)
	default:
		return s.fail("unexpected character")
	}
	return nil
}

// object reads an object whose members' keys are prefix "." name (name
// alone at the top level, viewing the input when it has no escapes).
func (s *jsonScan) object(prefix []byte, depth int) error {
	keyLen := len(prefix)
	s.known = false // its members' keys are not the one resolved
	if keyLen > 0 {
		s.key = append(s.key[:0], prefix...) // prefix may be s.key[:keyLen]
	}
	s.pos++ // {
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return nil
	}
	for {
		if s.plain && keyLen == 0 && depth < maxJSONDepth { // (values at depth+1 pass value's depth check)
			if done, err := s.plainMembers(depth); done || err != nil {
				return err
			}
			s.known = false
		}
		s.ws()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return s.fail("expected a key")
		}
		quote := s.pos
		name, err := s.str(&s.m.jstr)
		if err != nil {
			return err
		}
		key := name
		// An escaped name (decoded, so shorter than its text) is in
		// m.jstr, which the value's text may overwrite: copy it.
		if keyLen > 0 || len(name) != s.pos-quote-2 {
			s.key = s.key[:keyLen]
			if keyLen > 0 {
				s.key = append(s.key, '.')
			}
			s.key = append(s.key, name...)
			key = s.key
		}
		s.ws()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return s.fail("expected ':'")
		}
		s.pos++
		if err := s.value(key, depth+1); err != nil {
			return err
		}
		if done, err := s.separator('}'); done || err != nil {
			s.key = s.key[:keyLen]
			return err
		}
	}
}

// plainMembers reads the members of a top-level object in their common
// shape, the fast path of NDJSON and Zeek JSON: a key without escapes
// right after the previous member's comma (or the brace), a colon right
// after it, and a value right after that, a string without escapes read
// here and any other value by value; a comma right after the value goes
// on to the next member. At anything else (whitespace, escapes, bad
// text) it stops, at the start of the member or at the separator, for
// object's general loop to read from there: what it hands to the Mapper
// and every error are those of the general path. done reports that it
// read the object's closing brace. Zeek JSON DNS lines
// (BenchmarkZeekLookupsJSON, decode and map): 14,513 -> 11,370
// instructions a line with number's one-pass integers.
func (s *jsonScan) plainMembers(depth int) (done bool, err error) {
	data := s.data
	for {
		p := s.pos
		if p >= len(data) || data[p] != '"' {
			return false, nil
		}
		end := -1
		if s.keys != nil { // the values that follow are the key's field's
			if end = s.keys.PredictsMember(data, p+1); end >= 0 {
				s.f, _ = s.keys.Take()
				s.known = true
			}
		}
		if end < 0 {
			end = plainEnd(data, p+1)
			if end+1 >= len(data) || data[end] != '"' || data[end+1] != ':' {
				return false, nil
			}
			if s.keys != nil { // a key too long for PredictsMember, or another
				if s.keys.Predicts(data, p+1, end) {
					s.f, _ = s.keys.Take()
				} else {
					s.resolve(data, p+1, end)
				}
				s.known = true
			}
		}
		key, v := data[p+1:end], end+2
		if v >= len(data) {
			return false, nil
		}
		switch c := data[v]; {
		case c == '"':
			vend := plainEnd(data, v+1)
			if vend >= len(data) || data[vend] != '"' {
				return false, nil
			}
			s.pos = vend + 1
			s.emitString(key, data[v+1:vend])
		case c-'0' <= 9: // as value would read it
			s.pos = v
			if err := s.number(key); err != nil {
				return false, err
			}
		case c == 't' || c == 'f':
			s.pos = v
			if err := s.literal(key); err != nil {
				return false, err
			}
		default:
			s.pos = v
			if err := s.value(key, depth+1); err != nil {
				return false, err
			}
		}
		if s.pos >= len(data) || data[s.pos] != ',' {
			return s.separator('}')
		}
		s.pos++
	}
}

// resolve sets s.f to the field of the key data[ks:ke] when the first
// guess did not predict it: the second guess's or the key table's. The
// line's first key ("ts"), too near its start for Predicts to read, is
// read from s.pad, after 8 bytes (which costs plainMembers 700
// instructions a line when done there: its loop's registers spill).
func (s *jsonScan) resolve(data []byte, ks, ke int) {
	key := data[ks:ke]
	if ke < 8 {
		copy(s.pad[8:], key)
		if data, ks, ke = s.pad[:], 8, 8+len(key); s.keys.Predicts(data, ks, ke) {
			s.f, _ = s.keys.Take()
			return
		}
	}
	if s.keys.PredictsSecond(data, ks, ke) {
		s.f, _ = s.keys.TakeSecond()
		return
	}
	s.f = s.keys.Lookup(data, ks, ke, key)
}

// plainEnd returns the offset of the first byte from i on that ends a
// string's plain run (strSpecial), len(data) when there is none. While
// eight bytes remain it reads them as one word (plainStops); the last
// few, a byte at a time. It is past the inlining budget; called, it
// still costs Zeek JSON dns lines 205 instructions less than a byte at a
// time inlined (BenchmarkZeekLookupsJSON: 9,664 -> 9,459).
func plainEnd(data []byte, i int) int {
	for ; i < len(data); i++ {
		if i+8 > len(data) {
			if strSpecial[data[i]] {
				break
			}
			continue
		}
		if stops := plainStops(unchecked.Uint64LE(data, i)); stops != 0 {
			return i + bits.TrailingZeros64(stops)>>3
		}
		i += 7
	}
	return i
}

// plainStops returns x, eight bytes of a string (little-endian), with
// the high bit set in its lowest byte that strSpecial marks, none when it
// has none. "y has a byte below n" is (y - n*0x01..) &^ y & 0x80..: its
// lowest set bit is exact (a borrow only reaches bytes above a hit), the
// bits above it may be wrong and are not read. A quote or a control
// character is a byte below 0x21 once bit 1 is flipped (0x22 -> 0x20,
// 0x00-0x1f stay below 0x20, 0x20 and 0x21 become 0x22 and 0x23); a
// backslash, a byte below 1 once xored with it.
func plainStops(x uint64) uint64 {
	const ones = 0x0101010101010101
	qc, b := x^0x02*ones, x^'\\'*ones
	return ((qc-0x21*ones)&^qc | (b-ones)&^b) & (0x80 * ones)
}

// separator consumes what follows a member or element: ',' (more follow)
// or close (the object or array ends: done).
func (s *jsonScan) separator(close byte) (done bool, err error) {
	s.ws()
	switch {
	case s.pos >= len(s.data):
		return false, s.fail("unexpected end")
	case s.data[s.pos] == ',':
		s.pos++
		return false, nil
	case s.data[s.pos] == close:
		s.pos++
		return true, nil
	}
	return false, s.fail("expected ',' or '" + string(close) + "'")
}

func (s *jsonScan) array(key []byte, depth int) error {
	s.pos++ // [
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return nil
	}
	for {
		if err := s.value(key, depth+1); err != nil {
			return err
		}
		if done, err := s.separator(']'); done || err != nil {
			return err
		}
	}
}

func (s *jsonScan) literal(key []byte) error {
	rest := s.data[s.pos:]
	read := !s.unread() // else emit would drop it
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		s.pos += 4
		if read {
			s.emit(key, Bool(true))
		}
	case len(rest) >= 5 && string(rest[:5]) == "false":
		s.pos += 5
		if read {
			s.emit(key, Bool(false))
		}
	case len(rest) >= 4 && string(rest[:4]) == "null":
		s.pos += 4
	default:
		return s.fail("bad literal")
	}
	return nil
}

func (s *jsonScan) number(key []byte) error {
	// The leading digits, with their value: a number that is only 1 to
	// 18 of them without a leading zero (ports, counts, ids) is the Int
	// smallInt would read, taken here in the same pass (with plainMembers'
	// fast path); the classing of what follows goes on from there.
	data, start := s.data, s.pos
	if s.plain && s.known && s.f != nil && s.f.kind == kindTS && s.epoch(data[start:]) {
		return nil
	}
	i, n := start, int64(0)
	for ; i < len(data) && data[i]-'0' <= 9; i++ {
		n = n*10 + int64(data[i]-'0')
	}
	digits, class := i-start, uint8(0)
	if digits > 0 {
		class = numberInt
	}
	if s.plain && digits > 0 && digits <= 18 && (data[start] != '0' || digits == 1) &&
		(i == len(data) || numberByte[data[i]] == 0) {
		s.pos = i
		s.emitCount(key, n)
		return nil
	}
	if s.plain && s.unread() {
		if end, ok := plainFraction(data, start, i); ok {
			s.pos = end // a key no dialect reads: emit would drop it
			return nil
		}
	}
	for ; i < len(data); i++ {
		c := numberByte[data[i]]
		if c == 0 {
			break
		}
		class |= c
	}
	s.pos = i
	isFloat := class&numberFloat != 0
	text := view(s.data[start:s.pos])
	if !isFloat {
		if n, ok := smallInt(s.data[start:s.pos]); ok {
			s.emit(key, Int(n))
			return nil
		}
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			s.emit(key, Int(n))
			return nil
		}
		if n, err := strconv.ParseUint(text, 10, 64); err == nil {
			s.emit(key, Uint(n))
			return nil
		}
	}
	if f, ok := exactDecimal(s.data[start:s.pos]); ok {
		if s.plain { // the general path emits a Value: FuzzPlainMatchesGeneral compares them
			s.emitDecimal(key, f)
		} else {
			s.emit(key, Float(f))
		}
		return nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return s.fail("bad number")
	}
	s.emit(key, Float(f))
	return nil
}

// plainFraction reads the fraction of a number whose 1 to 9 integer
// digits end at i: a dot and 1 to 9 digits, then a byte no number has. It
// returns where the number ends, and false for any other text. Such a
// number is a finite float whatever its digits, so a number under a key
// no dialect reads (a Zeek DNS line's rtt and TTLs) is passed over as the
// general path passes over it, with no error, without being converted.
// With the same early return for integers and literals (emitCount,
// literal, emit), Zeek JSON dns lines 7,702 -> 7,218 instructions
// (BenchmarkZeekLookupsJSON).
func plainFraction(data []byte, start, i int) (end int, ok bool) {
	digits := i - start
	if digits < 1 || digits > 9 || i >= len(data) || data[i] != '.' {
		return 0, false
	}
	j := i + 1
	for j < len(data) && data[j]-'0' <= 9 {
		j++
	}
	if frac := j - i - 1; frac < 1 || frac > 9 || j < len(data) && numberByte[data[j]] != 0 {
		return 0, false
	}
	return j, true
}

// numberByte classes the bytes of a number's text: digits and '-'
// (numberInt), the bytes only a float has (numberFloat), others (0).
var numberByte = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = numberInt
	}
	t['-'] = numberInt
	t['.'], t['e'], t['E'], t['+'] = numberFloat, numberFloat, numberFloat, numberFloat
	return t
}()

const (
	numberInt   = 1
	numberFloat = 2
)

// smallInt reads an optionally negative integer of at most 18 digits
// without leading zeros (what strconv.ParseInt would accept as JSON has
// it); false for anything else, which ParseInt then judges.
func smallInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 || (b[0] == '0' && len(b) > 1) {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// str reads a string at s.pos. Without escapes it returns a view of the
// input; otherwise it decodes into *buf.
func (s *jsonScan) str(buf *[]byte) ([]byte, error) {
	data, start := s.data, s.pos+1 // after the opening quote
	for i := start; i < len(data); i++ {
		if c := data[i]; strSpecial[c] {
			s.pos = i
			switch {
			case c == '"':
				s.pos = i + 1
				return data[start:i], nil
			case c == '\\':
				return s.strEscaped(start, buf)
			}
			return nil, s.fail("control character in string")
		}
	}
	s.pos = len(data)
	return nil, s.fail("unterminated string")
}

// strSpecial marks the bytes that end a string's plain run: the closing
// quote, a backslash and control characters.
var strSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func (s *jsonScan) strEscaped(start int, buf *[]byte) ([]byte, error) {
	out := append((*buf)[:0], s.data[start:s.pos]...)
	defer func() { *buf = out[:0] }()
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return out, nil
		case c < 0x20:
			return nil, s.fail("control character in string")
		case c != '\\':
			out = append(out, c)
			s.pos++
			continue
		}
		if s.pos+1 >= len(s.data) {
			break
		}
		e := s.data[s.pos+1]
		s.pos += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return nil, s.fail("bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if s.pos+1 < len(s.data) && s.data[s.pos] == '\\' && s.data[s.pos+1] == 'u' {
					s.pos += 2
					r2, _ = s.hex4()
				}
				r = utf16.DecodeRune(r, r2)
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, s.fail("bad escape")
		}
	}
	return nil, s.fail("unterminated string")
}

func (s *jsonScan) hex4() (rune, bool) {
	if s.pos+4 > len(s.data) {
		return 0, false
	}
	n, ok := ParseHex(s.data[s.pos : s.pos+4])
	s.pos += 4
	return rune(n), ok
}

// MapJSON maps a record decoded by encoding/json (nested maps are
// flattened with "."; json.Number is understood) onto ev. t is the
// transport time, used when the record has no time of its own. No input
// path uses it (they stream with FeedJSON, no map per record); tests use
// it as an independent reading of the same JSON.
func MapJSON(m *Mapper, rec map[string]any, t time.Time, ev *scoring.Event) error {
	m.Begin(t)
	m.jkey = walkMap(m, m.jkey[:0], rec, 0)
	return m.End(ev)
}

func walkMap(m *Mapper, key []byte, rec map[string]any, depth int) []byte {
	// Keys in sorted order, so that a record maps the same way every time;
	// the key list is a stack shared by the nested maps.
	start := len(m.jkeys)
	for k := range rec {
		m.jkeys = append(m.jkeys, k)
	}
	slices.Sort(m.jkeys[start:])
	base := len(key)
	for i := start; i < start+len(rec); i++ {
		k := m.jkeys[i]
		key = key[:base]
		if base > 0 {
			key = append(key, '.')
		}
		key = append(key, k...)
		key = walkValue(m, key, rec[k], depth)
	}
	clear(m.jkeys[start:])
	m.jkeys = m.jkeys[:start]
	return key[:base]
}

// bytesOf views s as bytes without copying; the Mapper only reads values.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func walkValue(m *Mapper, key []byte, v any, depth int) []byte {
	if depth > maxJSONDepth {
		return key
	}
	switch x := v.(type) {
	case map[string]any:
		return walkMap(m, key, x, depth+1)
	case []any:
		for _, item := range x {
			key = walkValue(m, key, item, depth+1)
		}
	case []string:
		for _, item := range x {
			m.field(key, String(bytesOf(item)))
		}
	case string:
		m.field(key, String(bytesOf(x)))
	case []byte:
		m.field(key, String(x))
	case json.Number:
		if n, err := x.Int64(); err == nil {
			m.field(key, Int(n))
		} else if f, err := x.Float64(); err == nil {
			m.field(key, Float(f))
		} else {
			m.field(key, String(bytesOf(string(x))))
		}
	case float64:
		m.field(key, Float(x))
	case float32:
		m.field(key, Float(float64(x)))
	case int:
		m.field(key, Int(int64(x)))
	case int64:
		m.field(key, Int(x))
	case int32:
		m.field(key, Int(int64(x)))
	case uint64:
		m.field(key, Uint(x))
	case uint32:
		m.field(key, Uint(uint64(x)))
	case uint16:
		m.field(key, Uint(uint64(x)))
	case uint8:
		m.field(key, Uint(uint64(x)))
	case bool:
		m.field(key, Bool(x))
	}
	return key
}
