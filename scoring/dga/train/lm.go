package main

import (
	"math"

	"github.com/netflightrecorder/nfr/scoring/dga"
)

// trainLM fits a character n-gram model of the given order over labels
// (each padded with boundary symbols) with Witten-Bell interpolation down
// to an add-one unigram, and returns the dense table of quantized
// surprisals indexed like dga.Model.Benign4 (order 4) or DGA3 (order 3).
func trainLM(order int, labels []string) []uint8 {
	const N = dga.NumSymbols
	counts := ngramCounts(order, labels) // counts[k]: (k+1)-grams, dense
	// prob[k] is the interpolated probability table of (k+1)-grams.
	prob := make([][]float64, order)
	uni := make([]float64, N)
	var total float64
	for _, c := range counts[0] {
		total += c
	}
	for d := 0; d < N; d++ {
		uni[d] = (counts[0][d] + 1) / (total + N)
	}
	prob[0] = uni
	for k := 1; k < order; k++ {
		c := counts[k]
		p := make([]float64, len(c))
		lower := prob[k-1]
		for h := 0; h < len(c)/N; h++ { // h is the context index
			row := c[h*N : (h+1)*N]
			var sum, types float64
			for _, v := range row {
				sum += v
				if v > 0 {
					types++
				}
			}
			// The lower-order context drops the oldest symbol.
			lowCtx := h % (len(c) / N / N * 1)
			if k == 1 {
				lowCtx = 0
			}
			for d := 0; d < N; d++ {
				pl := lower[lowCtx*N+d]
				if sum == 0 {
					p[h*N+d] = pl
					continue
				}
				p[h*N+d] = (row[d] + types*pl) / (sum + types)
			}
		}
		prob[k] = p
	}
	top := prob[order-1]
	out := make([]uint8, len(top))
	for i, p := range top {
		q := math.Round(-math.Log2(p) * dga.QuantStep)
		out[i] = uint8(min(q, 255))
	}
	return out
}

// trainLMKN is trainLM with interpolated Kneser-Ney smoothing (discount
// 0.75): lower orders use continuation counts (how many different symbols
// precede an n-gram) rather than raw counts.
func trainLMKN(order int, labels []string) []uint8 {
	const N = dga.NumSymbols
	const D = 0.75
	counts := ngramCounts(order, labels)
	// cont[k] holds continuation counts of (k+1)-grams, from counts[k+1].
	cont := make([][]float64, order)
	for k := 0; k < order-1; k++ {
		cont[k] = make([]float64, len(counts[k]))
		for idx, c := range counts[k+1] {
			if c > 0 {
				cont[k][idx%len(counts[k])]++
			}
		}
	}
	cont[order-1] = counts[order-1]
	// Unigram: continuation counts, with one added so every symbol has mass.
	prob := make([]float64, N)
	var total float64
	for d := 0; d < N; d++ {
		total += cont[0][d] + 1
	}
	for d := 0; d < N; d++ {
		prob[d] = (cont[0][d] + 1) / total
	}
	for k := 1; k < order; k++ {
		c := cont[k]
		p := make([]float64, len(c))
		lowSize := len(c) / N / N
		for h := 0; h < len(c)/N; h++ {
			row := c[h*N : (h+1)*N]
			var sum, types float64
			for _, v := range row {
				sum += v
				if v > 0 {
					types++
				}
			}
			low := prob[(h%lowSize)*N : (h%lowSize+1)*N]
			for d := 0; d < N; d++ {
				if sum == 0 {
					p[h*N+d] = low[d]
					continue
				}
				p[h*N+d] = max(row[d]-D, 0)/sum + D*types/sum*low[d]
			}
		}
		prob = p
	}
	out := make([]uint8, len(prob))
	for i, p := range prob {
		out[i] = uint8(min(math.Round(-math.Log2(p)*dga.QuantStep), 255))
	}
	return out
}

// ngramCounts returns dense counts of 1- to order-grams over the padded labels.
func ngramCounts(order int, labels []string) [][]float64 {
	const N = dga.NumSymbols
	counts := make([][]float64, order)
	size := N
	for k := 0; k < order; k++ {
		counts[k] = make([]float64, size)
		size *= N
	}
	ctx := make([]int, order)
	for _, l := range labels {
		clear(ctx)
		for i := 0; i <= len(l); i++ {
			d := 0
			if i < len(l) {
				d = dga.Symbol(l[i])
			}
			idx, mult := d, N
			counts[0][idx]++
			for k := 1; k < order; k++ {
				idx += ctx[order-k] * mult
				mult *= N
				counts[k][idx]++
			}
			copy(ctx, ctx[1:])
			ctx[order-1] = d
		}
	}
	return counts
}
