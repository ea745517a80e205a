// Package pages has the kernel map memory a whole range at a time, one
// system call instead of a page fault per page (a fault costs 5-15 µs in a
// paravirtualized VM such as nfr's test machine). The pipeline prefaults
// the heap's headroom with it; the sniffer maps gopacket's zeroed tables.
// It only advises the kernel: no value in memory changes, and where the
// kernel refuses (before Linux 5.14, or another system) the pages fault in
// when first used, as they would have.
package pages
