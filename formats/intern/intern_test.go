package intern

import (
	"fmt"
	"testing"
	"unsafe"
)

func TestGetReturnsOneStringPerValue(t *testing.T) {
	var tb Table
	tb.Init()
	buf := []byte("www.example.com")
	a := tb.Get(buf)
	buf[0] = 'x' // Get must not keep the caller's bytes
	b := tb.Get([]byte("www.example.com"))
	if a != "www.example.com" || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Fatalf("got %q and %q (same data: %v)", a, b, unsafe.StringData(a) == unsafe.StringData(b))
	}
	if tb.Get(nil) != "" {
		t.Fatal("empty value")
	}
	long := make([]byte, MaxLen+1)
	if s := tb.Get(long); len(s) != MaxLen+1 {
		t.Fatalf("long value: %d bytes", len(s))
	}
	if n := testing.AllocsPerRun(100, func() { tb.Get([]byte("www.example.com")) }); n != 0 {
		t.Fatalf("%v allocations for a held value", n)
	}
}

func TestBoundedUnderManyValues(t *testing.T) {
	var tb Table
	tb.Init()
	for i := 0; i < 10*Slots; i++ {
		v := fmt.Sprintf("host%d.example", i)
		if got := tb.Get([]byte(v)); got != v {
			t.Fatalf("got %q, want %q", got, v)
		}
	}
	held := 0
	for _, s := range tb.slots {
		if s != "" {
			held++
		}
	}
	if held > Slots {
		t.Fatalf("%d strings held", held)
	}
}

// New values are carved from slabs, an allocation per SlabSize bytes
// rather than per value, and a string stays intact after its slab is full
// and the table has forgotten it.
func TestUniqueValuesShareSlabs(t *testing.T) {
	var tb Table
	tb.Init()
	const n = 5000
	names := make([][]byte, n)
	for i := range names {
		names[i] = fmt.Appendf(nil, "%08x.gone-example.net", i*2654435761)
	}
	got := make([]string, n)
	allocs := testing.AllocsPerRun(1, func() {
		tb.Init()
		for i, b := range names {
			got[i] = tb.Get(b)
		}
	})
	// 25-byte values: about 40 a slab.
	if allocs > n/20 {
		t.Errorf("%v allocations for %d new values, want at most %v", allocs, n, n/20)
	}
	for i := 0; i < 3*Slots; i++ { // replace every slot
		tb.Get(fmt.Appendf(nil, "other%d.example", i))
	}
	for i, b := range names {
		if got[i] != string(b) {
			t.Fatalf("value %d: got %q, want %q", i, got[i], b)
		}
	}
}
