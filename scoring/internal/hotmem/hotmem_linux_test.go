package hotmem

import (
	"os"
	"runtime"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A table's pages are resident when Table returns (faulted in while the
// engine is built, not at its first lookups); the block's rest is not.
func TestTablesAreResidentAndTheRestIsNot(t *testing.T) {
	s := Table[uint64](blockSize / 8) // a block of its own, all of it the table
	if r := resident(t, unsafe.Pointer(&s[0]), uintptr(len(s))*8); r != 1 {
		t.Errorf("%.0f%% of a new table is resident, want all of it", 100*r)
	}
	small := Table[uint64](MinTable / 8) // the first table of a new block
	next := unsafe.Add(unsafe.Pointer(&small[0]), 4*hugePage)
	if r := resident(t, next, hugePage); r != 0 {
		t.Errorf("%.0f%% of the block past its tables is resident, want none", 100*r)
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(small)
}

// resident returns the share of the pages of the n bytes at p that are in memory.
func resident(t *testing.T, p unsafe.Pointer, n uintptr) float64 {
	page := uintptr(os.Getpagesize())
	start := uintptr(p) &^ (page - 1)
	b := unsafe.Slice((*byte)(unsafe.Add(p, -(uintptr(p)-start))), uintptr(p)+n-start)
	vec := make([]byte, (len(b)+int(page)-1)/int(page))
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	in := 0
	for _, v := range vec {
		in += int(v & 1)
	}
	return float64(in) / float64(len(vec))
}
