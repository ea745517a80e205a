package flb

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/chunk/chunktest"
	"github.com/netflightrecorder/nfr/formats/msdns"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
	"github.com/netflightrecorder/nfr/scoring"
)

// eventPipeline records every event it scores.
type eventPipeline struct {
	mu     sync.Mutex
	events []string
}

func (p *eventPipeline) Score(ev *scoring.Event, emit func(*scoring.Alert)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, describeEvent(ev))
}

func (p *eventPipeline) NewBatch(alerts []*scoring.Alert) Batch { return &fakeBatch{alerts: alerts} }
func (p *eventPipeline) Deliver(Batch) error                    { return nil }
func (p *eventPipeline) Close() error                           { return nil }

func describeEvent(ev *scoring.Event) string {
	d := ev.DNS
	return fmt.Sprintf("%s %s>%s %s %s resp=%v rcode=%d rtt=%v aa=%v ra=%v xid=%d",
		ev.Time.Format(time.RFC3339), ev.SrcIP, ev.DstIP, ev.Origin, d.Query, d.Response, d.Rcode, d.RTT, d.AA, d.RA, d.TransID)
}

// msdnsLog writes a debug log in which clients query, the server answers
// (NOERROR and NXDOMAIN), forwards some queries upstream and gets their
// answers, and one query never gets a response.
func msdnsLog() []string {
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var out []string
	line := func(t time.Time, dir, remote string, xid int, resp bool, flags, rcode, qtype, name string) {
		qr := " "
		if resp {
			qr = "R"
		}
		labels := ""
		for _, l := range strings.Split(name, ".") {
			labels += fmt.Sprintf("(%d)%s", len(l), l)
		}
		out = append(out, fmt.Sprintf("%s 0E70 PACKET  00000000033397A0 UDP %s %-15s %04x %s Q [%s %8s] %-5s %s(0)",
			t.Format("1/2/2006 3:04:05 PM"), dir, remote, xid, qr, flags, rcode, qtype, labels))
	}
	for i := 0; i < 60; i++ {
		t := base.Add(time.Duration(i) * 1500 * time.Millisecond)
		client := fmt.Sprintf("10.20.0.%d", 10+i%7)
		name := fmt.Sprintf("host%d.example.com", i%9)
		rcode, flags := "NOERROR", "8081   DR"
		if i%5 == 0 {
			name, rcode, flags = fmt.Sprintf("gone%d.invalid-example.net", i%3), "NXDOMAIN", "8381   DR"
		}
		line(t, "Rcv", client, 0x100+i, false, "0001   D ", "NOERROR", "A", name)
		if i%4 == 1 { // forwarded upstream, answered there
			line(t, "Snd", "8.8.8.8", 0x900+i, false, "0001   D ", "NOERROR", "A", name)
			line(t.Add(time.Second), "Rcv", "8.8.8.8", 0x900+i, true, flags, rcode, "A", name)
		}
		if i == 33 {
			continue // never answered
		}
		line(t.Add(2*time.Second), "Snd", client, 0x100+i, true, flags, rcode, "A", name)
	}
	return out
}

// parserRecords applies examples/fluent-bit/parsers.conf's msdns parser
// to lines as Fluent Bit's tail does.
func parserRecords(t *testing.T, lines []string) []chunktest.Record {
	t.Helper()
	parsers, err := harness.LoadParsers("../../examples/fluent-bit/parsers.conf")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := parsers["msdns"]
	if !ok {
		t.Fatal("no msdns parser in parsers.conf")
	}
	var recs []chunktest.Record
	for _, l := range lines {
		r := p.Record(l)
		if r[0].Key == "log" {
			t.Fatalf("parser does not match %q", l)
		}
		recs = append(recs, r)
	}
	return recs
}

// TestMSDNSJoinedAsNfrScoreJoinsThem: MS DNS records from Fluent Bit's
// msdns parser, in chunks that split queries from their responses, reach
// scoring as the same events `nfr score` makes of the log (queries joined
// to their responses), the unanswered query included once the plugin
// exits.
func TestMSDNSJoinedAsNfrScoreJoinsThem(t *testing.T) {
	lines := msdnsLog()
	var want []string
	r := msdns.NewReader(strings.NewReader(strings.Join(lines, "\n")+"\n"), "dns.log", msdns.Options{})
	for {
		var ev scoring.Event
		err := r.Next(&ev)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, describeEvent(&ev))
	}
	p := &eventPipeline{}
	deps := Deps{
		OpenPipeline: func(Settings, *Logger) (Pipeline, error) { return p, nil },
		NewMapper:    func(in record.Input) Mapper { return record.NewMapper(in) },
	}
	in, err := Open("nfr.0", Settings{LogLevel: LevelError}, deps)
	if err != nil {
		t.Fatal(err)
	}
	recs := parserRecords(t, lines)
	for start := 0; start < len(recs); start += 7 { // 7 records a chunk: pairs are split
		var data []byte
		for i, rec := range recs[start:min(start+7, len(recs))] {
			data = chunktest.Append(data, chunktest.Event{Time: time.Unix(1732600000, 0), Record: rec,
				Layout: chunktest.Layouts[i%4], TimeEnc: chunktest.TimeEncs[i%4]})
		}
		if rc := in.Flush(data, "msdns"); rc != OK {
			t.Fatalf("flush: %d", rc)
		}
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	joined := 0
	for _, e := range want {
		if strings.Contains(e, "resp=true") && !strings.Contains(e, "rtt=0s") {
			joined++
		}
	}
	if joined < 40 {
		t.Fatalf("only %d joined events in %d: the fixture does not exercise the join", joined, len(want))
	}
	if !reflect.DeepEqual(p.events, want) {
		t.Fatalf("plugin scored %d events, nfr score's decoder makes %d:\n got %q\nwant %q", len(p.events), len(want), p.events, want)
	}
}
