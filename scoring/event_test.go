package scoring

import (
	"net/netip"
	"testing"
)

// TestParseIPv4AgreesWithNetip: every string of up to 7 bytes over digits
// that matter for leading zeros and the 255 bound, dots and one other
// byte, and dotted quads of every field from 0 to 999 with and without
// leading zeros, parse as netip.ParseAddr parses them (IPv4 only), as
// text and as bytes.
func TestParseIPv4AgreesWithNetip(t *testing.T) {
	const alphabet = "0125.9a"
	buf := make([]byte, 0, 7)
	var walk func()
	walk = func() {
		checkIPv4(t, string(buf))
		if len(buf) == cap(buf) {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			buf = append(buf, alphabet[i])
			walk()
			buf = buf[:len(buf)-1]
		}
	}
	walk()
	fields := []string{"", "0", "00", "000", "0000", "1", "01", "001", "255", "256", "1000"}
	for v := 0; v < 1000; v++ {
		fields = append(fields, itoa(v))
	}
	for _, f := range fields {
		for _, q := range []string{f + ".1.2.3", "1." + f + ".2.3", "1.2." + f + ".3", "1.2.3." + f, "1.2.3." + f + "."} {
			checkIPv4(t, q)
		}
	}
	for _, s := range []string{"255.255.255.255", "255.255.255.2555", "1.2.3.4 ", " 1.2.3.4", "::ffff:1.2.3.4", "1.2.3.4%eth0"} {
		checkIPv4(t, s)
	}
}

func itoa(v int) string {
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + string(rune('0'+v%10))
}

func checkIPv4(t *testing.T, s string) {
	t.Helper()
	want, err := netip.ParseAddr(s)
	wantOK := err == nil && want.Is4()
	got, ok := ParseIPv4(s)
	gotB, okB := ParseIPv4([]byte(s))
	if ok != wantOK || ok && got != want || okB != ok || gotB != got {
		t.Fatalf("%q: got %v %v (bytes %v %v), netip %v %v", s, got, ok, gotB, okB, want, err)
	}
}

func BenchmarkParseIPv4(b *testing.B) {
	answers := []string{"93.184.216.34", "10.1.0.2", "192.168.100.200", "8.8.8.8"}
	for n := 0; b.Loop(); n++ {
		ParseIPv4(answers[n&3])
	}
}
