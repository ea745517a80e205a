package pages

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Populate backs the whole pages within b with memory of their own, ready
// to be written (MADV_POPULATE_WRITE).
func Populate(b []byte) { advise(b, unix.MADV_POPULATE_WRITE) }

// PopulateRead maps the whole pages within b for reading
// (MADV_POPULATE_READ): untouched anonymous memory gets the kernel's
// shared zero page, nothing allocated.
func PopulateRead(b []byte) { advise(b, unix.MADV_POPULATE_READ) }

// advise applies advice to the whole pages within b; a page b covers only
// in part is left alone (it may belong to other data).
func advise(b []byte, advice int) {
	page := uintptr(os.Getpagesize())
	at := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (at+page-1)&^(page-1) - at
	end := (at+uintptr(len(b)))&^(page-1) - at
	if start < end {
		_ = unix.Madvise(b[start:end], advice)
	}
}

// Resident returns the share of the pages b spans that are in memory
// (mincore).
func Resident(b []byte) (float64, error) {
	if len(b) == 0 {
		return 0, nil
	}
	page := uintptr(os.Getpagesize())
	at := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := at &^ (page - 1)
	n := at + uintptr(len(b)) - start
	vec := make([]byte, (n+page-1)/page)
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, start, n, uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		return 0, errno
	}
	in := 0
	for _, v := range vec {
		in += int(v & 1)
	}
	return float64(in) / float64(len(vec)), nil
}
