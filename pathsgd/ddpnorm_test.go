package pathsgd

import (
	"fmt"
	"math"
	"testing"
)

func randRows(seed uint64, n, d int) [][]float64 {
	r := newRand(seed)
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, d)
		for j := range x[i] {
			x[i][j] = r.NormFloat64()
		}
	}
	return x
}

func newDDPNet(sizes []int, alpha float64, seed uint64) *DDPNet {
	n := NewDDPNet(sizes, alpha, seed)
	r := newRand(seed + 100)
	for k := range n.B {
		for v := range n.B[k] {
			n.B[k][v] = 0.1 * r.NormFloat64()
		}
	}
	return n
}

// TestDDPNormGradient checks the gradient through the batch statistics and
// the weight norms against central differences of the training loss.
func TestDDPNormGradient(t *testing.T) {
	for _, alpha := range []float64{0, 0.4, 1} {
		n := newDDPNet([]int{4, 6, 5, 3}, alpha, 1)
		x := randRows(2, 7, 4)
		y := randLabels(newRand(3), 7, 3)
		n.Gradient(x, y)
		loss := func() float64 {
			saved := n.haveRun
			l := n.Gradient(x, y)
			n.haveRun = saved
			return l
		}
		for k := range n.W {
			dw := append([]float64(nil), n.DW[k]...)
			db := append([]float64(nil), n.DB[k]...)
			check := func(p *float64, want float64, what string) {
				const h = 1e-6
				w0 := *p
				*p = w0 + h
				lp := loss()
				*p = w0 - h
				lm := loss()
				*p = w0
				if fd := (lp - lm) / (2 * h); math.Abs(fd-want) > 1e-7+1e-5*math.Abs(want) {
					t.Errorf("alpha=%g %s: gradient %g, finite difference %g", alpha, what, want, fd)
				}
			}
			for i := range n.W[k] {
				check(&n.W[k][i], dw[i], fmt.Sprintf("W%d[%d]", k, i))
			}
			for i := range n.B[k] {
				check(&n.B[k][i], db[i], fmt.Sprintf("b%d[%d]", k, i))
			}
		}
	}
}

// TestDDPNormInvariance: rescaling each hidden unit's incoming weights and
// bias by a random c leaves the function unchanged, in training mode and,
// after the same training batches, in inference mode (running averages),
// for several alpha; and alpha = 1 normalizes each unit's batch second
// moment to 1.
func TestDDPNormInvariance(t *testing.T) {
	for _, alpha := range []float64{0, 0.3, 0.7, 1} {
		a := newDDPNet([]int{5, 8, 7, 3}, alpha, 4)
		b := newDDPNet([]int{5, 8, 7, 3}, alpha, 4)
		r := newRand(5)
		for k := 0; k+1 < len(b.W); k++ {
			in := b.Sizes[k]
			for v := range b.B[k] {
				c := math.Pow(10, 2*r.Float64()-1)
				for u := 0; u < in; u++ {
					b.W[k][v*in+u] *= c
				}
				b.B[k][v] *= c
			}
		}
		eval := randRows(6, 9, 5)
		worst := 0.0
		for s := 0; s < 5; s++ {
			x := randRows(uint64(10+s), 8, 5)
			worst = math.Max(worst, maxRelDiff(a.Forward(x, true), b.Forward(x, true)))
		}
		worst = math.Max(worst, maxRelDiff(a.Forward(eval, false), b.Forward(eval, false)))
		if worst > 1e-12 {
			t.Errorf("alpha=%g: rescaled DDP-normalized network differs by %g", alpha, worst)
		}
		// Plain (unnormalized) networks with these weights differ.
		pa, pb := &refNet{sizes: a.Sizes, w: a.W, b: a.B}, &refNet{sizes: b.Sizes, w: b.W, b: b.B}
		if d := maxRelDiff(pa.logits(eval), pb.logits(eval)); d < 1e-2 {
			t.Errorf("alpha=%g: the rescaling did not change the plain network (%g)", alpha, d)
		}
	}
	n := newDDPNet([]int{5, 8, 3}, 1, 7)
	x := randRows(8, 16, 5)
	c := n.forward(x, true)
	for v := 0; v < 8; v++ {
		m := 0.0
		for e := range x {
			m += (c.z[0][e][v] / c.gamma[0][v]) * (c.z[0][e][v] / c.gamma[0][v])
		}
		if math.Abs(m/16-1) > 1e-12 {
			t.Errorf("alpha=1: unit %d has normalized second moment %g", v, m/16)
		}
	}
}

// TestDDPNormTrains checks that SGD through the normalization reduces the
// loss, for every alpha.
func TestDDPNormTrains(t *testing.T) {
	x := randRows(20, 32, 6)
	y := make([]int, len(x))
	for i, row := range x {
		if row[0]+row[1] > 0 {
			y[i] = 1
		}
	}
	for _, alpha := range []float64{0, 0.5, 1} {
		n := newDDPNet([]int{6, 16, 16, 2}, alpha, 21)
		l0 := n.Gradient(x, y)
		for range 200 {
			n.Gradient(x, y)
			n.Step(0.1)
		}
		if l := n.Gradient(x, y); !(l < 0.5*l0) {
			t.Errorf("alpha=%g: loss %g -> %g", alpha, l0, l)
		}
	}
}

func TestDDPNormPanics(t *testing.T) {
	n := NewDDPNet([]int{2, 3, 2}, 0.5, 1)
	for name, tc := range map[string]struct {
		want string
		f    func()
	}{
		"sizes":  {errDDPSizes, func() { NewDDPNet([]int{3}, 0, 1) }},
		"alpha":  {errAlpha, func() { NewDDPNet([]int{3, 2}, -1, 1) }},
		"shape":  {errDDPShape, func() { n.Forward([][]float64{{1, 2, 3}}, true) }},
		"labels": {errDDPLabels, func() { n.Gradient([][]float64{{1, 2}}, nil) }},
		"label":  {errDDPLabel, func() { n.Gradient([][]float64{{1, 2}}, []int{2}) }},
	} {
		func() {
			defer func() {
				if r := recover(); r != tc.want {
					t.Errorf("%s: panic = %v, want %q", name, r, tc.want)
				}
			}()
			tc.f()
		}()
	}
}
