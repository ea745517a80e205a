//go:build !linux

package hotmem

// adviseHugePages does nothing where nfr does not ask for huge pages.
func adviseHugePages([]byte) {}
