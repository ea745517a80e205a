package pages

import (
	"os"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// Each call maps exactly the whole pages within the range it is given,
// and leaves the memory as it was (zero).
func TestPopulateMapsTheWholePagesOfItsRange(t *testing.T) {
	page := os.Getpagesize()
	for name, populate := range map[string]func([]byte){"Populate": Populate, "PopulateRead": PopulateRead} {
		m, err := unix.Mmap(-1, 0, 16*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
		if err != nil {
			t.Fatal(err)
		}
		populate(m[page+1 : 9*page+1]) // pages 2-8 lie wholly within
		for i := 0; i < 16; i++ {
			r, err := Resident(m[i*page : (i+1)*page])
			if err != nil {
				t.Fatal(err)
			}
			if want := i >= 2 && i <= 8; (r == 1) != want {
				t.Errorf("%s: page %d resident %v, want %v", name, i, r == 1, want)
			}
		}
		for i, b := range m {
			if b != 0 {
				t.Fatalf("%s: byte %d is %d, want 0", name, i, b)
			}
		}
		unix.Munmap(m)
	}
}

// Populate backs a heap buffer the runtime has not touched, the pipeline's
// use. Memory the heap used before is resident already (the runtime
// zeroed it) and shows nothing: the test skips it.
func TestPopulateBacksAFreshHeapBuffer(t *testing.T) {
	b := make([]byte, 8<<20+100)
	if r, err := Resident(b); err != nil || r != 0 {
		t.Skipf("the runtime gave memory it had used before (%.0f%% resident, %v)", 100*r, err)
	}
	Populate(b[1:])
	if r, _ := Resident(b[4096 : 8<<20]); r != 1 {
		t.Errorf("%.0f%% of the populated buffer is resident, want all of it", 100*r)
	}
	runtime.KeepAlive(b)
}
