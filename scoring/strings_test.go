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

// hashStringReference is HashString as first written, a byte at a time
// below 8 bytes: the fast path must hash exactly as it does (hashes key
// bitmaps, caches and the embedded popularity table).
func hashStringReference(s string) uint64 {
	h := uint64(len(s)) ^ k0
	var tail uint64
	if len(s) >= 8 {
		last := Load64(s[len(s)-8:])
		for ; len(s) >= 8; s = s[8:] {
			h = fold(h^Load64(s), k1)
		}
		if len(s) > 0 {
			tail = last
		}
	} else {
		for i := 0; i < len(s); i++ {
			tail |= uint64(s[i]) << (8 * i)
		}
	}
	return fold(h^tail, k1^k0)
}

// TestHashStringMatchesReference compares HashString with the byte loop on
// strings of every length to 24 (each short length in full byte patterns
// that tell every position apart) and many random ones.
func TestHashStringMatchesReference(t *testing.T) {
	buf := make([]byte, 24)
	check := func(s string) {
		if got, want := HashString(s), hashStringReference(s); got != want {
			t.Fatalf("HashString(%q) = %#x, want %#x", s, got, want)
		}
	}
	for n := 0; n <= len(buf); n++ {
		for i := range buf[:n] {
			buf[i] = byte(i + 1)
		}
		check(string(buf[:n]))
		for i := range buf[:n] {
			buf[i] = 0xff - byte(i)
		}
		check(string(buf[:n]))
	}
	rng := uint64(1)
	for range 200_000 {
		rng = rng*6364136223846793005 + 1442695040888963407
		n := int(rng>>59) % 17
		for i := range buf[:n] {
			rng = rng*6364136223846793005 + 1442695040888963407
			buf[i] = byte(rng >> 56)
		}
		check(string(buf[:n]))
	}
}

// FuzzHashStringMatchesReference checks HashString against the byte loop on
// any string.
func FuzzHashStringMatchesReference(f *testing.F) {
	for _, s := range []string{"", "a", "ab", "www", "mail", "abcde", "static", "example", "abcdefgh", "www.example.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := HashString(s), hashStringReference(s); got != want {
			t.Fatalf("HashString(%q) = %#x, want %#x", s, got, want)
		}
	})
}

// TestPack16: Pack16 gives a string's first and last words (bytes,
// when shorter than four) at every length it takes, and strings that
// differ in one byte differ in their words.
func TestPack16(t *testing.T) {
	b := []byte("ABCDEFGHIJKLMNOP")
	le := func(b []byte) (w uint64) {
		for i := len(b) - 1; i >= 0; i-- {
			w = w<<8 | uint64(b[i])
		}
		return w
	}
	for n := 0; n <= 16; n++ {
		var wantLo, wantHi uint64
		switch {
		case n >= 8:
			wantLo, wantHi = le(b[:8]), le(b[n-8:n])
		case n >= 4:
			wantLo, wantHi = le(b[:4]), le(b[n-4:n])
		default:
			wantLo = le(b[:n])
		}
		if lo, hi := Pack16(string(b[:n])); lo != wantLo || hi != wantHi {
			t.Fatalf("Pack16 of %d bytes = %#x, %#x; want %#x, %#x", n, lo, hi, wantLo, wantHi)
		}
		for i := 0; i < n; i++ {
			c := append([]byte(nil), b[:n]...)
			c[i] ^= 0x20
			lo, hi := Pack16(string(c))
			if wantLo == lo && wantHi == hi {
				t.Fatalf("Pack16(%q) = Pack16(%q)", c, b[:n])
			}
		}
	}
}
