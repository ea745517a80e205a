package dga

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/netflightrecorder/nfr/scoring/internal/hotmem"
)

// Symbols of the character models: 0 is the boundary (before and after a
// label), 1..26 are a..z, every digit is one symbol and the hyphen (or any
// other byte) is the last.
const (
	NumSymbols = 29
	symDigit   = 27
	symOther   = 28
)

// Symbol maps a label byte to its model symbol.
func Symbol(c byte) int {
	switch {
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 1
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 1
	case '0' <= c && c <= '9':
		return symDigit
	}
	return symOther
}

// QuantStep is the resolution of the stored surprisals: a table byte q
// means -log2 p = q / QuantStep bits.
const QuantStep = 8

// Model is the trained DGA model: two character language models, a word
// filter and a small neural network (a logistic regression when Hidden is
// 0) over the features of a label.
type Model struct {
	// Benign4[((a*N+b)*N+c)*N+d] is the quantized surprisal of symbol d
	// after a, b, c under the benign language model (4-gram).
	Benign4 []uint8
	// DGA3[(a*N+b)*N+c] is the same for symbol c after a, b under the
	// model of generated names (3-gram).
	DGA3 []uint8
	// Words is a blocked Bloom filter of dictionary words (WordMin..WordMax letters).
	Words []uint64
	// Prefixes has bit prefixIndex(w[:4]) set for every stored word of 4+
	// letters, so the word search can stop early (26^4 bits).
	Prefixes []uint64
	// Mean and Scale standardise the features: x' = (x - Mean) * Scale.
	Mean, Scale [NumFeatures]float64
	// Hidden is the number of hidden units; W1 is Hidden x NumFeatures,
	// row-major. With Hidden = 0, W2 has NumFeatures weights applied to
	// the features directly.
	Hidden int
	W1     []float64
	B1     []float64
	W2     []float64
	B2     float64

	// trigrams memoises the word filter's answer for three characters
	// (trigramIndex): UnmarshalBinary fills it, AddWord drops it.
	trigrams []uint64
}

// Word filter limits: words shorter or longer are not stored or probed.
const (
	WordMin = 3
	WordMax = 12
)

const modelMagic = "NFRDGA01"

// MarshalBinary encodes m (little-endian; see UnmarshalBinary).
func (m *Model) MarshalBinary() ([]byte, error) {
	if len(m.Benign4) != NumSymbols*NumSymbols*NumSymbols*NumSymbols || len(m.DGA3) != NumSymbols*NumSymbols*NumSymbols {
		return nil, errors.New("dga model: language model tables have the wrong size")
	}
	if m.Hidden < 0 || len(m.W1) != m.Hidden*NumFeatures || len(m.B1) != m.Hidden || len(m.W2) != m.outInputs() {
		return nil, errors.New("dga model: network weights have the wrong size")
	}
	b := []byte(modelMagic)
	b = binary.LittleEndian.AppendUint32(b, NumFeatures)
	b = binary.LittleEndian.AppendUint32(b, uint32(m.Hidden))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.Words)))
	b = append(b, m.Benign4...)
	if len(m.Prefixes) != prefixWords {
		return nil, errors.New("dga model: prefix table has the wrong size")
	}
	for _, w := range m.Prefixes {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	b = append(b, m.DGA3...)
	for _, w := range m.Words {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	floats := func(fs ...float64) {
		for _, f := range fs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
		}
	}
	floats(m.Mean[:]...)
	floats(m.Scale[:]...)
	floats(m.W1...)
	floats(m.B1...)
	floats(m.W2...)
	floats(m.B2)
	return b, nil
}

func (m *Model) outInputs() int {
	if m.Hidden == 0 {
		return NumFeatures
	}
	return m.Hidden
}

// UnmarshalBinary decodes a model written by MarshalBinary.
func (m *Model) UnmarshalBinary(data []byte) error {
	r := reader{b: data}
	if string(r.next(len(modelMagic))) != modelMagic {
		return errors.New("dga model: bad magic")
	}
	nf, hidden, nwords := int(r.u32()), int(r.u32()), int(r.u32())
	if r.err == nil && nf != NumFeatures {
		return fmt.Errorf("dga model: %d features, this build computes %d (retrain with make model)", nf, NumFeatures)
	}
	if hidden > 1024 || nwords&(nwords-1) != 0 {
		return errors.New("dga model: bad header")
	}
	m.Hidden = hidden
	m.Benign4 = hotmem.Table[uint8](NumSymbols * NumSymbols * NumSymbols * NumSymbols)
	copy(m.Benign4, r.next(len(m.Benign4)))
	m.Prefixes = hotmem.Table[uint64](prefixWords)
	for i := range m.Prefixes {
		m.Prefixes[i] = r.u64()
	}
	m.DGA3 = append([]uint8(nil), r.next(NumSymbols*NumSymbols*NumSymbols)...)
	m.Words = hotmem.Table[uint64](nwords)
	for i := range m.Words {
		m.Words[i] = r.u64()
	}
	r.floats(m.Mean[:])
	r.floats(m.Scale[:])
	m.W1 = make([]float64, hidden*NumFeatures)
	r.floats(m.W1)
	m.B1 = make([]float64, hidden)
	r.floats(m.B1)
	m.W2 = make([]float64, m.outInputs())
	r.floats(m.W2)
	m.B2 = r.f64()
	if r.err != nil {
		return r.err
	}
	if len(r.b) != 0 {
		return fmt.Errorf("dga model: %d trailing bytes", len(r.b))
	}
	m.memoTrigrams()
	return nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) next(n int) []byte {
	if r.err != nil || len(r.b) < n {
		r.err = errors.New("dga model: truncated")
		return make([]byte, n)
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) u32() uint32  { return binary.LittleEndian.Uint32(r.next(4)) }
func (r *reader) u64() uint64  { return binary.LittleEndian.Uint64(r.next(8)) }
func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }
func (r *reader) floats(dst []float64) {
	for i := range dst {
		dst[i] = r.f64()
	}
}

// Probability returns the model's DGA probability for a feature vector.
func (m *Model) Probability(x *[NumFeatures]float64) float64 {
	var z [NumFeatures]float64
	for i := range z {
		z[i] = (x[i] - m.Mean[i]) * m.Scale[i]
	}
	out := m.B2
	if m.Hidden == 0 {
		for i, w := range m.W2 {
			out += w * z[i]
		}
		return sigmoid(out)
	}
	w1, b1, w2 := m.W1, m.B1[:m.Hidden], m.W2[:m.Hidden]
	for h, b := range b1 {
		row := (*[NumFeatures]float64)(w1[h*NumFeatures:])
		out += w2[h] * Tanh(dot(b, row, &z))
	}
	return sigmoid(out)
}

// dot is a plus the dot product of w and z, the terms added one at a time
// in feature order (as a loop would: the rounding is the same), written
// out so that it costs no loop or bounds checks.
func dot(a float64, w, z *[NumFeatures]float64) float64 {
	return a + w[0]*z[0] + w[1]*z[1] + w[2]*z[2] + w[3]*z[3] + w[4]*z[4] +
		w[5]*z[5] + w[6]*z[6] + w[7]*z[7] + w[8]*z[8] + w[9]*z[9] +
		w[10]*z[10] + w[11]*z[11] + w[12]*z[12] + w[13]*z[13] + w[14]*z[14] +
		w[15]*z[15] + w[16]*z[16] + w[17]*z[17] + w[18]*z[18] + w[19]*z[19]
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Tanh is the network's activation: a rational approximation of tanh
// (within 0.03), cheaper than math.Tanh. Training uses it too.
func Tanh(x float64) float64 {
	if x >= 3 {
		return 1
	}
	if x <= -3 {
		return -1
	}
	x2 := x * x
	return x * (27 + x2) / (27 + 9*x2)
}

// prefixWords is the size of Model.Prefixes in uint64s.
const prefixWords = (26*26*26*26 + 63) / 64

// prefixIndex numbers a 4-letter a-z prefix; -1 when s[:4] is not all letters.
func prefixIndex(s string) int {
	_ = s[3]
	a, b, c, d := letterIndex[s[0]], letterIndex[s[1]], letterIndex[s[2]], letterIndex[s[3]]
	if (a|b|c|d)&notLetter != 0 {
		return -1
	}
	return ((int(a)*26+int(b))*26+int(c))*26 + int(d)
}

// letterIndex is 0..25 for a..z and notLetter for any other byte.
var letterIndex = func() (t [256]uint8) {
	for c := range t {
		t[c] = notLetter
		if 'a' <= c && c <= 'z' {
			t[c] = uint8(c - 'a')
		}
	}
	return t
}()

const notLetter = 0x80

// hasPrefix reports whether some stored word starts with s[:4].
func (m *Model) hasPrefix(s string) bool {
	i := prefixIndex(s)
	return i >= 0 && m.Prefixes[i>>6]&(1<<(i&63)) != 0
}

// AddWord stores w in the word filter (Words and Prefixes must be allocated).
func (m *Model) AddWord(w string) {
	if len(w) < WordMin || len(w) > WordMax {
		return
	}
	m.trigrams = nil // the memo no longer holds the filter's answers
	if len(w) >= 4 {
		if i := prefixIndex(w); i >= 0 {
			m.Prefixes[i>>6] |= 1 << (i & 63)
		}
	}
	var h uint64 = fnvOffset
	for i := 0; i < len(w); i++ {
		h = fnvStep(h, w[i])
	}
	block, bits := bloomBits(h, len(m.Words))
	m.Words[block] |= bits
}

// HasWord reports whether w is (probably) a dictionary word.
func (m *Model) HasWord(w string) bool {
	var h uint64 = fnvOffset
	for i := 0; i < len(w); i++ {
		h = fnvStep(h, w[i])
	}
	return m.hasHash(h)
}

// The word filter's answers for three characters are memoised: every
// position of a label is a possible three-letter word, and the filter's
// 1 MB of blocks, probed at random, misses the processor's caches where
// the memo's 6.9 KB do not (BenchmarkInspectLookups, the fastest of ten
// runs: 232 -> 202 ns an event, for 13 more instructions; building the
// memo costs 3 million instructions when the model loads).

// trigramSymbols is the number of characters the memo covers: a-z, 0-9,
// '-' and '_'.
const trigramSymbols = 38

// trigramSymbol numbers the characters the memo covers (0..37); any other
// byte is noTrigram.
var trigramSymbol = func() (t [256]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z':
			t[c] = uint8(c - 'a')
		case '0' <= c && c <= '9':
			t[c] = uint8(26 + c - '0')
		case c == '-':
			t[c] = 36
		case c == '_':
			t[c] = 37
		default:
			t[c] = noTrigram
		}
	}
	return t
}()

const noTrigram = 0x80

// trigramIndex numbers the three characters a, b, c among the memo's
// strings; ok is false when one is outside it.
func trigramIndex(a, b, c byte) (i int, ok bool) {
	x, y, z := trigramSymbol[a], trigramSymbol[b], trigramSymbol[c]
	return (int(x)*trigramSymbols+int(y))*trigramSymbols + int(z), (x|y|z)&noTrigram == 0
}

// memoTrigrams fills m.trigrams from the word filter: bit trigramIndex(s)
// is set when hasHash would report the three characters s.
func (m *Model) memoTrigrams() {
	const n = trigramSymbols * trigramSymbols * trigramSymbols
	var chars [trigramSymbols]byte
	for c := range 256 {
		if s := trigramSymbol[c]; s != noTrigram {
			chars[s] = byte(c)
		}
	}
	memo := make([]uint64, (n+63)/64)
	i := 0 // trigramIndex(a, b, c), in the loops' order
	for _, a := range chars {
		ha := fnvStep(fnvOffset, a)
		for _, b := range chars {
			hb := fnvStep(ha, b)
			for _, c := range chars {
				if m.hasHash(fnvStep(hb, c)) {
					memo[i>>6] |= 1 << (i & 63)
				}
				i++
			}
		}
	}
	m.trigrams = memo
}

// hasTrigram is hasHash of the three characters a, b, c, from the memo
// when m has one and it covers them.
func (m *Model) hasTrigram(a, b, c byte) bool {
	if i, ok := trigramIndex(a, b, c); ok && len(m.trigrams) > 0 {
		return m.trigrams[i>>6]&(1<<(i&63)) != 0
	}
	return m.hasHash(fnvStep(fnvStep(fnvStep(fnvOffset, a), b), c))
}

func (m *Model) hasHash(h uint64) bool {
	block, bits := bloomBits(h, len(m.Words))
	return m.Words[block]&bits == bits
}

const fnvOffset = 14695981039346656037

func fnvStep(h uint64, c byte) uint64 { return (h ^ uint64(c)) * 1099511628211 }

// bloomBits picks the block (one word of the filter) and three bits in it.
func bloomBits(h uint64, nblocks int) (int, uint64) {
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	block := int(h & uint64(nblocks-1))
	g := h >> 40
	bits := uint64(1)<<(g&63) | uint64(1)<<((g>>6)&63) | uint64(1)<<((g>>12)&63)
	return block, bits
}

// The dot product is written out for exactly 20 features.
var _ [NumFeatures - 20]struct{}
var _ [20 - NumFeatures]struct{}
