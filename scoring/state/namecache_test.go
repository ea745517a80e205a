package state

import (
	"fmt"
	"strings"
	"testing"
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
