package sniffer

import (
	"os"
	"unsafe"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"
)

// Linking libpcap's binding links gopacket's layers package, whose two
// metadata tables of 65,536 entries (EthernetTypeMetadata, PPPTypeMetadata:
// 5 MiB of pointers, nearly all of them nil) sit in the binary's zeroed
// data. The garbage collector reads all of them on every cycle, and its
// first cycle faults them in a page at a time: 1,280 of the 3,200 page
// faults of `nfr score` on an empty log, some 9 ms of its 60 in this VM.
// Mapping them in one call costs about 1.4 ms (their pages stay the
// kernel's shared zero page: nothing is allocated).
func init() {
	populateRead(unsafe.Pointer(&layers.EthernetTypeMetadata), unsafe.Sizeof(layers.EthernetTypeMetadata))
	populateRead(unsafe.Pointer(&layers.PPPTypeMetadata), unsafe.Sizeof(layers.PPPTypeMetadata))
}

// populateRead maps the whole pages within the n bytes at p for reading
// (MADV_POPULATE_READ, Linux 5.14; older kernels refuse it, and the pages
// fault in when read as before).
func populateRead(p unsafe.Pointer, n uintptr) {
	page := uintptr(os.Getpagesize())
	start := (uintptr(p) + page - 1) &^ (page - 1)
	end := (uintptr(p) + n) &^ (page - 1)
	if start < end {
		_ = unix.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start), unix.MADV_POPULATE_READ)
	}
}
