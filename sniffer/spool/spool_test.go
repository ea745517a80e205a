package spool_test

import (
	"fmt"
	"testing"

	"github.com/netflightrecorder/nfr/sniffer/spool"
)

func TestOrderAcrossMemoryDiskAndRestart(t *testing.T) {
	dir := t.TempDir()
	q, err := spool.Open(dir, 2, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := q.Push(1, fmt.Sprint(i), []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if st := q.Stats(); st.MemChunks != 2 || st.DiskChunks != 3 {
		t.Fatalf("stats %+v", st)
	}
	c, _ := q.Peek()
	q.Pop(c.Seq) // 0 delivered
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	q, err = spool.Open(dir, 2, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	q.Push(1, "5", []byte{5})
	for want := 1; want <= 5; want++ {
		c, ok := q.Peek()
		if !ok || c.ID != fmt.Sprint(want) || c.Data[0] != byte(want) {
			t.Fatalf("got %+v, want chunk %d", c, want)
		}
		q.Pop(c.Seq)
	}
	if q.Len() != 0 {
		t.Fatalf("%d chunks left", q.Len())
	}
}

func TestCapDropsTheOldestAndCounts(t *testing.T) {
	q, err := spool.Open(t.TempDir(), 1, 200)
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 50) // about 65 bytes per file with the header
	for i := range 6 {
		q.Push(10, fmt.Sprint(i), data)
	}
	st := q.Stats()
	if st.DiskBytes > 200 || st.DroppedChunks == 0 || st.DroppedRecords != 10*st.DroppedChunks {
		t.Fatalf("stats %+v", st)
	}
	var ids []string
	for q.Len() > 0 {
		c, _ := q.Peek()
		ids = append(ids, c.ID)
		q.Pop(c.Seq)
	}
	// Chunk 0 stays in memory; the oldest spooled ones went first.
	if want := fmt.Sprint([]string{"0", "3", "4", "5"}); fmt.Sprint(ids) != want {
		t.Fatalf("left %v, want %v", ids, want)
	}
}
