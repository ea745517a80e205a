package sink

import (
	"strconv"
	"strings"
	"testing"
)

func TestRing(t *testing.T) {
	r := ring{max: 4}
	push := func(from, to int) {
		for i := from; i < to; i++ {
			r.push([]byte(strconv.Itoa(i)), uint64(i))
		}
	}
	want := func(s string) {
		t.Helper()
		if got := strings.Join(r.contents(), ","); got != s {
			t.Errorf("ring %q, want %q", got, s)
		}
	}
	push(0, 3)
	want("0,1,2")
	push(3, 6) // full: the oldest go
	want("2,3,4,5")
	r.dropOldest(3)
	want("5")
	push(6, 9)
	want("5,6,7,8")
	r.dropOldest(1)
	push(9, 10)
	want("6,7,8,9")
	if got := string(r.appendAll(nil)); got != "6789" {
		t.Errorf("appendAll %q", got)
	}
	// growth after a drop keeps the order
	g := ring{max: 10}
	g.push([]byte("a"), 0)
	g.push([]byte("b"), 0)
	g.dropOldest(1)
	g.push([]byte("c"), 0)
	g.push([]byte("d"), 0)
	g.push([]byte("e"), 0)
	if got := strings.Join(g.contents(), ","); got != "b,c,d,e" {
		t.Errorf("grown ring %q", got)
	}
	none := ring{}
	none.push([]byte("x"), 0)
	if none.len() != 0 {
		t.Error("a zero-size ring kept a message")
	}
}

func TestRingByteCap(t *testing.T) {
	r := ring{max: 1000}
	big := make([]byte, maxRingBytes/4+1)
	for i := 0; i < 10; i++ {
		r.push(big, 0)
	}
	if r.len() != 3 || r.bytes != 3*len(big) {
		t.Errorf("%d messages, %d bytes; want 3 under the %d byte cap", r.len(), r.bytes, maxRingBytes)
	}
	for i := range r.items {
		if r.items[i].msg != nil && !(i == r.head || i == (r.head+1)%len(r.items) || i == (r.head+2)%len(r.items)) {
			t.Errorf("slot %d keeps a dropped outsized buffer", i)
		}
	}
}
