package dga

import "math"

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

func (m *Model) languageFeatures(label string, x *[NumFeatures]float64) {
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

// cvClass is 1 for a consonant, 2 for a vowel (y included), 0 otherwise.
var cvClass = [...]int{clOther: 0, clDigit: 0, clHyphen: 0, clVowel: 2, clY: 2, clCons: 1, clRare: 1}

func lexicalFeatures(label string, x *[NumFeatures]float64) {
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
		cv := cvClass[cl]
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

// coverFeatures finds, by dynamic programming over the label, how many
// characters the best choice of non-overlapping dictionary words covers.
func (m *Model) coverFeatures(label string, x *[NumFeatures]float64) {
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
