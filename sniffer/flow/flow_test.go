package flow_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/sniffer/decode"
	"github.com/netflightrecorder/nfr/sniffer/flow"
)

var (
	a  = netip.MustParseAddr("10.0.0.1")
	b  = netip.MustParseAddr("10.0.0.2")
	t0 = time.Unix(1700000000, 0)
)

type seg struct {
	fromA bool
	flags uint8
	data  int
}

const (
	S  = decode.FlagSYN
	A  = decode.FlagACK
	F  = decode.FlagFIN
	R  = decode.FlagRST
	SA = S | A
	FA = F | A
	RA = R | A
)

// replay feeds TCP segments between a:40000 and b:80 and returns the
// reports, including those of a final Flush.
func replay(segs []seg) []string {
	var states []string
	tab := flow.New(flow.Config{}, func(f *flow.Flow, _ flow.Reason) {
		states = append(states, f.ConnState()+" "+f.History())
	})
	for i, s := range segs {
		p := &decode.Packet{SrcIP: a, DstIP: b, SrcPort: 40000, DstPort: 80, Proto: decode.ProtoTCP, TCPFlags: s.flags}
		if !s.fromA {
			p.SrcIP, p.DstIP, p.SrcPort, p.DstPort = b, a, 80, 40000
		}
		p.Payload = make([]byte, s.data)
		tab.Packet(t0.Add(time.Duration(i)*time.Millisecond), p)
	}
	tab.Flush()
	return states
}

func TestConnStates(t *testing.T) {
	cases := []struct {
		name string
		segs []seg
		want string
	}{
		{"S0", []seg{{true, S, 0}}, "S0 S"},
		{"S1", []seg{{true, S, 0}, {false, SA, 0}, {true, A, 0}}, "S1 ShA"},
		{"SF", []seg{{true, S, 0}, {false, SA, 0}, {true, A, 5}, {false, A, 9}, {true, FA, 0}, {false, FA, 0}}, "SF ShDdFf"},
		{"REJ", []seg{{true, S, 0}, {false, RA, 0}}, "REJ Sr"},
		{"S2", []seg{{true, S, 0}, {false, SA, 0}, {true, FA, 0}}, "S2 ShF"},
		{"S3", []seg{{true, S, 0}, {false, SA, 0}, {false, FA, 0}}, "S3 Shf"},
		{"RSTO", []seg{{true, S, 0}, {false, SA, 0}, {true, RA, 0}}, "RSTO ShR"},
		{"RSTR", []seg{{true, S, 0}, {false, SA, 0}, {true, A, 3}, {false, RA, 0}}, "RSTR ShDr"},
		{"RSTOS0", []seg{{true, S, 0}, {true, R, 0}}, "RSTOS0 SR"},
		{"RSTRH", []seg{{false, SA, 0}, {false, R, 0}}, "RSTRH hr"},
		{"SH", []seg{{true, S, 0}, {true, F, 0}}, "SH SF"},
		{"SHR", []seg{{false, SA, 0}, {false, FA, 0}}, "SHR hf"},
		{"OTH", []seg{{true, A, 4}, {false, A, 4}}, "OTH Dd"},
	}
	for _, c := range cases {
		got := replay(c.segs)
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: reports %q, want [%q]", c.name, got, c.want)
		}
	}
}

func TestClosedFlowAbsorbsTrailingAcksAndPortReuseStartsANewOne(t *testing.T) {
	got := replay([]seg{{true, S, 0}, {false, SA, 0}, {true, RA, 0}, {false, A, 0}, {true, S, 0}})
	if len(got) != 2 || got[0] != "RSTO ShR" || got[1] != "S0 S" {
		t.Fatalf("reports %q", got)
	}
}

func TestTableIsBounded(t *testing.T) {
	reports := map[flow.Reason]int{}
	tab := flow.New(flow.Config{MaxFlows: 8}, func(_ *flow.Flow, r flow.Reason) { reports[r]++ })
	for i := range 100 {
		p := &decode.Packet{SrcIP: a, DstIP: b, SrcPort: uint16(1024 + i), DstPort: 53, Proto: decode.ProtoUDP}
		tab.Packet(t0, p)
	}
	if tab.Len() != 8 || reports[flow.Evicted] != 92 || tab.Evictions() != 92 {
		t.Fatalf("len %d, reports %v", tab.Len(), reports)
	}
}
