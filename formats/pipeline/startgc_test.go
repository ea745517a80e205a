package pipeline

import (
	"runtime/debug"
	"testing"
)

// gcSettings reads the collector's percent and memory limit without
// changing them.
func gcSettings() (percent int, limit int64) {
	percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

func TestHoldCollectorRestoresAfterOverlappingBuilds(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(73))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 40))

	first := holdCollector()
	if p, limit := gcSettings(); p != -1 || limit > heapInUse()+startHeadroom {
		t.Fatalf("while building: GC percent %d, memory limit %d; want -1 and at most %d", p, limit, heapInUse()+startHeadroom)
	}
	second := holdCollector()
	first()
	first() // a second call changes nothing
	if p, _ := gcSettings(); p != -1 {
		t.Fatalf("one build still running: GC percent %d, want -1", p)
	}
	second()
	if p, limit := gcSettings(); p != 73 || limit != 1<<40 {
		t.Fatalf("after the builds: GC percent %d, memory limit %d; want 73 and %d", p, limit, int64(1<<40))
	}
}

func TestHoldCollectorKeepsALowerMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(8 << 20))
	release := holdCollector()
	_, limit := gcSettings()
	release()
	if limit != 8<<20 {
		t.Fatalf("memory limit while building %d, want the lower one already set, %d", limit, 8<<20)
	}
}
