package rnn

import (
	"fmt"
	"math"
	"testing"
)

// flatKappa expands k to one value per parameter, in Params order.
func flatKappa(k *Kappa, cfg Config) []float64 {
	h, kk := cfg.Hidden, cfg.In+cfg.Hidden
	out := make([]float64, cfg.numParams())
	for v := 0; v < h; v++ {
		for j := 0; j < cfg.In; j++ {
			out[v*kk+j] = k.In[v]
		}
		for u := 0; u < h; u++ {
			out[v*kk+cfg.In+u] = k.Rec[v*h+u]
		}
		out[h*kk+v] = k.In[v]
	}
	for o := 0; o < cfg.Out; o++ {
		for v := 0; v < h; v++ {
			out[h*kk+h+o*h+v] = k.Out[v]
		}
		out[h*kk+h+cfg.Out*h+o] = k.C
	}
	return out
}

// relClose reports whether got and want agree to rel relative to the
// largest |want|.
func relClose(t *testing.T, what string, got, want []float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	scale := maxAbs(want)
	bad := 0
	for i := range got {
		if d := math.Abs(got[i] - want[i]); !(d <= rel*math.Max(scale, math.Abs(want[i]))) {
			if bad++; bad <= 5 {
				t.Errorf("%s[%d] = %.15g, want %.15g", what, i, got[i], want[i])
			}
		}
	}
}

type kappaCase struct {
	cfg     Config
	steps   int
	outputs []int
}

func kappaCases() []kappaCase {
	a := Config{In: 2, Hidden: 3, Out: 2}
	b := Config{In: 1, Hidden: 4, Out: 1, Loss: Squared}
	var cs []kappaCase
	for steps := 1; steps <= 4; steps++ {
		for _, cfg := range []Config{a, b} {
			cs = append(cs, kappaCase{cfg, steps, LastStep(steps)}, kappaCase{cfg, steps, EveryStep(steps)})
			if steps >= 3 {
				cs = append(cs, kappaCase{cfg, steps, []int{0, 2}})
			}
			if steps >= 2 {
				cs = append(cs, kappaCase{cfg, steps, []int{0}})
			}
		}
	}
	return cs
}

// TestKappaBruteForce checks Kappa1, Kappa2 and PathNorm2 against the
// enumeration of every path of the unrolled network (T <= 4), and the
// float64 reference's recursion against both.
func TestKappaBruteForce(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for i, c := range kappaCases() {
			t.Run(fmt.Sprintf("%d/T=%d/out=%v", c.cfg.Hidden, c.steps, c.outputs), func(t *testing.T) {
				m := randomModel(t, c.cfg, uint64(i), 1.3)
				ref := refFrom(m)
				gamma, k1, k2 := ref.bruteKappa(c.steps, c.outputs)
				var k Kappa
				m.Kappa1(&k, c.steps, c.outputs)
				relClose(t, "kappa1", flatKappa(&k, c.cfg), k1, 1e-13)
				relClose(t, "reference kappa1", ref.kappa1(c.steps, c.outputs), k1, 1e-13)
				relClose(t, "path norm", []float64{k.PathNorm2}, []float64{gamma}, 1e-13)
				// kappa2 is zero except on W_rec.
				rec := m.Kappa2(c.steps, c.outputs)
				want := make([]float64, len(rec))
				for v := 0; v < c.cfg.Hidden; v++ {
					for u := 0; u < c.cfg.Hidden; u++ {
						want[v*c.cfg.Hidden+u] = k2[ref.wrec(v, u)]
						k2[ref.wrec(v, u)] = 0
					}
				}
				relClose(t, "kappa2(W_rec)", rec, want, 1e-13)
				if s := maxAbs(k2); s != 0 {
					t.Errorf("brute-force kappa2 off W_rec reaches %g, want 0", s)
				}
				if c.outputs[len(c.outputs)-1] >= 2 && maxAbs(want) == 0 {
					t.Errorf("kappa2(W_rec) is zero for T = %d: the test checks nothing", c.steps)
				}
			})
		}
	})
}

// TestKappaIsHessianDiagonal checks the definition behind the enumeration:
// kappa1 + kappa2 = (1/2) d^2 gamma / d w_e^2 for the squared path norm
// gamma, by central second differences.
func TestKappaIsHessianDiagonal(t *testing.T) {
	cfg := Config{In: 2, Hidden: 3, Out: 2}
	for _, steps := range []int{1, 2, 4} {
		m := randomModel(t, cfg, uint64(steps), 1.3)
		ref := refFrom(m)
		outputs := []int{0, steps - 1}
		if steps == 1 {
			outputs = outputs[:1]
		}
		_, k1, k2 := ref.bruteKappa(steps, outputs)
		const h = 1e-3
		for i := range ref.p {
			p := ref.p[i]
			ref.p[i] = p + h
			gp, _, _ := ref.bruteKappa(steps, outputs)
			ref.p[i] = p - h
			gm, _, _ := ref.bruteKappa(steps, outputs)
			ref.p[i] = p
			g0, _, _ := ref.bruteKappa(steps, outputs)
			fd := (gp - 2*g0 + gm) / (h * h) / 2
			want := k1[i] + k2[i]
			if math.Abs(fd-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("T=%d parameter %d: kappa1+kappa2 = %.10g, second difference %.10g", steps, i, want, fd)
			}
		}
	}
}

// TestKappa1LongSequence checks Kappa1 (GEMM and path kernels) against the
// reference's loops on sequences too long to enumerate.
func TestKappa1LongSequence(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		cfg := Config{In: 3, Hidden: 17, Out: 5}
		m := randomModel(t, cfg, 7, 1)
		ref := refFrom(m)
		for _, steps := range []int{5, 64} {
			outs := [][]int{LastStep(steps), EveryStep(steps), {0, 2, steps - 1}}
			for _, o := range outs {
				var k Kappa
				m.Kappa1(&k, steps, o)
				relClose(t, fmt.Sprintf("T=%d kappa1", steps), flatKappa(&k, cfg), ref.kappa1(steps, o), 1e-12)
			}
		}
	})
}

// TestKappa1Rescaling checks how kappa1 transforms under node rescaling:
// w_e -> c_e w_e gives kappa_e -> kappa_e / c_e^2 (so g/kappa scales like w),
// and the path norm is unchanged.
func TestKappa1Rescaling(t *testing.T) {
	cfg := Config{In: 2, Hidden: 6, Out: 3}
	m := randomModel(t, cfg, 9, 1)
	ref := refFrom(m)
	s := make([]float64, cfg.Hidden)
	r := newRand(5)
	for i := range s {
		s[i] = math.Exp(2 * r.NormFloat64())
	}
	steps, outs := 12, []int{3, 11}
	before := ref.kappa1(steps, outs)
	scaled := ref.clone()
	scaled.rescale(s)
	after := scaled.kappa1(steps, outs)
	for i := range before {
		c := 1.0
		if before[i] != 0 {
			c = math.Sqrt(before[i] / after[i])
		}
		// c must be the factor w_e was scaled by.
		if ref.p[i] != 0 && math.Abs(scaled.p[i]/ref.p[i]-c) > 1e-9*c {
			t.Errorf("parameter %d: weight scaled by %g, kappa by 1/%g^2", i, scaled.p[i]/ref.p[i], c)
		}
	}
	g0, _, _ := ref.bruteKappa(3, []int{2})
	g1, _, _ := scaled.bruteKappa(3, []int{2})
	if math.Abs(g0-g1) > 1e-12*g0 {
		t.Errorf("path norm %g after rescaling, %g before", g1, g0)
	}
}

func TestKappaPanics(t *testing.T) {
	m := randomModel(t, Config{In: 1, Hidden: 2, Out: 1}, 1, 1)
	var k Kappa
	for _, c := range []struct {
		steps   int
		outputs []int
	}{{0, []int{0}}, {3, nil}, {3, []int{3}}, {3, []int{1, 1}}, {3, []int{-1}}} {
		func() {
			defer func() {
				if r := recover(); r != errKappaSteps {
					t.Errorf("Kappa1(%d, %v): panic %v, want %q", c.steps, c.outputs, r, errKappaSteps)
				}
			}()
			m.Kappa1(&k, c.steps, c.outputs)
		}()
	}
}

// TestPathSGDWithKappa2: with WithKappa2 the W_rec step is the gradient
// divided by kappa1 + kappa2 (Model.Kappa2), the other parameters' by
// kappa1 alone.
func TestPathSGDWithKappa2(t *testing.T) {
	cfg := Config{In: 2, Hidden: 4, Out: 1, Loss: Squared}
	m := randomModel(t, cfg, 5, 1.1)
	b := addingBatch(6, 7, 3)
	m.Gradient(b)
	var k Kappa
	m.Kappa1(&k, 7, b.Outputs)
	k2 := m.Kappa2(7, b.Outputs)
	before := make([][]float32, len(m.Params()))
	for i, p := range m.Params() {
		before[i] = append([]float32(nil), p.Value...)
	}
	o := &PathSGD{LR: 0.01, WithKappa2: true}
	o.Step(m)
	ld, h := cfg.In+cfg.Hidden, cfg.Hidden
	w := m.Params()[0]
	for v := range h {
		for u := range h {
			i := v*ld + cfg.In + u
			want := float64(before[0][i]) - 0.01*float64(m.DW.Data[i])/(k.Rec[v*h+u]+k2[v*h+u])
			if math.Abs(float64(w.Value[i])-want) > 1e-6*(1+math.Abs(want)) {
				t.Fatalf("W_rec[%d][%d] = %v, want %v", v, u, w.Value[i], want)
			}
		}
		i := v * ld // an input weight: kappa1 only
		want := float64(before[0][i]) - 0.01*float64(m.DW.Data[i])/k.In[v]
		if math.Abs(float64(w.Value[i])-want) > 1e-6*(1+math.Abs(want)) {
			t.Fatalf("W_in[%d][0] = %v, want %v", v, w.Value[i], want)
		}
	}
	if k2[0] == 0 {
		t.Fatal("kappa2 is zero: the test cannot tell")
	}
}
