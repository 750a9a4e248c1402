package asm

import (
	"math"
	"testing"
)

// TestSgemmDescend checks the descent kernels (Impl.SgemmDescend): C
// against sgemmMicroRef within the k-term bound, and C and W bit for bit
// against what they replace, the same implementation's micro-kernel and
// then the plain SGD step (sgdGeneric) on each row of the W tile with the
// stored C as the gradient. W holds NaN, infinities and zeros of both
// signs, which must come out as that step gives them; the gaps between
// the rows of C and of W must stay untouched.
func TestSgemmDescend(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		if impl.SgemmDescend == nil {
			return
		}
		mr, nr := impl.SMR, impl.SNR
		flagSets := []GemmFlags{0, Accumulate}
		if impl.SgemmScaleC {
			flagSets = append(flagSets, Accumulate|ScaleC)
		}
		seed := uint64(900)
		for _, k := range microDepths {
			for _, ldc := range []int{nr, nr + 3} {
				for _, flags := range flagSets {
					for _, coef := range [][]float32{{0.9, 0.1, 0}, {-1.7, 3e-3, 1e-4}, {1, -0.5, 0}} {
						seed++
						r := newRand(seed)
						a, b := make([]float32, k*mr), make([]float32, k*nr)
						randSlice32(r, a)
						randSlice32(r, b)
						n := (mr-1)*ldc + nr
						c, cok := guarded32(n)
						w, wok := guarded32(n)
						for i := 0; i < n; i++ {
							c[i] = float32(r.NormFloat64())
							w[i] = float32(r.NormFloat64())
						}
						w[1], w[ldc+2], w[nr-1] = float32(math.NaN()), float32(math.Inf(1)), float32(math.Copysign(0, -1))
						w[(mr-1)*ldc] = 0
						for i := 0; i < mr-1; i++ {
							for j := nr; j < ldc; j++ {
								c[i*ldc+j], w[i*ldc+j] = sentinel32, sentinel32
							}
						}
						c0, w0 := append([]float32(nil), c...), append([]float32(nil), w...)
						impl.SgemmDescend(k, a, b, c, ldc, w, coef, flags)
						if !cok() || !wok() {
							t.Fatalf("k=%d ldc=%d: write outside C or W", k, ldc)
						}
						// The kernel, then the step.
						c2, w2 := append([]float32(nil), c0...), append([]float32(nil), w0...)
						var beta []float32
						if flags&ScaleC != 0 {
							beta = coef[:1]
						}
						impl.Sgemm(k, a, b, c2, ldc, beta, flags)
						for i := 0; i < mr; i++ {
							sgdGeneric(w2[i*ldc:i*ldc+nr], c2[i*ldc:i*ldc+nr], coef[1], coef[2])
						}
						ref := append([]float32(nil), c0...)
						sgemmMicroRef(mr, nr, k, a, b, ref, ldc, beta, flags)
						for i := 0; i < n; i++ {
							if math.Float32bits(c[i]) != math.Float32bits(c2[i]) {
								t.Fatalf("k=%d ldc=%d flags=%d: C[%d] = %g, kernel alone %g", k, ldc, flags, i, c[i], c2[i])
							}
							if math.Float32bits(w[i]) != math.Float32bits(w2[i]) && !(isNaN32(w[i]) && isNaN32(w2[i])) {
								t.Fatalf("k=%d ldc=%d flags=%d coef=%v: W[%d] = %g, kernel then step %g (was %g)", k, ldc, flags, coef, i, w[i], w2[i], w0[i])
							}
							row, j := i/ldc, i%ldc
							if j >= nr {
								if c[i] != sentinel32 || w[i] != sentinel32 {
									t.Fatalf("ldc=%d: gap %d changed", ldc, i)
								}
								continue
							}
							mag := 0.0
							if flags&Accumulate != 0 {
								mag = math.Abs(float64(coef[0]) * float64(c0[i]))
							}
							for p := 0; p < k; p++ {
								mag += math.Abs(float64(a[p*mr+row]) * float64(b[p*nr+j]))
							}
							if d := math.Abs(float64(c[i]) - float64(ref[i])); !(d <= float64(k+2)*0x1p-23*mag) && c[i] != ref[i] {
								t.Fatalf("k=%d ldc=%d flags=%d: C[%d] = %g, reference %g", k, ldc, flags, i, c[i], ref[i])
							}
						}
						if !isNaN32(w[1]) || !(math.IsInf(float64(w[ldc+2]), 0) || isNaN32(w[ldc+2])) {
							t.Fatalf("NaN or infinity in W not propagated: %g %g", w[1], w[ldc+2])
						}
					}
				}
			}
		}
		// Preconditions.
		a, b, c, w := make([]float32, mr), make([]float32, nr), make([]float32, mr*nr), make([]float32, mr*nr)
		coef := []float32{0.9, 0.1, 0}
		mustPanicRows(t, impl.Name+" descend AddBias", func() { impl.SgemmDescend(1, a, b, c, nr, w, coef, AddBias) })
		mustPanicRows(t, impl.Name+" descend ReLU", func() { impl.SgemmDescend(1, a, b, c, nr, w, coef, ReLU) })
		mustPanicRows(t, impl.Name+" descend short coef", func() { impl.SgemmDescend(1, a, b, c, nr, w, coef[:2], 0) })
		mustPanicRows(t, impl.Name+" descend short w", func() { impl.SgemmDescend(1, a, b, c, nr, w[:len(w)-1], coef, 0) })
		mustPanicRows(t, impl.Name+" descend short c", func() { impl.SgemmDescend(1, a, b, c[:len(c)-1], nr, w, coef, 0) })
		if !impl.SgemmScaleC {
			mustPanicRows(t, impl.Name+" descend ScaleC", func() { impl.SgemmDescend(1, a, b, c, nr, w, coef, Accumulate|ScaleC) })
		}
	})
}

// TestSgemmDescendRef checks the specification against its definition on
// a tile of a shape no kernel has, so that the reference itself is
// checked: the micro-kernel reference, then sgdGeneric row by row.
func TestSgemmDescendRef(t *testing.T) {
	mr, nr, k, ldc := 3, 5, 7, 6
	r := newRand(77)
	a, b := make([]float32, k*mr), make([]float32, k*nr)
	randSlice32(r, a)
	randSlice32(r, b)
	c, w := make([]float32, (mr-1)*ldc+nr), make([]float32, (mr-1)*ldc+nr)
	randSlice32(r, c)
	randSlice32(r, w)
	c2, w2 := append([]float32(nil), c...), append([]float32(nil), w...)
	coef := []float32{0.5, 0.25, 0.01}
	sgemmDescendRef(mr, nr, k, a, b, c, ldc, w, coef, Accumulate|ScaleC)
	sgemmMicroRef(mr, nr, k, a, b, c2, ldc, coef[:1], Accumulate|ScaleC)
	for i := 0; i < mr; i++ {
		sgdGeneric(w2[i*ldc:i*ldc+nr], c2[i*ldc:i*ldc+nr], coef[1], coef[2])
	}
	for i := range c {
		if c[i] != c2[i] || w[i] != w2[i] {
			t.Fatalf("element %d: C %g W %g, definition %g %g", i, c[i], w[i], c2[i], w2[i])
		}
	}
}
