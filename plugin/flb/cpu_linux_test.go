package flb

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/build/benchcpu"
	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
)

// TestFlushCPUIsTheFlushesOwn flushes real chunks while another goroutine
// spins for as long: Stats.FlushCPU must count the flushing thread's time
// only, about half of what the process spends (the spinner the rest),
// whether the machine runs the two side by side or in turns. The exit
// line reports it.
func TestFlushCPUIsTheFlushesOwn(t *testing.T) {
	log := captureLog(t)
	gen := harness.NewGen(9)
	var chunks [][]byte
	for i := 0; i < 60; i++ {
		c, _ := gen.Chunk(500)
		chunks = append(chunks, c)
	}
	in := openInstance(t, "nfr.cpu", MapGetter{"Output": "file:" + filepath.Join(t.TempDir(), "alerts"), "Log_Level": "info"})
	if rc := in.Flush(chunks[0], "warm-up"); rc != OK { // the pipeline's first-use set-up is not what is compared
		t.Fatalf("rc %d", rc)
	}

	var stop atomic.Bool
	spun := make(chan struct{})
	before, flushedBefore := benchcpu.Now(), in.Stats.FlushCPU.Load()
	go func() {
		defer close(spun)
		x := uint64(1)
		for !stop.Load() {
			for i := 0; i < 1000; i++ {
				x = x*6364136223846793005 + 1442695040888963407
			}
		}
		spinResult.Store(x)
	}()
	for i := 0; i < 5*len(chunks); i++ { // about 0.1 CPU-s: the process's clock counts in ticks
		if rc := in.Flush(chunks[i%len(chunks)], "t"); rc != OK {
			t.Fatalf("rc %d", rc)
		}
	}
	stop.Store(true)
	<-spun
	process := benchcpu.Now() - before
	flushed := time.Duration(in.Stats.FlushCPU.Load() - flushedBefore)
	share := flushed.Seconds() / process.Seconds()
	t.Logf("flushes %v of the process's %v (%.2f)", flushed, process, share)
	if share < 0.2 || share > 0.8 {
		t.Errorf("the flushes' CPU is %.2f of the process's (%v of %v), want about half: not the flushing thread's own", share, flushed, process)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	records := in.Stats.Records.Load()
	all := time.Duration(in.Stats.FlushCPU.Load())
	want := fmt.Sprintf("flushes took %.2f CPU-s, %.2f µs a record", all.Seconds(), float64(all.Microseconds())/float64(records))
	if exit := regexp.MustCompile(`exit: .*`).FindString(strings.Join(log.lines(), "\n")); !strings.HasSuffix(exit, want) {
		t.Errorf("exit line %q, want it to end %q", exit, want)
	}
}

// spinResult keeps the spinner's arithmetic from being optimised away.
var spinResult atomic.Uint64
