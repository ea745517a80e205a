package scoring

import (
	"fmt"
	"strings"
	"testing"
)

// TestHashStringSpreads hashes up to 200,000 distinct names of every length the
// word loop and the tail see: no two collide in 64 bits, and the low 8
// bits (what detectors' bitmaps use) fill every bucket evenly.
func TestHashStringSpreads(t *testing.T) {
	seen := map[uint64]string{}
	var buckets [256]int
	for i := range 200_000 {
		s := fmt.Sprintf("%06x.example-domain.example.test", i)[i%6 : 1+i%6+i%25] // lengths 1 to 25
		h := HashString(s)
		if other, dup := seen[h]; dup && other != s {
			t.Fatalf("%q and %q collide", s, other)
		}
		if _, dup := seen[h]; !dup {
			seen[h] = s
			buckets[h%256]++
		}
	}
	n := len(seen)
	for b, c := range buckets {
		if want := n / 256; c < want*8/10 || c > want*12/10 {
			t.Errorf("bucket %d holds %d of %d, want about %d", b, c, n, want)
		}
	}
	if HashString("") == HashString("\x00") || HashString("abcdefgh") == HashString("abcdefgh\x00") {
		t.Error("length is not part of the hash")
	}
	if HashString("www.example.com") != HashString(string([]byte("www.example.com"))) {
		t.Error("not deterministic")
	}
	t.Logf("%d distinct strings", n)
}

func BenchmarkHashString(b *testing.B) {
	for b.Loop() {
		_ = HashString("static.bravo123.co.uk")
	}
}

// TestHashByteVariantsMatchesHashString: every variant hash equals
// HashString of the variant built in full, for every length across the
// 8-byte word and tail boundaries and every position.
func TestHashByteVariantsMatchesHashString(t *testing.T) {
	src := strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789.-abcdefghijklmnop", 3)
	alphabet := "x0-\x00\xff"
	out := make([]uint64, len(alphabet)+1)
	for n := 1; n <= len(src); n++ {
		for i := 0; i < n; i++ {
			HashByteVariants(src[:n], i, alphabet+src[i:i+1], out)
			for k, c := range []byte(alphabet + src[i:i+1]) {
				b := []byte(src[:n])
				b[i] = c
				if want := HashString(string(b)); out[k] != want {
					t.Fatalf("len %d, byte %d set to %q: %x, HashString says %x", n, i, c, out[k], want)
				}
			}
		}
	}
}

// BenchmarkHashByteVariants hashes what a typo check of one label hashes:
// the 37 replacements of each byte of a random label under a shared
// domain, one position an iteration.
func BenchmarkHashByteVariants(b *testing.B) {
	const name, label = "hghdqjs6x.gone-example.net", 9
	alphabet := "abcdefghijklmnopqrstuvwxyz0123456789-"
	out := make([]uint64, len(alphabet))
	for n := 0; b.Loop(); n++ {
		HashByteVariants(name, n%label, alphabet, out)
	}
}
