package hotmem

import (
	"runtime"
	"testing"
	"unsafe"

	"github.com/netflightrecorder/nfr/formats/pages"
)

// A table's pages are resident when Table returns (faulted in while the
// engine is built, not at its first lookups).
func TestTablesAreResident(t *testing.T) {
	s := Table[uint64](blockSize / 8) // a block of its own, all of it the table
	if r := resident(t, unsafe.Pointer(&s[0]), uintptr(len(s))*8); r != 1 {
		t.Errorf("%.0f%% of a new table is resident, want all of it", 100*r)
	}
	runtime.KeepAlive(s)
}

// faultIn touches the pages of the range it is given and no others, so
// the part of a block no table takes is never resident. Memory the heap
// used before is resident already (the runtime zeroed it), and shows
// nothing: the test skips it.
func TestFaultInTouchesOnlyItsRange(t *testing.T) {
	b := newBlock(blockSize)
	p := unsafe.Pointer(&b[0])
	if r := resident(t, p, blockSize); r != 0 {
		t.Skipf("the runtime gave memory it had used before (%.0f%% resident)", 100*r)
	}
	faultIn(p, 3*hugePage+1)
	if r := resident(t, p, 3*hugePage+1); r != 1 {
		t.Errorf("%.0f%% of the range faulted in is resident, want all of it", 100*r)
	}
	if r := resident(t, unsafe.Add(p, 4*hugePage), blockSize-4*hugePage); r != 0 {
		t.Errorf("%.0f%% of the block past the range is resident, want none", 100*r)
	}
	runtime.KeepAlive(b)
}

// resident returns the share of the pages of the n bytes at p that are in memory.
func resident(t *testing.T, p unsafe.Pointer, n uintptr) float64 {
	r, err := pages.Resident(unsafe.Slice((*byte)(p), n))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
