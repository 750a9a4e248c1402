package pathsgd

import (
	"math"
	"math/rand/v2"

	"github.com/fastpath-go/fastpath/layers"
)

// Rescale applies a node rescaling to net: for each hidden layer k (the
// output of Network.Dense()[k], k = 0..d-2) and unit v, it multiplies the
// unit's incoming weights (row v of Dense()[k].W) and its bias by
// scales[k][v] and divides its outgoing weights (column v of
// Dense()[k+1].W) by it. For ReLU (and linear) units the network computes
// the same function afterwards, up to the float32 rounding of the new
// weights (the products are formed in float64 and rounded once). It panics
// unless scales has one slice per hidden layer, of the layer's width, with
// finite positive entries.
func Rescale(net *layers.Network, scales [][]float64) {
	if net == nil {
		panic(errNilNet)
	}
	dense := net.Dense()
	if len(scales) != len(dense)-1 {
		panic(errScales)
	}
	for k, s := range scales {
		if len(s) != dense[k].OutSize() {
			panic(errScales)
		}
		for _, c := range s {
			if !(c > 0) || math.IsInf(c, 0) {
				panic(errScale)
			}
		}
	}
	for k, s := range scales {
		in, out := dense[k], dense[k+1]
		for v, c := range s {
			row := in.W.Data[v*in.W.Stride : v*in.W.Stride+in.W.Cols]
			for u, w := range row {
				row[u] = float32(float64(w) * c)
			}
			in.B[v] = float32(float64(in.B[v]) * c)
		}
		for y := 0; y < out.W.Rows; y++ {
			row := out.W.Data[y*out.W.Stride : y*out.W.Stride+out.W.Cols]
			for v, c := range s {
				row[v] = float32(float64(row[v]) / c)
			}
		}
	}
}

// InitBalanced sets net to the thesis's balanced initialisation: every
// weight W_i[v,u] ~ N(0, 1/fan_in), biases zero (layers.InitBalanced, with
// layer k drawn from the PCG stream (seed, k)).
func Balanced(net *layers.Network, seed uint64) {
	if net == nil {
		panic(errNilNet)
	}
	net.Initialize(layers.InitBalanced, seed)
}

// InitUnbalanced sets net to the thesis's unbalanced initialisation: the
// balanced one (InitBalanced with seed), then in each hidden layer of
// width h, h/4 times (rounded down): pick a unit uniformly at random, with
// replacement, draw s = 10 * exp(N(0, 1)), multiply the unit's incoming
// weights and bias by s and divide its outgoing weights by s. The network
// computes the same function as the balanced one (up to float32 rounding);
// the returned scales (the product of the draws per unit, 1 for units never
// picked) are those passed to Rescale. The draws of hidden layer k come
// from the PCG stream (seed, 1<<32 + k).
func Unbalanced(net *layers.Network, seed uint64) [][]float64 {
	Balanced(net, seed)
	scales := UnbalancedScales(net, seed)
	Rescale(net, scales)
	return scales
}

// UnbalancedScales returns the unit scales InitUnbalanced applies to a
// network of net's shape for seed, without changing net.
func UnbalancedScales(net *layers.Network, seed uint64) [][]float64 {
	if net == nil {
		panic(errNilNet)
	}
	dense := net.Dense()
	scales := make([][]float64, len(dense)-1)
	for k := range scales {
		h := dense[k].OutSize()
		s := make([]float64, h)
		fill(s, 1)
		r := rand.New(rand.NewPCG(seed, 1<<32+uint64(k)))
		for range h / 4 {
			v := r.IntN(h)
			s[v] *= 10 * math.Exp(r.NormFloat64())
		}
		scales[k] = s
	}
	return scales
}
