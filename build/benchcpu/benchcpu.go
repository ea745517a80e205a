// Package benchcpu gives benchmarks the process's CPU time (user plus
// system), which other load on the machine inflates less than wall time,
// so they can report per-op or per-second rates of it. For benchmarks
// only: it reads the process's own usage and nothing else.
package benchcpu

import (
	"syscall"
	"testing"
	"time"
)

// Now is the CPU time the process has used so far (0 if unknown).
func Now() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ReportPerOp reports the CPU time since start per op, as cpu-ns/op.
func ReportPerOp(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(Now()-start)/float64(b.N), "cpu-ns/op")
}
