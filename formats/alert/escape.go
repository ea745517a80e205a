package alert

import (
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// Tables of the ASCII bytes each escaper copies as they are, so the common
// case is one lookup per byte.
var jsonSafe, cefHeaderSafe, cefValueSafe = func() (j, h, v [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		j[c] = c != '"' && c != '\\'
		h[c] = c != '|' && c != '\\' && c != 0x7f
		v[c] = c != '=' && c != '\\' && c != 0x7f
	}
	return
}()

// AppendJSONString appends s as a quoted JSON string (alerts, and nfr
// explain --json). Control characters, quote and backslash are escaped;
// invalid UTF-8 becomes U+FFFD; U+2028 and U+2029 are escaped so the line
// is also safe to embed in JavaScript.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendJSONBody(dst, s)
	return append(dst, '"')
}

// appendJSONBody appends s escaped for the inside of a JSON string. Bytes
// that need no escape are skipped eight at a time (plainJSON) from the
// start and after each escape.
func appendJSONBody(dst []byte, s string) []byte {
	start := 0
	for i := plainJSON(s, 0); i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = appendJSONEscape(dst, c)
			start = i + 1
			i = plainJSON(s, start)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\u202`...)
			dst = append(dst, hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// plainJSON returns i advanced over the whole words (eight bytes) of s
// that JSON takes as they are: ASCII, none below 0x20, no quote and no
// backslash. Each test is the exact any-byte test of a word (the bytes
// above a matching one may be flagged too, but only when one matches).
func plainJSON(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		quote, backslash := x^(lowBytes*'"'), x^(lowBytes*'\\')
		control := (x - lowBytes*0x20) &^ x
		if (x|control|(quote-lowBytes)&^quote|(backslash-lowBytes)&^backslash)&highBits != 0 {
			break
		}
	}
	return i
}

const (
	lowBytes = 0x0101010101010101
	highBits = 0x8080808080808080
)

func appendJSONEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// appendCEFHeader appends s escaped for a CEF header field: backslash and
// pipe are escaped; CR and LF, which a header must not contain, become
// spaces; invalid UTF-8 becomes U+FFFD.
func appendCEFHeader(dst []byte, s string) []byte {
	return appendCEF(dst, s, true)
}

// appendCEFValue appends s escaped for a CEF extension value: backslash and
// equals sign are escaped, CR and LF are written as \r and \n; invalid UTF-8
// becomes U+FFFD. Other control characters become spaces.
func appendCEFValue(dst []byte, s string) []byte {
	return appendCEF(dst, s, false)
}

func appendCEF(dst []byte, s string, header bool) []byte {
	safe := &cefValueSafe
	if header {
		safe = &cefHeaderSafe
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && safe[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\uFFFD"...)
				start = i + 1
			}
			i += size
			continue
		}
		esc := cefEscape(c, header)
		if esc == "" {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, esc...)
		i++
		start = i
	}
	return append(dst, s[start:]...)
}

// cefEscape returns the replacement for c, or "" when c is written as is.
func cefEscape(c byte, header bool) string {
	switch {
	case c == '\\':
		return `\\`
	case c == '|' && header:
		return `\|`
	case c == '=' && !header:
		return `\=`
	case c == '\n' && !header:
		return `\n`
	case c == '\r' && !header:
		return `\r`
	case c < 0x20 || c == 0x7f:
		return " "
	}
	return ""
}
