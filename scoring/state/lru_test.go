package state

import (
	"fmt"
	"math/rand"
	"net/netip"
	"runtime"
	"slices"
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

// TestLRUIndexUnderCollisions runs random inserts, lookups and deletes
// with hashes that collide heavily (a constant, and only 8 distinct
// values) and with the default hash, against a reference model of LRU
// order (checkAgainstModel).
func TestLRUIndexUnderCollisions(t *testing.T) {
	hashes := map[string]func(int) uint64{
		"constant": func(int) uint64 { return 7 },
		"8 values": func(k int) uint64 { return uint64(k % 8) },
		"maphash":  nil,
	}
	for name, h := range hashes {
		var c *LRU[int, int]
		if h == nil {
			c = NewLRU[int, int](50, nil)
		} else {
			c = NewLRUHash[int, int](50, h, nil)
		}
		checkAgainstModel(t, name, c, 50, 120, 30000, true)
	}
}

// TestLRUGrowsAsModel checks LRUs that grow from their initial room to
// capacities that are and are not powers of two, keys arriving slowly
// (mostly lookups of held keys) so that growth happens between evictions
// and deletions, against the model; they end with room for their
// capacity, having evicted.
func TestLRUGrowsAsModel(t *testing.T) {
	for _, capacity := range []int{1, 17, 1000, 1024} {
		c := NewLRU[int, int](capacity, nil)
		if capacity > initialNodes && cap(c.nodes) >= capacity {
			t.Fatalf("capacity %d: a new LRU has room for %d nodes already", capacity, cap(c.nodes))
		}
		checkAgainstModel(t, fmt.Sprint("capacity ", capacity), c, capacity, 3*capacity, 20*capacity, false)
		if c.Evictions() == 0 || c.Cap() != capacity || cap(c.nodes) != capacity {
			t.Fatalf("capacity %d: evictions %d, Cap %d, room %d", capacity, c.Evictions(), c.Cap(), cap(c.nodes))
		}
	}
}

// TestLRUStartsSmall: a new LRU of a large capacity takes little memory.
func TestLRUStartsSmall(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c := NewLRU[netip.Addr, [64]uint64](1<<20, nil) // 560 MiB when full
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
		t.Fatalf("NewLRU of capacity 1<<20 allocated %d bytes", grew)
	}
	if c.Cap() != 1<<20 {
		t.Fatalf("Cap %d", c.Cap())
	}
}

// checkAgainstModel runs random steps over keys 0..keys-1 on c (of the
// given capacity) and on a reference model of LRU order: every key the
// model holds is found with its value, no other is, evictions take the
// model's least recently used key, and Range visits exactly the keys
// held (checked every step when fullRange, else every 97th).
func checkAgainstModel(t *testing.T, name string, c *LRU[int, int], capacity, keys, steps int, fullRange bool) {
	t.Helper()
	var order []int // least recently used first
	vals := map[int]int{}
	rng := rand.New(rand.NewSource(2))
	for step := 0; step < steps; step++ {
		k := rng.Intn(keys)
		if len(order) > 0 && rng.Intn(4) == 0 {
			k = order[rng.Intn(len(order))] // a held key
		}
		switch rng.Intn(4) {
		case 0:
			c.Delete(k)
			delete(vals, k)
			order = slices.DeleteFunc(order, func(o int) bool { return o == k })
		default:
			v, ins := c.GetOrInsert(k)
			if _, had := vals[k]; had == ins {
				t.Fatalf("%s step %d: key %d inserted=%v, model had it: %v", name, step, k, ins, had)
			}
			if ins && len(order) == capacity {
				delete(vals, order[0])
				order = order[1:]
			}
			*v = step
			vals[k] = step
			order = append(slices.DeleteFunc(order, func(o int) bool { return o == k }), k)
		}
		if c.Len() != len(vals) {
			t.Fatalf("%s step %d: Len %d, model %d", name, step, c.Len(), len(vals))
		}
		if !fullRange && step%97 != 0 {
			continue
		}
		// Range visits every held key once, and only keys the model
		// holds, from the most recently used.
		var seen []int
		c.Range(func(k int, _ *int) bool {
			seen = append(seen, k)
			return true
		})
		want := slices.Clone(order)
		slices.Reverse(want)
		if !slices.Equal(seen, want) {
			t.Fatalf("%s step %d: Range gave %v, model %v", name, step, seen, want)
		}
	}
	for k := 0; k < keys; k++ {
		v, ok := c.Peek(k)
		if want, had := vals[k]; ok != had || ok && *v != want {
			t.Fatalf("%s: Peek(%d) = %v %v, model %d %v", name, k, v, ok, want, had)
		}
	}
}

func TestHashAddrSeparatesForms(t *testing.T) {
	v4 := netip.MustParseAddr("10.1.2.3")
	if HashAddr(v4) == HashAddr(netip.AddrFrom16(v4.As16())) {
		t.Error("an IPv4 address and its IPv4-mapped form hash equal")
	}
	if HashAddr(v4) != HashAddr(netip.MustParseAddr("10.1.2.3")) || HashAddr(v4) == HashAddr(netip.MustParseAddr("10.1.2.4")) {
		t.Error("HashAddr is not a function of the address")
	}
}

// BenchmarkLRUHit looks up keys that are held, in an order that moves
// each to the front (as detectors' per-source state is found).
func BenchmarkLRUHit(b *testing.B) {
	c := NewLRUHash[uint64, int](1024, func(k uint64) uint64 { return Mix(k, 0) }, nil)
	for k := uint64(0); k < 512; k++ {
		c.GetOrInsert(k)
	}
	for n := 0; b.Loop(); n++ {
		v, _ := c.GetOrInsert(uint64(n*7) & 511)
		*v++
	}
}

// TestLRUGetOrInsertHashed: given the key's hash, GetOrInsertHashed finds
// and inserts the entries GetOrInsert does, evictions included.
func TestLRUGetOrInsertHashed(t *testing.T) {
	c := NewLRUHash[netip.Addr, int](64, HashAddr, nil)
	for i := 0; i < 1000; i++ {
		a := netip.AddrFrom4([4]byte{10, 0, byte(i % 3), byte(i * 7 % 101)})
		var v *int
		var inserted bool
		if i%2 == 0 {
			v, inserted = c.GetOrInsertHashed(a, HashAddr(a))
		} else {
			v, inserted = c.GetOrInsert(a)
		}
		if inserted != (*v == 0) {
			t.Fatalf("lookup %d of %v: inserted %v with value %d", i, a, inserted, *v)
		}
		*v = i + 1
		if p, ok := c.Peek(a); !ok || p != v {
			t.Fatalf("lookup %d: %v is not held where GetOrInsertHashed put it", i, a)
		}
	}
	if c.Len() != 64 || c.Evictions() == 0 {
		t.Fatalf("%d entries, %d evictions: the LRU never filled", c.Len(), c.Evictions())
	}
}
