package sniffer

import (
	"unsafe"

	"github.com/gopacket/gopacket/layers"

	"github.com/netflightrecorder/nfr/formats/pages"
)

// Linking libpcap's binding links gopacket's layers package, whose two
// metadata tables of 65,536 entries (EthernetTypeMetadata, PPPTypeMetadata:
// 5 MiB of pointers, nearly all of them nil) sit in the binary's zeroed
// data. The garbage collector reads all of them on every cycle, and its
// first cycle faults them in a page at a time: 1,280 of the 3,200 page
// faults of `nfr score` on an empty log, some 9 ms of its 60 in this VM.
// Mapping them in one call costs about 1.4 ms (pages.PopulateRead: their
// pages stay the kernel's shared zero page, nothing is allocated).
func init() {
	pages.PopulateRead(unsafe.Slice((*byte)(unsafe.Pointer(&layers.EthernetTypeMetadata)), unsafe.Sizeof(layers.EthernetTypeMetadata)))
	pages.PopulateRead(unsafe.Slice((*byte)(unsafe.Pointer(&layers.PPPTypeMetadata)), unsafe.Sizeof(layers.PPPTypeMetadata)))
}
