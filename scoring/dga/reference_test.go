package dga

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The feature extraction and network as first written, a step a byte with
// floating-point sums: the faster code must give the same bits.

func (m *Model) languageFeaturesReference(label string, x *[NumFeatures]float64) {
	const N = NumSymbols
	var a, b, c int // the three previous symbols, boundary at start
	var benign, dga, worst float64
	rare := 0
	for i := 0; i <= len(label); i++ {
		d := 0
		if i < len(label) {
			d = Symbol(label[i])
		}
		s := float64(m.Benign4[((a*N+b)*N+c)*N+d]) / QuantStep
		benign += s
		dga += float64(m.DGA3[(b*N+c)*N+d]) / QuantStep
		if s > worst {
			worst = s
		}
		if s > 10 {
			rare++
		}
		a, b, c = b, c, d
	}
	steps := float64(len(label) + 1)
	x[FeatBenignAvg] = benign / steps
	x[FeatDGAAvg] = dga / steps
	x[FeatLLR] = benign - dga
	x[FeatMaxSurprisal] = worst
	x[FeatRareTransitions] = float64(rare) / steps
}

// cvClassReference is 1 for a consonant, 2 for a vowel (y included), 0 otherwise.
var cvClassReference = [...]int{clOther: 0, clDigit: 0, clHyphen: 0, clVowel: 2, clY: 2, clCons: 1, clRare: 1}

func lexicalFeaturesReference(label string, x *[NumFeatures]float64) {
	var counts [NumSymbols + 10]int // letters by symbol, digits by value
	digits, vowels, letters, hyphens, switches, rare := 0, 0, 0, 0, 0, 0
	consRun, digitRun, maxCons, maxDigit := 0, 0, 0, 0
	prevDigit := false
	pairs, switchesCV := 0, 0
	prevCV := 0
	for i := 0; i < len(label); i++ {
		c := label[i]
		cl := charClass[c]
		isDigit := cl == clDigit
		switch cl {
		case clDigit:
			digits++
			counts[NumSymbols+int(c-'0')]++
		case clHyphen:
			hyphens++
			counts[symOther]++
		default:
			letters++
			counts[Symbol(c)]++
			if cl == clVowel {
				vowels++
			} else if cl == clRare {
				rare++
			}
		}
		if cl == clCons || cl == clRare || cl == clOther {
			consRun++
			maxCons = max(maxCons, consRun)
		} else {
			consRun = 0
		}
		if isDigit {
			digitRun++
			maxDigit = max(maxDigit, digitRun)
		} else {
			digitRun = 0
		}
		if i > 0 && isDigit != prevDigit {
			switches++
		}
		cv := cvClassReference[cl]
		if cv != 0 && prevCV != 0 {
			pairs++
			if cv != prevCV {
				switchesCV++
			}
		}
		prevCV = cv
		prevDigit = isDigit
	}
	n := float64(len(label))
	// H = log2 n - (1/n) sum k log2 k
	sumKLogK, unique := 0.0, 0
	for _, k := range counts {
		if k > 0 {
			sumKLogK += kLog2k[k]
			unique++
		}
	}
	entropy := kLog2k[len(label)]/n - sumKLogK/n
	x[FeatEntropy] = entropy
	x[FeatDigits] = float64(digits) / n
	if letters > 0 {
		x[FeatVowels] = float64(vowels) / float64(letters)
		x[FeatRareLetters] = float64(rare) / float64(letters)
	}
	x[FeatConsonantRun] = float64(maxCons)
	x[FeatDigitRun] = float64(maxDigit)
	x[FeatSwitches] = float64(switches) / n
	x[FeatHyphens] = float64(hyphens)
	x[FeatUnique] = float64(unique) / n
	if pairs > 0 {
		x[FeatAlternation] = float64(switchesCV) / float64(pairs)
	}
}

func (m *Model) coverFeaturesReference(label string, x *[NumFeatures]float64) {
	n := len(label)
	var best3, best4 [MaxLabel + 1]int // best cover of label[:j]
	longest := 0
	for i := 0; i < n; i++ {
		// Carry the cover past a character no word ends on.
		best3[i+1] = max(best3[i+1], best3[i])
		best4[i+1] = max(best4[i+1], best4[i])
		var h uint64 = fnvOffset
		end := min(n, i+WordMax)
		if i+4 <= n && !m.hasPrefix(label[i:]) {
			end = min(end, i+3) // no word of 4+ letters starts here
		}
		for j := i; j < end; j++ {
			h = fnvStep(h, label[j])
			l := j - i + 1
			if l < WordMin || !m.hasHash(h) {
				continue
			}
			longest = max(longest, l)
			best3[j+1] = max(best3[j+1], best3[i]+l)
			if l >= 4 {
				best4[j+1] = max(best4[j+1], best4[i]+l)
			}
		}
	}
	x[FeatCover3] = float64(best3[n]) / float64(n)
	x[FeatCover4] = float64(best4[n]) / float64(n)
	x[FeatLongestWord] = float64(longest) / float64(n)
}

func (m *Model) probabilityReference(x *[NumFeatures]float64) float64 {
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
	for h := 0; h < m.Hidden; h++ {
		a := m.B1[h]
		row := m.W1[h*NumFeatures : (h+1)*NumFeatures]
		for i, w := range row {
			a += w * z[i]
		}
		out += m.W2[h] * Tanh(a)
	}
	return sigmoid(out)
}

// scoreReference is Model.ScoreName through the first-written code.
func (m *Model) scoreReference(n Name) (float64, [NumFeatures]float64) {
	var x [NumFeatures]float64
	if n.Label == "" {
		return 0, x
	}
	label := n.Label
	if len(label) > MaxLabel {
		label = label[:MaxLabel]
	}
	x[FeatLength] = float64(len(label))
	m.languageFeaturesReference(label, &x)
	lexicalFeaturesReference(label, &x)
	m.coverFeaturesReference(label, &x)
	if n.AltRoot {
		x[FeatAltRoot] = 1
	}
	return m.probabilityReference(&x), x
}

// TestFeaturesMatchReference: features and scores are bit for bit those of
// the first-written code, on labels of every length up to past MaxLabel,
// made of letters, digits and hyphens, of dictionary words, and of any
// bytes (upper case, dots, control bytes: labels come normalised, but the
// model must not care).
func TestFeaturesMatchReference(t *testing.T) {
	m, err := EmbeddedModel()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const dns = "abcdefghijklmnopqrstuvwxyz0123456789-"
	words := []string{"mountain", "the", "stedelijk", "gymnasium", "haarlem", "bank", "online", "secure", "login", "zzz"}
	label := func(k int) string {
		n := 1 + rng.IntN(MaxLabel+8)
		b := make([]byte, 0, n+12)
		for len(b) < n {
			switch k % 3 {
			case 0:
				b = append(b, dns[rng.IntN(len(dns))])
			case 1:
				b = append(b, words[rng.IntN(len(words))]...)
			default:
				b = append(b, byte(rng.IntN(256)))
			}
		}
		return string(b[:n])
	}
	for k := 0; k < 30000; k++ {
		n := Name{Label: label(k), AltRoot: k%7 == 0}
		var got [NumFeatures]float64
		m.Features(n, &got)
		wantScore, want := m.scoreReference(n)
		if i := firstDifference(&got, &want); i >= 0 {
			t.Fatalf("%q: feature %s = %v, the reference says %v", n.Label, FeatureNames[i], got[i], want[i])
		}
		if s := m.ScoreName(n); math.Float64bits(s) != math.Float64bits(wantScore) {
			t.Fatalf("%q: score %v, the reference says %v", n.Label, s, wantScore)
		}
	}
}

// prefixIndexReference is prefixIndex as first written.
func prefixIndexReference(s string) int {
	idx := 0
	for i := 0; i < 4; i++ {
		c := s[i]
		if c < 'a' || c > 'z' {
			return -1
		}
		idx = idx*26 + int(c-'a')
	}
	return idx
}

// TestPrefixIndexMatchesReference: every byte in every position of a
// prefix, around letters.
func TestPrefixIndexMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for k := 0; k < 4*256*16; k++ {
		b := []byte{byte('a' + rng.IntN(26)), byte('a' + rng.IntN(26)), byte('a' + rng.IntN(26)), byte('a' + rng.IntN(26)), 'x'}
		b[k%4] = byte(k / 4 % 256)
		if got, want := prefixIndex(string(b)), prefixIndexReference(string(b)); got != want {
			t.Fatalf("prefixIndex(%q) = %d, the reference says %d", b, got, want)
		}
	}
}

// FuzzFeaturesMatchReference: on any label, features and score are those
// of the first-written code, bit for bit.
func FuzzFeaturesMatchReference(f *testing.F) {
	for _, s := range []string{"google", "xkqzjwvbnmtrplkh", "stedelijkgymnasiumhaarlem", "1hyzmw3l2phycet88hzr2do34", "A-b_c.d"} {
		f.Add(s)
	}
	m, err := EmbeddedModel()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, label string) {
		n := Name{Label: label, AltRoot: len(label)%2 == 0}
		var got [NumFeatures]float64
		m.Features(n, &got)
		wantScore, want := m.scoreReference(n)
		if i := firstDifference(&got, &want); i >= 0 {
			t.Fatalf("%q: feature %s = %v, the reference says %v", label, FeatureNames[i], got[i], want[i])
		}
		if s := m.ScoreName(n); math.Float64bits(s) != math.Float64bits(wantScore) {
			t.Fatalf("%q: score %v, the reference says %v", label, s, wantScore)
		}
	})
}

// firstDifference is the first feature whose bits differ between a and b,
// or -1.
func firstDifference(a, b *[NumFeatures]float64) int {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestTrigramMemoMatchesFilter: for every three bytes, hasTrigram gives
// the word filter's answer, from the memo (covered characters) or the
// filter (others); and a word added to the filter drops the memo.
func TestTrigramMemoMatchesFilter(t *testing.T) {
	m, err := EmbeddedModel()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.trigrams) == 0 {
		t.Fatal("the embedded model has no trigram memo")
	}
	words := 0
	for a := range 256 {
		for b := range 256 {
			for c := range 256 {
				want := m.HasWord(string([]byte{byte(a), byte(b), byte(c)}))
				if got := m.hasTrigram(byte(a), byte(b), byte(c)); got != want {
					t.Fatalf("hasTrigram(%q) = %v, the filter says %v", []byte{byte(a), byte(b), byte(c)}, got, want)
				}
				if want {
					words++
				}
			}
		}
	}
	if words == 0 {
		t.Fatal("no three-byte word at all: the test compares nothing")
	}
	var copied Model
	data, err := m.MarshalBinary()
	if err == nil {
		err = copied.UnmarshalBinary(data)
	}
	if err != nil {
		t.Fatal(err)
	}
	const w = "qzx"
	if copied.HasWord(w) {
		t.Skipf("%q already passes the filter", w)
	}
	copied.AddWord(w)
	if !copied.hasTrigram('q', 'z', 'x') {
		t.Fatalf("%q added, hasTrigram still says no", w)
	}
}
