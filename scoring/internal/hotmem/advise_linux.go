package hotmem

import "golang.org/x/sys/unix"

// adviseHugePages asks for huge pages for b (whole huge pages, aligned).
// An error (a kernel without transparent huge pages) leaves small pages.
func adviseHugePages(b []byte) { _ = unix.Madvise(b, unix.MADV_HUGEPAGE) }
