package pathsgd

import (
	"fmt"
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/layers"
)

// gammaNet2 returns gamma_net^2 of the reference net on the batch x: the
// recursion of the package documentation, written out directly.
func (r *refNet) gammaNet2(x [][]float64, alpha float64) float64 {
	_, z := r.forward(x)
	g2 := make([]float64, r.sizes[0])
	fill(g2, 1)
	for k := range r.w {
		in, out := r.sizes[k], r.sizes[k+1]
		next := make([]float64, out)
		for v := 0; v < out; v++ {
			m := 0.0
			for e := range x {
				m += z[k][e][v] * z[k][e][v]
			}
			p := r.b[k][v] * r.b[k][v]
			for u := 0; u < in; u++ {
				p += r.w[k][v*in+u] * r.w[k][v*in+u] * g2[u]
			}
			next[v] = alpha*m/float64(len(x)) + (1-alpha)*p
		}
		g2 = next
	}
	return sumOf(g2)
}

// ddpKappa evaluates the derived formula for kappa with forward-mode
// Jacobians (one tangent per example and unit), independently of the
// optimizer's backward seeds.
func (r *refNet) ddpKappa(x [][]float64, alpha float64) (kw, kb [][]float64) {
	a, z := r.forward(x)
	d := len(r.w)
	// gamma^2 of every layer's inputs, and the damped backward vectors.
	gam2 := make([][]float64, d+1)
	gam2[0] = make([]float64, r.sizes[0])
	fill(gam2[0], 1)
	for k := 0; k < d; k++ {
		in, out := r.sizes[k], r.sizes[k+1]
		gam2[k+1] = make([]float64, out)
		for v := 0; v < out; v++ {
			m := 0.0
			for e := range x {
				m += z[k][e][v] * z[k][e][v]
			}
			p := r.b[k][v] * r.b[k][v]
			for u := 0; u < in; u++ {
				p += r.w[k][v*in+u] * r.w[k][v*in+u] * gam2[k][u]
			}
			gam2[k+1][v] = alpha*m/float64(len(x)) + (1-alpha)*p
		}
	}
	gt := make([][]float64, d+1) // gt[i], thesis index
	gt[d] = make([]float64, r.sizes[d])
	fill(gt[d], 1)
	for i := d - 1; i >= 1; i-- {
		in, out := r.sizes[i], r.sizes[i+1]
		gt[i] = make([]float64, in)
		for y := 0; y < out; y++ {
			for v := 0; v < in; v++ {
				gt[i][v] += (1 - alpha) * r.w[i][y*in+v] * r.w[i][y*in+v] * gt[i+1][y]
			}
		}
	}
	for i := 1; i <= d; i++ {
		in, out := r.sizes[i-1], r.sizes[i]
		S := make([][]float64, len(x)) // S[e][v]
		for e := range x {
			S[e] = make([]float64, out)
			for v := 0; v < out; v++ {
				// Tangent of a unit perturbation of z_(i,v).
				t := make([]float64, out)
				t[v] = 1
				s := gt[i][v]
				for j := i + 1; j <= d; j++ {
					hin, hout := r.sizes[j-1], r.sizes[j]
					nt := make([]float64, hout)
					for y := 0; y < hout; y++ {
						for u := 0; u < hin; u++ {
							if z[j-2][e][u] > 0 {
								nt[y] += r.w[j-1][y*hin+u] * t[u]
							}
						}
						s += gt[j][y] * nt[y] * nt[y]
					}
					t = nt
				}
				S[e][v] = s
			}
		}
		kwi := make([]float64, in*out)
		kbi := make([]float64, out)
		for v := 0; v < out; v++ {
			ms := 0.0
			for e := range x {
				ms += S[e][v]
			}
			kbi[v] = alpha*ms/float64(len(x)) + (1-alpha)*gt[i][v]
			for u := 0; u < in; u++ {
				m := 0.0
				for e := range x {
					m += a[i-1][e][u] * a[i-1][e][u] * S[e][v]
				}
				kwi[v*in+u] = alpha*m/float64(len(x)) + (1-alpha)*gam2[i-1][u]*gt[i][v]
			}
		}
		kw, kb = append(kw, kwi), append(kb, kbi)
	}
	return kw, kb
}

// fdKappa returns 1/2 d²(gamma_net²)/dw² of one parameter by central
// differences (gamma_net² is piecewise quadratic in each single weight).
func (r *refNet) fdKappa(x [][]float64, alpha float64, p *float64) float64 {
	const h = 1e-3
	w0 := *p
	g0 := r.gammaNet2(x, alpha)
	*p = w0 + h
	gp := r.gammaNet2(x, alpha)
	*p = w0 - h
	gm := r.gammaNet2(x, alpha)
	*p = w0
	return (gp - 2*g0 + gm) / (2 * h * h)
}

var ddpShapes = [][]int{{4, 5, 4, 3}, {3, 4, 4, 3, 2}, {5, 3}}

// TestDDPKappaFiniteDifferences checks the derived kappa (forward-mode
// reference) against finite differences of gamma_net^2, and the float32
// optimizer's kappa (backward seeds, GEMMs) against the reference, for
// several alpha, on nets of depth 1, 3 and 4 with biases.
func TestDDPKappaFiniteDifferences(t *testing.T) {
	for si, sizes := range ddpShapes {
		for _, alpha := range []float64{0, 0.3, 0.7, 1} {
			name := fmt.Sprintf("%v alpha=%g", sizes, alpha)
			net := newNet(t, sizes, uint64(30+si), true, 0)
			ref := fromNet(net)
			xb := randMatrix(newRand(uint64(40+si)), 6, sizes[0])
			x := batch64(xb)
			kw, kb := ref.ddpKappa(x, alpha)
			worst := 0.0
			for k := range ref.w {
				for i := range ref.w[k] {
					fd := ref.fdKappa(x, alpha, &ref.w[k][i])
					worst = math.Max(worst, math.Abs(fd-kw[k][i])/(math.Abs(kw[k][i])+1e-6))
				}
				for i := range ref.b[k] {
					fd := ref.fdKappa(x, alpha, &ref.b[k][i])
					worst = math.Max(worst, math.Abs(fd-kb[k][i])/(math.Abs(kb[k][i])+1e-6))
				}
			}
			if worst > 1e-5 {
				t.Errorf("%s: derived kappa differs from finite differences by %g (relative)", name, worst)
			}
			net.Forward(xb)
			opt := &DDPSGD{Alpha: alpha, general: true}
			gw, gb := opt.Kappa(net)
			worst32 := 0.0
			for k := range kw {
				for i := range kw[k] {
					worst32 = math.Max(worst32, relErr(float64(gw[k][i]), kw[k][i]))
				}
				for i := range kb[k] {
					worst32 = math.Max(worst32, relErr(float64(gb[k][i]), kb[k][i]))
				}
			}
			t.Logf("%s: finite differences %.2g, float32 optimizer %.2g (relative)", name, worst, worst32)
			if worst32 > 1e-5 {
				t.Errorf("%s: optimizer kappa differs from the reference by %g", name, worst32)
			}
		}
	}
}

// TestDDPAlphaZeroIsPathSGD: at alpha = 0 the derived kappa is Path-SGD's
// (float64), the general float32 computation agrees with it, and the
// optimizer's steps are Path-SGD's bits.
func TestDDPAlphaZeroIsPathSGD(t *testing.T) {
	net := newNet(t, []int{6, 7, 5, 4, 3}, 50, true, 0)
	ref := fromNet(net)
	xb := randMatrix(newRand(51), 8, 6)
	kw, kb := ref.ddpKappa(batch64(xb), 0)
	pw, pb := ref.kappa()
	for k := range kw {
		for i := range kw[k] {
			if relErr(kw[k][i], pw[k][i]) > 1e-14 {
				t.Fatalf("layer %d weight %d: DDP kappa %g, Path-SGD kappa %g", k, i, kw[k][i], pw[k][i])
			}
		}
		for i := range kb[k] {
			if relErr(kb[k][i], pb[k][i]) > 1e-14 {
				t.Fatalf("layer %d bias %d: DDP kappa %g, Path-SGD kappa %g", k, i, kb[k][i], pb[k][i])
			}
		}
	}
	net.Forward(xb)
	gw, _ := (&DDPSGD{general: true}).Kappa(net)
	var s Sums
	s.Compute(net, 2)
	for k, l := range net.Dense() {
		for v := 0; v < l.OutSize(); v++ {
			for u := 0; u < l.InSize(); u++ {
				if e := relErr(float64(gw[k][v*l.InSize()+u]), s.Pi(k, v, u)); e > 1e-6 {
					t.Fatalf("layer %d [%d,%d]: general DDP kappa differs from pi by %g", k, v, u, e)
				}
			}
		}
	}
	a, b := net.Clone(), net.Clone()
	oa := &PathSGD{LR: layers.Constant(0.01), Momentum: layers.Constant(0.9)}
	ob := &DDPSGD{LR: layers.Constant(0.01), Momentum: layers.Constant(0.9)}
	r := newRand(52)
	for range 10 {
		x, y := randMatrix(r, 8, 6), randLabels(r, 8, 3)
		a.Gradient(x, y)
		b.Gradient(x, y)
		oa.Step(a)
		ob.Step(b)
	}
	for i, p := range a.Params() {
		q := b.Params()[i]
		for j := range p.Value {
			if math.Float32bits(p.Value[j]) != math.Float32bits(q.Value[j]) {
				t.Fatalf("DDP-SGD at alpha = 0 differs from Path-SGD in %s of layer %d", p.Name, p.Layer)
			}
		}
	}
}

// TestDDPInvariance: DDP-SGD on a rescaled copy follows the rescaled
// trajectory for 50 steps, for several alpha, in float64 (1e-9) and on the
// float32 path (1e-5 for alpha < 1; measured about 6e-7). At alpha = 1 the
// kappa of an edge out of a barely active unit is E[a_u^2] with a tiny a_u
// whose float32 value carries the cancellation error of z = Wa + b, and the
// step divides by it: float32 runs then agree only to 5e-3 (measured
// 9e-4), still far closer than SGD's (about 1).
func TestDDPInvariance(t *testing.T) {
	xs, ys := batches(70, 50, 8)
	eval := randMatrix(newRand(71), 32, invSizes[0])
	// At alpha = 1 kappa is a batch average that can be tiny where the
	// gradient is not (a unit active on one example): smaller steps keep
	// the undamped Gauss-Newton run from blowing up.
	for _, tc := range []struct{ alpha, lr, tol32 float64 }{{0.25, 0.02, 1e-5}, {0.5, 0.02, 1e-5}, {1, 0.0005, 5e-3}} {
		alpha, lr := tc.alpha, tc.lr
		net := newNet(t, invSizes, 72, true, 0)
		scales := randomScales(net, newRand(73), 1)
		ra := fromNet(net)
		rb := ra.clone()
		rb.rescale(scales)
		for i := range xs {
			for _, r := range []*refNet{ra, rb} {
				x := batch64(xs[i])
				r.gradient(x, ys[i])
				kw, kb := r.ddpKappa(x, alpha)
				r.precondStep(kw, kb, lr, 0.5, true)
			}
		}
		d64 := maxRelDiff(ra.logits(batch64(eval)), rb.logits(batch64(eval)))

		a := net.Clone()
		b := net.Clone()
		Rescale(b, scales)
		oa := &DDPSGD{Alpha: alpha, LR: layers.Constant(float32(lr)), Momentum: layers.Constant(0.5)}
		ob := &DDPSGD{Alpha: alpha, LR: layers.Constant(float32(lr)), Momentum: layers.Constant(0.5)}
		for i := range xs {
			a.Gradient(xs[i], ys[i])
			b.Gradient(xs[i], ys[i])
			oa.Step(a)
			ob.Step(b)
		}
		d32 := maxRelDiff(logits32(a, eval), logits32(b, eval))
		dref := maxRelDiff(ra.logits(batch64(eval)), logits32(a, eval))
		t.Logf("alpha=%g: rescaled runs differ by %.3g (float64), %.3g (float32); float32 vs float64 %.3g", alpha, d64, d32, dref)
		if d64 > 1e-9 || !(d32 <= tc.tol32) {
			t.Errorf("alpha=%g: rescaled trajectories differ by %g (float64), %g (float32)", alpha, d64, d32)
		}
		if dref > tc.tol32*10 {
			t.Errorf("alpha=%g: float32 DDP-SGD differs from the float64 reference by %g", alpha, dref)
		}
	}
}

func TestDDPPanics(t *testing.T) {
	net := newNet(t, []int{3, 4, 2}, 1, false, 0)
	for name, tc := range map[string]struct {
		want string
		f    func()
	}{
		"no LR":    {errNoLR, func() { (&DDPSGD{Alpha: 0.5}).Step(net) }},
		"alpha":    {errAlpha, func() { (&DDPSGD{Alpha: 1.5, LR: layers.Constant(1)}).Step(net) }},
		"no batch": {errNoBatch, func() { (&DDPSGD{Alpha: 0.5, LR: layers.Constant(1)}).Step(net) }},
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
