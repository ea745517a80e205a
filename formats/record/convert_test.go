package record

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// parseIPv4 must agree with netip.ParseAddr on every input it accepts and
// accept every dotted quad netip accepts.
func TestParseIPv4AgreesWithNetip(t *testing.T) {
	inputs := []string{"0.0.0.0", "255.255.255.255", "10.0.0.1", "192.0.2.10", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4",
		"1.2.3.04", "1..2.3", ".1.2.3", "1.2.3.", "", "1.2.3.4 ", "::1", "::ffff:1.2.3.4", "1.2.3.4%eth0", "999.0.0.0", "0.0.0.00", "1.2.3.-4"}
	for _, s := range inputs {
		checkIPv4(t, s)
	}
}

func FuzzParseIPv4(f *testing.F) {
	f.Add("10.0.0.1")
	f.Fuzz(func(t *testing.T, s string) { checkIPv4(t, s) })
}

func checkIPv4(t *testing.T, s string) {
	t.Helper()
	got, ok := parseIPv4([]byte(s))
	want, err := netip.ParseAddr(s)
	wantOK := err == nil && want.Is4()
	if ok != wantOK || ok && got != want {
		t.Errorf("%q: got %v %v, netip %v %v", s, got, ok, want, err)
	}
}

// The key table finds every spelling of every registered field, and
// nothing else.
func TestKeyTable(t *testing.T) {
	for _, d := range Dialects() {
		for i := range d.Fields {
			f := &d.Fields[i]
			for _, k := range f.Keys {
				key := k
				if f.Prefix {
					key += "A"
				}
				if got := LookupField([]byte(key)); got != f {
					t.Errorf("%s: %q resolves to %v", d.Name, key, got)
				}
			}
		}
	}
	for _, k := range []string{"", "t", "tss", "id.orig", "id.orig_hh", "ID.ORIG_H", "answers.x", "dns.grouped.A.b"} {
		if f := LookupField([]byte(k)); f != nil {
			t.Errorf("%q resolves to %v", k, f.Keys)
		}
	}
}

// TestKeepStrings: strings carved from the Mapper's slabs stay what they
// were while many more are carved after them, and cost no allocation
// each.
func TestKeepStrings(t *testing.T) {
	m := NewMapper(InputAuto)
	var kept []string
	buf := []byte("Cabcdefghijklmnopq")
	for i := 0; i < 1000; i++ {
		buf[1+i%16] = byte('A' + i%26)
		kept = append(kept, m.keep(buf))
	}
	buf[1] = '!' // the caller's bytes are not viewed
	for i, s := range kept {
		want := []byte("Cabcdefghijklmnopq")
		for j := 0; j <= i; j++ {
			want[1+j%16] = byte('A' + j%26)
		}
		if s != string(want) {
			t.Fatalf("string %d is %q, want %q", i, s, want)
		}
	}
	long := make([]byte, slabSize)
	if s := m.keep(long); len(s) != len(long) {
		t.Fatalf("long string of %d bytes", len(s))
	}
	if a := testing.AllocsPerRun(100, func() { m.keep(buf) }); a > 0.1 {
		t.Errorf("%.2f allocations a string", a)
	}
}

// TestExactDecimal: where the fast path answers, it is strconv's answer,
// on random plain decimals of every length and dot position.
func TestExactDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	answered := 0
	for i := 0; i < 200000; i++ {
		b := randomDigits(rng, 1+rng.IntN(19))
		if rng.IntN(2) == 0 {
			b[rng.IntN(len(b))] = '.'
		}
		if i%5 == 0 { // a second dot, a sign, an exponent, a letter
			b[rng.IntN(len(b))] = ".-ex"[rng.IntN(4)]
		}
		if i%7 == 0 { // near 2^53 and epoch times
			b = strconv.AppendUint(b[:0], 1<<53-uint64(rng.IntN(3))+uint64(rng.IntN(3)), 10)
			b = append(b[:10], append([]byte{'.'}, b[10:]...)...)
		}
		f, ok := exactDecimal(b)
		if !ok {
			continue
		}
		answered++
		want, err := strconv.ParseFloat(string(b), 64)
		if err != nil || f != want {
			t.Fatalf("%q: fast path %v, strconv %v (%v)", b, f, want, err)
		}
	}
	if answered < 50000 {
		t.Errorf("fast path answered only %d times", answered)
	}
}

// refParseEpoch is parseEpoch as it was before its single-pass rewrite.
func refParseEpoch(b []byte) (time.Time, bool) {
	dot := len(b)
	for i, c := range b {
		if c == '.' {
			dot = i
			break
		}
	}
	sec, ok := ParseUint(b[:dot])
	if !ok || sec > 1<<40 {
		return time.Time{}, false
	}
	var nsec int64
	if dot < len(b) {
		frac := b[dot+1:]
		if len(frac) == 0 {
			return time.Time{}, false
		}
		scale := int64(1e8)
		for _, c := range frac {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			nsec += int64(c-'0') * scale
			scale /= 10
		}
	}
	return time.Unix(int64(sec), nsec).UTC(), true
}

// TestParseEpochMatchesReference: the single-pass parseEpoch agrees with
// the former two-pass one on random and edge-case times.
func TestParseEpochMatchesReference(t *testing.T) {
	cases := []string{"", ".", "1.", ".5", "1700000000.123456", "1700000000", "0", "1099511627776", "1099511627777",
		"00000000000000000001.5", "000000000000000000001.5", "18446744073709551616", "1.1234567891234", "1.5.5", "1e5", "-1", "1.-5"}
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("0123456789.0123456789-e ")
	for i := 0; i < 100000; i++ {
		b := make([]byte, rng.IntN(24))
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	// Zeek's "1517336042.279652", the fast path's, some with a byte
	// replaced.
	for i := 0; i < 100000; i++ {
		b := []byte(strconv.FormatUint(rng.Uint64N(1e16), 10))
		b = append(make([]byte, 16-len(b)), b...)
		for j := range b {
			b[j] |= '0'
		}
		b = append(b[:10], append([]byte{'.'}, b[10:]...)...)
		if i%2 == 0 {
			b[rng.IntN(len(b))] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		got, ok := parseEpoch([]byte(c))
		want, wok := refParseEpoch([]byte(c))
		if ok != wok || !got.Equal(want) {
			t.Fatalf("%q: %v %v, want %v %v", c, got, ok, want, wok)
		}
	}
}

// The address cache answers as parseIPv4 does, over texts that evict one
// another and near misses of cached texts (a digit changed, a byte
// added), read from one reused buffer.
func TestAddrCacheAgreesWithParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var c addrCache
	buf := make([]byte, 0, 32)
	for i := range 200000 {
		buf = strconv.AppendUint(buf[:0], uint64(rng.IntN(24)*13), 10) // 0 to 299: about 1,500 texts for 256 slots
		for range 3 {
			buf = append(buf, '.')
			buf = strconv.AppendUint(buf, uint64(rng.IntN(4)), 10)
		}
		switch i % 5 {
		case 1:
			buf[rng.IntN(len(buf))] = byte('0' + rng.IntN(10))
		case 2:
			buf = append(buf, "0.x"[rng.IntN(3)])
		}
		got, gotOK := c.ipv4(buf)
		want, wantOK := parseIPv4(buf)
		if got != want || gotOK != wantOK {
			t.Fatalf("%q: cache %v %v, parse %v %v", buf, got, gotOK, want, wantOK)
		}
	}
}

// TestPlainUnsignedAgreesWithUnsigned: the setters' fast path for
// unsigned values and short digit texts (uint16, port, setRcode) gives the
// number and the failure Unsigned gives, on random texts (digits, too
// long, too large, empty, with a stray byte) and on values of every kind.
func TestPlainUnsignedAgreesWithUnsigned(t *testing.T) {
	values := append(randomTexts(7, 22, "01234567890123456789-+. x"),
		Value{Kind: KindInt, Int: 53}, Value{Kind: KindInt, Int: -1}, Value{Kind: KindUint, Uint: 70000}, Value{Kind: KindFloat, Float: 443},
		Value{Kind: KindFloat, Float: 1.5}, Value{Kind: KindBool, Bool: true}, String(nil), String([]byte("65535")), String([]byte("65536")),
		String([]byte("0000000000000000053")), String([]byte("00000000000000000053")), String([]byte("18446744073709551616")),
		Value{Kind: KindUint}, Value{Kind: KindUint, Uint: 4095}, Value{Kind: KindUint, Uint: 4096}, Value{Kind: KindUint, Uint: 65535},
		Value{Kind: KindUint, Uint: 65536}, Value{Kind: KindUint, Uint: 1 << 63}, Value{Kind: KindInt, Int: 4096})
	p := newPathPair(t)
	for _, v := range values {
		p.begin()
		n, _ := p.slow.Unsigned(p.key, &v, 65535, "bad number")
		p.same(&v, "uint16", p.fast.uint16(p.key, &v), uint16(n))

		p.begin()
		p.same(&v, "port", p.fast.port(p.key, &v), p.slow.Port(p.key, &v))

		p.begin()
		p.fast.e.DNS.Rcode, p.slow.e.DNS.Rcode = -7, -7
		setRcode(p.fast, p.key, &v)
		if n, ok := p.slow.Unsigned(p.key, &v, 4095, "bad number"); ok {
			p.slow.e.DNS.Rcode = int16(n)
		}
		p.same(&v, "rcode", p.fast.e.DNS.Rcode, p.slow.e.DNS.Rcode)
	}
}

// randomTexts returns 100,000 random texts of up to maxLen bytes: a third
// drawn from alphabet, a third digits with a dot, a third digits.
func randomTexts(seed uint64, maxLen int, alphabet string) []Value {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	values := make([]Value, 0, 100000)
	for i := 0; i < cap(values); i++ {
		b := make([]byte, rng.IntN(maxLen+1))
		for j := range b {
			if i%3 == 0 {
				b[j] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[j] = byte('0' + rng.IntN(10))
			}
		}
		if len(b) > 1 && i%3 == 1 {
			b[rng.IntN(len(b))] = '.'
		}
		values = append(values, String(b))
	}
	return values
}

// pathPair is two Mappers, one for a setter's fast path and one for the
// general path it must agree with.
type pathPair struct {
	t          *testing.T
	fast, slow *Mapper
	key        []byte
}

func newPathPair(t *testing.T) *pathPair {
	return &pathPair{t: t, fast: NewMapper(InputSniffer), slow: NewMapper(InputSniffer), key: []byte("k")}
}

// begin starts a record in both.
func (p *pathPair) begin() {
	p.fast.Begin(time.Time{})
	p.slow.Begin(time.Time{})
}

// same fails the test unless both paths read v as the same value with the
// same failure.
func (p *pathPair) same(v *Value, what string, got, want any) {
	p.t.Helper()
	f, s := &p.fast.err, &p.slow.err
	if got != want || f.set != s.set || f.reason != s.reason || string(f.detail) != string(s.detail) {
		p.t.Fatalf("%s of %+v: %v, error %+v; general path: %v, error %+v", what, *v, got, *f, want, *s)
	}
}

// TestEightDigits: eightDigits reads what ParseUint reads from eight
// bytes, and refuses what it refuses, over random bytes weighted to the
// digits and their neighbours ('/', ':', and the bytes whose sum with 6
// carries).
func TestEightDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	near := []byte("0123456789/:\x00\x2a\x3f\x40\xf9\xfa\xff\xb0\xb9")
	var b [8]byte
	for i := 0; i < 200000; i++ {
		for j := range b {
			switch {
			case i%4 == 0:
				b[j] = byte(rng.IntN(256))
			case rng.IntN(8) == 0:
				b[j] = near[rng.IntN(len(near))]
			default:
				b[j] = byte('0' + rng.IntN(10))
			}
		}
		got, ok := eightDigits(binary.LittleEndian.Uint64(b[:]))
		want, wok := ParseUint(b[:])
		if ok != wok || got != want {
			t.Fatalf("%q: %d %v, ParseUint %d %v", b, got, ok, want, wok)
		}
	}
}

// TestPlainDecimalAgreesWithFloat: the setters' fast path for floats and
// plain decimal texts (duration) gives the value and the failure Duration
// gives, on random texts and on values of every kind.
func TestPlainDecimalAgreesWithFloat(t *testing.T) {
	values := append(randomTexts(11, 19, "0123456789.0123456789.-e+x "),
		Value{Kind: KindFloat, Float: 0.5}, Value{Kind: KindFloat, Float: -1}, Value{Kind: KindInt, Int: 3}, Value{Kind: KindUint, Uint: 2e9},
		Value{Kind: KindBool}, String(nil), String([]byte("1000000000")), String([]byte("1000000000.000001")), String([]byte("1e3")), String([]byte(".5")),
		Value{Kind: KindFloat}, Value{Kind: KindFloat, Float: math.Copysign(0, -1)}, Value{Kind: KindFloat, Float: 1e9}, Value{Kind: KindFloat, Float: 1e9 + 1},
		Value{Kind: KindFloat, Float: math.NaN()}, Value{Kind: KindFloat, Float: math.Inf(1)}, Value{Kind: KindFloat, Float: math.Inf(-1)})
	p := newPathPair(t)
	for _, v := range values {
		p.begin()
		d, _ := p.slow.Duration(p.key, &v)
		p.same(&v, "duration", p.fast.duration(p.key, &v), d)

	}
}

// TestSixDecimalsAgreesWithScanDigits: scanDecimal's fast path for Zeek's
// "%.6f" texts gives what the digit-by-digit scan gives, on random texts of
// 8 to 19 bytes with the dot where the fast path looks (and stray dots,
// signs and letters elsewhere), and takes most of the well-formed ones.
func TestSixDecimalsAgreesWithScanDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	fast := 0
	for i := 0; i < 200000; i++ {
		b := randomDigits(rng, 8+rng.IntN(12))
		b[len(b)-7] = '.'
		if i%3 == 0 {
			b[rng.IntN(len(b))] = ".-x/:"[rng.IntN(5)]
		}
		mant, frac, ok := scanDecimal(b)
		wmant, wfrac, wok := scanDigits(b)
		if mant != wmant || frac != wfrac || ok != wok {
			t.Fatalf("%q: %d %d %v, scanDigits %d %d %v", b, mant, frac, ok, wmant, wfrac, wok)
		}
		if _, ok := sixDecimals(b); ok {
			fast++
		}
	}
	if fast < 100000 {
		t.Errorf("fast path answered only %d times", fast)
	}
}

// randomDigits returns n random decimal digits.
func randomDigits(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for j := range b {
		b[j] = byte('0' + rng.IntN(10))
	}
	return b
}

// TestApplyTextAgreesWithApply: every field's setter for text (ApplyText)
// leaves the record as Apply with the same text as a value leaves it (the
// event, the error and the Mapper's other per-record state), on random
// texts shaped like numbers, decimals and epochs and on the texts Zeek and
// the other dialects write, for every registered field.
func TestApplyTextAgreesWithApply(t *testing.T) {
	texts := randomTexts(13, 20, "0123456789.:-TFtrue abcdefx")[:10000]
	for _, s := range []string{"", "1517336042.279652", "1517336042.2796521", "1517336042", "2018-01-30T18:14:03.000001Z",
		"10.0.0.1", "10.0.0.01", "fe80::1", "::ffff:1.2.3.4", "256.1.1.1", "T", "F", "t", "true", "False", "0", "1", "2",
		"udp", "tcp", "icmp", "17", "A", "AAAA", "NIMLOC", "NOERROR", "NXDOMAIN", "SERV_FAIL", "NOTIMP", "0.012000",
		"300.000000", "-1", "-", "(empty)", "65535", "65536", "4095", "4096", "1e3", ".5", "1000000000.000001", "C1a2b3"} {
		texts = append(texts, String([]byte(s)))
	}
	text, value := NewMapper(InputSniffer), NewMapper(InputSniffer)
	fields := 0
	for i := range keys.slots {
		f := keys.slots[i].f
		if f == nil {
			continue
		}
		fields++
		key := []byte(keys.slots[i].key)
		for _, v := range texts {
			text.Begin(time.Time{})
			value.Begin(time.Time{})
			text.ApplyText(f, key, v.Str)
			value.Apply(f, key, value.Text(v.Str))
			if !sameRecord(text, value) {
				t.Fatalf("%s=%q: ApplyText %+v %+v, Apply %+v %+v", key, v.Str, *text.e, text.err, *value.e, value.err)
			}
		}
	}
	if fields < 50 {
		t.Errorf("only %d fields", fields)
	}
}

// sameRecord reports whether a and b hold the same record so far.
func sameRecord(a, b *Mapper) bool {
	return reflect.DeepEqual(*a.e, *b.e) && a.err.set == b.err.set && a.err.reason == b.err.reason &&
		string(a.err.detail) == string(b.err.detail) && a.groups == b.groups && a.hint == b.hint && a.hintBad == b.hintBad &&
		a.haveTime == b.haveTime && a.explicitResp == b.explicitResp && a.mimeSeen == b.mimeSeen && a.icmpSeen == b.icmpSeen &&
		string(a.raw) == string(b.raw) && a.transport.Equal(b.transport)
}

// TestApplyLineAgreesWithApplyText: ApplyLine, reading a layout's
// ports, counts, flags, protocol and names in a first pass when the layout
// allows it, leaves the record as handing each column's field over in
// order (ApplyText, or the marker and set handling a decoder does, which
// other stands for here) leaves it, on random layouts of the common
// fields (repeated, in any order, names before numbers, sets, fields no
// kind covers) and random texts: markers, texts starting like them, bad
// and out-of-range numbers, IPv6 addresses, other protocols.
func TestApplyLineAgreesWithApplyText(t *testing.T) {
	pool := []string{KeyTS, KeyUID, KeyOrigH, KeyRespH, KeyOrigP, KeyRespP, KeyProto,
		KeyQuery, KeyQType, KeyQTypeName, KeyRcode, KeyRcodeName,
		KeyAnswers, KeyIsResponse, KeyDuration, KeyService, KeyApp, KeyOrigBytes, KeyLocalOrig, KeyHistory,
		KeyAuthority, KeyRespBytes, KeyConnState, KeyOrigPkts}
	texts := []string{"", "-", "(empty)", "-1", "(x", "0", "1", "53", "65535", "65536", "123456", "4095", "4096",
		"00003", "T", "F", "t", "true", "udp", "tcp", "icmp", "UDP", "x", "A", "AAAA", "NIMLOC", "NOERROR",
		"NXDOMAIN", "1700000000.000001", "10.0.0.1", "fe80::1", "256.1.1.1", "0.012000", "300.000000",
		"a.example,b.example", "1,2", "dns", "1000000000.000001", "1e3", "2018-01-30T18:14:03.000001Z",
		"::ffff:1.2.3.4", "10.0.0.01", "C1a2b3", "1517336042.2796521"}
	rng := rand.New(rand.NewPCG(5, 6))
	marks := [2]byte{'-', '('}
	// reference is what a decoder does with a field ApplyLine hands
	// back: skip the unset marker, read the empty one as empty text, split
	// a set on commas.
	reference := func(m *Mapper) func(c *Column, field []byte) {
		return func(c *Column, field []byte) {
			switch {
			case string(field) == "-":
			case string(field) == "(empty)":
				if !c.Own && !c.Items {
					m.ApplyText(c.Field, c.Key, field[:0])
				}
			case c.Own || c.Items:
				for _, item := range bytes.Split(field, []byte(",")) {
					m.ApplyText(c.Field, c.Key, item)
				}
			default:
				m.ApplyText(c.Field, c.Key, field)
			}
		}
	}
	columns, ref := NewMapper(InputSniffer), NewMapper(InputSniffer)
	twoPass := 0
	var l Columns
	for layout := 0; layout < 3000; layout++ {
		var cols []Column
		width := 1 + rng.IntN(24)
		if layout%100 == 0 {
			width = 150 // columns past 64, in another word of Columns' bit sets
		}
		for at := range width {
			if rng.IntN(6) == 0 {
				continue // a column no dialect reads
			}
			var key string
			if layout%2 == 0 { // the common fields once each, often in Zeek's order
				key = pool[at%21]
			} else {
				key = pool[rng.IntN(len(pool))]
			}
			set := rng.IntN(6)
			cols = append(cols, Column{Field: LookupField([]byte(key)), Key: []byte(key), At: at,
				Own: set == 0, Items: set == 1, Sep: ','})
		}
		if len(cols) == 0 {
			continue
		}
		fields := cols[len(cols)-1].At + 1
		l.Set(cols, fields)
		if len(l.quick) > 0 {
			twoPass++
		}
		for range 20 {
			var line []byte
			bounds := []int{-1}
			for i := range fields {
				if i > 0 {
					line = append(line, '\t')
				}
				line = append(line, texts[rng.IntN(len(texts))]...)
				bounds = append(bounds, len(line))
			}
			columns.Begin(time.Time{})
			ref.Begin(time.Time{})
			if n := columns.ApplyLine(&l, line, '\t', marks, reference(columns)); n != fields {
				t.Fatalf("line %q: %d fields, want %d", line, n, fields)
			}
			for i := range cols {
				c := &cols[i]
				reference(ref)(c, line[bounds[c.At]+1:bounds[c.At+1]])
			}
			if !sameRecord(columns, ref) {
				t.Fatalf("line %q, columns %+v: ApplyLine %+v %+v, a column at a time %+v %+v",
					line, cols, *columns.e, columns.err, *ref.e, ref.err)
			}
		}
	}
	// A line of more or fewer fields is counted and not handed over.
	for _, line := range []string{"1\t2\t3", "1\t2", "", "1\t2\t3\t4\t"} {
		l.Set([]Column{{Field: LookupField([]byte(KeyOrigP)), Key: []byte(KeyOrigP), At: 0}}, 4)
		columns.Begin(time.Time{})
		n := columns.ApplyLine(&l, []byte(line), '\t', marks, reference(columns))
		if want := strings.Count(line, "\t") + 1; n != want || (n != 4) != (columns.e.SrcPort == 0) {
			t.Errorf("line %q: %d fields (want %d), source port %d", line, n, want, columns.e.SrcPort)
		}
	}
	if twoPass < 500 {
		t.Errorf("only %d layouts read in two passes", twoPass)
	}
}
