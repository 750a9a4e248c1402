package asm

import (
	"math"
	"testing"
)

// TestSgemmRows checks every implementation's row-reading kernel against
// the packed kernel of the same shape bit for bit (the same chain of
// multiply-adds per element, so a product does not depend on which of
// them computed it), against its pure-Go specification sgemmRowsRef (to
// rounding: the specification does not fuse the multiply-adds) and against
// the definition in float64: depths around the unrolling, NaN in the rows
// of A past the depth (never read), NaN in C before a call without
// Accumulate, guards around C; bad operands panic.
func TestSgemmRows(t *testing.T) {
	for _, impl := range AvailableImpls() {
		if impl.SgemmRows == nil {
			if impl.Name == "avx512" {
				t.Fatal("avx512: no row-reading kernel")
			}
			continue
		}
		if impl.SgemmRowsHalf == nil {
			t.Fatalf("%s: a row-reading kernel without its half-width form", impl.Name)
		}
		if impl.SRowsMR != impl.SMR {
			t.Fatalf("%s: row-reading kernel of %d rows, packed kernel of %d", impl.Name, impl.SRowsMR, impl.SMR)
		}
		checkRowsKernel(t, impl, impl.SNR, impl.SgemmRows)
		checkRowsKernel(t, impl, impl.SNR/2, impl.SgemmRowsHalf)
	}
}

// checkRowsKernel is TestSgemmRows for one kernel of nr columns (the half
// width is compared with the first nr columns of the packed kernel's tile).
func checkRowsKernel(t *testing.T, impl *Impl, nr int, kern func(k int, a []float32, lda int, b, c []float32, ldc int, flags GemmFlags)) {
	t.Helper()
	mr, fnr := impl.SRowsMR, impl.SNR
	{
		r := newRand(uint64(57 + mr + nr))
		for _, k := range []int{0, 1, 3, 4, 5, 8, 9, 17, 64, 203, 512} {
			for _, flags := range []GemmFlags{0, Accumulate} {
				lda := k + 3
				a := make([]float32, max((mr-1)*lda+k, 0))
				ap := make([]float32, k*mr) // the same rows packed for the full kernel
				for i := range mr {
					for p := range lda {
						if i*lda+p >= len(a) {
							break
						}
						a[i*lda+p] = float32(math.NaN())
						if p < k {
							x := float32(r.NormFloat64())
							a[i*lda+p], ap[p*mr+i] = x, x
						}
					}
				}
				b := make([]float32, k*nr)
				bf := make([]float32, k*fnr) // b widened with zero columns for the packed kernel
				for p := range k {
					for j := range nr {
						x := float32(r.NormFloat64())
						b[p*nr+j], bf[p*fnr+j] = x, x
					}
				}
				const ldc, guard = 40, 4
				c0 := make([]float32, mr*ldc+2*guard)
				for i := range c0 {
					c0[i] = float32(r.NormFloat64())
					if flags == 0 && i >= guard && i < guard+mr*ldc {
						c0[i] = float32(math.NaN())
					}
				}
				got := append([]float32(nil), c0...)
				kern(k, a, lda, b, got[guard:guard+(mr-1)*ldc+nr], ldc, flags)
				full := append([]float32(nil), c0...)
				impl.Sgemm(k, ap, bf, full[guard:guard+(mr-1)*ldc+fnr], ldc, nil, flags)
				spec := append([]float32(nil), c0...)
				sgemmRowsRef(mr, nr, k, a, lda, b, spec[guard:guard+(mr-1)*ldc+nr], ldc, flags)
				for idx := range got {
					i, j := (idx-guard)/ldc, (idx-guard)%ldc
					inTile := idx >= guard && i < mr && j < nr
					if !inTile {
						if idx >= guard && i < mr && j < fnr {
							continue // the packed kernel's columns past nr
						}
						if math.Float32bits(got[idx]) != math.Float32bits(c0[idx]) {
							t.Fatalf("%s k=%d flags=%d: wrote c[%d] outside the tile", impl.Name, k, flags, idx)
						}
						continue
					}
					if math.Float32bits(got[idx]) != math.Float32bits(full[idx]) {
						t.Fatalf("%s k=%d flags=%d: c[%d][%d] = %v, the packed kernel %v", impl.Name, k, flags, i, j, got[idx], full[idx])
					}
					var s, abs float64
					for p := range k {
						s += float64(a[i*lda+p]) * float64(b[p*nr+j])
						abs += math.Abs(float64(a[i*lda+p]) * float64(b[p*nr+j]))
					}
					if flags&Accumulate != 0 {
						s += float64(c0[idx])
						abs += math.Abs(float64(c0[idx]))
					}
					tol := float64(k+2) * 0x1p-23 * (abs + 1e-30)
					if d := math.Abs(float64(got[idx]) - s); !(d <= tol) {
						t.Fatalf("%s k=%d flags=%d: c[%d][%d] = %v, float64 %v", impl.Name, k, flags, i, j, got[idx], s)
					}
					if d := math.Abs(float64(got[idx]) - float64(spec[idx])); !(d <= 2*tol) {
						t.Fatalf("%s k=%d flags=%d: c[%d][%d] = %v, specification %v", impl.Name, k, flags, i, j, got[idx], spec[idx])
					}
				}
			}
		}
		a, b, c := make([]float32, mr*64), make([]float32, 64*nr), make([]float32, mr*nr)
		mustPanicRows(t, impl.Name+" short a", func() { kern(64, a[:len(a)-1], 64, b, c, nr, 0) })
		mustPanicRows(t, impl.Name+" lda < k", func() { kern(64, a, 63, b, c, nr, 0) })
		mustPanicRows(t, impl.Name+" short b", func() { kern(64, a, 64, b[:len(b)-1], c, nr, 0) })
		mustPanicRows(t, impl.Name+" short c", func() { kern(64, a, 64, b, c[:len(c)-1], nr, 0) })
		mustPanicRows(t, impl.Name+" ldc < nr", func() { kern(64, a, 64, b, c, nr-1, 0) })
		mustPanicRows(t, impl.Name+" bias flag", func() { kern(64, a, 64, b, c, nr, AddBias) })
		mustPanicRows(t, impl.Name+" negative k", func() { kern(-1, a, 64, b, c, nr, 0) })
	}
}

func mustPanicRows(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatalf("%s: no panic", what)
		}
	}()
	f()
}
