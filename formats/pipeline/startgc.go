package pipeline

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// startHeadroom is how far the heap may grow while pipelines are built
// before the collector runs after all (holdCollector).
const startHeadroom = 256 << 20

// building counts the pipelines being built, and keeps the collector's
// settings from before the first of them.
var building struct {
	sync.Mutex
	n           int
	percent     int
	memoryLimit int64
}

// holdCollector keeps the garbage collector from running while a pipeline
// is built, unless the heap grows by startHeadroom (or reaches a lower
// memory limit already set), and returns the function that gives it back
// its settings. Building allocates some 15 MB of tables (the popularity
// table, the DGA model and its known set, the brand index, the name
// caches) that all stay live: the collections the runtime starts on the
// small heap of a new process free next to nothing, and each scans, and
// first touches, the 5 MB of globals gopacket's layers package declares
// (nfr score on an empty log: two collections, about 1,750 page faults
// and 30 ms of its 90). Builds may overlap (tests, a plugin's instances):
// the last to finish restores the settings the first found, over any
// set in between (nfr serve caps its memory after its pipeline is built).
// As it gives them back, it prefaults the heap's headroom (the growth the
// collector allows before its next cycle, headroom), so the first events
// do not fault the heap's new pages in one at a time.
func holdCollector() (release func()) {
	building.Lock()
	defer building.Unlock()
	if building.n == 0 {
		building.memoryLimit = debug.SetMemoryLimit(-1)
		limit := heapInUse() + startHeadroom
		if building.memoryLimit < limit {
			limit = building.memoryLimit
		}
		debug.SetMemoryLimit(limit)
		building.percent = debug.SetGCPercent(-1)
	}
	building.n++
	var once sync.Once
	return func() {
		once.Do(func() {
			building.Lock()
			defer building.Unlock()
			if building.n--; building.n == 0 {
				prefaultHeadroom(headroom(heapObjects(), building.percent, building.memoryLimit))
				debug.SetGCPercent(building.percent)
				debug.SetMemoryLimit(building.memoryLimit)
			}
		})
	}
}

// headroom is how far the collector lets the heap grow past objects bytes
// before its first cycle ends (GOGC percent of them; none when collection
// is off or constant), within startHeadroom and what memoryLimit leaves
// of the memory the runtime holds.
func headroom(objects int64, percent int, memoryLimit int64) int64 {
	if percent <= 0 || objects <= 0 {
		return 0
	}
	h := min(objects, startHeadroom) * int64(min(percent, 1<<20)) / 100 // no overflow
	h = min(h, startHeadroom)
	if held, ok := RuntimeMemory(); ok {
		h = min(h, max(memoryLimit-held, 0))
	}
	return h
}

// heapObjects is the bytes of heap objects, live or not yet collected
// (runtime/metrics' /memory/classes/heap/objects:bytes), 0 when not
// reported.
func heapObjects() int64 {
	v, _ := readBytes("/memory/classes/heap/objects:bytes")
	return v
}

// RuntimeMemory is the memory the Go runtime holds now (runtime/metrics'
// /memory/classes/total:bytes), false when it is not reported. Memory
// limits are set from it: here, and nfr serve's cap (plugin/serve).
func RuntimeMemory() (int64, bool) { return readBytes("/memory/classes/total:bytes") }

// readBytes reads one runtime/metrics byte count, saturated to int64;
// false when the runtime does not report it.
func readBytes(name string) (int64, bool) {
	sample := []metrics.Sample{{Name: name}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	return int64(min(sample[0].Value.Uint64(), math.MaxInt64)), true
}

// heapInUse is RuntimeMemory, 0 when not reported, saturated so that
// adding startHeadroom cannot overflow.
func heapInUse() int64 {
	v, _ := RuntimeMemory()
	return min(v, math.MaxInt64-startHeadroom)
}
