package hotmem

import (
	"bufio"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

type slot struct {
	key  [62]byte
	n    uint8
	hash uint64
}

// Tables of several types carved one after another are zeroed, aligned
// and apart: what is written to one is read back from it alone.
func TestTablesAreZeroedAlignedAndApart(t *testing.T) {
	a := Table[uint64](MinTable / 8)
	b := Table[uint8](MinTable + 3)
	c := Table[slot](MinTable/int(unsafe.Sizeof(slot{})) + 1)
	d := Table[uint32](MinTable)
	if len(a) != MinTable/8 || len(b) != MinTable+3 || len(d) != MinTable {
		t.Fatalf("lengths %d %d %d", len(a), len(b), len(d))
	}
	if p := uintptr(unsafe.Pointer(&c[0])); p%unsafe.Alignof(slot{}) != 0 {
		t.Fatalf("slot table at %#x", p)
	}
	if !all(a, 0) || !all(b, 0) || !all(c, slot{}) || !all(d, 0) {
		t.Fatal("a new table is not zeroed")
	}
	for i := range a {
		a[i] = ^uint64(0)
	}
	for i := range b {
		b[i] = 0xb
	}
	for i := range c {
		c[i].hash, c[i].n = uint64(i), 7
	}
	for i := range d {
		d[i] = 0xd
	}
	if !all(a, ^uint64(0)) || !all(b, 0xb) || !all(d, 0xd) {
		t.Fatal("a table was overwritten by another")
	}
	for i := range c {
		if c[i].hash != uint64(i) || c[i].n != 7 {
			t.Fatalf("c[%d] overwritten", i)
		}
	}
}

// all reports whether every element of s is v.
func all[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x != v {
			return false
		}
	}
	return true
}

// A table outlives collections while only part of it is referenced: the
// block it was carved from is Go memory, kept by interior pointers.
func TestTableSurvivesCollections(t *testing.T) {
	tail := keepTail()
	for range 3 {
		runtime.GC()
		garbage := make([][]byte, 0, 64)
		for range 64 {
			garbage = append(garbage, make([]byte, 1<<20))
		}
		for _, g := range garbage {
			for i := range g {
				g[i] = 0xff
			}
		}
	}
	for i, v := range tail {
		if v != uint64(i)+1 {
			t.Fatalf("tail[%d] = %#x after collections", i, v)
		}
	}
}

//go:noinline
func keepTail() []uint64 {
	s := Table[uint64](blockSize / 8) // a block of its own
	tail := s[len(s)-1024:]
	for i := range tail {
		tail[i] = uint64(i) + 1
	}
	return tail
}

// Types that hold pointers are not placed in blocks, which the collector
// does not scan.
func TestHasPointers(t *testing.T) {
	for _, c := range []struct {
		v    any
		want bool
	}{
		{uint64(0), false},
		{[4]slot{}, false},
		{struct{ a, b float64 }{}, false},
		{[0]*int{}, false},
		{"", true},
		{[]byte(nil), true},
		{struct{ s string }{}, true},
		{netip.Addr{}, true},
		{map[int]int(nil), true},
		{[2]*int{}, true},
	} {
		if got := hasPointers(reflect.TypeOf(c.v)); got != c.want {
			t.Errorf("%T: hasPointers %v, want %v", c.v, got, c.want)
		}
	}
}

// A block is advised for huge pages: its mapping is eligible for them
// wherever transparent huge pages are not off.
func TestBlocksAreEligibleForHugePages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("huge pages are asked for on Linux only")
	}
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skipf("transparent huge pages are off here (%q, %v)", mode, err)
	}
	s := Table[uint64](blockSize / 8) // a new block
	at := uintptr(unsafe.Pointer(&s[len(s)/2]))
	s[len(s)/2] = 1
	eligible, err := thpEligible(at)
	if err == errNoTHPLine {
		t.Skip("this kernel's smaps has no THPeligible line")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !eligible {
		t.Errorf("the mapping of %#x is not eligible for huge pages (THP mode %s)", at, strings.TrimSpace(string(mode)))
	}
	runtime.KeepAlive(s)
}

var errNoTHPLine = errors.New("no THPeligible line")

// thpEligible reads /proc/self/smaps's THPeligible for the mapping holding at.
func thpEligible(at uintptr) (bool, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return false, err
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x ", &lo, &hi); n == 2 {
			in = lo <= at && at < hi
			continue
		}
		if in && strings.HasPrefix(line, "THPeligible:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "THPeligible:")) == "1", nil
		}
		if in && strings.HasPrefix(line, "VmFlags:") { // a mapping's last line
			return false, errNoTHPLine
		}
	}
	return false, fmt.Errorf("no mapping holds %#x (%v)", at, sc.Err())
}

// LineTable places each element at the start of a cache line, zeroed and
// apart from the others, in tables small (from make) and large (carved),
// and Clear zeroes them all.
func TestLineTableElementsStartLines(t *testing.T) {
	testLineTable[[1]byte](t, 5)
	testLineTable[[71]byte](t, MinTable/128+1)
	testLineTable[slot](t, 100)
	testLineTable[slot](t, MinTable/64)
	testLineTable[[130]byte](t, 1000)
}

func testLineTable[T comparable](t *testing.T, n int) {
	t.Helper()
	l := LineTable[T](n)
	var zero T
	size := unsafe.Sizeof(zero)
	if l.Len() != n || l.Bytes() < int64(n)*int64(size) || l.Bytes()%CacheLine != 0 {
		t.Fatalf("%T: Len %d, Bytes %d for %d elements of %d bytes", zero, l.Len(), l.Bytes(), n, size)
	}
	fill := func(i int) T {
		var v T
		b := unsafe.Slice((*byte)(unsafe.Pointer(&v)), size)
		for j := range b {
			b[j] = byte(i + j + 1)
		}
		return v
	}
	for i := range n {
		p := l.At(uint64(i))
		if uintptr(unsafe.Pointer(p))%CacheLine != 0 {
			t.Fatalf("%T: element %d at %#x, not at a line's start", zero, i, uintptr(unsafe.Pointer(p)))
		}
		if *p != zero {
			t.Fatalf("%T: element %d is not zeroed", zero, i)
		}
		*p = fill(i)
	}
	for i := range n {
		if *l.At(uint64(i)) != fill(i) {
			t.Fatalf("%T: element %d was overwritten by another", zero, i)
		}
	}
	l.Clear()
	for i := range n {
		if *l.At(uint64(i)) != zero {
			t.Fatalf("%T: element %d not zeroed by Clear", zero, i)
		}
	}
}

// A type that holds pointers gets a plain slice, which the collector
// scans: what its elements point to survives collections.
func TestLineTableOfPointersIsScanned(t *testing.T) {
	type named struct {
		n    int
		name string
	}
	l := LineTable[named](256)
	for i := range 256 {
		*l.At(uint64(i)) = named{i, strings.Repeat("x", i%7+1) + fmt.Sprint(i)}
	}
	for range 3 {
		runtime.GC()
		_ = make([]byte, 1<<20)
	}
	for i := range 256 {
		if p := l.At(uint64(i)); p.n != i || p.name != strings.Repeat("x", i%7+1)+fmt.Sprint(i) {
			t.Fatalf("element %d = %+v after collections", i, *p)
		}
	}
	if l.Bytes() != 256*int64(unsafe.Sizeof(named{})) {
		t.Fatalf("Bytes %d: a pointer type's elements are packed", l.Bytes())
	}
	l.Clear()
	if *l.At(255) != (named{}) {
		t.Fatal("Clear left an element")
	}
}
