package record

import (
	"encoding/binary"
	"math"
	"net/netip"
	"strconv"
	"time"
	"unsafe"

	"github.com/netflightrecorder/nfr/scoring"
)

// view returns b as a string without copying. Only for values that are
// parsed on the spot and never retained (numbers, addresses, times).
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// ParseUint parses a decimal unsigned integer.
func ParseUint(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n >= math.MaxUint64/10 && (n > math.MaxUint64/10 || d > math.MaxUint64%10) {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// digits is ParseUint for at most 19 digits, which cannot overflow
// (10^19 < 2^64): no overflow test per digit. (ParseUint does not call it:
// that would stop ParseUint being inlined, which costs more.)
func digits(b []byte) (uint64, bool) {
	var n uint64
	for _, c := range b {
		if c -= '0'; c > 9 {
			return 0, false
		}
		n = n*10 + uint64(c)
	}
	return n, true
}

// eightDigits returns the number the eight ASCII digits of x spell, the
// first in its lowest byte (a little-endian load), and false when a byte
// is not a digit: three multiplications instead of eight steps
// (simdjson's parse_eight_digits_unrolled).
func eightDigits(x uint64) (uint64, bool) {
	// Every byte is 0x3_ and stays below 0x40 when 6 is added: '0'-'9'.
	if (x&0xf0f0f0f0f0f0f0f0)|((x+0x0606060606060606)&0xf0f0f0f0f0f0f0f0)>>4 != 0x3333333333333333 {
		return 0, false
	}
	x = (x & 0x0f0f0f0f0f0f0f0f) * (10<<8 + 1) >> 8               // pairs of digits
	x = (x & 0x00ff00ff00ff00ff) * (100<<16 + 1) >> 16            // fours
	return (x & 0x0000ffff0000ffff) * (10000<<32 + 1) >> 32, true // eight
}

// ParseHex parses an unsigned hexadecimal integer of at most 16 digits.
func ParseHex(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		n = n<<4 | uint64(c)
	}
	return n, true
}

// parseEpoch parses "1517336042.279652" (seconds, optional fraction up to
// nanoseconds) exactly, without going through float64: Zeek's own form
// (zeekEpoch) first, then any other (epochText).
func parseEpoch(b []byte) (time.Time, bool) {
	if t, ok := zeekEpoch(b); ok {
		return t, true
	}
	return epochText(b)
}

// epochText is parseEpoch for any text, digit by digit.
func epochText(b []byte) (time.Time, bool) {
	// Seconds: the digits before the first dot, at most 20 (ParseUint's
	// limit) and at most 1<<40 (sec stops growing past it, so it cannot
	// overflow).
	i, sec := 0, uint64(0)
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		if sec <= 1<<40 {
			sec = sec*10 + uint64(c)
		}
	}
	if i == 0 || i > 20 || sec > 1<<40 || (i < len(b) && b[i] != '.') {
		return time.Time{}, false
	}
	var nsec int64
	if i < len(b) { // b[i] is the dot
		frac := b[i+1:]
		if len(frac) == 0 {
			return time.Time{}, false
		}
		for j, c := range frac {
			if c -= '0'; c > 9 {
				return time.Time{}, false
			}
			if j < 9 {
				nsec = nsec*10 + int64(c)
			}
		}
		if len(frac) < 9 {
			nsec *= nsecScale[len(frac)]
		}
	}
	return time.Unix(int64(sec), nsec).UTC(), true
}

// zeekEpoch reads the epoch text Zeek writes, "1517336042.279652": ten
// digits, a dot and six, read eight digits at a time, with no dot search
// or overflow test (BenchmarkZeekLookupsTSV: a digit at a time saved 83
// instructions a line over the general path, eight at a time 117 more);
// false for any other text, which epochText reads. Callers on a hot path
// call the two themselves rather than parseEpoch: one call, not two, for
// Zeek's form.
func zeekEpoch(b []byte) (time.Time, bool) {
	if len(b) != 17 || b[10] != '.' {
		return time.Time{}, false
	}
	// The seconds' last eight digits, then the two before them.
	low, ok := eightDigits(binary.LittleEndian.Uint64(b[2:10]))
	hi0, hi1 := b[0]-'0', b[1]-'0'
	// The fraction: the eight bytes from the seconds' last digit on, the
	// dot read as a 0: that digit times 10^7, then the six.
	last := uint64(b[9] - '0')
	frac, ok2 := eightDigits(binary.LittleEndian.Uint64(b[9:17])&^(0xff<<8) | '0'<<8)
	if !ok || !ok2 || hi0 > 9 || hi1 > 9 {
		return time.Time{}, false
	}
	sec := (uint64(hi0)*10+uint64(hi1))*1e8 + low
	return time.Unix(int64(sec), int64(frac-last*1e7)*1000).UTC(), true
}

// nsecScale[n] turns n digits of a fraction of a second into nanoseconds.
var nsecScale = [9]int64{1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1}

// epochFloat converts float seconds to a time rounded to the microsecond,
// the precision Zeek and Suricata write, so that the same instant read as
// text and as a float64 compares equal.
func epochFloat(f float64) (time.Time, bool) {
	if math.IsNaN(f) || f < 0 || f > 1<<40 {
		return time.Time{}, false
	}
	sec := math.Floor(f)
	us := math.Round((f - sec) * 1e6)
	if us >= 1e6 {
		sec++
		us = 0
	}
	return time.Unix(int64(sec), int64(us)*1000).UTC(), true
}

var isoLayouts = [...]string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05",
}

// parseISO parses ISO 8601 / RFC 3339 times as Zeek and Suricata write
// them; a time without zone is UTC.
func parseISO(b []byte) (time.Time, bool) {
	if len(b) < 19 || b[4] != '-' {
		return time.Time{}, false
	}
	s := view(b)
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// seconds converts float seconds to a Duration (rounded to nanoseconds).
func seconds(f float64) time.Duration { return time.Duration(math.Round(f * 1e9)) }

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// scanDecimal reads the plain decimals Zeek writes ("0.000392",
// "2156.000000"): digits with at most one dot, not last, in b (at most 19
// bytes, so that mant cannot overflow), as a mantissa and a count of
// fraction digits. Zeek's six-decimal texts take sixDecimals' path
// (BenchmarkZeekLookupsTSV: 5,055 -> 4,993 instructions a line), the
// others scanDigits'.
func scanDecimal(b []byte) (mant uint64, frac int, ok bool) {
	if n := len(b); n >= 8 && b[n-7] == '.' {
		if mant, ok := sixDecimals(b); ok {
			return mant, 6, true
		}
	}
	return scanDigits(b)
}

// sixDecimals is scanDecimal for text ending in a dot and six digits, as
// Zeek writes its intervals and doubles ("%.6f": "0.012000",
// "300.000000"; b has at least eight bytes): the last eight bytes, the
// dot read as a 0, are read at once, as parseEpoch reads its fraction.
// Not ok for anything scanDigits would not read.
func sixDecimals(b []byte) (uint64, bool) {
	n := len(b)
	// d0ffffff: d*10^7 + the fraction, d being the digit before the dot.
	x, ok := eightDigits(binary.LittleEndian.Uint64(b[n-8:])&^(0xff<<8) | '0'<<8)
	if !ok {
		return 0, false
	}
	var ip uint64 // the digits before d
	for _, c := range b[:n-8] {
		if c -= '0'; c > 9 {
			return 0, false
		}
		ip = ip*10 + uint64(c)
	}
	d := uint64(b[n-8] - '0')
	return ip*1e7 + d*1e6 + (x - d*1e7), true
}

// scanDigits is scanDecimal for any text.
func scanDigits(b []byte) (mant uint64, frac int, ok bool) {
	// The digits before the dot, then those after it: two plain loops
	// rather than one that tells digits from the dot in every byte
	// (BenchmarkZeekLookupsTSV: 5,409 -> 5,311 instructions a line).
	i := 0
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
	}
	if i == len(b) {
		return mant, 0, i > 0
	}
	if b[i] != '.' || i == len(b)-1 {
		return 0, 0, false
	}
	for _, c := range b[i+1:] {
		if c -= '0'; c > 9 {
			return 0, 0, false
		}
		mant = mant*10 + uint64(c)
	}
	return mant, len(b) - i - 1, true
}

// exactDecimal is parseFloat's fast path (Clinger), for plain decimals of
// up to 17 characters whose mantissa float64 holds exactly (Zeek's epoch
// times, "1517336042.279652", have 16 digits): then the quotient of two
// exact numbers is correctly rounded and equals strconv.ParseFloat's.
func exactDecimal(b []byte) (float64, bool) {
	if len(b) > 17 {
		return 0, false
	}
	mant, frac, ok := scanDecimal(b)
	if !ok || mant > 1<<53 || frac >= len(pow10) {
		return 0, false
	}
	return float64(mant) / pow10[frac], true
}

func parseFloat(b []byte) (float64, bool) {
	if f, ok := exactDecimal(b); ok {
		return f, true
	}
	if len(b) == 0 || len(b) > 64 {
		return 0, false
	}
	f, err := strconv.ParseFloat(view(b), 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// parseIPv4 is scoring.ParseIPv4 on bytes.
func parseIPv4(b []byte) (netip.Addr, bool) { return scoring.ParseIPv4(b) }
