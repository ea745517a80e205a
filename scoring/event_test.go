package scoring

import (
	"net/netip"
	"reflect"
	"testing"
	"time"
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

// filledEvent returns an event of type typ whose fields outside the
// sub-structs and in the sub-struct of typ (all sub-structs when typ is
// unknown) are all set, the others zero as Event says. It sets every
// field the Event type has, by reflection, so that a field added later
// is covered too: Reset clears the fields outside the sub-structs one by
// one (resetCommon).
func filledEvent(t *testing.T, typ EventType) Event {
	t.Helper()
	var ev Event
	subs := map[string]EventType{"DNS": TypeDNS, "Flow": TypeFlow, "ICMP": TypeICMP, "HTTP": TypeHTTP, "TLS": TypeTLS}
	all := typ == TypeUnknown || typ > TypeTLS
	v := reflect.ValueOf(&ev).Elem()
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		if sub, ok := subs[name]; ok {
			if all || sub == typ {
				fillStruct(t, v.Field(i))
			}
			continue
		}
		fill(t, name, v.Field(i))
	}
	ev.Type = typ
	if ev.DNS.Query == "" {
		ev.DNS.Rcode = RcodeUnknown // a zero DNS part, as Reset leaves it
	}
	return ev
}

// fillStruct sets every field of the struct v to a non-zero value.
func fillStruct(t *testing.T, v reflect.Value) {
	for i := 0; i < v.NumField(); i++ {
		fill(t, v.Type().Field(i).Name, v.Field(i))
	}
}

// fill sets f, the field name, to a non-zero value of its type.
func fill(t *testing.T, name string, f reflect.Value) {
	t.Helper()
	switch f.Interface().(type) {
	case time.Time:
		f.Set(reflect.ValueOf(time.Unix(5, 6)))
		return
	case netip.Addr:
		f.Set(reflect.ValueOf(netip.MustParseAddr("10.0.0.1")))
		return
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString("x")
	case reflect.Bool:
		f.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f.SetInt(3)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		f.SetUint(3)
	case reflect.Float32, reflect.Float64:
		f.SetFloat(1.5)
	case reflect.Slice:
		f.Set(reflect.MakeSlice(f.Type(), 1, 1))
	default:
		t.Fatalf("field %s of type %s: teach fill (and check Reset clears it)", name, f.Type())
	}
}

// TestResetClears checks that Reset leaves an event of every type (and of
// types it does not know, whose sub-structs may all be set) as a zero
// event is after Reset, with its slices' capacity kept.
func TestResetClears(t *testing.T) {
	var want Event
	want.Reset()
	for typ := TypeUnknown; typ <= TypeTLS+1; typ++ {
		ev := filledEvent(t, typ)
		ev.DNS.Answers = append(make([]string, 0, 8), "a")
		ev.Reset()
		if len(ev.DNS.Answers) != 0 || cap(ev.DNS.Answers) != 8 {
			t.Errorf("type %d: answers %v (capacity %d), want emptied with their capacity", typ, ev.DNS.Answers, cap(ev.DNS.Answers))
		}
		ev.DNS.Answers, ev.DNS.TTLs, ev.DNS.Authority = nil, nil, nil
		if !reflect.DeepEqual(ev, want) {
			t.Errorf("type %d: Reset left %+v", typ, ev)
		}
	}
}
