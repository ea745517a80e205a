// Package hotmem places the engine's large lookup tables where random
// lookups are cheap: in memory backed by 2 MiB pages.
//
// The tables the engine reads at random for every event (name caches, the
// DGA model, the popularity table, the known-domain set) add up to about
// 13 MiB. In 4 KiB pages that is some 3,400 pages, more than the
// processor's TLB holds, so most lookups paid a page-table walk besides
// their cache miss. Table carves such tables, when their element type
// holds no pointers, from blocks the kernel is asked to back with huge
// pages (madvise MADV_HUGEPAGE: transparent huge pages in "madvise" mode,
// Debian's default, or "always"); LineTable does too, with each element
// starting a cache line.
//
// It changes no value: tables are zeroed Go memory like make's. It must
// not be used for memory that holds pointers (a block is memory of bytes,
// which the garbage collector does not scan; Table and LineTable fall back
// to make for such types), for tables that grow or are rebuilt often, such
// as an intel index's (a block lives, resident, while any table in it
// does: the tables of an engine rebuilt on a reload keep at most about a
// block of dead ones alive beside the live), or for the rest of the heap,
// whose pages the Go runtime manages (it stopped advising huge pages for
// the heap in Go 1.21.1: with the scavenger, they raised resident memory).
package hotmem

import (
	"reflect"
	"sync"
	"unsafe"
)

const (
	// hugePage is the size of a huge page on amd64 and arm64 (4 KiB base pages).
	hugePage = 2 << 20
	// MinTable is the smallest table Table places in a block; smaller ones
	// come from make. The engine's answer and member caches (128-192 KiB)
	// are above it; per-event scratch is far below.
	MinTable = 64 << 10
	// blockSize is the room of a block: one engine's tables with the
	// default configuration (about 13.3 MiB) fit in one. A block is allocated
	// with a huge page more, to align it, and that slack, and what no
	// table takes, is address space the process never touches, not
	// resident memory.
	blockSize = 16 << 20
)

var blocks struct {
	sync.Mutex
	free []byte // what is left of the current block
}

// Table returns a zeroed slice of n elements. When T holds no pointers and
// the table is at least MinTable bytes, it is carved from a block backed
// by huge pages; it stays alive, with its block, while any part of it is
// referenced.
func Table[T any](n int) []T {
	var zero T
	size := uintptr(n) * unsafe.Sizeof(zero)
	if n <= 0 || size < MinTable || hasPointers(reflect.TypeFor[T]()) {
		return make([]T, n)
	}
	return unsafe.Slice((*T)(carve(size, unsafe.Alignof(zero))), n)
}

// carve takes size bytes aligned to align from the current block (a new
// one when they do not fit) and faults them in.
func carve(size, align uintptr) unsafe.Pointer {
	blocks.Lock()
	defer blocks.Unlock()
	pad := padding(blocks.free, align)
	if uintptr(len(blocks.free)) < pad+size {
		blocks.free = newBlock(max(blockSize, roundUp(size, hugePage)))
		pad = 0 // a block starts on a huge page
	}
	p := unsafe.Pointer(unsafe.SliceData(blocks.free[pad:]))
	blocks.free = blocks.free[pad+size:]
	faultIn(p, size)
	return p
}

// CacheLine is the size of a cache line on amd64 and arm64.
const CacheLine = 64

// Lines is a table whose elements each start a cache line: one whose
// first bytes a lookup reads (a key's length and first bytes, and the
// value beside them) costs one cache miss, not two when an element
// straddles lines. LineTable makes one.
type Lines[T any] struct {
	base   unsafe.Pointer
	stride uintptr // bytes from one element to the next
	n      int
	typed  bool // base is a []T's (T holds pointers): cleared as one
}

// LineTable returns a zeroed table of n elements, each at a multiple of
// CacheLine bytes from the first, which starts a line, carved as Table's
// are. A T that holds pointers cannot be placed so (the collector reads a
// []T's pointers at multiples of its size): it gets a plain []T, whose
// elements are packed as make's.
func LineTable[T any](n int) Lines[T] {
	var zero T
	if n <= 0 {
		return Lines[T]{}
	}
	if hasPointers(reflect.TypeFor[T]()) {
		s := make([]T, n)
		return Lines[T]{base: unsafe.Pointer(unsafe.SliceData(s)), stride: unsafe.Sizeof(zero), n: n, typed: true}
	}
	stride := roundUp(max(unsafe.Sizeof(zero), 1), CacheLine)
	size := uintptr(n) * stride
	if size < MinTable {
		raw := make([]byte, size+CacheLine)
		return Lines[T]{base: unsafe.Pointer(&raw[padding(raw, CacheLine)]), stride: stride, n: n}
	}
	return Lines[T]{base: carve(size, CacheLine), stride: stride, n: n}
}

// At returns element i, which must be below the table's length (it is
// not checked: callers index by a hash masked to the length).
func (l Lines[T]) At(i uint64) *T { return (*T)(unsafe.Add(l.base, uintptr(i)*l.stride)) }

// Len is the number of elements.
func (l Lines[T]) Len() int { return l.n }

// Bytes is the memory the elements take, padding included.
func (l Lines[T]) Bytes() int64 { return int64(l.n) * int64(l.stride) }

// Clear zeroes every element.
func (l Lines[T]) Clear() {
	if l.typed {
		clear(unsafe.Slice((*T)(l.base), l.n))
		return
	}
	clear(unsafe.Slice((*byte)(l.base), uintptr(l.n)*l.stride))
}

// faultIn writes a zero byte on each page of the size bytes at p (zeroed
// memory: no value changes), so that the kernel backs the table now, while
// the engine is built, rather than at its first lookups. A fault in memory
// advised MADV_HUGEPAGE may compact memory to find a huge page, a stall
// the Go runtime met when it advised its heap (golang/go#61718); here
// there are a few, at start-up, and none on an event's path. Only the
// pages tables take are touched: the rest of a block is never resident.
func faultIn(p unsafe.Pointer, size uintptr) {
	base := uintptr(p)
	for at := base; at < base+size; at = (at + hugePage) &^ (hugePage - 1) {
		*(*byte)(unsafe.Add(p, at-base)) = 0
	}
}

// padding is how many bytes of b come before its first address aligned to align.
func padding(b []byte, align uintptr) uintptr {
	if len(b) == 0 {
		return 0
	}
	at := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return roundUp(at, align) - at
}

// newBlock returns size bytes of zeroed Go memory starting on a huge
// page, the kernel asked to back them with huge pages. The runtime does
// not touch memory the process takes from the kernel for a large
// allocation, so the hint applies from the first write (start-up's case);
// memory the heap used before keeps the pages it has.
func newBlock(size uintptr) []byte {
	raw := make([]byte, size+hugePage)
	start := padding(raw, hugePage)
	b := raw[start : start+size : start+size]
	adviseHugePages(b)
	return b
}

func roundUp(x, a uintptr) uintptr { return (x + a - 1) &^ (a - 1) }

// hasPointers reports whether values of t hold pointers, which the
// garbage collector must see (a block is memory of bytes).
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}
