package state

import (
	"math/rand"
	"testing"
)

func TestLRUEvictsLeastRecentlyUsed(t *testing.T) {
	var evicted []int
	c := NewLRU[int, int](3, func(k int, _ *int) { evicted = append(evicted, k) })
	for k := 1; k <= 3; k++ {
		v, ins := c.GetOrInsert(k)
		if !ins {
			t.Fatalf("key %d not inserted", k)
		}
		*v = k * 10
	}
	c.Get(1) // 2 is now least recently used
	c.GetOrInsert(4)
	if len(evicted) != 1 || evicted[0] != 2 {
		t.Fatalf("evicted %v, want [2]", evicted)
	}
	if _, ok := c.Peek(2); ok {
		t.Fatal("2 still present")
	}
	if v, ok := c.Peek(1); !ok || *v != 10 {
		t.Fatalf("1 = %v %v", v, ok)
	}
	if c.Len() != 3 || c.Evictions() != 1 {
		t.Fatalf("len %d evictions %d", c.Len(), c.Evictions())
	}
}

func TestLRUDeleteKeepsListConsistent(t *testing.T) {
	c := NewLRU[int, int](64, nil)
	ref := map[int]bool{}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		k := rng.Intn(100)
		switch rng.Intn(3) {
		case 0:
			c.Delete(k)
			delete(ref, k)
		default:
			if _, ins := c.GetOrInsert(k); ins {
				ref[k] = true
			}
		}
		// Every key the cache holds must be reachable by Range exactly once.
		n := 0
		c.Range(func(k int, _ *int) bool { n++; return true })
		if n != c.Len() {
			t.Fatalf("step %d: Range saw %d entries, Len %d", i, n, c.Len())
		}
	}
	if c.Len() > 64 {
		t.Fatalf("len %d over cap", c.Len())
	}
	c.Range(func(k int, _ *int) bool {
		if !ref[k] {
			t.Fatalf("cache holds %d which was deleted or evicted", k)
		}
		return true
	})
}

func TestLRUNoAllocationsOnceFull(t *testing.T) {
	c := NewLRU[uint64, [4]uint64](1024, nil)
	for k := uint64(0); k < 2048; k++ {
		c.GetOrInsert(k)
	}
	k := uint64(5000)
	allocs := testing.AllocsPerRun(1000, func() {
		k++
		v, _ := c.GetOrInsert(k)
		v[0]++
	})
	if allocs != 0 {
		t.Fatalf("allocs per insert = %v, want 0", allocs)
	}
}

func BenchmarkLRUGetOrInsert(b *testing.B) {
	c := NewLRU[uint64, int](1<<16, nil)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, _ := c.GetOrInsert(uint64(i) & (1<<17 - 1))
		*v++
	}
}
