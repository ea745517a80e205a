// Package gen implements domain generation algorithms (DGAs) in the styles
// malware is publicly described to use: random characters (uniform letters
// from a date-seeded linear congruential generator, consonant-heavy
// strings, alphanumerics, letters drawn by English frequency), hash-based
// (hex digests, base-36 digests), pronounceable (consonant/vowel
// alternation, syllables from a per-campaign table of letter pairs),
// seed-word mutation (random letters replacing the start of a fixed word
// compound), and wordlist concatenations. It
// also generates benign-looking names (dictionary words, compounds,
// abbreviations) as the other side of the training data.
//
// Everything here was written for nfr from public descriptions of how DGA
// families work; no family's code or output is copied. Output is fully
// determined by the seed. The package does no I/O: callers pass the word
// list in. It is used by the model trainer and by tests, never at scoring
// time.
package gen

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"strings"
)

// Kind says how a family builds names.
type Kind string

// Kinds of generator.
const (
	RandomChar Kind = "random-character"
	HashBased  Kind = "hash"
	// Pronounceable families draw letters by a consonant/vowel scheme.
	Pronounceable Kind = "pronounceable"
	// SeedWord families mutate a fixed word compound (a few random
	// characters replace its start).
	SeedWord Kind = "seed-word"
	Wordlist Kind = "wordlist"
)

// Family is one domain generation algorithm.
type Family struct {
	Name string
	Kind Kind
	// Label returns the i-th second-level label for day, seeded by seed.
	// words is the dictionary (lower-case a-z words); only wordlist
	// families use it.
	Label func(seed uint64, day, i int, words []string) string
}

// TLDs is the rotation of top-level domains the generators append.
var TLDs = []string{"com", "net", "org", "info", "biz", "ru", "cn", "in", "cc", "su", "top", "xyz"}

// Families returns every generator, in a stable order.
func Families() []Family {
	return []Family{
		{"lcg-letters", RandomChar, lcgLetters},
		{"consonant-heavy", RandomChar, consonantHeavy},
		{"alnum", RandomChar, alnum},
		{"syllables", Pronounceable, syllables},
		{"cv-strict", Pronounceable, cvStrict},
		{"letter-pairs", Pronounceable, letterPairs},
		{"weighted-letters", RandomChar, weightedLetters},
		{"md5-hex", HashBased, md5Hex},
		{"sha256-base36", HashBased, sha256Base36},
		{"seed-word", SeedWord, seedWord},
		{"word-pair", Wordlist, wordPair},
	}
}

// Domain returns family f's i-th full domain name for day.
func Domain(f Family, seed uint64, day, i int, words []string) string {
	r := newRand(seed, day, i, 7)
	return f.Label(seed, day, i, words) + "." + TLDs[r.IntN(len(TLDs))]
}

// newRand is the per-name generator: the same (seed, day, i) always gives
// the same name.
func newRand(seed uint64, day, i, salt int) *rand.Rand {
	return rand.New(rand.NewPCG(seed^uint64(salt)*0x9e3779b97f4a7c15, uint64(day)<<32|uint64(uint32(i))))
}

// lcg is the 32-bit linear congruential generator (Numerical Recipes
// constants) that many DGAs seed from the date.
type lcg uint32

func (s *lcg) next() uint32 {
	*s = *s*1664525 + 1013904223
	return uint32(*s)
}

// lcgLetters: seed = f(day, i), then one uniform letter per LCG step,
// length 6..32 taken from the same generator.
func lcgLetters(seed uint64, day, i int, _ []string) string {
	s := lcg(uint32(seed) ^ uint32(day*31+i)*2654435761)
	s.next()
	n := 6 + int(s.next()>>8)%27
	b := make([]byte, n)
	for k := range b {
		b[k] = 'a' + byte((s.next()>>16)%26)
	}
	return string(b)
}

const (
	consonants = "bcdfghjklmnpqrstvwxz"
	vowels     = "aeiouy"
)

// consonantHeavy draws consonants four times out of five, length 6..28.
func consonantHeavy(seed uint64, day, i int, _ []string) string {
	r := newRand(seed, day, i, 1)
	n := 6 + r.IntN(23)
	b := make([]byte, n)
	for k := range b {
		if r.IntN(5) == 0 {
			b[k] = vowels[r.IntN(len(vowels))]
		} else {
			b[k] = consonants[r.IntN(len(consonants))]
		}
	}
	return string(b)
}

// alnum draws from a-z0-9 uniformly, length 8..32.
func alnum(seed uint64, day, i int, _ []string) string {
	const set = "abcdefghijklmnopqrstuvwxyz0123456789"
	r := newRand(seed, day, i, 2)
	n := 8 + r.IntN(25)
	b := make([]byte, n)
	for k := range b {
		b[k] = set[r.IntN(len(set))]
	}
	return string(b)
}

// syllables alternates consonants and vowels drawn uniformly from their
// sets (so rare letters such as q, x, z, y are as common as t or e),
// sometimes starting with a vowel, length 6..20.
func syllables(seed uint64, day, i int, _ []string) string {
	r := newRand(seed, day, i, 3)
	n := 6 + r.IntN(15)
	b := make([]byte, n)
	vowel := r.IntN(4) == 0
	for k := range b {
		if vowel {
			b[k] = vowels[r.IntN(len(vowels))]
		} else {
			b[k] = consonants[r.IntN(len(consonants))]
		}
		// Mostly alternate; sometimes two consonants or vowels in a row.
		if r.IntN(6) != 0 {
			vowel = !vowel
		}
	}
	return string(b)
}

// cvStrict alternates consonant and vowel strictly, starting with either,
// one fixed length per campaign (day) between 6 and 12; now and then a
// vowel is doubled. Letters are uniform within their sets.
func cvStrict(seed uint64, day, i int, _ []string) string {
	n := 6 + int(newRand(seed, day, 0, 5).IntN(7))
	r := newRand(seed, day, i, 5)
	b := make([]byte, 0, n+2)
	vowel := r.IntN(3) == 0
	for len(b) < n {
		if vowel {
			b = append(b, vowels[r.IntN(len(vowels))])
			if r.IntN(8) == 0 && len(b) < n {
				b = append(b, vowels[r.IntN(len(vowels))])
			}
		} else {
			b = append(b, consonants[r.IntN(len(consonants))])
		}
		vowel = !vowel
	}
	return string(b[:n])
}

// letterPairs concatenates 3..7 two-letter syllables from a table that
// each campaign (day) draws afresh: consonant+vowel and vowel+consonant
// pairs, as some families build names from a fixed table of letter pairs.
func letterPairs(seed uint64, day, i int, _ []string) string {
	t := newRand(seed, day, 0, 6)
	var table [48][2]byte
	for k := range table {
		c, v := consonants[t.IntN(len(consonants))], vowels[t.IntN(len(vowels))]
		if t.IntN(3) == 0 {
			table[k] = [2]byte{v, c}
		} else {
			table[k] = [2]byte{c, v}
		}
	}
	r := newRand(seed, day, i, 6)
	n := 3 + r.IntN(5)
	b := make([]byte, 0, 2*n)
	for k := 0; k < n; k++ {
		p := table[r.IntN(len(table))]
		b = append(b, p[0], p[1])
	}
	return string(b)
}

// letterFreq is roughly how often letters occur in English text (per
// mille), for generators that draw letters by their frequency.
var letterFreq = [26]int{82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24, 67, 75, 19, 1, 60, 63, 91, 28, 10, 24, 2, 20, 1}

// weightedLetters draws letters independently by English letter
// frequency (so the result has vowels in about natural proportion but no
// syllable structure), length 6..16.
func weightedLetters(seed uint64, day, i int, _ []string) string {
	r := newRand(seed, day, i, 8)
	total := 0
	for _, f := range letterFreq {
		total += f
	}
	n := 6 + r.IntN(11)
	b := make([]byte, n)
	for k := range b {
		x := r.IntN(total)
		c := 0
		for x >= letterFreq[c] {
			x -= letterFreq[c]
			c++
		}
		b[k] = 'a' + byte(c)
	}
	return string(b)
}

// seedWord mutates a campaign's fixed compound of two or three dictionary
// words: each name replaces the compound's first 3..5 characters with
// random letters, the way some families derive every name from one seed
// domain.
func seedWord(seed uint64, day, i int, words []string) string {
	t := newRand(seed, day, 0, 9)
	var sb strings.Builder
	for k := 0; k < 2+t.IntN(2); k++ {
		sb.WriteString(pickWord(t, words, 4, 10))
	}
	base := sb.String()
	cut := min(3+t.IntN(3), len(base)-1)
	r := newRand(seed, day, i, 9)
	b := []byte(base)
	for k := 0; k < cut; k++ {
		b[k] = 'a' + byte(r.IntN(26))
	}
	return string(b)
}

// md5Hex: hex MD5 digest of seed, day and counter, cut to 12..32 chars.
func md5Hex(seed uint64, day, i int, _ []string) string {
	var in [20]byte
	binary.LittleEndian.PutUint64(in[0:], seed)
	binary.LittleEndian.PutUint64(in[8:], uint64(day))
	binary.LittleEndian.PutUint32(in[16:], uint32(i))
	sum := md5.Sum(in[:])
	h := hex.EncodeToString(sum[:])
	return h[:12+int(sum[15])%21]
}

// sha256Base36: SHA-256 digest of seed, day and counter written in base 36
// (letters and digits), cut to 12..28 chars; a leading letter is forced
// half of the time.
func sha256Base36(seed uint64, day, i int, _ []string) string {
	var in [20]byte
	binary.LittleEndian.PutUint64(in[0:], seed)
	binary.LittleEndian.PutUint64(in[8:], uint64(day))
	binary.LittleEndian.PutUint32(in[16:], uint32(i))
	sum := sha256.Sum256(in[:])
	const set = "0123456789abcdefghijklmnopqrstuvwxyz"
	n := 12 + int(sum[31])%17
	b := make([]byte, n)
	for k := range b {
		b[k] = set[int(sum[k])%36]
	}
	if sum[30]&1 == 0 {
		b[0] = 'a' + sum[29]%26
	}
	return string(b)
}

// wordPair concatenates two dictionary words of 4..9 letters.
func wordPair(seed uint64, day, i int, words []string) string {
	r := newRand(seed, day, i, 4)
	var sb strings.Builder
	for k := 0; k < 2; k++ {
		sb.WriteString(pickWord(r, words, 4, 9))
	}
	return sb.String()
}

// pickWord returns a random word of min..max letters (any word if none fits
// after a few tries).
func pickWord(r *rand.Rand, words []string, min, max int) string {
	if len(words) == 0 {
		return "word"
	}
	w := words[r.IntN(len(words))]
	for try := 0; try < 50 && (len(w) < min || len(w) > max); try++ {
		w = words[r.IntN(len(words))]
	}
	return w
}
