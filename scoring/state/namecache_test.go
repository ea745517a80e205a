package state

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"

	"github.com/netflightrecorder/nfr/scoring"
)

func TestNameCacheGetPut(t *testing.T) {
	c := NewNameCache[int](8)
	if _, ok := c.Get("a.example"); ok {
		t.Fatal("empty cache hit")
	}
	c.Put("a.example", 1)
	c.Put("b.example", 2)
	if v, ok := c.Get("a.example"); !ok || v != 1 {
		t.Fatalf("Get(a) = %d %v, want 1 true", v, ok)
	}
	if v, ok := c.Get("b.example"); !ok || v != 2 {
		t.Fatalf("Get(b) = %d %v, want 2 true", v, ok)
	}
	long := strings.Repeat("x", NameKeyMax+1)
	c.Put(long, 3)
	if _, ok := c.Get(long); ok {
		t.Fatal("a key over NameKeyMax was cached")
	}
	if c.Len() != 2 || c.Cap() != 8 {
		t.Fatalf("Len %d Cap %d, want 2 8", c.Len(), c.Cap())
	}
}

// TestNameCacheRefInsert updates values in place: a change through the
// pointer Insert or Ref returns is what the next lookup sees.
func TestNameCacheRefInsert(t *testing.T) {
	c := NewNameCache[int](8)
	if c.Ref("a.example") != nil {
		t.Fatal("Ref hit on an empty cache")
	}
	p := c.Insert("a.example", 1)
	*p = 5
	if v, ok := c.Get("a.example"); !ok || v != 5 {
		t.Fatalf("Get after Insert update = %d %v, want 5 true", v, ok)
	}
	*c.Ref("a.example") = 7
	if v, _ := c.Get("a.example"); v != 7 {
		t.Fatalf("Get after Ref update = %d, want 7", v)
	}
	if c.Insert(strings.Repeat("x", NameKeyMax+1), 1) != nil {
		t.Fatal("Insert of an uncacheable key returned a slot")
	}
}

// TestNameCacheBounded fills far past capacity: entries never exceed the
// slots, every fill past them is an eviction, and whatever is still cached
// holds its own value.
func TestNameCacheBounded(t *testing.T) {
	c := NewNameCache[int](64)
	const n = 10_000
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("name%d.example", i)
		if _, ok := c.Get(k); !ok {
			c.Put(k, i)
		}
	}
	if c.Len() != c.Cap() || c.Cap() != 64 {
		t.Fatalf("Len %d Cap %d, want 64 64", c.Len(), c.Cap())
	}
	if c.Evictions() != n-64 {
		t.Fatalf("evictions %d, want %d", c.Evictions(), n-64)
	}
	hits := 0
	for i := 0; i < n; i++ {
		if v, ok := c.Get(fmt.Sprintf("name%d.example", i)); ok {
			hits++
			if v != i {
				t.Fatalf("name%d cached as %d", i, v)
			}
		}
	}
	if hits != 64 {
		t.Fatalf("%d keys cached, want 64", hits)
	}
	c.Reset()
	if c.Len() != 0 {
		t.Fatal("Reset left entries")
	}
}

func TestNameCacheNil(t *testing.T) {
	var c *NameCache[int] = NewNameCache[int](0)
	c.Put("a", 1)
	if _, ok := c.Get("a"); ok || c.Len() != 0 || c.Cap() != 0 {
		t.Fatal("nil cache stored something")
	}
}

// TestNameCacheTagsMissNothing: with the tag array in front of the slots,
// every lookup of a long random run hits exactly when a plain two-way
// table (compare every slot's key) holds the key, and with its value.
func TestNameCacheTagsMissNothing(t *testing.T) {
	c := NewNameCache[int](64)
	type slot struct {
		key string
		val int
	}
	plain := make([][2]slot, 32)
	older := make([]int, 32)
	hits := 0
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50_000; i++ {
		k := fmt.Sprintf("n%d.example", rng.IntN(120))
		s := scoring.HashString(k) & 31
		want := -1
		for j, sl := range plain[s] {
			if sl.key == k {
				want, older[s] = sl.val, 1-j
			}
		}
		got, ok := c.Get(k)
		if ok != (want >= 0) || ok && got != want {
			t.Fatalf("lookup %d of %s: %d %v, the plain table says %d", i, k, got, ok, want)
		}
		if ok {
			hits++
			continue
		}
		plain[s][older[s]] = slot{k, i}
		older[s] = 1 - older[s]
		c.Put(k, i)
	}
	if hits == 0 {
		t.Fatal("no hits: the run does not exercise the tags")
	}
}

// BenchmarkNameCacheMiss looks up names absent from a full cache of 65,536
// slots (most names in a log are seen once).
func BenchmarkNameCacheMiss(b *testing.B) {
	c := NewNameCache[[3]uint64](1 << 16)
	for i := 0; i < 1<<16; i++ {
		c.Put(fmt.Sprintf("host%d.example.com", i), [3]uint64{})
	}
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = fmt.Sprintf("other%d.example.com", i)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if c.Ref(keys[i&(len(keys)-1)]) != nil {
			b.Fatal("hit")
		}
	}
}

// TestNameCacheDoorkeeperStoresOnSecondFill: with a doorkeeper, a key's
// first fill stores nothing and its second stores it; a stream of keys
// seen once leaves the cache almost empty (only the doorkeeper's false
// positives, at most an eighth of the fills, are stored); and a key seen
// again after more first fills than the doorkeeper remembers counts as new.
func TestNameCacheDoorkeeperStoresOnSecondFill(t *testing.T) {
	c := NewNameCache[int](64).WithDoorkeeper()
	if p := c.Insert("a.example", 1); p != nil {
		t.Fatal("a first fill was stored")
	}
	if _, ok := c.Get("a.example"); ok {
		t.Fatal("a first fill is cached")
	}
	if p := c.Insert("a.example", 2); p == nil || *p != 2 {
		t.Fatal("a second fill was not stored")
	}
	if v, ok := c.Get("a.example"); !ok || v != 2 {
		t.Fatalf("Get after the second fill = %d %v, want 2 true", v, ok)
	}
	const n = 10_000
	for i := range n {
		c.Put(fmt.Sprintf("once%d.example", i), i)
	}
	if stored := c.Len() + int(c.Evictions()); stored > 1+n/8 {
		t.Fatalf("%d of %d keys seen once were stored, want at most an eighth", stored-1, n)
	}
	if c.door.set >= c.door.limit {
		t.Fatalf("doorkeeper holds %d marks, its limit is %d", c.door.set, c.door.limit)
	}
	c.Put("late.example", 1)
	for i := 0; c.door.set != 0; i++ { // until the doorkeeper empties itself
		if i > 64*c.door.limit {
			t.Fatal("the doorkeeper never emptied itself")
		}
		c.Put(fmt.Sprintf("between%d.example", i), i)
	}
	if c.Insert("late.example", 1) != nil {
		t.Fatal("a key filled again after the doorkeeper emptied itself was stored")
	}
	if c.Bytes() != plainBytes(64)+int64(16*64/8) {
		t.Fatalf("Bytes %d, want the slots' and tags' %d and the doorkeeper's %d", c.Bytes(), plainBytes(64), 16*64/8)
	}
	c.Reset()
	if c.door.set != 0 || c.Insert("a.example", 1) != nil {
		t.Fatal("Reset kept the doorkeeper's marks")
	}
}

// plainBytes is Bytes of a NameCache[int] of slots slots without a doorkeeper.
func plainBytes(slots int) int64 { return NewNameCache[int](slots).Bytes() }

// TestNameCacheSlotsStartCacheLines: each slot, whose value comes first,
// starts a cache line, so that a hit on a short key reads one line.
func TestNameCacheSlotsStartCacheLines(t *testing.T) {
	type memo struct {
		a, b, c uint64
		d       uint32
		e       bool
	}
	c := NewNameCache[memo](1024)
	for i := range 1024 {
		c.Put(fmt.Sprintf("n%d.example", i), memo{a: uint64(i)})
	}
	checked := 0
	for i := range 1024 {
		k := fmt.Sprintf("n%d.example", i)
		p := c.Ref(k)
		if p == nil {
			continue
		}
		if uintptr(unsafe.Pointer(p))%64 != 0 {
			t.Fatalf("the value of %s is at %#x, not at the start of a line", k, uintptr(unsafe.Pointer(p)))
		}
		if p.a != uint64(i) {
			t.Fatalf("%s holds %d", k, p.a)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("nothing cached")
	}
}
