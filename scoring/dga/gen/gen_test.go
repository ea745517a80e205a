package gen

import (
	"strings"
	"testing"
)

var testWords = []string{"apple", "river", "stone", "garden", "light", "market", "yellow", "bridge", "winter", "castle"}

func validLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func TestFamiliesDeterministicAndValid(t *testing.T) {
	for _, f := range Families() {
		seen := map[string]bool{}
		for i := 0; i < 300; i++ {
			a := f.Label(7, i/30, i, testWords)
			if b := f.Label(7, i/30, i, testWords); a != b {
				t.Fatalf("%s: not deterministic: %q then %q", f.Name, a, b)
			}
			if !validLabel(a) {
				t.Fatalf("%s: invalid label %q", f.Name, a)
			}
			seen[a] = true
		}
		want := 250
		if f.Kind == Wordlist {
			want = 80 // 10 test words make only 100 pairs
		}
		if len(seen) < want {
			t.Errorf("%s: only %d distinct labels of 300", f.Name, len(seen))
		}
		if d := Domain(f, 7, 0, 0, testWords); !strings.Contains(d, ".") {
			t.Errorf("%s: domain %q has no TLD", f.Name, d)
		}
	}
}

func TestBenignGeneratorsValid(t *testing.T) {
	for i := 0; i < 2000; i++ {
		for _, l := range []string{BenignLabel(3, i, testWords), PinyinLabel(3, i), RomajiLabel(3, i),
			TechLabel(3, i, testWords), NativeCompound(3, i, testWords)} {
			if !validLabel(l) {
				t.Fatalf("invalid benign label %q (i=%d)", l, i)
			}
		}
	}
}

func TestCleanWordsFolds(t *testing.T) {
	got := CleanWords([]string{"Straße", "café", "don't", "Ærø", "Москва", "x", "café", "\xe9t\xe9"}, 2)
	want := []string{"cafe", "aero", "ete", "moskva", "strasse"}
	if strings.Join(got, ",") != strings.Join([]string{"aero", "cafe", "ete", "moskva", "strasse"}, ",") {
		t.Errorf("CleanWords = %v, want %v (sorted)", got, want)
	}
}
