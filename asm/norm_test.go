package asm

import (
	"fmt"
	"math"
	"testing"
)

// TestScaleShift compares every implementation with the float64 value of
// x*scale + shift (one rounding, or two: within 2 ulps of the exact sum's
// terms) and with its generic twin, at every length class, with the output
// written in place over x too.
func TestScaleShift(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			r := newRand(uint64(n*13 + 1))
			x, s, c := make([]float32, n), make([]float32, n), make([]float32, n)
			randSlice32(r, x)
			randSlice32(r, s)
			randSlice32(r, c)
			dst, ok := guarded32(n)
			impl.ScaleShift(dst, x, s, c)
			if !ok() {
				t.Fatalf("n=%d: write outside dst", n)
			}
			twin := make([]float32, n)
			scaleShiftGeneric(twin, x, s, c)
			inPlace := append([]float32(nil), x...)
			impl.ScaleShift(inPlace, inPlace, s, c)
			for i := range x {
				p := float64(x[i]) * float64(s[i]) // exact
				ref := p + float64(c[i])
				tol := 2*0x1p-24*(math.Abs(p)+math.Abs(float64(c[i]))) + 1e-30
				if d := math.Abs(float64(dst[i]) - ref); !(d <= tol) {
					t.Fatalf("n=%d: dst[%d] = %g, reference %g", n, i, dst[i], ref)
				}
				if d := math.Abs(float64(twin[i]) - float64(dst[i])); !(d <= 2*tol) {
					t.Fatalf("n=%d: dst[%d] = %g, generic %g", n, i, dst[i], twin[i])
				}
				if inPlace[i] != dst[i] {
					t.Fatalf("n=%d: in place [%d] = %g, out of place %g", n, i, inPlace[i], dst[i])
				}
			}
		}
	})
}

// TestMulAdd compares every implementation with the float64 value of
// dst + x*y and with its generic twin, and checks x aliasing y (a sum of
// squares).
func TestMulAdd(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			r := newRand(uint64(n*17 + 2))
			x, y := make([]float32, n), make([]float32, n)
			randSlice32(r, x)
			randSlice32(r, y)
			dst, ok := guarded32(n)
			randSlice32(r, dst)
			d0 := append([]float32(nil), dst...)
			twin := append([]float32(nil), dst...)
			impl.MulAdd(dst, x, y)
			if !ok() {
				t.Fatalf("n=%d: write outside dst", n)
			}
			mulAddGeneric(twin, x, y)
			sq := append([]float32(nil), d0...)
			impl.MulAdd(sq, x, x)
			for i := range x {
				p := float64(x[i]) * float64(y[i])
				ref := p + float64(d0[i])
				tol := 2*0x1p-24*(math.Abs(p)+math.Abs(float64(d0[i]))) + 1e-30
				if d := math.Abs(float64(dst[i]) - ref); !(d <= tol) {
					t.Fatalf("n=%d: dst[%d] = %g, reference %g", n, i, dst[i], ref)
				}
				if d := math.Abs(float64(twin[i]) - float64(dst[i])); !(d <= 2*tol) {
					t.Fatalf("n=%d: dst[%d] = %g, generic %g", n, i, dst[i], twin[i])
				}
				q := float64(x[i])*float64(x[i]) + float64(d0[i])
				if d := math.Abs(float64(sq[i]) - q); !(d <= 2*0x1p-24*(math.Abs(q)+2*float64(x[i])*float64(x[i]))+1e-30) {
					t.Fatalf("n=%d: dst[%d] += x*x = %g, reference %g", n, i, sq[i], q)
				}
			}
		}
	})
}

// TestNormKernelsSpecial: NaN and infinities propagate as in the loops.
func TestNormKernelsSpecial(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range []int{1, 9, 40} {
			x, s, c := make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range x {
				x[i], s[i], c[i] = 1, 2, 3
			}
			x[n-1], s[0] = nan, inf
			dst := make([]float32, n)
			impl.ScaleShift(dst, x, s, c)
			if n > 1 && (!math.IsInf(float64(dst[0]), 1) || dst[1] != 5) || !math.IsNaN(float64(dst[n-1])) {
				t.Errorf("n=%d: ScaleShift %v", n, dst)
			}
			acc := make([]float32, n)
			impl.MulAdd(acc, x, s)
			if !math.IsNaN(float64(acc[n-1])) || (n > 1 && !math.IsInf(float64(acc[0]), 1)) {
				t.Errorf("n=%d: MulAdd %v", n, acc)
			}
		}
		a, b := make([]float32, 4), make([]float32, 5)
		for name, f := range map[string]func(){
			"scaleShift": func() { impl.ScaleShift(a, a, a, b) },
			"mulAdd":     func() { impl.MulAdd(a, b, a) },
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

func BenchmarkScaleShift(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range blas1Sizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, s, c := randBench32(n, 1), randBench32(n, 2), randBench32(n, 3)
				dst := make([]float32, n)
				b.SetBytes(int64(16 * n))
				for b.Loop() {
					impl.ScaleShift(dst, x, s, c)
				}
			})
		}
	})
}

func BenchmarkMulAdd(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range blas1Sizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, y := randBench32(n, 1), randBench32(n, 2)
				dst := make([]float32, n)
				b.SetBytes(int64(16 * n))
				for b.Loop() {
					impl.MulAdd(dst, x, y)
				}
			})
		}
	})
}
