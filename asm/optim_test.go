package asm

import (
	"fmt"
	"math"
	"testing"
)

// The optimizer kernels multiply and add in separate, rounded steps in every
// implementation, so they must agree with the generic loops bit for bit,
// except that a NaN may carry a different payload.

// sameUpToNaN returns the first index where a and b differ (both NaN counts
// as equal), or -1.
func sameUpToNaN(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) && !(a[i] != a[i] && b[i] != b[i]) {
			return i
		}
	}
	return -1
}

// optimScalars are (lr, mu or eps, wd) triples: typical values, zeros,
// negative and non-finite hyper-parameters.
var optimScalars = [][3]float32{
	{0.1, 0.9, 1e-4},
	{0.01, 0.5, 0},
	{1, 0, 0},
	{0, 0.9, 1e-3},
	{-0.3, 1.5, -0.2},
	{1e-30, 1e-10, 1e30},
	{float32(math.Inf(1)), 0.9, 0},
	{0.1, float32(math.NaN()), 0.1},
}

// optimCase holds guarded operands for one kernel call and the generic
// result.
type optimCase struct {
	w, g, s       []float32 // operands passed to the implementation
	wantW, wantS  []float32 // generic results
	wok, gok, sok func() bool
	gCopy         []float32
}

func newOptimCase(n, off int, seed uint64, positiveState bool) *optimCase {
	c := new(optimCase)
	var w, g, s []float32
	w, c.wok = guarded32(n + off)
	g, c.gok = guarded32(n + off)
	s, c.sok = guarded32(n + off)
	c.w, c.g, c.s = w[off:], g[off:], s[off:]
	fillElementwise(seed, c.w)
	fillElementwise(seed+1, c.g)
	fillElementwise(seed+2, c.s)
	if positiveState { // AdaGrad's accumulator is a sum of squares
		for i, v := range c.s {
			c.s[i] = float32(math.Abs(float64(v)))
		}
	}
	c.wantW = append([]float32(nil), c.w...)
	c.wantS = append([]float32(nil), c.s...)
	c.gCopy = append([]float32(nil), c.g...)
	return c
}

func (c *optimCase) check(t *testing.T, what string, state bool) {
	t.Helper()
	if !c.wok() || !c.gok() || !c.sok() {
		t.Fatalf("%s: write outside the operands", what)
	}
	if i := sameUpToNaN(c.w, c.wantW); i >= 0 {
		t.Fatalf("%s: w[%d] = %g (bits %08x), want %g (bits %08x)", what, i, c.w[i], math.Float32bits(c.w[i]), c.wantW[i], math.Float32bits(c.wantW[i]))
	}
	if state {
		if i := sameUpToNaN(c.s, c.wantS); i >= 0 {
			t.Fatalf("%s: state[%d] = %g, want %g", what, i, c.s[i], c.wantS[i])
		}
	}
	if i := sameBits(c.g, c.gCopy); i >= 0 {
		t.Fatalf("%s: g[%d] modified", what, i)
	}
}

func TestSGD(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			for _, off := range []int{0, 1, 3} {
				for k, p := range optimScalars {
					c := newOptimCase(n, off, uint64(100*n+10*off+k), false)
					sgdGeneric(c.wantW, c.g, p[0], p[2])
					impl.SGD(c.w, c.g, p[0], p[2])
					c.check(t, fmt.Sprintf("n=%d off=%d lr=%g wd=%g", n, off, p[0], p[2]), false)
				}
			}
		}
	})
}

func TestSGDMomentum(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			for _, off := range []int{0, 1, 3} {
				for k, p := range optimScalars {
					c := newOptimCase(n, off, uint64(100*n+10*off+k), false)
					sgdMomentumGeneric(c.wantW, c.g, c.wantS, p[0], p[1], p[2])
					impl.SGDMomentum(c.w, c.g, c.s, p[0], p[1], p[2])
					c.check(t, fmt.Sprintf("n=%d off=%d lr=%g mu=%g wd=%g", n, off, p[0], p[1], p[2]), true)
				}
			}
		}
	})
}

func TestAdaGrad(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			for _, off := range []int{0, 1, 3} {
				for k, p := range optimScalars {
					for _, positive := range []bool{true, false} {
						c := newOptimCase(n, off, uint64(100*n+10*off+k), positive)
						eps := p[1]
						adaGradGeneric(c.wantW, c.g, c.wantS, p[0], eps)
						impl.AdaGrad(c.w, c.g, c.s, p[0], eps)
						c.check(t, fmt.Sprintf("n=%d off=%d lr=%g eps=%g", n, off, p[0], eps), true)
					}
				}
			}
		}
	})
}

// TestOptimFormulas pins the generic loops to hand-computed values, so that
// the bit-exact comparisons above compare against the documented formulas.
func TestOptimFormulas(t *testing.T) {
	// Exact binary fractions keep every intermediate exact.
	w, g := []float32{1, -2}, []float32{0.5, 0.25}
	sgdGeneric(w, g, 0.5, 0.25) // t = g + wd*w = {0.75, -0.25}; w -= 0.5*t
	if w[0] != 0.625 || w[1] != -1.875 {
		t.Errorf("SGD: w = %v, want [0.625 -1.875]", w)
	}
	w, g, v := []float32{1, -2}, []float32{0.5, 0.25}, []float32{2, 4}
	sgdMomentumGeneric(w, g, v, 0.5, 0.5, 0.25) // v = 0.5*v + g + 0.25*w = {1.75, 1.75}; w -= 0.5*v
	if v[0] != 1.75 || v[1] != 1.75 || w[0] != 0.125 || w[1] != -2.875 {
		t.Errorf("SGDMomentum: w = %v v = %v, want [0.125 -2.875] [1.75 1.75]", w, v)
	}
	w, g, h := []float32{1, -2}, []float32{2, -1}, []float32{5, 3}
	adaGradGeneric(w, g, h, 0.5, 1) // h = {9, 4}; w -= 0.5*g/(sqrt(h)+1) = {1/4, -1/6}
	if h[0] != 9 || h[1] != 4 || w[0] != 0.75 || w[1] != float32(-2+float32(0.5)/3) {
		t.Errorf("AdaGrad: w = %v h = %v", w, h)
	}
}

func TestOptimPanics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		a, b := make([]float32, 4), make([]float32, 5)
		for name, f := range map[string]func(){
			"sgd short g":      func() { impl.SGD(a, b, 1, 0) },
			"momentum short g": func() { impl.SGDMomentum(a, b, a, 1, 0, 0) },
			"momentum short v": func() { impl.SGDMomentum(a, a, b, 1, 0, 0) },
			"adagrad short g":  func() { impl.AdaGrad(a, b, a, 1, 0) },
			"adagrad short h":  func() { impl.AdaGrad(a, a, b, 1, 0) },
		} {
			func() {
				defer func() {
					if r := recover(); r != errLength {
						t.Errorf("%s: panic = %v, want %q", name, r, errLength)
					}
				}()
				f()
			}()
		}
	})
}

func FuzzOptim(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x3f, 0xcd, 0xcc, 0xcc, 0x3d, 0, 0, 0xc0, 0x7f, 1, 2, 3, 4, 0, 0, 0x80, 0xff, 9, 9, 9, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		x := bytesToFloat32(data)
		if len(x) < 3 {
			return
		}
		lr, mu, wd := x[0], x[1], x[2]
		x = x[3:]
		n := len(x) / 3
		w0, g, s0 := x[:n], x[n:2*n], x[2*n:3*n]
		for _, impl := range AvailableImpls() {
			wantW, wantS := append([]float32(nil), w0...), append([]float32(nil), s0...)
			gotW, gotS := append([]float32(nil), w0...), append([]float32(nil), s0...)
			sgdGeneric(wantW, g, lr, wd)
			impl.SGD(gotW, g, lr, wd)
			if i := sameUpToNaN(gotW, wantW); i >= 0 {
				t.Fatalf("%s sgd: w[%d] = %g, want %g", impl.Name, i, gotW[i], wantW[i])
			}
			copy(wantW, w0)
			copy(gotW, w0)
			sgdMomentumGeneric(wantW, g, wantS, lr, mu, wd)
			impl.SGDMomentum(gotW, g, gotS, lr, mu, wd)
			if i := sameUpToNaN(gotW, wantW); i >= 0 {
				t.Fatalf("%s momentum: w[%d] = %g, want %g", impl.Name, i, gotW[i], wantW[i])
			}
			if i := sameUpToNaN(gotS, wantS); i >= 0 {
				t.Fatalf("%s momentum: v[%d] = %g, want %g", impl.Name, i, gotS[i], wantS[i])
			}
			copy(wantW, w0)
			copy(gotW, w0)
			copy(wantS, s0)
			copy(gotS, s0)
			adaGradGeneric(wantW, g, wantS, lr, mu)
			impl.AdaGrad(gotW, g, gotS, lr, mu)
			if i := sameUpToNaN(gotW, wantW); i >= 0 {
				t.Fatalf("%s adagrad: w[%d] = %g, want %g", impl.Name, i, gotW[i], wantW[i])
			}
			if i := sameUpToNaN(gotS, wantS); i >= 0 {
				t.Fatalf("%s adagrad: h[%d] = %g, want %g", impl.Name, i, gotS[i], wantS[i])
			}
		}
	})
}
