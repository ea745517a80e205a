package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"

	"github.com/netflightrecorder/nfr/scoring/dga"
)

// Every context's distribution must sum to 1 (within quantization error)
// and seen continuations must be likelier than unseen ones.
func TestLanguageModelsNormalised(t *testing.T) {
	labels := []string{"river", "riverside", "rivers", "stone", "stonewall", "garden", "gardener", "web2024", "my-shop"}
	const N = dga.NumSymbols
	for name, table := range map[string][]uint8{"wb4": trainLM(4, labels), "kn4": trainLMKN(4, labels)} {
		for _, ctx := range [][3]int{{0, 0, 0}, {dga.Symbol('r'), dga.Symbol('i'), dga.Symbol('v')}, {dga.Symbol('q'), dga.Symbol('x'), dga.Symbol('z')}} {
			sum := 0.0
			base := ((ctx[0]*N+ctx[1])*N + ctx[2]) * N
			for d := 0; d < N; d++ {
				sum += math.Exp2(-float64(table[base+d]) / dga.QuantStep)
			}
			if math.Abs(sum-1) > 0.05 {
				t.Errorf("%s: context %v sums to %.3f", name, ctx, sum)
			}
		}
		riv := ((dga.Symbol('r')*N+dga.Symbol('i'))*N + dga.Symbol('v')) * N
		if table[riv+dga.Symbol('e')] >= table[riv+dga.Symbol('q')] {
			t.Errorf("%s: 'e' after 'riv' is not likelier than 'q'", name)
		}
	}
}

// A network trained on separable data separates it, and calibration puts
// the requested share of benign samples at or above 0.5.
func TestFitAndCalibrate(t *testing.T) {
	m, words, data := tinyModelData(t)
	for i := range data {
		p := m.Probability(&data[i].x)
		if (p >= 0.5) != data[i].dga {
			t.Errorf("sample %d (dga=%v) scored %.3f", i, data[i].dga, p)
		}
	}
	calibrate(m, words, 0.3)
	flagged := 0
	for _, w := range words {
		if m.ScoreLabel(w) >= 0.5 {
			flagged++
		}
	}
	if flagged < 2 || flagged > 4 {
		t.Errorf("after calibrating to 30%%, %d of %d benign words score >= 0.5", flagged, len(words))
	}
	if _, err := m.MarshalBinary(); err != nil {
		t.Fatal(err)
	}
}

// writeCorpus writes a small corpus in the layout of ../shared/corpus/domains.
func writeCorpus(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Each family is held out in exactly one fold, every benign name in
// exactly one, names with the same label in the same one, and a fold's
// training data holds nothing of that fold.
func TestCorpusFolds(t *testing.T) {
	var benign strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&benign, "site%d.com\nwww.site%d.net\n", i, i)
	}
	dir := writeCorpus(t, map[string]string{
		"dga/alpha.txt": "xkqzvb.com\nqwzxkv.net\n", "dga/beta.txt": "bcdfgh.org\n",
		"dga/gamma.txt": "zzqqxx.ru\n# comment\n\n", "benign/list.txt": benign.String(),
	})
	c, err := loadCorpus(dir, 2)
	if err != nil || c == nil {
		t.Fatal(c, err)
	}
	if len(c.families) != 3 || c.families[0].fold != 0 || c.families[1].fold != 1 || c.families[2].fold != 0 || len(c.families[2].names) != 1 {
		t.Fatalf("families: %+v", c.families)
	}
	heldOut := 0
	for fold := 0; fold < 2; fold++ {
		d := c.trainingData(fold)
		for _, fam := range d.families {
			for _, f := range c.families {
				if f.fold == fold && slices.Equal(f.names, fam) {
					t.Errorf("fold %d trains on its held-out family %s", fold, f.name)
				}
			}
		}
		for _, n := range d.benign {
			if c.benignFold(n) == fold {
				t.Errorf("fold %d trains on its held-out benign name %s", fold, n)
			}
		}
		heldOut += 400 - len(d.benign)
	}
	if heldOut != 400 {
		t.Errorf("benign names held out %d times in all, want each once (400)", heldOut)
	}
	for i := 0; i < 200; i++ {
		if c.benignFold(fmt.Sprintf("site%d.com", i)) != c.benignFold(fmt.Sprintf("www.site%d.net", i)) {
			t.Fatalf("site%d: same label in different folds", i)
		}
	}
	if c, err := loadCorpus(filepath.Join(dir, "absent"), 2); c != nil || err != nil {
		t.Errorf("absent corpus: %v %v, want nil, nil", c, err)
	}
	if d := (*corpus)(nil).trainingData(-1); len(d.benign)+len(d.families) != 0 || !strings.Contains(d.note, "no corpus") {
		t.Errorf("nil corpus trains on %+v", d)
	}
}

// The noise filter drops exactly the benign names the model scores at or
// above the threshold.
func TestWithoutLikelyDGA(t *testing.T) {
	m := tinyModel(t)
	d := corpusData{benign: []string{"river.com", "stone.net", "xkqzjvwq.com", "qzxvkjzz.org"}}
	kept := d.withoutLikelyDGA(m, 0.5)
	var f scoring.FQDN
	for _, n := range d.benign {
		f.Parse(n)
		if (m.Score(&f) < 0.5) != slices.Contains(kept.benign, n) {
			t.Errorf("%s (score %.3f): kept=%v", n, m.Score(&f), slices.Contains(kept.benign, n))
		}
	}
	if len(kept.benign) != 2 {
		t.Errorf("kept %v, want the two words", kept.benign)
	}
	if all := d.withoutLikelyDGA(m, 0); len(all.benign) != 4 {
		t.Errorf("threshold 0 dropped names: %v", all.benign)
	}
}

// An ensemble is stored as one network whose logit is the mean of its
// members' logits.
func TestFitEnsembleAveragesLogits(t *testing.T) {
	base := tinyModel(t)
	var data []sample
	for i, l := range []string{"river", "stone", "garden", "xkqzjvwq", "qzxvkjzz", "zjqxkvqx"} {
		s := sample{dga: i >= 3, weight: 1}
		base.Features(dga.Name{Label: l}, &s.x)
		data = append(data, s)
	}
	logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
	members := make([]dga.Model, 2)
	for i := range members {
		members[i] = *base
		members[i].Hidden = 3
		fitNetwork(&members[i], data, 20, 5+uint64(i))
	}
	ens := *base
	ens.Hidden = 3
	fitEnsemble(&ens, data, 20, 5, 2)
	if ens.Hidden != 6 || len(ens.W1) != 6*dga.NumFeatures {
		t.Fatalf("ensemble has %d hidden units", ens.Hidden)
	}
	for i := range data {
		want := (logit(members[0].Probability(&data[i].x)) + logit(members[1].Probability(&data[i].x))) / 2
		if got := logit(ens.Probability(&data[i].x)); math.Abs(got-want) > 1e-9 {
			t.Errorf("sample %d: ensemble logit %v, want mean %v", i, got, want)
		}
	}
}

// tinyModel is a model trained on a handful of words and random strings.
func tinyModel(t *testing.T) *dga.Model {
	m, _, _ := tinyModelData(t)
	return m
}

// tinyModelData is tinyModel with the benign words and the samples it
// was trained on.
func tinyModelData(t *testing.T) (*dga.Model, []string, []sample) {
	t.Helper()
	words := []string{"river", "stone", "garden", "market", "yellow", "bridge", "winter", "castle", "apple", "light"}
	m := &dga.Model{
		Benign4:  trainLMKN(4, words),
		DGA3:     trainLM(3, []string{"xkqzjv", "qzxvkj", "zjqxkv", "vkzqjx"}),
		Words:    make([]uint64, 1<<10),
		Prefixes: make([]uint64, (26*26*26*26+63)/64),
		Hidden:   4,
	}
	for _, w := range words {
		m.AddWord(w)
	}
	var data []sample
	for i, l := range append(append([]string{}, words...), "xkqzjvwq", "qzxvkjzz", "zjqxkvqx", "vkzqjxwz", "wqxzkjvq") {
		s := sample{dga: i >= len(words), weight: 1}
		m.Features(dga.Name{Label: l}, &s.x)
		data = append(data, s)
	}
	standardise(m, data)
	fitNetwork(m, data, 300, 1)
	return m, words, data
}

// The label-noise audit finds a band where flags cluster, and only then.
func TestDenseBands(t *testing.T) {
	spread := make([]scored, 0, 4000)
	for r := 0; r < 4000; r++ {
		s := 0.0
		if r%250 == 0 { // 2 flags in every band of 500
			s = 1
		}
		spread = append(spread, scored{score: s, rank: r})
	}
	bands := flaggedPerBand(spread, 0.5, 4000)
	if !slices.Equal(bands, []int{2, 2, 2, 2, 2, 2, 2, 2}) {
		t.Fatalf("bands = %v", bands)
	}
	if d := denseBands(bands); d != nil {
		t.Errorf("evenly spread flags: dense bands %v", d)
	}
	for r := 2600; r < 2700; r += 2 { // a batch of 50 generated names
		spread[r].score = 1
	}
	bands = flaggedPerBand(spread, 0.5, 4000)
	if d := denseBands(bands); !slices.Equal(d, []int{5}) {
		t.Errorf("a batch in ranks 2600-2700: dense bands %v, want [5] (bands %v)", d, bands)
	}
}
