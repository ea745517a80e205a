package scoring

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"
)

// checkPSL fails unless publicSuffix answers name as the library does.
func checkPSL(t testing.TB, name string) {
	t.Helper()
	got, gotICANN := publicSuffix(name)
	want, wantICANN := publicsuffix.PublicSuffix(name)
	if got != want || gotICANN != wantICANN {
		t.Fatalf("publicSuffix(%q) = %q %v, library %q %v", name, got, gotICANN, want, wantICANN)
	}
}

// pslRules returns every node of the copied rule trie as a name (labels
// joined right to left), with whether it is a wildcard parent.
func pslRules() (names []string, wildcard []bool) {
	var walk func(lo, hi uint32, parent string)
	walk = func(lo, hi uint32, parent string) {
		for f := lo; f < hi; f++ {
			name := pslLabel(f)
			if parent != "" {
				name += "." + parent
			}
			u := uint32(pslNode(f) >> (pslNodesBitsTextOffset + pslNodesBitsTextLength))
			u = pslChild(u >> pslNodesBitsICANN & (1<<pslNodesBitsChildren - 1))
			clo, chi := pslChildRange(f)
			names = append(names, name)
			wildcard = append(wildcard, u>>(pslChildrenBitsLo+pslChildrenBitsHi+pslChildrenBitsNodeType)&1 != 0)
			walk(clo, chi, name)
		}
	}
	walk(0, pslNumTLD, "")
	return names, wildcard
}

// TestPSLTableMatchesLibrary: the copied tables are the library's list
// version, and the walk answers as the library for every rule of the list
// (wildcards and exceptions included), one and two labels below it, and
// names that are, or may be, addresses.
func TestPSLTableMatchesLibrary(t *testing.T) {
	if v := publicsuffix.List.String(); v != pslVersion {
		t.Fatalf("psldata is %q, golang.org/x/net/publicsuffix is %q: run go generate ./scoring", pslVersion, v)
	}
	names, wildcard := pslRules()
	if len(names) < 5000 {
		t.Fatalf("only %d rule nodes walked", len(names))
	}
	wildcards := 0
	for i, r := range names {
		for _, n := range []string{r, "x." + r, "www.x." + r, "a-b.c." + r + ".", "." + r} {
			checkPSL(t, n)
		}
		if wildcard[i] {
			wildcards++
		}
	}
	if wildcards == 0 {
		t.Fatal("no wildcard rule found: the node layout was misread")
	}
	for _, n := range []string{"", ".", "..", "com", "COM", "example.com", "a..example.com", "nosuchtld", "x.nosuchtld",
		"www.ck", "a.www.ck", "foo.ck", "city.kawasaki.jp", "a.city.kawasaki.jp", "b.a.kawasaki.jp", "user.github.io",
		"foo.blogspot.co.uk", "192.0.2.1", "1.2.3", "1.2.3.4.5", "10.0.0.1.example", "::1", "fe80::1%eth0", "2001:db8::1",
		"1.2.3.4:53", "%", "a%b.com", "0", "00.1.2.3", "_srv._tcp.example.org", "xn--p1ai", "a.xn--p1ai"} {
		checkPSL(t, n)
	}
	t.Logf("%d rule nodes (%d wildcard parents)", len(names), wildcards)
}

// TestPSLFindMatchesSearch: for every range the walk searches, the index
// finds each node's label at that node, and labels absent from the range
// (its nodes' labels with a byte changed, and the labels of other ranges)
// nowhere, as the library's binary search over the range does.
func TestPSLFindMatchesSearch(t *testing.T) {
	search := func(label string, lo, hi uint32) uint32 { // the library's find
		for lo < hi {
			mid := lo + (hi-lo)/2
			if s := pslLabel(mid); s < label {
				lo = mid + 1
			} else if s == label {
				return mid
			} else {
				hi = mid
			}
		}
		return pslNotFound
	}
	ranges := [][2]uint32{{0, pslNumTLD}}
	for f := uint32(0); f < uint32(len(pslNodes)/(pslNodesBits/8)); f++ {
		if lo, hi := pslChildRange(f); lo < hi {
			ranges = append(ranges, [2]uint32{lo, hi})
		}
	}
	probes := []string{"", "com", "uk", "jp", "x", "www", "blogspot", "github"}
	for _, r := range ranges {
		for f := r[0]; f < r[1]; f++ {
			l := pslLabel(f)
			for _, label := range append(probes, l, l+"x", l[:len(l)-1]) {
				if got, want := pslFind(label, r[0], r[1]), search(label, r[0], r[1]); got != want {
					t.Fatalf("pslFind(%q, %d, %d) = %d, binary search %d", label, r[0], r[1], got, want)
				}
			}
		}
	}
}

// TestPSLWalkCorpus checks the walk against the library over every name
// of the corpus domain lists; skipped when absent.
func TestPSLWalkCorpus(t *testing.T) {
	names := corpusNames(t)
	if len(names) == 0 {
		t.Skip("no corpus domain lists")
	}
	for _, name := range names {
		checkPSL(t, name)
		checkPSL(t, strings.ToLower(strings.TrimSuffix(name, ".")))
	}
	t.Logf("%d names", len(names))
}

// corpusNames returns the names of the corpus domain lists
// ($NFR_CORPUS, else ../../shared/corpus), or none when it is absent.
func corpusNames(t *testing.T) []string {
	dir := os.Getenv("NFR_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "domains", "*", "*"))
	var names []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := sc.Text()
			if i := strings.LastIndexByte(line, ','); i >= 0 { // rank,name or label,name
				line = line[i+1:]
			}
			names = append(names, line)
		}
		fh.Close()
	}
	return names
}

// FuzzPublicSuffix compares the walk with the library on any string.
func FuzzPublicSuffix(f *testing.F) {
	for _, s := range []string{"example.co.uk", "www.ck", "a.city.kawasaki.jp", "1.2.3.4", "::1", "a..b", ".", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkPSL(t, s) })
}

// TestPublicSuffixDoesNotAllocate: names that cannot be addresses are
// walked without allocating, whatever their rule (the library allocates a
// parse error for each).
func TestPublicSuffixDoesNotAllocate(t *testing.T) {
	names := []string{"a.example.com", "x.y.example.co.uk", "user.github.io", "a.city.kawasaki.jp", "b.a.kawasaki.jp",
		"www.ck", "host.nosuchtld", "a..b", "com.", strings.Repeat("l", 70) + ".example.org"}
	i := 0
	if allocs := testing.AllocsPerRun(100, func() { publicSuffix(names[i%len(names)]); i++ }); allocs != 0 {
		t.Fatalf("allocs = %v", allocs)
	}
}

// BenchmarkPublicSuffix walks names that do not repeat (the cost a name
// seen for the first time pays).
func BenchmarkPublicSuffix(b *testing.B) {
	names := make([]string, 1<<16)
	tlds := []string{"com", "net", "org", "co.uk", "de", "io"}
	for i := range names {
		names[i] = "cdn-" + strconv.Itoa(i%100) + ".static.site" + strconv.Itoa(i) + "." + tlds[i%len(tlds)]
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		publicSuffix(names[i&(len(names)-1)])
	}
}
