package record

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// jsonSeeds are lines of the shapes FeedJSON's fast path reads and of
// every shape it hands to the general path: whitespace, escapes, nesting,
// arrays, literals, numbers of every form, and broken text.
var jsonSeeds = []string{
	`{"ts":1795424400.000000,"uid":"C18eaa0faaf11c183","id.orig_h":"10.1.0.12","id.orig_p":28325,"id.resp_h":"10.1.0.2","id.resp_p":53,"proto":"udp","trans_id":24963,"rtt":0.012,"query":"mail.office.com","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","AA":false,"TC":false,"RD":true,"RA":true,"Z":0,"answers":["93.184.150.1"],"TTLs":[300.0],"rejected":false}`,
	`{"_path":"conn","ts":1.5,"id.orig_h":"10.0.0.1","id.orig_p":0123,"id.resp_h":"10.0.0.2","id.resp_p":-1,"proto":"tcp","duration":1e3,"orig_bytes":18446744073709551615,"resp_bytes":99999999999999999999}`,
	`{ "timestamp" : "2024-01-02T03:04:05.123456+0000", "event_type":"dns", "src_ip":"10.0.0.1","dest_ip":"10.0.0.2", "dns": {"type":"query","rrname":"a\u0062c.example","rrtype":"A"} }`,
	`{"event_type":"dns","src_ip":"10.0.0.1","dns":{"answers":[{"rrname":"x.example","rdata":"1.2.3.4"}],"grouped":{"A":["1.2.3.4","5.6.7.8"]}}}`,
	`{"q\"uery":"a","query":"b\\c","ts":null,"AA":true,"TC":fals,"x":[1,2,[3,{"y":4}]]}`,
	`{"":{"":{"a":1}},"b":"\t","c":"é","d":"\u00e9"}`,
	// Keys that look like the first seed's to a prediction: a longer
	// key, one with a quote or an escape inside, one without its colon.
	`{"ts":1,"uid":"C1","id.orig_h\"":"10.0.0.1","id.orig_p":1,"id.resp_hx":"10.0.0.2","id.resp_p" :53,"proto":"udp","trans_id"}`,
	`{"ts":1,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":53,"proto":"u\u0064p","trans_\u0069d":7,"rtt":0.5,"query":"a\tb"}`,
	// Keys of 14, 15 and 16 bytes, each repeated (PredictsMember reads keys of up to 14).
	`{"key_fifteen_byt":"x","ts":2,"key_sixteen_byte":"y","query":"q.example","key_fifteen_byt":1,"key_fourteen_b":3,"query":"r.example","key_fourteen_b":4,"key_sixteen_byte":5}`,
	// Zeek's epoch text at the edges of the range read exactly (10^9 to
	// 2*10^9 - 1 seconds) and just past them, and longer or other numbers.
	`{"ts":1000000000.000000,"query":"a.example"}`, `{"ts":1999999999.999999,"query":"a.example"}`, `{"ts":2000000000.000001,"query":"a.example"}`, `{"ts":0999999999.999999,"query":"a.example"}`,
	`{"ts":1795424400.1234567,"query":"a.example"}`, `{"ts":1795424400.123456e0,"query":"a.example"}`, `{"ts":1795424400.12345,"query":"a.example"}`, `{"ts":1795424400.123456,"ts":1.5,"query":"a.example"}`,
	// Numbers under keys no dialect reads (rtt, TTLs, trans_id), which the
	// fast path passes over unconverted when they are plain fractions
	// (plainFraction), at the edges of that form and past them.
	`{"ts":1,"query":"a.example","rtt":0.5,"TTLs":[300.0,1.123456789,123456789.5,0.1],"trans_id":7,"Z":0,"AA":true,"RD":false}`,
	`{"ts":1,"query":"a.example","rtt":1234567890.5}`, `{"ts":1,"query":"a.example","rtt":1.1234567890}`, `{"ts":1,"query":"a.example","rtt":00.5}`,
	`{"ts":1,"query":"a.example","rtt":1.}`, `{"ts":1,"query":"a.example","rtt":1.5e3}`, `{"ts":1,"query":"a.example","rtt":1.5e}`, `{"ts":1,"query":"a.example","rtt":-1.5}`,
	`{"ts":1,"query":"a.example","rtt":1.2.3}`, `{"ts":1,"query":"a.example","TTLs":[1.5-]}`, `{"ts":1,"query":"a.example","rtt":0.5x}`, `{"ts":1,"query":"a.example","rtt":1e999}`,
	`{"ts":1,"query":"a.example","AA":tru}`, `{"ts":1,"query":"a.example","trans_id":99999999999999999999}`, `{"ts":1,"query":"a.example","rtt":0.5`,
	`{"a":1 ,"b":2}`, `{"a":1,}`, `{"a" :1}`, `{"a":}`, `{"a":"x`, `{"a":12`, `{"a":1.2.3}`, `{"a":-}`, `{"a":1}x`, `{}`, `{"a":tru}`,
}

// FuzzPlainMatchesGeneral checks FeedJSON's fast path, its keys
// predicted, against the general path alone: the same error, or the same
// event from End, whether the line's keys are new to the predictor or it
// has just read them (feedFast).
func FuzzPlainMatchesGeneral(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		general := feedAndEnd(data, false, nil)
		for i, fast := range feedFast(data) {
			if fast != general {
				t.Fatalf("%q, read %d:\nfast    %s\ngeneral %s", data, i, fast, general)
			}
		}
	})
}

// TestZeekEpochMatchesFloatPath: the fast path reads a Zeek epoch text
// exactly (parseEpoch) where the general path reads a float and rounds it
// to the microsecond (epochFloat); for every second of the range it takes
// (10^9 to 2*10^9 - 1) the two must give the same time. Random seconds
// and fractions, and each fraction next to a whole second.
func TestZeekEpochMatchesFloatPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	keys := new(KeyPredictor) // the fast path resolves keys through one
	for i := 0; i < 10000; i++ {
		sec, us := 1_000_000_000+rng.Int64N(1_000_000_000), rng.Int64N(1_000_000)
		switch i % 4 {
		case 1:
			us = 999_999 - us%8
		case 2:
			us %= 8
		}
		line := []byte(fmt.Sprintf(`{"ts":%d.%06d,"query":"a.example"}`, sec, us)) // a record End takes
		if fast, general := feedAndEnd(line, true, keys), feedAndEnd(line, false, nil); fast != general {
			t.Fatalf("%s:\nfast    %s\ngeneral %s", line, fast, general)
		}
	}
}

// feedFast reads data the fast way twice with one key predictor, which
// has read a Zeek DNS line first (so that a key is predicted right, or
// wrongly with any bytes that differ), and describes both outcomes.
func feedFast(data []byte) []string {
	keys := new(KeyPredictor)
	feedAndEnd([]byte(jsonSeeds[0]), true, keys)
	return []string{feedAndEnd(data, true, keys), feedAndEnd(data, true, keys)}
}

func TestPlainMatchesGeneral(t *testing.T) {
	keys := new(KeyPredictor) // reading each seed after the others
	for round := 0; round < 2; round++ {
		for _, s := range jsonSeeds {
			general := feedAndEnd([]byte(s), false, nil)
			for i, fast := range append(feedFast([]byte(s)), feedAndEnd([]byte(s), true, keys), feedAndEnd([]byte(s), true, nil)) {
				if fast != general {
					t.Fatalf("%s, read %d:\nfast    %s\ngeneral %s", s, i, fast, general)
				}
			}
		}
	}
	// The fast path must be taken: a Zeek DNS line reads into an event.
	if got := feedAndEnd([]byte(jsonSeeds[0]), true, keys); got[:3] != "ok " {
		t.Fatalf("seed 0: %s", got)
	}
}

// feedAndEnd feeds data to a new Mapper the fast way (its keys predicted
// by keys, when not nil) or the general way and describes the outcome:
// the error, or the event.
func feedAndEnd(data []byte, plain bool, keys *KeyPredictor) string {
	m := NewMapper(InputAuto)
	m.Begin(time.Unix(1, 0))
	if err := m.feedJSON(data, plain, keys); err != nil {
		return "feed error: " + err.Error()
	}
	var ev scoring.Event
	if err := m.End(&ev); err != nil {
		return "end error: " + err.Error()
	}
	return fmt.Sprintf("ok %#v", reflect.ValueOf(ev).Interface())
}

// TestPlainEndMatchesByteScan checks plainEnd's word at a time against a
// byte at a time: every byte value at every offset of texts of 0 to 24
// bytes made of bytes next to the special ones (0x20, 0x21, 0x23, 0x5b,
// 0x5d, 0x7f, 0x80, 0xff), read from every start, and with a second
// special byte after the first (so that a wrong bit above the first hit
// would show).
func TestPlainEndMatchesByteScan(t *testing.T) {
	fillers := []byte{0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xff, 'a'}
	byteScan := func(data []byte, i int) int {
		for i < len(data) && !strSpecial[data[i]] {
			i++
		}
		return i
	}
	for n := 0; n <= 24; n++ {
		for _, fill := range fillers {
			data := make([]byte, n)
			for at := -1; at < n; at++ {
				for c := 0; c < 256; c++ {
					for i := range data {
						data[i] = fill
					}
					if at >= 0 {
						data[at] = byte(c)
						if at+2 < n {
							data[at+2] = '"'
						}
					}
					for start := 0; start <= n; start++ {
						if got, want := plainEnd(data, start), byteScan(data, start); got != want {
							t.Fatalf("plainEnd(%q, %d) = %d, want %d", data, start, got, want)
						}
					}
					if at < 0 {
						break
					}
				}
			}
		}
	}
}
