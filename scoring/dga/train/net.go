package main

import (
	"math"
	"math/rand/v2"

	"github.com/netflightrecorder/nfr/scoring/dga"
)

const nf = dga.NumFeatures

// sample is one training example.
type sample struct {
	x      [nf]float64
	dga    bool
	weight float64
}

// standardise sets m.Mean and m.Scale from the samples.
func standardise(m *dga.Model, data []sample) {
	var sum, sq [nf]float64
	for i := range data {
		for j, v := range data[i].x {
			sum[j] += v
			sq[j] += v * v
		}
	}
	n := float64(len(data))
	for j := 0; j < nf; j++ {
		mean := sum[j] / n
		sd := math.Sqrt(max(sq[j]/n-mean*mean, 0))
		m.Mean[j] = mean
		m.Scale[j] = 1
		if sd > 1e-9 {
			m.Scale[j] = 1 / sd
		}
	}
}

// fitNetwork trains m's network (m.Hidden tanh units, or a logistic
// regression with 0) by mini-batch Adam on weighted cross-entropy with L2
// decay. Deterministic for a given seed.
func fitNetwork(m *dga.Model, data []sample, epochs int, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 17))
	H := m.Hidden
	in := nf
	if H > 0 {
		in = H
	}
	m.W1 = make([]float64, H*nf)
	m.B1 = make([]float64, H)
	m.W2 = make([]float64, in)
	m.B2 = 0
	for i := range m.W1 {
		m.W1[i] = r.NormFloat64() / math.Sqrt(nf)
	}
	for i := range m.W2 {
		m.W2[i] = r.NormFloat64() / math.Sqrt(float64(in)) * 0.1
	}
	params := [][]float64{m.W1, m.B1, m.W2, {m.B2}}
	grads := make([][]float64, len(params))
	adamM := make([][]float64, len(params))
	adamV := make([][]float64, len(params))
	for i, p := range params {
		grads[i] = make([]float64, len(p))
		adamM[i] = make([]float64, len(p))
		adamV[i] = make([]float64, len(p))
	}
	const (
		batch = 256
		lr    = 0.003
		l2    = 1e-5
		b1    = 0.9
		b2    = 0.999
	)
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	hidden := make([]float64, H)
	pre := make([]float64, H)
	var z [nf]float64
	step := 0
	for epoch := 0; epoch < epochs; epoch++ {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for start := 0; start < len(order); start += batch {
			for _, g := range grads {
				clear(g)
			}
			end := min(start+batch, len(order))
			for _, idx := range order[start:end] {
				s := &data[idx]
				for j := range z {
					z[j] = (s.x[j] - m.Mean[j]) * m.Scale[j]
				}
				out := params[3][0]
				if H == 0 {
					for j, w := range m.W2 {
						out += w * z[j]
					}
				} else {
					for h := 0; h < H; h++ {
						a := m.B1[h]
						for j := 0; j < nf; j++ {
							a += m.W1[h*nf+j] * z[j]
						}
						pre[h] = a
						hidden[h] = dga.Tanh(a)
						out += m.W2[h] * hidden[h]
					}
				}
				p := 1 / (1 + math.Exp(-out))
				y := 0.0
				if s.dga {
					y = 1
				}
				g := (p - y) * s.weight
				grads[3][0] += g
				if H == 0 {
					for j := range m.W2 {
						grads[2][j] += g * z[j]
					}
					continue
				}
				for h := 0; h < H; h++ {
					grads[2][h] += g * hidden[h]
					gh := g * m.W2[h] * tanhGrad(pre[h])
					grads[1][h] += gh
					for j := 0; j < nf; j++ {
						grads[0][h*nf+j] += gh * z[j]
					}
				}
			}
			step++
			scale := 1 / float64(end-start)
			c1 := 1 - math.Pow(b1, float64(step))
			c2 := 1 - math.Pow(b2, float64(step))
			for i, p := range params {
				for j := range p {
					g := grads[i][j]*scale + l2*p[j]
					adamM[i][j] = b1*adamM[i][j] + (1-b1)*g
					adamV[i][j] = b2*adamV[i][j] + (1-b2)*g*g
					p[j] -= lr * (adamM[i][j] / c1) / (math.Sqrt(adamV[i][j]/c2) + 1e-8)
				}
			}
		}
	}
	m.B2 = params[3][0]
}

// tanhGrad is the derivative of dga.Tanh.
func tanhGrad(x float64) float64 {
	if x >= 3 || x <= -3 {
		return 0
	}
	x2 := x * x
	d := 27 + 9*x2
	return ((27+3*x2)*d - x*(27+x2)*18*x) / (d * d)
}

// fitEnsemble trains k networks of m.Hidden units from seeds seed..seed+k-1
// and stores their logit average in m as one network of k*m.Hidden units:
// averaging logits is a sum over all hidden units with the output weights
// divided by k. With k <= 1 it is fitNetwork.
func fitEnsemble(m *dga.Model, data []sample, epochs int, seed uint64, k int) {
	if k <= 1 || m.Hidden == 0 {
		fitNetwork(m, data, epochs, seed)
		return
	}
	h := m.Hidden
	var w1, b1, w2 []float64
	b2 := 0.0
	for i := 0; i < k; i++ {
		m.Hidden = h
		fitNetwork(m, data, epochs, seed+uint64(i))
		w1 = append(w1, m.W1...)
		b1 = append(b1, m.B1...)
		for _, w := range m.W2 {
			w2 = append(w2, w/float64(k))
		}
		b2 += m.B2 / float64(k)
	}
	m.Hidden, m.W1, m.B1, m.W2, m.B2 = h*k, w1, b1, w2, b2
}
