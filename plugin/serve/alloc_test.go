package serve

import (
	"bytes"
	"testing"

	"github.com/netflightrecorder/nfr/formats/record"
)

// The sidecar's own work on a record allocates nothing: a body of 1,000
// records is read, split into lines, paid for and mapped into recycled
// event chunks with a few allocations a body (chunk bookkeeping), none a
// record. The records are all the same and have no uid, so that the
// mapper does not allocate either (that part is formats/record's: it
// copies each record's uid).
func TestNoAllocationPerRecord(t *testing.T) {
	rec := testRecords(1)
	delete(rec[0], "uid")
	body := bytes.Repeat(ndjson(t, rec), 1000)
	s := &Server{budget: newBudget(1 << 30)}
	rd := bytes.NewReader(body)
	run := func() {
		rd.Reset(body)
		b := s.requestBatcher(record.InputAuto)
		b.br.Reset(rd)
		if err := decodeFrom(b.br, 1<<20, b.addPaid); err != nil {
			t.Fatal(err)
		}
		b.giveCredit()
		q := b.take()
		if q.events.len() != 1000 {
			t.Fatalf("%d events; want 1000", q.events.len())
		}
		s.budget.release(nil, q.charge, false)
		q.events.recycle()
		s.recycle(b)
	}
	run()
	n := testing.AllocsPerRun(20, run)
	t.Logf("%.0f allocations for a body of 1,000 records", n)
	if n > 50 {
		t.Fatalf("%.0f allocations for a body of 1,000 records; want at most 50", n)
	}
	if used := s.budget.inUse(); used != 0 {
		t.Fatalf("%d bytes of budget still held", used)
	}
}
