package pipeline

import (
	"math"
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

func TestHeadroomFollowsThePercentAndTheLimit(t *testing.T) {
	held, ok := RuntimeMemory()
	if !ok {
		t.Skip("the runtime does not report the memory it holds")
	}
	unlimited := int64(math.MaxInt64)
	for _, c := range []struct {
		name    string
		objects int64
		percent int
		limit   int64
		want    int64
	}{
		{"GOGC=100", 20 << 20, 100, unlimited, 20 << 20},
		{"GOGC=50", 20 << 20, 50, unlimited, 10 << 20},
		{"GOGC=off", 20 << 20, -1, unlimited, 0},
		{"GOGC=0", 20 << 20, 0, unlimited, 0},
		{"a huge heap", 4 << 30, 100, unlimited, startHeadroom},
		{"a huge percent", 4 << 30, math.MaxInt, unlimited, startHeadroom},
		{"a memory limit", 20 << 20, 100, held + 3<<20, 3 << 20},
		{"a limit already reached", 20 << 20, 100, held / 2, 0},
	} {
		if got := headroom(c.objects, c.percent, c.limit); got != c.want {
			t.Errorf("%s: headroom %d, want %d", c.name, got, c.want)
		}
	}
}
