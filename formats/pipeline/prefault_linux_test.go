package pipeline

import (
	"os"
	"runtime"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// populate backs every whole page of a buffer the runtime has not touched.
// Memory the heap used before is resident already (the runtime zeroed
// it) and shows nothing: the test skips it.
func TestPopulateBacksTheBuffer(t *testing.T) {
	b := make([]byte, 8<<20+100)
	if r := resident(t, b); r != 0 {
		t.Skipf("the runtime gave memory it had used before (%.0f%% resident)", 100*r)
	}
	populate(b[1:])
	if r := resident(t, b[4096:8<<20]); r != 1 {
		t.Errorf("%.0f%% of the populated buffer is resident, want all of it", 100*r)
	}
	runtime.KeepAlive(b)
}

// resident returns the share of the pages b spans that are in memory.
func resident(t *testing.T, b []byte) float64 {
	page := uintptr(os.Getpagesize())
	at := uintptr(unsafe.Pointer(&b[0]))
	start := at &^ (page - 1)
	n := at + uintptr(len(b)) - start
	vec := make([]byte, (n+page-1)/page)
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, start, n, uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	in := 0
	for _, v := range vec {
		in += int(v & 1)
	}
	return float64(in) / float64(len(vec))
}
