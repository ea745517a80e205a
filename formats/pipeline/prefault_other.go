//go:build !linux

package pipeline

// prefaultHeadroom does nothing where Linux's MADV_POPULATE_WRITE is not.
func prefaultHeadroom(int64) {}
