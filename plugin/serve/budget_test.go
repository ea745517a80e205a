package serve

import (
	"errors"
	"testing"
)

// The budget's admission rule: within the limit anyone is admitted; past
// it only the oldest growing charge, and only while everything else stays
// within the limit; no charge alone may exceed the limit. So the bytes in
// use never exceed twice the limit, and the oldest request always gets on.
func TestBudgetAdmission(t *testing.T) {
	b := newBudget(100)
	a, c, d := &charge{b: b}, &charge{b: b}, &charge{b: b}
	steps := []struct {
		who  *charge
		n    int64
		want error
	}{
		{a, 60, nil},          // a is the oldest growing charge
		{c, 30, nil},          // fits: 90
		{c, 20, errBudget},    // 110 > 100 and c is not the oldest
		{a, 40, nil},          // the oldest goes past: 130, others hold 30
		{a, 1, errOverBudget}, // but never past the limit alone
	}
	for i, s := range steps {
		if err := s.who.tryTake(s.n); !errors.Is(err, s.want) {
			t.Fatalf("step %d: %v, want %v", i, err, s.want)
		}
	}
	queuedA := a.detach() // a's 100 bytes wait in the queue; c is now the oldest
	if err := c.tryTake(70); err != nil {
		t.Fatalf("the oldest refused while the others held %d: %v", b.inUse()-c.n, err)
	}
	queuedC := c.detach() // 200 queued: twice the limit
	if err := d.tryTake(1); !errors.Is(err, errBudget) {
		t.Fatalf("d admitted while the others held %d: %v", b.inUse(), err)
	}
	b.release(nil, queuedA, false) // scored
	if err := d.tryTake(1); err != nil {
		t.Fatalf("the oldest refused while the others held %d: %v", b.inUse()-d.n, err)
	}
	b.release(nil, queuedC, false)
	if err := c.tryTake(1); err != nil || b.inUse() != 2 {
		t.Fatalf("a newcomer refused within the limit (%v); in use %d", err, b.inUse())
	}
	d.drop()
	c.drop()
	if b.inUse() != 0 || len(b.growing) != 0 {
		t.Fatalf("after drop: %d in use, %d growing", b.inUse(), len(b.growing))
	}
}
