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

func family(t *testing.T, name string) Family {
	for _, f := range Families() {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no family %s", name)
	return Family{}
}

// Seed-word names of one campaign are one compound with a few random
// letters at the start; another campaign uses another compound.
func TestSeedWordMutatesOneCompound(t *testing.T) {
	f := family(t, "seed-word")
	first := f.Label(7, 3, 0, testWords)
	prefixes := map[string]bool{}
	for i := 0; i < 50; i++ {
		l := f.Label(7, 3, i, testWords)
		if len(l) != len(first) || l[5:] != first[5:] {
			t.Fatalf("campaign names %q and %q do not share a compound", first, l)
		}
		prefixes[l[:5]] = true
	}
	if len(prefixes) < 45 {
		t.Errorf("only %d distinct prefixes in 50 names", len(prefixes))
	}
	if other := f.Label(7, 4, 0, testWords); len(other) > 5 && len(first) > 5 && other[5:] == first[5:] {
		t.Errorf("campaigns 3 and 4 share the compound %q", first[5:])
	}
}

// cv-strict never puts two consonants together; letter-pairs names are
// 3..7 pairs long.
func TestSyllableSchemes(t *testing.T) {
	cv, pairs := family(t, "cv-strict"), family(t, "letter-pairs")
	for i := 0; i < 300; i++ {
		l := cv.Label(9, i/30, i, nil)
		for k := 1; k < len(l); k++ {
			if !strings.ContainsRune(vowels, rune(l[k])) && !strings.ContainsRune(vowels, rune(l[k-1])) {
				t.Fatalf("cv-strict %q has two consonants together", l)
			}
		}
		if p := pairs.Label(9, i/30, i, nil); len(p)%2 != 0 || len(p) < 6 || len(p) > 14 {
			t.Fatalf("letter-pairs %q is not 3..7 pairs", p)
		}
	}
}
