package pathsgd

import (
	"math"
	"math/rand/v2"
)

// DDPNet is a ReLU network with DDP-Normalization: every hidden
// pre-activation is divided by its data-dependent path scale,
//
//	z_v = W[v,:] a + b_v,  gamma_v^2 = alpha E[z_v^2] + (1-alpha) (||W[v,:]||^2 + b_v^2),
//	a_v = relu(z_v / gamma_v),
//
// where a holds the previous layer's normalized outputs (or the inputs),
// whose gamma is 1 by construction: the network is the plain one
// reparametrized so that every hidden unit has gamma_v = 1 in the recursion
// of the package documentation. alpha = 1 is batch normalization without
// centring or affine parameters (E[z_v^2] of the mini-batch); alpha = 0 is
// weight normalization of (W[v,:], b_v). The output layer is not
// normalized. In training mode E[z_v^2] is the mini-batch mean and the
// gradient flows through gamma (as in batch normalization); Forward in
// training mode also updates running averages of E[z_v^2], which inference
// mode uses in its place.
//
// The normalized network's symmetry is the rescaling of a hidden unit's
// incoming weights and bias by any c > 0 (z_v and gamma_v both scale by c,
// and the running average by c^2): its function values are unchanged, for
// every alpha (tested). It is a float64 reference model (small networks,
// batches as [][]float64 rows), not a layers.Network.
type DDPNet struct {
	// Sizes are the layer sizes, input first.
	Sizes []int
	// W[k] is Sizes[k+1] x Sizes[k], row-major; B[k] has Sizes[k+1]
	// elements. DW and DB are the gradients of the last Gradient call.
	W, B, DW, DB [][]float64
	// Alpha in [0, 1] mixes the batch second moments and the weight norm.
	Alpha float64
	// Decay is the running averages' factor: run = Decay*run +
	// (1-Decay)*batch (0 means 0.9). The first training batch sets them.
	Decay float64

	run     [][]float64 // running E[z_v^2] per hidden layer
	haveRun bool
}

// NewDDPNet returns a DDP-normalized network with N(0, 1/fan_in) weights
// (PCG stream (seed, k) for layer k) and zero biases. It panics unless
// there are at least two positive sizes and alpha is in [0, 1].
func NewDDPNet(sizes []int, alpha float64, seed uint64) *DDPNet {
	if len(sizes) < 2 {
		panic(errDDPSizes)
	}
	for _, s := range sizes {
		if s < 1 {
			panic(errDDPSizes)
		}
	}
	if !(alpha >= 0 && alpha <= 1) {
		panic(errAlpha)
	}
	n := &DDPNet{Sizes: append([]int(nil), sizes...), Alpha: alpha}
	for k := 0; k+1 < len(sizes); k++ {
		in, out := sizes[k], sizes[k+1]
		r := rand.New(rand.NewPCG(seed, uint64(k)))
		w := make([]float64, in*out)
		for i := range w {
			w[i] = r.NormFloat64() / math.Sqrt(float64(in))
		}
		n.W = append(n.W, w)
		n.B = append(n.B, make([]float64, out))
		n.DW = append(n.DW, make([]float64, in*out))
		n.DB = append(n.DB, make([]float64, out))
		if k+2 < len(sizes) {
			n.run = append(n.run, make([]float64, out))
		}
	}
	return n
}

// ddpCache holds one training forward pass for the backward pass.
type ddpCache struct {
	a     [][][]float64 // a[k]: input of layer k per example
	z     [][][]float64 // z[k]: pre-activation of layer k
	gamma [][]float64   // gamma of hidden layer k
}

// Forward returns the logits of the rows of x. With train, gamma uses the
// mini-batch's E[z_v^2] and the running averages are updated; otherwise
// the running averages are used (a network never run in training mode
// uses E[z_v^2] = 0 then, which only matters for alpha > 0). It panics if
// a row's length differs from Sizes[0].
func (n *DDPNet) Forward(x [][]float64, train bool) [][]float64 {
	c := n.forward(x, train)
	return c.z[len(c.z)-1]
}

func (n *DDPNet) forward(x [][]float64, train bool) *ddpCache {
	for _, row := range x {
		if len(row) != n.Sizes[0] {
			panic(errDDPShape)
		}
	}
	d := len(n.W)
	c := &ddpCache{}
	cur := x
	decay := n.Decay
	if decay == 0 {
		decay = 0.9
	}
	for k := 0; k < d; k++ {
		in, out := n.Sizes[k], n.Sizes[k+1]
		c.a = append(c.a, cur)
		z := make([][]float64, len(x))
		for e := range x {
			z[e] = make([]float64, out)
			for v := 0; v < out; v++ {
				s := n.B[k][v]
				for u := 0; u < in; u++ {
					s += n.W[k][v*in+u] * cur[e][u]
				}
				z[e][v] = s
			}
		}
		c.z = append(c.z, z)
		if k == d-1 {
			break
		}
		gamma := make([]float64, out)
		for v := 0; v < out; v++ {
			m := 0.0
			if train {
				for e := range x {
					m += z[e][v] * z[e][v]
				}
				if len(x) > 0 {
					m /= float64(len(x))
				}
				if n.haveRun {
					n.run[k][v] = decay*n.run[k][v] + (1-decay)*m
				} else {
					n.run[k][v] = m
				}
			} else {
				m = n.run[k][v]
			}
			p := n.B[k][v] * n.B[k][v]
			for u := 0; u < in; u++ {
				p += n.W[k][v*in+u] * n.W[k][v*in+u]
			}
			gamma[v] = math.Sqrt(n.Alpha*m + (1-n.Alpha)*p)
		}
		c.gamma = append(c.gamma, gamma)
		next := make([][]float64, len(x))
		for e := range x {
			next[e] = make([]float64, out)
			for v := 0; v < out; v++ {
				if gamma[v] > 0 {
					next[e][v] = math.Max(z[e][v]/gamma[v], 0)
				}
			}
		}
		cur = next
	}
	if train && d > 1 {
		n.haveRun = true
	}
	return c
}

// Gradient runs a training forward pass on x, sets DW and DB to the
// gradient of the mean softmax cross-entropy against y (through the batch
// statistics and the weight norms in gamma) and returns the loss. A unit
// with gamma = 0 passes no gradient. It panics if y's length differs from
// x's or a label is out of range.
func (n *DDPNet) Gradient(x [][]float64, y []int) float64 {
	if len(y) != len(x) {
		panic(errDDPLabels)
	}
	d := len(n.W)
	classes := n.Sizes[d]
	for _, l := range y {
		if l < 0 || l >= classes {
			panic(errDDPLabel)
		}
	}
	c := n.forward(x, true)
	bs := float64(len(x))
	loss := 0.0
	dz := make([][]float64, len(x))
	for e, zl := range c.z[d-1] {
		m := math.Inf(-1)
		for _, v := range zl {
			m = math.Max(m, v)
		}
		s := 0.0
		for _, v := range zl {
			s += math.Exp(v - m)
		}
		lse := m + math.Log(s)
		loss += lse - zl[y[e]]
		dz[e] = make([]float64, classes)
		for j, v := range zl {
			dz[e][j] = math.Exp(v-lse) / bs
		}
		dz[e][y[e]] -= 1 / bs
	}
	for k := d - 1; k >= 0; k-- {
		in, out := n.Sizes[k], n.Sizes[k+1]
		clear(n.DW[k])
		clear(n.DB[k])
		if k < d-1 {
			// dz holds dL/da of this hidden layer: through the ReLU and
			// the normalization a = relu(z/gamma).
			gamma := c.gamma[k]
			z := c.z[k]
			for v := 0; v < out; v++ {
				if !(gamma[v] > 0) {
					for e := range x {
						dz[e][v] = 0
					}
					continue
				}
				// dL/dn, then dL/dgamma = -sum_e dL/dn z / gamma^2.
				dgamma := 0.0
				for e := range x {
					if z[e][v] <= 0 {
						dz[e][v] = 0
					}
					dgamma -= dz[e][v] * z[e][v] / (gamma[v] * gamma[v])
				}
				// dL/dz = dL/dn / gamma + dL/dgamma * alpha z / (n gamma).
				for e := range x {
					dz[e][v] = dz[e][v]/gamma[v] + dgamma*n.Alpha*z[e][v]/(bs*gamma[v])
				}
				// The weight-norm term of gamma.
				g := dgamma * (1 - n.Alpha) / gamma[v]
				for u := 0; u < in; u++ {
					n.DW[k][v*in+u] += g * n.W[k][v*in+u]
				}
				n.DB[k][v] += g * n.B[k][v]
			}
		}
		for e := range x {
			for v := 0; v < out; v++ {
				n.DB[k][v] += dz[e][v]
				for u := 0; u < in; u++ {
					n.DW[k][v*in+u] += dz[e][v] * c.a[k][e][u]
				}
			}
		}
		if k == 0 {
			break
		}
		prev := make([][]float64, len(x))
		for e := range x {
			prev[e] = make([]float64, in)
			for u := 0; u < in; u++ {
				s := 0.0
				for v := 0; v < out; v++ {
					s += n.W[k][v*in+u] * dz[e][v]
				}
				prev[e][u] = s
			}
		}
		dz = prev
	}
	return loss / bs
}

// Step applies plain SGD, w -= lr * dL/dw, with the last gradients.
func (n *DDPNet) Step(lr float64) {
	for k := range n.W {
		for i := range n.W[k] {
			n.W[k][i] -= lr * n.DW[k][i]
		}
		for i := range n.B[k] {
			n.B[k][i] -= lr * n.DB[k][i]
		}
	}
}
