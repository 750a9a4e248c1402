package layers

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
)

// naive is an independent float64 model of a Network, written with plain
// loops: it shares no code with the package beyond reading the layers'
// shapes, parameters and the dropout masks of the last training pass.
type naive struct {
	kinds []string    // "dense", "relu" or "dropout"
	relu  []bool      // dense: fused ReLU
	w     [][]float64 // dense: out x in, row-major
	b     [][]float64
	in    []int
	out   []int
	mask  [][]float64 // dropout: rows x size multipliers (nil: identity)
}

func newNaive(n *Network, train bool) *naive {
	m := &naive{}
	for _, l := range n.Layers() {
		m.in = append(m.in, l.InSize())
		m.out = append(m.out, l.OutSize())
		var w, b, mask []float64
		relu := false
		switch l := l.(type) {
		case *Dense:
			m.kinds = append(m.kinds, "dense")
			relu = l.ReLU
			for r := 0; r < l.W.Rows; r++ {
				for c := 0; c < l.W.Cols; c++ {
					w = append(w, float64(l.W.Data[r*l.W.Stride+c]))
				}
			}
			for _, v := range l.B {
				b = append(b, float64(v))
			}
		case *ReLU:
			m.kinds = append(m.kinds, "relu")
		case *Dropout:
			m.kinds = append(m.kinds, "dropout")
			if train && l.masked {
				for _, v := range l.mask[:n.rows*l.size] {
					mask = append(mask, float64(v))
				}
			}
		}
		m.relu = append(m.relu, relu)
		m.w = append(m.w, w)
		m.b = append(m.b, b)
		m.mask = append(m.mask, mask)
	}
	return m
}

// lossGrad returns the mean cross-entropy of x (rows x in, as float64) and,
// per dense layer (in layer order), the gradients of W and b; it also
// returns the smallest |pre-activation| of any ReLU, the distance to a kink.
func (m *naive) lossGrad(x [][]float64, y []int) (loss float64, dw, db [][]float64, margin float64) {
	rows := len(x)
	margin = math.Inf(1)
	acts := [][][]float64{x} // input of each layer
	pre := make([][][]float64, len(m.kinds))
	a := x
	for l, kind := range m.kinds {
		next := make([][]float64, rows)
		for r := range next {
			next[r] = make([]float64, m.out[l])
			switch kind {
			case "dense":
				z := make([]float64, m.out[l])
				for v := range z {
					s := m.b[l][v]
					for u := 0; u < m.in[l]; u++ {
						s += m.w[l][v*m.in[l]+u] * a[r][u]
					}
					z[v] = s
					if m.relu[l] {
						margin = math.Min(margin, math.Abs(s))
						s = math.Max(s, 0)
					}
					next[r][v] = s
				}
				if pre[l] == nil {
					pre[l] = make([][]float64, rows)
				}
				pre[l][r] = z
			case "relu":
				for v := range next[r] {
					if a[r][v] != 0 { // exact zeros are dropped units: perturbations keep them zero
						margin = math.Min(margin, math.Abs(a[r][v]))
					}
					next[r][v] = math.Max(a[r][v], 0)
				}
			case "dropout":
				for v := range next[r] {
					next[r][v] = a[r][v]
					if m.mask[l] != nil {
						next[r][v] *= m.mask[l][r*m.out[l]+v]
					}
				}
			}
		}
		a = next
		acts = append(acts, a)
	}
	// Softmax cross-entropy and its gradient.
	k := len(a[0])
	d := make([][]float64, rows)
	for r := range a {
		mx := math.Inf(-1)
		for _, v := range a[r] {
			mx = math.Max(mx, v)
		}
		s := 0.0
		for _, v := range a[r] {
			s += math.Exp(v - mx)
		}
		lse := mx + math.Log(s)
		loss += (lse - a[r][y[r]]) / float64(rows)
		d[r] = make([]float64, k)
		for j, v := range a[r] {
			d[r][j] = math.Exp(v - lse)
			if j == y[r] {
				d[r][j]--
			}
			d[r][j] /= float64(rows)
		}
	}
	// Backward.
	for l := len(m.kinds) - 1; l >= 0; l-- {
		in := acts[l]
		prev := make([][]float64, rows)
		for r := range prev {
			prev[r] = make([]float64, m.in[l])
		}
		switch m.kinds[l] {
		case "dense":
			gw := make([]float64, m.out[l]*m.in[l])
			gb := make([]float64, m.out[l])
			for r := 0; r < rows; r++ {
				for v := 0; v < m.out[l]; v++ {
					g := d[r][v]
					if m.relu[l] && pre[l][r][v] <= 0 {
						g = 0
					}
					gb[v] += g
					for u := 0; u < m.in[l]; u++ {
						gw[v*m.in[l]+u] += g * in[r][u]
						prev[r][u] += g * m.w[l][v*m.in[l]+u]
					}
				}
			}
			dw = append([][]float64{gw}, dw...)
			db = append([][]float64{gb}, db...)
		case "relu":
			for r := range prev {
				for v := range prev[r] {
					if in[r][v] > 0 {
						prev[r][v] = d[r][v]
					}
				}
			}
		case "dropout":
			for r := range prev {
				for v := range prev[r] {
					prev[r][v] = d[r][v]
					if m.mask[l] != nil {
						prev[r][v] *= m.mask[l][r*m.out[l]+v]
					}
				}
			}
		}
		d = prev
	}
	return loss, dw, db, margin
}

// param returns a pointer to dense layer k's weight (bias when idx < 0 is
// -1-j) for finite differences.
func (m *naive) param(k, idx int) *float64 {
	for l, kind := range m.kinds {
		if kind != "dense" {
			continue
		}
		if k == 0 {
			if idx < 0 {
				return &m.b[l][-1-idx]
			}
			return &m.w[l][idx]
		}
		k--
	}
	panic("no such layer")
}

func toRows(x blas32.General) [][]float64 {
	out := make([][]float64, x.Rows)
	for r := range out {
		out[r] = make([]float64, x.Cols)
		for c := range out[r] {
			out[r][c] = float64(x.Data[r*x.Stride+c])
		}
	}
	return out
}

// gradNets are the small networks of the gradient tests.
func gradNets(t *testing.T) map[string]*Network {
	nets := map[string]*Network{}
	var err error
	if nets["mlp"], err = NewMLP([]int{7, 6, 5, 3}, MLPOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if nets["mlp-dropout"], err = NewMLP([]int{9, 8, 6, 4}, MLPOptions{Seed: 2, Init: InitHe, Dropout: 0.5, InputDropout: 0.2}); err != nil {
		t.Fatal(err)
	}
	// Standalone ReLU after a dropout layer (not fused), a linear hidden
	// layer, and a dense layer first in the network after dropout.
	manual, err := NewNetwork(NewDropout(5, 0.3, 7), NewDense(5, 6, false), NewDropout(6, 0.25, 8), NewReLU(6), NewDense(6, 4, false), NewDense(4, 3, false))
	if err != nil {
		t.Fatal(err)
	}
	manual.Initialize(InitBalanced, 3)
	nets["manual"] = manual
	if nets["blocks"], err = NewMLP([]int{33, 70, 17, 10}, MLPOptions{Seed: 4, Dropout: 0.1}); err != nil {
		t.Fatal(err)
	}
	for _, n := range nets {
		randomBiases(n, 9)
	}
	return nets
}

// randomBiases sets the biases to small random values, so that no hidden
// unit sits exactly at a ReLU kink (a unit whose inputs are all zero).
func randomBiases(n *Network, seed uint64) {
	r := newRand(seed)
	for _, d := range n.Dense() {
		for i := range d.B {
			d.B[i] = float32(0.2 * r.NormFloat64())
		}
	}
}

// TestNaiveFiniteDifferences checks the float64 reference's analytic
// gradients against central differences, so that the comparison with the
// package's gradients below compares against a verified reference.
func TestNaiveFiniteDifferences(t *testing.T) {
	for name, net := range gradNets(t) {
		if name == "blocks" {
			continue // too many parameters for a full sweep; the others cover the code paths
		}
		t.Run(name, func(t *testing.T) {
			r := newRand(11)
			x := randMatrix(r, 6, net.InSize(), net.InSize())
			y := randLabels(r, 6, net.OutSize())
			net.Gradient(x, y) // draws the dropout masks the reference uses
			m := newNaive(net, true)
			xs := toRows(x)
			_, dw, db, margin := m.lossGrad(xs, y)
			const h = 1e-6
			if margin < 100*h {
				t.Fatalf("a pre-activation is %g from a ReLU kink: pick another seed", margin)
			}
			for k := range dw {
				check := func(idx int, analytic float64) {
					p := m.param(k, idx)
					orig := *p
					*p = orig + h
					lp, _, _, _ := m.lossGrad(xs, y)
					*p = orig - h
					lm, _, _, _ := m.lossGrad(xs, y)
					*p = orig
					fd := (lp - lm) / (2 * h)
					if math.Abs(fd-analytic) > 1e-7+1e-5*math.Abs(analytic) {
						t.Errorf("layer %d param %d: analytic %g, central difference %g", k, idx, analytic, fd)
					}
				}
				for i, g := range dw[k] {
					check(i, g)
				}
				for i, g := range db[k] {
					check(-1-i, g)
				}
			}
		})
	}
}

// TestGradientAgainstReference compares Network.Gradient (float32, every
// asm implementation) with the float64 reference, on contiguous and strided
// inputs and on a full and a short batch.
func TestGradientAgainstReference(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for name, net := range gradNets(t) {
			for _, rows := range []int{1, 6, 13} {
				for _, pad := range []int{0, 3} {
					t.Run(fmt.Sprintf("%s/rows=%d/pad=%d", name, rows, pad), func(t *testing.T) {
						r := newRand(uint64(rows*10 + pad))
						x := randMatrix(r, rows, net.InSize(), net.InSize()+pad)
						y := randLabels(r, rows, net.OutSize())
						loss := net.Gradient(x, y)
						m := newNaive(net, true)
						want, dw, db, _ := m.lossGrad(toRows(x), y)
						if math.Abs(loss-want) > 1e-5*(1+math.Abs(want)) {
							t.Errorf("loss %g, reference %g", loss, want)
						}
						for k, d := range net.Dense() {
							compareGrad(t, fmt.Sprintf("layer %d W", k), d.DW.Data, dw[k])
							compareGrad(t, fmt.Sprintf("layer %d b", k), d.DB, db[k])
						}
						// Inference mode matches the reference without masks.
						z := net.Forward(x)
						inf := newNaive(net, false)
						lossInf, _, _, _ := inf.lossGrad(toRows(x), y)
						if got := crossEntropy(z, y, blas32.General{}); math.Abs(got-lossInf) > 1e-5*(1+lossInf) {
							t.Errorf("inference loss %g, reference %g", got, lossInf)
						}
						if got := net.Loss(x, y); math.Abs(got-lossInf) > 1e-5*(1+lossInf) {
							t.Errorf("Loss %g, reference %g", got, lossInf)
						}
					})
				}
			}
		}
	})
}

// compareGrad checks a float32 gradient against the float64 reference with
// a tolerance scaled by the tensor's largest gradient (float32 rounding of
// sums of a few dozen terms).
func compareGrad(t *testing.T, what string, got []float32, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d gradients, want %d", what, len(got), len(want))
	}
	scale := 0.0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	tol := 1e-5*scale + 1e-7
	for i, v := range want {
		if math.Abs(float64(got[i])-v) > tol {
			t.Fatalf("%s[%d] = %g, reference %g (tolerance %g)", what, i, got[i], v, tol)
		}
	}
}

// TestFloat32FiniteDifferences checks the float32 gradients directly
// against central differences of the float32 network's own loss, with a
// step and tolerance suited to float32.
func TestFloat32FiniteDifferences(t *testing.T) {
	net, err := NewMLP([]int{5, 4, 3}, MLPOptions{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	randomBiases(net, 6)
	r := newRand(5)
	x := randMatrix(r, 4, 5, 5)
	y := randLabels(r, 4, 3)
	net.Gradient(x, y)
	var grads [][]float32
	for _, p := range net.Params() {
		grads = append(grads, append([]float32(nil), p.Grad...))
	}
	const h = 1e-3
	for i, p := range net.Params() {
		for j := range p.Value {
			orig := p.Value[j]
			p.Value[j] = orig + h
			lp := net.Loss(x, y)
			p.Value[j] = orig - h
			lm := net.Loss(x, y)
			p.Value[j] = orig
			fd := (lp - lm) / (2 * h)
			if g := float64(grads[i][j]); math.Abs(fd-g) > 2e-3+1e-2*math.Abs(g) {
				t.Errorf("%s%d[%d]: gradient %g, central difference %g", p.Name, p.Layer, j, g, fd)
			}
		}
	}
}
