package dga

import (
	"math"
	"math/bits"
)

// Features of a label, in the order of the feature vector.
const (
	FeatLength          = iota // characters
	FeatBenignAvg              // mean surprisal (bits/symbol) under the benign 4-gram model
	FeatDGAAvg                 // mean surprisal under the generated-names 3-gram model
	FeatLLR                    // total benign minus DGA surprisal (bits): evidence for DGA
	FeatMaxSurprisal           // worst single transition under the benign model
	FeatRareTransitions        // share of transitions above 10 bits under the benign model
	FeatEntropy                // Shannon entropy of the characters (bits)
	FeatDigits                 // share of digits
	FeatVowels                 // share of vowels (a e i o u) among letters
	FeatConsonantRun           // longest run of consonants
	FeatDigitRun               // longest run of digits
	FeatSwitches               // letter/digit alternations per character
	FeatHyphens                // hyphens
	FeatCover3                 // share of characters covered by dictionary words of 3+ letters
	FeatCover4                 // share covered by words of 4+ letters
	FeatLongestWord            // longest dictionary word found, as a share of the length
	FeatUnique                 // distinct characters per character
	FeatRareLetters            // share of letters among j k q v w x z
	FeatAlternation            // share of adjacent letter pairs that switch between consonant and vowel (y a vowel)
	FeatAltRoot                // 1 when the top-level domain is an alternative root's (.bit, .bazar, ...)
	NumFeatures
)

// FeatureNames are short names of the features, for reports.
var FeatureNames = [NumFeatures]string{"length", "benign_avg", "dga_avg", "llr", "max_surprisal",
	"rare_transitions", "entropy", "digits", "vowels", "consonant_run", "digit_run", "switches",
	"hyphens", "cover3", "cover4", "longest_word", "unique", "rare_letters", "alternation", "alt_root"}

// MaxLabel is the longest label scored (the DNS limit); longer input is cut.
const MaxLabel = 63

// Features computes the feature vector of n into x. It does not allocate.
func (m *Model) Features(n Name, x *[NumFeatures]float64) {
	*x = [NumFeatures]float64{}
	m.labelFeatures(n.Label, x)
	if n.Label == "" {
		return
	}
	if n.AltRoot {
		x[FeatAltRoot] = 1
	}
}

// labelFeatures computes the features of label (lower-case ASCII, as in a
// normalised FQDN).
func (m *Model) labelFeatures(label string, x *[NumFeatures]float64) {
	if len(label) > MaxLabel {
		label = label[:MaxLabel]
	}
	n := len(label)
	if n == 0 {
		return
	}
	x[FeatLength] = float64(n)
	m.languageFeatures(label, x)
	lexicalFeatures(label, x)
	m.coverFeatures(label, x)
}

// languageFeatures scores the label's transitions under the two character
// models. Surprisals are summed as table bytes (integers) and divided by
// QuantStep at the end: each byte/QuantStep is exact in float64 and so is
// every partial sum, so this is what summing the quotients would give.
func (m *Model) languageFeatures(label string, x *[NumFeatures]float64) {
	const N = NumSymbols
	benign4 := (*[N * N * N * N]uint8)(m.Benign4)
	dga3 := (*[N * N * N]uint8)(m.DGA3)
	// ctx3 is the three previous symbols a, b, c as (a*N+b)*N+c, ctx2 the
	// last two as b*N+c; the boundary (0) before the label.
	ctx3, ctx2, c := 0, 0, 0
	var benignQ, dgaQ, worstQ, rare int
	for i := 0; i <= len(label); i++ {
		d := 0
		if i < len(label) {
			d = int(symbols[label[i]])
		}
		q := int(benign4[ctx3*N+d])
		benignQ += q
		worstQ = max(worstQ, q)
		if q > 10*QuantStep {
			rare++
		}
		i3 := ctx2*N + d
		dgaQ += int(dga3[i3])
		ctx3, ctx2, c = i3, c*N+d, d
	}
	benign, dga := float64(benignQ)/QuantStep, float64(dgaQ)/QuantStep
	steps := float64(len(label) + 1)
	x[FeatBenignAvg] = benign / steps
	x[FeatDGAAvg] = dga / steps
	x[FeatLLR] = benign - dga
	x[FeatMaxSurprisal] = float64(worstQ) / QuantStep
	x[FeatRareTransitions] = float64(rare) / steps
}

// symbols is Symbol as a table.
var symbols = func() (t [256]uint8) {
	for c := range t {
		t[c] = uint8(Symbol(byte(c)))
	}
	return t
}()

// kLog2k[k] = k log2 k, for the entropy of labels up to MaxLabel.
var kLog2k = func() (t [MaxLabel + 1]float64) {
	for k := 1; k <= MaxLabel; k++ {
		t[k] = float64(k) * math.Log2(float64(k))
	}
	return t
}()

// Character classes of lexicalFeatures. Only lower-case letters are
// letters here: labels come normalised.
const (
	clOther  = iota // any other byte
	clDigit         // 0-9
	clHyphen        // -
	clVowel         // a e i o u
	clY             // y: a vowel for alternation, not for the vowel share
	clCons          // other consonants
	clRare          // j k q v w x z
)

var charClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = clCons
	}
	for _, c := range "aeiou" {
		t[c] = clVowel
	}
	for _, c := range "jkqvwxz" {
		t[c] = clRare
	}
	t['y'] = clY
	for c := '0'; c <= '9'; c++ {
		t[c] = clDigit
	}
	t['-'] = clHyphen
	return t
}()

// countSlot is where lexicalFeatures counts a byte for the entropy: a
// letter (or any other byte) by its symbol, a digit by its value.
var countSlot = func() (t [256]uint8) {
	for c := range t {
		t[c] = uint8(Symbol(byte(c)))
		if charClass[c] == clDigit {
			t[c] = uint8(NumSymbols + c - '0')
		}
	}
	return t
}()

// consonantLike marks the classes that extend a run of consonants.
var consonantLike = [...]int{clOther: 1, clCons: 1, clRare: 1, clStart: 0}

// clStart is the class before the first byte (no transition counted).
const clStart = clRare + 1

// Transition flags, by previous class and class (transitions[p<<3|c]).
const (
	trDigitSwitch = 1 << iota // one is a digit and the other not
	trPair                    // both are letters in the consonant/vowel sense
	trCVSwitch                // such a pair switches between consonant and vowel
)

var transitions = func() (t [8 * 8]uint8) {
	cv := [...]int{clVowel: 2, clY: 2, clCons: 1, clRare: 1, clStart: 0} // 1 consonant, 2 vowel
	for p := clOther; p <= clStart; p++ {
		for c := clOther; c < clStart; c++ {
			var f uint8
			if p != clStart && (p == clDigit) != (c == clDigit) {
				f |= trDigitSwitch
			}
			if cv[p] != 0 && cv[c] != 0 {
				f |= trPair
				if cv[p] != cv[c] {
					f |= trCVSwitch
				}
			}
			t[p<<3|c] = f
		}
	}
	return t
}()

func lexicalFeatures(label string, x *[NumFeatures]float64) {
	var counts [NumSymbols + 10]uint8 // letters by symbol, digits by value
	var seen uint64                   // bit i set when counts[i] > 0
	var classes [clStart]int          // bytes by class
	var switches, pairs, switchesCV int
	consRun, digitRun, maxCons, maxDigit := 0, 0, 0, 0
	prev := clStart
	for i := 0; i < len(label); i++ {
		c := label[i]
		cl := int(charClass[c])
		slot := countSlot[c]
		counts[slot]++
		seen |= 1 << slot
		classes[cl]++
		consRun = (consRun + 1) * consonantLike[cl]
		maxCons = max(maxCons, consRun)
		if cl == clDigit {
			digitRun++
			maxDigit = max(maxDigit, digitRun)
		} else {
			digitRun = 0
		}
		t := transitions[prev<<3|cl]
		switches += int(t & trDigitSwitch)
		pairs += int(t & trPair >> 1)
		switchesCV += int(t & trCVSwitch >> 2)
		prev = cl
	}
	n := float64(len(label))
	digits, hyphens := classes[clDigit], classes[clHyphen]
	letters := len(label) - digits - hyphens
	// H = log2 n - (1/n) sum k log2 k, summed in slot order
	sumKLogK, unique := 0.0, bits.OnesCount64(seen)
	for ; seen != 0; seen &= seen - 1 {
		sumKLogK += kLog2k[counts[bits.TrailingZeros64(seen)]]
	}
	entropy := kLog2k[len(label)]/n - sumKLogK/n
	x[FeatEntropy] = entropy
	x[FeatDigits] = float64(digits) / n
	if letters > 0 {
		x[FeatVowels] = float64(classes[clVowel]) / float64(letters)
		x[FeatRareLetters] = float64(classes[clRare]) / float64(letters)
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

// coverFeatures finds, by dynamic programming over the label, how many
// characters the best choice of non-overlapping dictionary words covers.
// Covers fit a byte: labels are at most MaxLabel long.
func (m *Model) coverFeatures(label string, x *[NumFeatures]float64) {
	n := len(label)
	words := m.Words
	var best3, best4 [MaxLabel + 1]uint8 // best cover of label[:j]
	longest := 0
	for i := 0; i < n; i++ {
		// Carry the cover past a character no word ends on.
		best3[i+1] = max(best3[i+1], best3[i])
		best4[i+1] = max(best4[i+1], best4[i])
		end := min(n, i+WordMax)
		if i+4 <= n && !m.hasPrefix(label[i:]) {
			end = min(end, i+3) // no word of 4+ letters starts here
		}
		if end-i < WordMin {
			continue
		}
		if m.hasTrigram(label[i], label[i+1], label[i+2]) { // a word of WordMin letters
			longest = max(longest, WordMin)
			best3[i+WordMin] = max(best3[i+WordMin], best3[i]+WordMin)
		}
		if end-i == WordMin {
			continue
		}
		h := fnvStep(fnvStep(fnvStep(fnvOffset, label[i]), label[i+1]), label[i+2])
		for j := i + WordMin; j < end; j++ {
			h = fnvStep(h, label[j])
			if block, mask := bloomBits(h, len(words)); words[block]&mask != mask {
				continue // not a word (Model.hasHash)
			}
			l := j - i + 1
			longest = max(longest, l)
			best3[j+1] = max(best3[j+1], best3[i]+uint8(l))
			best4[j+1] = max(best4[j+1], best4[i]+uint8(l)) // l > WordMin: at least 4
		}
	}
	x[FeatCover3] = float64(best3[n]) / float64(n)
	x[FeatCover4] = float64(best4[n]) / float64(n)
	x[FeatLongestWord] = float64(longest) / float64(n)
}

// coverFeatures tests words of WordMin letters (hasTrigram) apart from
// longer ones, and updates only best3 for them.
var _ [WordMin - 3]struct{}
var _ [3 - WordMin]struct{}
