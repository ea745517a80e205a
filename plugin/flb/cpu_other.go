//go:build !linux

package flb

import "time"

// threadCPU reports no CPU time where nfr does not read a thread's.
func threadCPU() (time.Duration, bool) { return 0, false }
