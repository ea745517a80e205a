// Package spool is the sniffer's outbound queue: a few chunks in memory
// and, while the receiver is away, the rest in files in a directory, with
// a cap on their total size beyond which the oldest spooled chunk is
// dropped and counted. Chunks come out in the order they went in, also
// across restarts. It knows nothing of the Forward protocol.
package spool

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Chunk is one unit of output: an opaque message and how many records it holds.
type Chunk struct {
	Seq     uint64
	Records int
	ID      string // the sender's id for the chunk (Forward's chunk option)
	Data    []byte
}

// Stats are the queue's counters.
type Stats struct {
	MemChunks      int
	DiskChunks     int
	DiskBytes      int64
	SpooledChunks  uint64 // chunks ever written to disk
	DroppedChunks  uint64 // chunks dropped beyond the cap
	DroppedRecords uint64
}

type diskEntry struct {
	seq     uint64
	size    int64
	records int
}

// Queue is safe for concurrent use: producers Push, one sender Peeks and Pops.
type Queue struct {
	mu       sync.Mutex
	ready    *sync.Cond
	dir      string
	memCap   int
	maxBytes int64
	mem      []Chunk
	disk     []diskEntry
	next     uint64
	closed   bool
	stats    Stats
}

const magic = "NFRSPOOL1\n"

// Open returns a queue holding up to memChunks chunks in memory and up to
// maxBytes in dir (created if needed; chunks left there by an earlier run
// come out first). With dir "", chunks beyond memChunks drop the oldest.
func Open(dir string, memChunks int, maxBytes int64) (*Queue, error) {
	if memChunks < 1 {
		memChunks = 1
	}
	q := &Queue{dir: dir, memCap: memChunks, maxBytes: maxBytes, next: 1}
	q.ready = sync.NewCond(&q.mu)
	if dir == "" {
		return q, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if err := q.scan(); err != nil {
		return nil, err
	}
	return q, nil
}

// scan loads the entries of chunk files already in the directory.
func (q *Queue) scan() error {
	names, err := filepath.Glob(filepath.Join(q.dir, "*.chunk"))
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	for _, name := range names {
		seq, err := strconv.ParseUint(strings.TrimSuffix(filepath.Base(name), ".chunk"), 10, 64)
		if err != nil {
			continue
		}
		c, err := readChunk(name)
		if err != nil {
			return fmt.Errorf("spool: %s: %w", name, err)
		}
		fi, err := os.Stat(name)
		if err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		q.disk = append(q.disk, diskEntry{seq: seq, size: fi.Size(), records: c.Records})
		q.stats.DiskBytes += fi.Size()
		if seq >= q.next {
			q.next = seq + 1
		}
	}
	sort.Slice(q.disk, func(i, j int) bool { return q.disk[i].seq < q.disk[j].seq })
	return nil
}

func (q *Queue) path(seq uint64) string {
	return filepath.Join(q.dir, fmt.Sprintf("%020d.chunk", seq))
}

// Push queues a chunk. It goes to disk when memory is full or when older
// chunks are already on disk (so that order is kept).
func (q *Queue) Push(records int, id string, data []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	c := Chunk{Seq: q.next, Records: records, ID: id, Data: data}
	q.next++
	defer q.ready.Signal()
	if len(q.disk) == 0 && len(q.mem) < q.memCap {
		q.mem = append(q.mem, c)
		return nil
	}
	if q.dir == "" {
		q.drop(q.mem[0].Records)
		q.mem = append(q.mem[1:], c)
		return nil
	}
	return q.write(c)
}

func (q *Queue) drop(records int) {
	q.stats.DroppedChunks++
	q.stats.DroppedRecords += uint64(records)
}

// write stores c on disk, dropping the oldest files beyond the cap.
func (q *Queue) write(c Chunk) error {
	var buf bytes.Buffer
	buf.WriteString(magic)
	buf.Write(binary.AppendUvarint(nil, uint64(c.Records)))
	buf.Write(binary.AppendUvarint(nil, uint64(len(c.ID))))
	buf.WriteString(c.ID)
	buf.Write(c.Data)
	size := int64(buf.Len())
	if q.maxBytes > 0 && size > q.maxBytes {
		q.drop(c.Records)
		return nil
	}
	for q.maxBytes > 0 && len(q.disk) > 0 && q.stats.DiskBytes+size > q.maxBytes {
		old := q.disk[0]
		os.Remove(q.path(old.seq))
		q.disk = q.disk[1:]
		q.stats.DiskBytes -= old.size
		q.drop(old.records)
	}
	if err := os.WriteFile(q.path(c.Seq), buf.Bytes(), 0o600); err != nil {
		q.drop(c.Records)
		return fmt.Errorf("spool: %w", err)
	}
	q.disk = append(q.disk, diskEntry{seq: c.Seq, size: size, records: c.Records})
	q.stats.DiskBytes += size
	q.stats.SpooledChunks++
	return nil
}

func readChunk(name string) (Chunk, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return Chunk{}, err
	}
	if !bytes.HasPrefix(b, []byte(magic)) {
		return Chunk{}, errors.New("not a spool chunk")
	}
	b = b[len(magic):]
	records, n := binary.Uvarint(b)
	if n <= 0 {
		return Chunk{}, errors.New("bad record count")
	}
	b = b[n:]
	idLen, n := binary.Uvarint(b)
	if n <= 0 || uint64(len(b)-n) < idLen {
		return Chunk{}, errors.New("bad chunk id")
	}
	b = b[n:]
	return Chunk{Records: int(records), ID: string(b[:idLen]), Data: b[idLen:]}, nil
}

// Peek waits for the oldest chunk and returns it without removing it. It
// returns false once the queue is closed.
func (q *Queue) Peek() (Chunk, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		if q.closed {
			return Chunk{}, false
		}
		if len(q.mem) > 0 {
			return q.mem[0], true
		}
		if len(q.disk) > 0 {
			e := q.disk[0]
			c, err := readChunk(q.path(e.seq))
			if err != nil { // unreadable: drop it and go on
				q.removeDisk()
				q.drop(e.records)
				continue
			}
			c.Seq = e.seq
			return c, true
		}
		q.ready.Wait()
	}
}

// Pop removes the chunk seq if it is still the oldest (it may have been
// dropped beyond the cap meanwhile).
func (q *Queue) Pop(seq uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case len(q.mem) > 0 && q.mem[0].Seq == seq:
		q.mem[0] = Chunk{}
		q.mem = q.mem[1:]
	case len(q.mem) == 0 && len(q.disk) > 0 && q.disk[0].seq == seq:
		q.removeDisk()
	}
}

func (q *Queue) removeDisk() {
	e := q.disk[0]
	os.Remove(q.path(e.seq))
	q.disk = q.disk[1:]
	q.stats.DiskBytes -= e.size
}

// Len is the number of chunks queued (memory and disk).
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.mem) + len(q.disk)
}

// Stats returns a snapshot of the counters.
func (q *Queue) Stats() Stats {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := q.stats
	s.MemChunks, s.DiskChunks = len(q.mem), len(q.disk)
	return s
}

// Close wakes the sender and, when the queue has a directory, writes the
// chunks still in memory to it so that the next run sends them first.
func (q *Queue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.ready.Broadcast()
	if q.dir == "" {
		q.stats.DroppedRecords += uint64(sumRecords(q.mem))
		return nil
	}
	var errs []error
	for _, c := range q.mem {
		errs = append(errs, q.write(c))
	}
	q.mem = nil
	return errors.Join(errs...)
}

func sumRecords(cs []Chunk) int {
	n := 0
	for _, c := range cs {
		n += c.Records
	}
	return n
}
