package dialects_test

import (
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// probeValues are values of every kind, and text that converts to numbers,
// booleans, protocols, times and names, for setters to write.
var probeValues = []string{"1", "0", "T", "F", "true", "tcp", "icmp", "A", "NOERROR", "example.com",
	"2024-01-01T00:00:00Z", "1.5", "8.8.8.8", "query", "response", "failed", "S0", "ShADad", "x"}

// TestSettersWriteTheirGroups checks, for every field of every dialect and
// probe value, that the sub-structs of the event its setter writes are
// those its groups name, but for TLS.Version: Mapper.seal clears only
// those (besides what a dialect's Finish hook may write).
func TestSettersWriteTheirGroups(t *testing.T) {
	var vals []record.Value
	for _, s := range probeValues {
		vals = append(vals, record.String([]byte(s)))
	}
	vals = append(vals, record.Int(1), record.Int(-1), record.Uint(3), record.Float(1.5), record.Bool(true), record.Bool(false))
	zero := scoring.Event{}
	zero.Reset()
	for _, d := range record.Dialects() {
		for _, f := range d.Fields {
			for _, k := range f.Keys {
				key := k
				if f.Prefix {
					key += "A"
				}
				for _, v := range vals {
					for _, in := range []record.Input{record.InputAuto, d.Input()} {
						m := record.NewMapper(in)
						m.Begin(time.Unix(1, 0))
						v := v
						m.Field([]byte(key), &v)
						e := m.Event()
						check := func(name string, g record.Group, dirty bool) {
							if dirty && f.Group&g == 0 {
								t.Errorf("dialect %s key %q value %+v writes %s outside its groups %b", d.Name, key, v, name, f.Group)
							}
						}
						check("DNS", record.GroupDNS, !sameDNS(&e.DNS, &zero.DNS))
						check("Flow", record.GroupFlow, e.Flow != zero.Flow)
						check("ICMP", record.GroupICMP, e.ICMP != zero.ICMP)
						check("HTTP", record.GroupHTTP, e.HTTP != zero.HTTP)
						tls := e.TLS
						tls.Version = "" // the groupless "version" writes it: seal tests it
						check("TLS", record.GroupTLS, tls != zero.TLS)
					}
				}
			}
		}
	}
}

func sameDNS(a, b *scoring.DNS) bool {
	type fixed struct {
		q                         string
		qt, qc                    uint16
		rc                        int16
		id                        uint16
		resp, aa, tc, rd, ra      bool
		rtt                       time.Duration
		answers, ttls, auth, size int
	}
	f := func(d *scoring.DNS) fixed {
		return fixed{d.Query, d.QType, d.QClass, d.Rcode, d.TransID, d.Response, d.AA, d.TC, d.RD, d.RA, d.RTT,
			len(d.Answers), len(d.TTLs), len(d.Authority), d.AnswerSize}
	}
	return f(a) == f(b)
}
