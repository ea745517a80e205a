package poptable

import (
	"strings"
	"testing"
)

// TestBuildKeepsRanks: line n has rank n (an empty line is a rank without
// a domain), a domain listed twice keeps its first (better) rank, and
// names not listed, including ones sharing a listed name's length or
// prefix, have none.
func TestBuildKeepsRanks(t *testing.T) {
	tab, err := Build("first.com\n\nthird.org\nfirst.com\nfifth.net\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Check(); err != nil {
		t.Fatal(err)
	}
	want := map[string]uint32{"first.com": 1, "third.org": 3, "fifth.net": 5, "firsu.com": 0, "first.co": 0, "": 0, strings.Repeat("a", 300): 0}
	for d, r := range want {
		if got := tab.Rank(d); got != r {
			t.Errorf("Rank(%q) = %d, want %d", d, got, r)
		}
	}
	if tab.Len() != 3 {
		t.Errorf("Len = %d, want 3", tab.Len())
	}
	if _, err := Build("first.com\n" + strings.Repeat("a", 254) + ".com\n"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a line too long for a domain: err = %v, want one naming line 2", err)
	}
	if err := (&Table{slots: []byte("NFRPOP0\n")}).Check(); err == nil {
		t.Error("a bad header passed Check")
	}
}

// TestRankDoesNotAllocate: a lookup reads the table in place.
func TestRankDoesNotAllocate(t *testing.T) {
	tab, err := Build("first.com\nsecond.org\n")
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { tab.Rank("second.org"); tab.Rank("absent.example") }); n != 0 {
		t.Fatalf("allocs = %v", n)
	}
}
