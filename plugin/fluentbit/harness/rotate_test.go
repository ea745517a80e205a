package harness

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// logrotate under the plugin: Fluent Bit owns the signals, so the file
// output notices by itself that its path was moved (a stat at most once a
// second) and reopens it. The moved file and the new one hold, in order,
// exactly the alerts that direct scoring of the same chunks writes: none
// lost, none twice; the chunks flushed a second after the move are all in
// the new file.
func TestPluginFileOutputFollowsRotation(t *testing.T) {
	p, dir := setup(t)
	gen := NewGen(11)
	feed := write(t, filepath.Join(dir, "c2.txt"), []byte(strings.Join(gen.Listed, "\n")+"\n"))
	out := filepath.Join(dir, "alerts.json")
	do(t, p, fmt.Sprintf("init Output=file:%s Format=json Feeds=c2=%s", out, feed), "init 0 rc=1")
	const chunks, moveAt, settledAt = 30, 10, 15
	var files []string
	var all [][]Rec
	for c := 0; c < chunks; c++ {
		data, recs := gen.Chunk(20)
		files = append(files, write(t, filepath.Join(dir, fmt.Sprintf("chunk%d", c)), data))
		all = append(all, recs)
	}
	spec := instanceSpec{props: map[string]string{"Format": "json", "Feeds": "c2=" + feed}, ref: filepath.Join(dir, "ref")}
	total, perChunk := reference(t, spec, all)
	after := 0 // alerts of the chunks flushed once the move must have been seen
	for _, n := range perChunk[settledAt:] {
		after += n
	}
	if total == 0 || after == 0 || total == after {
		t.Fatalf("alerts %d, after the move %d: the test proves nothing", total, after)
	}
	flush := func(from, to int) {
		do(t, p, fmt.Sprintf("flushall 0 1 %s", strings.Join(files[from:to], " ")), fmt.Sprintf("flushall ok=%d retry=0 error=0", to-from))
	}
	flush(0, moveAt)
	if err := os.Rename(out, out+".1"); err != nil {
		t.Fatal(err)
	}
	flush(moveAt, settledAt) // within the second: either file
	time.Sleep(1100 * time.Millisecond)
	flush(settledAt, chunks)
	do(t, p, "exit 0", "exit rc=1")
	moved, cur, want := readFile(t, out+".1"), readFile(t, out), readFile(t, spec.ref)
	if !bytes.Equal(append(append([]byte(nil), moved...), cur...), want) {
		t.Fatalf("moved file (%d bytes) + new file (%d bytes) differ from direct scoring (%d bytes, %d alerts)",
			len(moved), len(cur), len(want), total)
	}
	if n := bytes.Count(cur, []byte("\n")); n < after {
		t.Errorf("the new file holds %d alerts, fewer than the %d flushed after the move was seen", n, after)
	}
	t.Logf("%d alerts: %d lines in the moved file, %d in the new one", total, bytes.Count(moved, []byte("\n")), bytes.Count(cur, []byte("\n")))
}
