package main

import (
	"math"
	"testing"

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
