package asm

import (
	"math"
	"testing"
)

// TestSgemmScaleC checks the ScaleC epilogue of the kernels that take it
// (Impl.SgemmScaleC, both shapes) against sgemmMicroRef, and bit for bit
// against what it replaces: C scaled by beta in float32, then an
// accumulating call of the same kernel. NaN and infinities in C must come out as beta*C does
// (propagated), and the gaps between C's rows must stay untouched.
func TestSgemmScaleC(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		kernels := []struct {
			mr   int
			kern func(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags)
		}{{impl.SMR, impl.Sgemm}}
		if impl.SgemmAlt != nil {
			kernels = append(kernels, struct {
				mr   int
				kern func(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags)
			}{impl.SMRAlt, impl.SgemmAlt})
		}
		if !impl.SgemmScaleC {
			// The kernels without it refuse the flag.
			nr := impl.SNR
			a, b, c := make([]float32, impl.SMR), make([]float32, nr), make([]float32, impl.SMR*nr)
			mustPanicRows(t, impl.Name+" ScaleC", func() { impl.Sgemm(1, a, b, c, nr, []float32{2}, Accumulate|ScaleC) })
			return
		}
		seed := uint64(500)
		for _, kv := range kernels {
			mr, nr := kv.mr, impl.SNR
			for _, k := range microDepths {
				for _, ldc := range []int{nr, nr + 3} {
					for _, beta := range []float32{0.9, -1.7, 1, 0, 3e-39} {
						seed++
						r := newRand(seed)
						a, b := make([]float32, k*mr), make([]float32, k*nr)
						randSlice32(r, a)
						randSlice32(r, b)
						clen := (mr-1)*ldc + nr
						c, cok := guarded32(clen)
						for i := range c {
							c[i] = float32(r.NormFloat64())
						}
						c[0], c[ldc+1] = float32(math.NaN()), float32(math.Inf(-1))
						for i := 0; i < mr-1; i++ {
							for j := nr; j < ldc; j++ {
								c[i*ldc+j] = sentinel32
							}
						}
						c0 := append([]float32(nil), c...)
						betaS := []float32{beta}
						ref := append([]float32(nil), c0...)
						sgemmMicroRef(mr, nr, k, a, b, ref, ldc, betaS, Accumulate|ScaleC)
						kv.kern(k, a, b, c, ldc, betaS, Accumulate|ScaleC)
						if !cok() {
							t.Fatalf("mr=%d k=%d ldc=%d: write outside C", mr, k, ldc)
						}
						// C scaled first, then accumulated by the same kernel.
						two := append([]float32(nil), c0...)
						for i := 0; i < mr; i++ {
							for j := 0; j < nr; j++ {
								two[i*ldc+j] = float32(beta * two[i*ldc+j])
							}
						}
						kv.kern(k, a, b, two, ldc, nil, Accumulate)
						for i := range c {
							// The kernels' multiply-adds are fused, the
							// reference's are not: equal within the
							// k-term bound (the epilogue's two roundings
							// are the same), bit for bit up to depth 1.
							if row, j := i/ldc, i%ldc; j < nr && row < mr {
								mag := math.Abs(float64(beta) * float64(c0[i]))
								for p := 0; p < k; p++ {
									mag += math.Abs(float64(a[p*mr+row]) * float64(b[p*nr+j]))
								}
								d := math.Abs(float64(c[i]) - float64(ref[i]))
								if !(d <= float64(k+2)*0x1p-23*mag) && !(isNaN32(c[i]) && isNaN32(ref[i])) && c[i] != ref[i] && !(k <= 1 && math.Float32bits(c[i]) == math.Float32bits(ref[i])) {
									t.Fatalf("mr=%d k=%d ldc=%d beta=%g: C[%d] = %g, reference %g", mr, k, ldc, beta, i, c[i], ref[i])
								}
							} else if math.Float32bits(c[i]) != math.Float32bits(ref[i]) {
								t.Fatalf("mr=%d ldc=%d: gap C[%d] changed to %g", mr, ldc, i, c[i])
							}
							if math.Float32bits(c[i]) != math.Float32bits(two[i]) && !(isNaN32(c[i]) && isNaN32(two[i])) {
								t.Fatalf("mr=%d k=%d ldc=%d beta=%g: C[%d] = %g, scaled then accumulated %g", mr, k, ldc, beta, i, c[i], two[i])
							}
						}
						if !isNaN32(c[0]) || (beta != 0 && !math.IsInf(float64(c[ldc+1]), 0)) || (beta == 0 && !isNaN32(c[ldc+1])) {
							t.Fatalf("mr=%d beta=%g: NaN or infinity in C not propagated: %g %g", mr, beta, c[0], c[ldc+1])
						}
					}
				}
			}
			// The flag's preconditions.
			a, b, c := make([]float32, mr), make([]float32, nr), make([]float32, mr*nr)
			mustPanicRows(t, impl.Name+" ScaleC without Accumulate", func() { kv.kern(1, a, b, c, nr, []float32{2}, ScaleC) })
			mustPanicRows(t, impl.Name+" ScaleC with AddBias", func() { kv.kern(1, a, b, c, nr, make([]float32, nr), Accumulate|ScaleC|AddBias) })
			mustPanicRows(t, impl.Name+" ScaleC without beta", func() { kv.kern(1, a, b, c, nr, nil, Accumulate|ScaleC) })
		}
	})
}

func isNaN32(x float32) bool { return x != x }
