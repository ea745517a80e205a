package record

import (
	"fmt"
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
	`{"a":1 ,"b":2}`, `{"a":1,}`, `{"a" :1}`, `{"a":}`, `{"a":"x`, `{"a":12`, `{"a":1.2.3}`, `{"a":-}`, `{"a":1}x`, `{}`, `{"a":tru}`,
}

// FuzzPlainMatchesGeneral checks FeedJSON's fast path against the
// general path alone: the same error, or the same event from End.
func FuzzPlainMatchesGeneral(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, general := feedAndEnd(data, true), feedAndEnd(data, false)
		if fast != general {
			t.Fatalf("%q:\nfast    %s\ngeneral %s", data, fast, general)
		}
	})
}

func TestPlainMatchesGeneral(t *testing.T) {
	for _, s := range jsonSeeds {
		fast, general := feedAndEnd([]byte(s), true), feedAndEnd([]byte(s), false)
		if fast != general {
			t.Fatalf("%s:\nfast    %s\ngeneral %s", s, fast, general)
		}
	}
	// The fast path must be taken: a Zeek DNS line reads into an event.
	if got := feedAndEnd([]byte(jsonSeeds[0]), true); got[:3] != "ok " {
		t.Fatalf("seed 0: %s", got)
	}
}

// feedAndEnd feeds data to a new Mapper the fast way or the general way
// and describes the outcome: the error, or the event.
func feedAndEnd(data []byte, plain bool) string {
	m := NewMapper(InputAuto)
	m.Begin(time.Unix(1, 0))
	if err := m.feedJSON(data, plain); err != nil {
		return "feed error: " + err.Error()
	}
	var ev scoring.Event
	if err := m.End(&ev); err != nil {
		return "end error: " + err.Error()
	}
	return fmt.Sprintf("ok %#v", reflect.ValueOf(ev).Interface())
}
