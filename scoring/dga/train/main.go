// Command train builds nfr's DGA model (scoring/dga/model.bin) from what a
// fresh Debian machine gets from its package archive: word lists (wamerican,
// wbritish, wngerman, wfrench, wspanish, witalian, wdutch, wportuguese,
// wpolish, wswedish, wdanish, wnorwegian, wcatalan) and Hunspell
// dictionaries (hunspell-ru, -tr, -vi, -id, -cs, -ro, -hu), plus the
// project's own generators (scoring/dga/gen), and, when present, the real
// domain lists of -corpus (default ../shared/corpus/domains: dga/*.txt and
// benign/*.txt, one name a line). Its output is the same byte for byte on
// every run with the same inputs:
//
//	go run ./scoring/dga/train -out scoring/dga/model.bin
//
// Without the corpus it trains on generated names and word lists only, and
// says so.
//
// -cv measures honestly what the corpus can show: it splits the corpus into
// -folds folds (each DGA family wholly in one fold; benign names by a hash
// of their label), trains one model per fold on everything else, and
// reports detection per family and flagged rate per benign list on the
// held-out names only, at the default threshold and others, plus
// dga_volume on simulated hosts. -eval DIR scores DIR with one model (the
// embedded one, or the one just trained with -out): figures on data the
// model trained on, which do not count.
package main

import (
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/dga"
	"github.com/netflightrecorder/nfr/scoring/dga/gen"
)

func main() {
	out := flag.String("out", "", "write the trained model here (empty: do not train)")
	english := flag.String("words", "/usr/share/dict/american-english,/usr/share/dict/british-english", "comma-separated English word lists")
	foreign := flag.String("foreign", defaultForeign, "comma-separated word lists of other languages")
	corpusDir := flag.String("corpus", "../shared/corpus/domains", "real domain lists (DIR/dga/*.txt, DIR/benign/*.txt) to train on when present")
	folds := flag.Int("folds", 4, "cross-validation folds (-cv)")
	cv := flag.Bool("cv", false, "cross-validate on -corpus: train one model per fold, report on held-out names only")
	hidden := flag.Int("hidden", 12, "hidden units (0: logistic regression)")
	epochs := flag.Int("epochs", 12, "training epochs")
	seed := flag.Uint64("seed", 1, "generator seed")
	targetFP = flag.Float64("target-fp", defaultTargetFP, "share of fresh generated benign names to score >= 0.5")
	benignWeight = flag.Float64("benign-weight", defaultBenignWeight, "weight of benign examples relative to DGA ones")
	evalDir := flag.String("eval", "", "evaluate the model (trained with -out, else the embedded one) on DIR/dga/*.txt and DIR/benign/*.txt")
	threshold := flag.Float64("threshold", dga.DefaultConfig().Threshold, "score at or above which a name is flagged")
	verbose := flag.Bool("v", false, "list flagged benign and missed DGA names")
	volMin := flag.Float64("volume-min", dga.DefaultConfig().VolumeMinLookups, "dga_volume: weighted lookups (for -eval)")
	nxWeight := flag.Float64("nx-weight", dga.DefaultConfig().NXDomainWeight, "dga_volume: NXDOMAIN weight (for -eval)")
	flag.Parse()

	cfg := dga.DefaultConfig()
	cfg.Threshold = *threshold
	cfg.VolumeMinLookups, cfg.NXDomainWeight = *volMin, *nxWeight
	fail := func(what string, err error) {
		fmt.Fprintf(os.Stderr, "train: %s: %v\n", what, err)
		os.Exit(1)
	}
	c, err := loadCorpus(*corpusDir, *folds)
	if err != nil {
		fail("corpus", err)
	}
	var mat *material
	if *out != "" || *cv {
		if mat, err = prepare(*english, *foreign, *seed); err != nil {
			fail("word lists", err)
		}
	}
	if *cv {
		if c == nil {
			fmt.Printf("dga cross-validation: skipped: no corpus at %s\n", *corpusDir)
		} else if err := crossValidate(c, mat, *hidden, *epochs, *seed, cfg, *verbose); err != nil {
			fail("cross-validation", err)
		}
	}
	var m *dga.Model
	if *out != "" {
		cd := c.trainingData(-1)
		if c != nil {
			cd = cd.withoutLikelyDGA(train(mat, corpusData{}, *hidden, *epochs, *seed), *noiseThreshold)
		}
		fmt.Fprintln(os.Stderr, "train: final model on", cd.note)
		m = train(mat, cd, *hidden, *epochs, *seed)
		if err := write(m, *out); err != nil {
			fail("model", err)
		}
	} else if *evalDir != "" {
		if m, err = dga.EmbeddedModel(); err != nil {
			fail("embedded model", err)
		}
	}
	if *evalDir != "" {
		if err := evaluate(m, *evalDir, *threshold, *verbose); err != nil {
			fail("eval", err)
		}
	}
}

// defaultForeign are the Debian word lists (wngerman, wfrench, wspanish,
// witalian, wdutch, wportuguese, wpolish, wswedish, wdanish, wnorwegian,
// wcatalan) and Hunspell dictionaries (hunspell-ru, -tr, -vi, -id, -cs,
// -ro, -hu) of languages common in domain names.
var defaultForeign = "/usr/share/dict/ngerman,/usr/share/dict/french,/usr/share/dict/spanish," +
	"/usr/share/dict/italian,/usr/share/dict/dutch,/usr/share/dict/portuguese,/usr/share/dict/polish," +
	"/usr/share/dict/swedish,/usr/share/dict/danish,/usr/share/dict/bokmaal,/usr/share/dict/catalan," +
	"/usr/share/hunspell/ru_RU.dic,/usr/share/hunspell/tr_TR.dic,/usr/share/hunspell/vi_VN.dic," +
	"/usr/share/hunspell/id_ID.dic,/usr/share/hunspell/cs_CZ.dic,/usr/share/hunspell/ro_RO.dic," +
	"/usr/share/hunspell/hu_HU.dic"

var benignWeight, targetFP *float64

// defaultTargetFP is 0: no calibration. The threshold is chosen from the
// held-out figures of -cv instead, which calibration to generated benign
// names only distorted.
const defaultTargetFP = 0

func write(m *dga.Model, path string) error {
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "train: wrote %s (%d bytes)\n", path, len(b))
	return nil
}

// loadWords reads comma-separated word lists into one folded list; with
// limit > 0, each list contributes at most limit words (chosen by hash, so
// the choice is stable).
func loadWords(paths string, limit int) ([]string, error) {
	lists, err := loadLists(paths, limit)
	if err != nil {
		return nil, err
	}
	out := slices.Concat(lists...)
	sort.Strings(out)
	return slices.Compact(out), nil
}

// loadLists reads each word list of paths (comma-separated) on its own.
func loadLists(paths string, limit int) ([][]string, error) {
	var out [][]string
	for _, p := range strings.Split(paths, ",") {
		if p == "" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("word list: %w (build/deps.sh installs the w* word list packages)", err)
		}
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			// Hunspell .dic lines are word/FLAGS.
			if j := strings.IndexByte(l, '/'); j >= 0 {
				lines[i] = l[:j]
			}
		}
		w := gen.CleanWords(lines, 2)
		if len(w) < 1000 {
			return nil, fmt.Errorf("word list %s: only %d usable words", p, len(w))
		}
		if limit > 0 && len(w) > limit {
			sort.Slice(w, func(i, j int) bool { return hash(w[i]) < hash(w[j]) })
			w = w[:limit]
		}
		out = append(out, w)
	}
	return out, nil
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// split divides words deterministically: the language model learns from
// part A, the classifier from names built on part B, so the classifier
// sees how the language model scores words it never saw.
func split(words []string) (a, b []string) {
	for _, w := range words {
		if hash(w)%4 == 0 {
			b = append(b, w)
		} else {
			a = append(a, w)
		}
	}
	return a, b
}

// Sizes of the generated data.
const (
	foreignWords        = 12000  // words taken from each non-English list
	lmBenignNames       = 150000 // generated benign labels for the language model
	lmDGAPerFam         = 15000  // generated labels per family for the DGA language model
	fitBenign           = 80000  // generated benign labels for the classifier
	fitDGAPerFam        = 8000   // generated labels per family for the classifier
	defaultBenignWeight = 2.0    // false positives cost more than misses
)

// benignNames generates n benign-looking labels from pool: compounds and
// the like, romanised Chinese and Japanese, infrastructure names.
func benignNames(seed uint64, n int, pool []string, langs [][]string) []string {
	out := make([]string, 0, n)
	for i := 0; len(out) < n; i++ {
		switch i % 10 {
		case 9:
			out = append(out, gen.NativeCompound(seed, i, langs[(i/10)%len(langs)]))
		case 0:
			out = append(out, gen.PinyinLabel(seed, i))
		case 1:
			out = append(out, gen.TechLabel(seed, i, pool))
		case 2:
			if i%20 == 2 {
				out = append(out, gen.RomajiLabel(seed, i))
				continue
			}
			fallthrough
		default:
			out = append(out, gen.BenignLabel(seed, i, pool))
		}
	}
	return out
}

// dgaNames generates n labels per non-wordlist family. Wordlist families
// are left out: their names are made like benign compounds, and training
// on them teaches the model to flag real compound names.
func dgaNames(seed uint64, n int, pool []string) []string {
	var out []string
	for _, f := range gen.Families() {
		if f.Kind == gen.Wordlist && !*trainWordlist || slices.Contains(strings.Split(*skipFamilies, ","), f.Name) {
			continue
		}
		for i := 0; i < n; i++ {
			out = append(out, f.Label(seed, i/100, i, pool))
		}
	}
	return out
}

// material is what every model is trained from apart from the corpus: the
// word lists and the generated names. It does not depend on the fold, so
// cross-validation prepares it once.
type material struct {
	words     []string // every dictionary word, for the word filter
	lmBenign  []string // labels the benign language model learns
	lmDGA     []string // labels the DGA language model learns
	fitBenign []string // benign labels the classifier learns
	fitDGA    []string // DGA labels the classifier learns
	calib     []string // fresh benign labels for calibration
}

func prepare(english, foreign string, seed uint64) (*material, error) {
	en, err := loadWords(english, 0)
	if err != nil {
		return nil, err
	}
	langs, err := loadLists(foreign, foreignWords)
	if err != nil {
		return nil, err
	}
	fo := slices.Concat(langs...)
	enA, enB := split(en)
	foA, foB := split(fo)
	langsA, langsB := make([][]string, len(langs)), make([][]string, len(langs))
	for i, l := range langs {
		langsA[i], langsB[i] = split(l)
	}
	// English counts twice in the pools: most names are English.
	poolA := slices.Concat(enA, enA, foA)
	poolB := slices.Concat(enB, enB, foB)
	seed2 := seed + 1000
	return &material{
		words:     slices.Concat(en, fo),
		lmBenign:  slices.Concat(enA, foA, benignNames(seed, lmBenignNames, poolA, langsA)),
		lmDGA:     dgaNames(seed, lmDGAPerFam, poolA),
		fitBenign: slices.Concat(enB, foB, benignNames(seed2, fitBenign, poolB, langsB)),
		fitDGA:    dgaNames(seed2, fitDGAPerFam, poolB),
		calib:     slices.Concat(enB, benignNames(seed+2000, fitBenign, poolB, langsB)),
	}, nil
}

// Weights of corpus names relative to generated ones: real names are
// scarcer and worth more.
var (
	corpusDGAWeight    = flag.Float64("corpus-dga-weight", 3, "weight of a corpus DGA name relative to a generated one")
	corpusBenignWeight = flag.Float64("corpus-benign-weight", 4, "weight of a corpus benign name relative to a generated one")
	noiseThreshold     = flag.Float64("noise-threshold", 0.97, "leave out of training corpus benign names that a model trained without the corpus scores at least this (0: keep all)")
	trainWordlist      = flag.Bool("train-wordlist", false, "train on the wordlist generator too (experiments: it teaches the model to flag real compound names)")
	ensemble           = flag.Int("ensemble", 1, "networks trained from different seeds whose logits are averaged (stored as one network with their hidden units side by side)")
	corpusLMRepeat     = flag.Int("corpus-lm-repeat", 8, "times each corpus benign name counts in the benign language model")
	skipFamilies       = flag.String("skip-generators", "", "comma-separated generator families not to train on (experiments)")
)

// corpusNames splits the scored names of names by a stable hash of their
// label: half for the language models, half for the
// classifier, so the classifier sees how those score names they never
// learned.
func corpusNames(names []string) (lm, fit []dga.Name) {
	var f scoring.FQDN
	for _, raw := range names {
		f.Parse(raw)
		n := dga.NameOf(&f)
		if n.Label == "" {
			continue
		}
		n.Key = ""
		if hash(n.Label)%2 == 0 {
			lm = append(lm, n)
		} else {
			fit = append(fit, n)
		}
	}
	return lm, fit
}

// repeat returns k copies of s, one after another.
func repeat(s []string, k int) []string {
	var out []string
	for i := 0; i < k; i++ {
		out = append(out, s...)
	}
	return out
}

func labels(names []dga.Name) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n.Label
	}
	return out
}

// altRootShare is the share of generated DGA names given a TLD outside
// the ICANN root: malware is publicly known to register its domains in
// alternative roots (Namecoin's .bit, Emercoin's .coin, .emc, .lib), which
// ordinary names never use.
const altRootShare = 0.03

// train fits a model on mat and the corpus part cd.
func train(mat *material, cd corpusData, hidden, epochs int, seed uint64) *dga.Model {
	benignLM, benignFit := corpusNames(cd.benign)
	var dgaLM, dgaFit []dga.Name
	for _, fam := range cd.families {
		lm, fit := corpusNames(fam)
		dgaLM = append(dgaLM, lm...)
		dgaFit = append(dgaFit, fit...)
	}
	m := &dga.Model{
		Benign4:  trainLMKN(4, slices.Concat(mat.lmBenign, repeat(labels(benignLM), *corpusLMRepeat))),
		DGA3:     trainLM(3, slices.Concat(mat.lmDGA, labels(dgaLM), labels(dgaLM), labels(dgaLM))),
		Words:    make([]uint64, 1<<17),
		Prefixes: make([]uint64, (26*26*26*26+63)/64),
		Hidden:   hidden,
	}
	for _, w := range mat.words {
		m.AddWord(w)
	}
	wb := *benignWeight * float64(len(mat.fitDGA)) / float64(len(mat.fitBenign))
	data := make([]sample, 0, len(mat.fitBenign)+len(mat.fitDGA)+len(benignFit)+len(dgaFit))
	add := func(n dga.Name, isDGA bool, weight float64) {
		s := sample{dga: isDGA, weight: weight}
		m.Features(n, &s.x)
		data = append(data, s)
	}
	for _, l := range mat.fitBenign {
		add(dga.Name{Label: l}, false, wb)
	}
	altEvery := int(math.Round(1 / altRootShare))
	for i, l := range mat.fitDGA {
		add(dga.Name{Label: l, AltRoot: i%altEvery == altEvery-1}, true, 1)
	}
	for _, n := range benignFit {
		add(n, false, wb**corpusBenignWeight)
	}
	for _, n := range dgaFit {
		add(n, true, *corpusDGAWeight)
	}
	standardise(m, data)
	fitEnsemble(m, data, epochs, seed, *ensemble)
	if *targetFP > 0 {
		calibrate(m, mat.calib, *targetFP)
	}
	report(m, data)
	return m
}

// calibrate shifts the network's output so that a share targetFP of the
// given benign labels (fresh ones, not trained on) scores 0.5 or more:
// the default threshold then means that false-positive rate on generated
// benign names.
func calibrate(m *dga.Model, benign []string, targetFP float64) {
	logits := make([]float64, len(benign))
	for i, l := range benign {
		p := m.ScoreLabel(l)
		p = min(max(p, 1e-12), 1-1e-12)
		logits[i] = math.Log(p / (1 - p))
	}
	sort.Float64s(logits)
	cut := logits[min(len(logits)-1, int(float64(len(logits))*(1-targetFP)))]
	m.B2 -= cut
	fmt.Fprintf(os.Stderr, "train: calibrated: output shifted by %.3f so %.2f%% of %d fresh benign names score >= 0.5\n",
		-cut, 100*targetFP, len(benign))
}

// report prints the training-set rates and the network's linear weights.
func report(m *dga.Model, data []sample) {
	var tp, fn, fp, tn int
	for i := range data {
		p := m.Probability(&data[i].x) >= dga.DefaultConfig().Threshold
		switch {
		case data[i].dga && p:
			tp++
		case data[i].dga:
			fn++
		case p:
			fp++
		default:
			tn++
		}
	}
	fmt.Fprintf(os.Stderr, "train: generated data: DGA detected %.2f%% (%d/%d), benign flagged %.3f%% (%d/%d)\n",
		100*float64(tp)/float64(tp+fn), tp, tp+fn, 100*float64(fp)/float64(fp+tn), fp, fp+tn)
}
