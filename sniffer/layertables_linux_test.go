package sniffer

import (
	"os"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// populateRead maps every whole page of the range it is given and no
// other, and leaves the memory as it was (zero).
func TestPopulateReadMapsItsRange(t *testing.T) {
	page := os.Getpagesize()
	m, err := unix.Mmap(-1, 0, 16*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	populateRead(unsafe.Pointer(&m[page+1]), uintptr(8*page))
	vec := make([]byte, 16)
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	for i, v := range vec {
		// Pages 2-8 lie wholly within [page+1, 9*page+1).
		if want := i >= 2 && i <= 8; (v&1 == 1) != want {
			t.Errorf("page %d: resident %v, want %v", i, v&1 == 1, want)
		}
	}
	for i, b := range m {
		if b != 0 {
			t.Fatalf("byte %d is %d after populateRead, want 0", i, b)
		}
	}
}
