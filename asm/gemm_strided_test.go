package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// stridedKernels is one precision's pair of micro-kernels of an
// implementation (packed and in-place B) with its reference, sentinels and
// guarded buffers, for the generic strided-kernel test.
type stridedKernels[T float32 | float64] struct {
	mr, nr  int
	packed  func(k int, a, b, c []T, ldc int, bias []T, flags GemmFlags)
	strided func(k int, a, b []T, ldb int, c []T, ldc int, bias []T, flags GemmFlags, pf []T, pfRows int)
	ref     func(mr, nr, k int, a, b []T, ldb int, c []T, ldc int, bias []T, flags GemmFlags)
	guarded func(n int) ([]T, func() bool)
	fill    func(r *rand.Rand, s []T)
	bits    func(T) uint64
	unit    float64 // unit roundoff
	gap     T       // sentinel for the gaps of C
}

// TestSgemmStrided checks every implementation's float32 micro-kernel that
// reads B in place against the same implementation's packed kernel on a
// packed copy of B (bit for bit: the same products summed in the same
// order) and against sgemmStridedMicroRef (Higham's bound), for depths
// around the unrolling, leading dimensions of B with and without gaps, and
// every epilogue; B must be left unchanged and the gaps of C and the
// guards around every operand alone.
func TestSgemmStrided(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		if impl.SgemmStrided == nil {
			t.Skip("no strided micro-kernel")
		}
		runStrided(t, stridedKernels[float32]{
			mr: impl.SMR, nr: impl.SNR, packed: impl.Sgemm, strided: impl.SgemmStrided, ref: sgemmStridedMicroRef,
			guarded: guarded32, fill: randSlice32, bits: func(v float32) uint64 { return uint64(math.Float32bits(v)) },
			unit: 0x1p-24, gap: sentinel32,
		}, 1)
	})
}

// TestDgemmStrided is TestSgemmStrided for the float64 kernels.
func TestDgemmStrided(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		if impl.DgemmStrided == nil {
			t.Skip("no strided micro-kernel")
		}
		runStrided(t, stridedKernels[float64]{
			mr: impl.DMR, nr: impl.DNR, packed: impl.Dgemm, strided: impl.DgemmStrided, ref: dgemmStridedMicroRef,
			guarded: guarded64, fill: randSlice64, bits: math.Float64bits,
			unit: 0x1p-53, gap: sentinel64,
		}, 100)
	})
}

func runStrided[T float32 | float64](t *testing.T, ks stridedKernels[T], seed uint64) {
	for _, k := range microDepths {
		for _, ldb := range []int{ks.nr, ks.nr + 1, 3*ks.nr + 5} {
			for _, flags := range []GemmFlags{0, Accumulate, AddBias | ReLU, Accumulate | AddBias | ReLU} {
				seed++
				stridedCase(t, ks, k, ldb, ks.nr+3, flags, seed)
			}
		}
	}
}

func stridedCase[T float32 | float64](t *testing.T, ks stridedKernels[T], k, ldb, ldc int, flags GemmFlags, seed uint64) {
	t.Helper()
	mr, nr := ks.mr, ks.nr
	r := newRand(seed)
	a, aok := ks.guarded(k * mr)
	nb := 0
	if k > 0 {
		nb = (k-1)*ldb + nr
	}
	b, bok := ks.guarded(nb)
	bias, biasok := ks.guarded(nr)
	ks.fill(r, a)
	ks.fill(r, b)
	ks.fill(r, bias)
	bCopy := append([]T(nil), b...)
	packed := make([]T, k*nr)
	for p := 0; p < k; p++ {
		copy(packed[p*nr:(p+1)*nr], b[p*ldb:p*ldb+nr])
	}
	c, cok := ks.guarded((mr-1)*ldc + nr)
	for i := range c {
		c[i] = T(math.NaN()) // never read without Accumulate
		if flags&Accumulate != 0 {
			c[i] = T(r.NormFloat64())
		}
		if i%ldc >= nr {
			c[i] = ks.gap
		}
	}
	c0 := append([]T(nil), c...)
	want := append([]T(nil), c...)
	ks.packed(k, a, packed, want, ldc, bias, flags)
	ref := append([]T(nil), c...)
	ks.ref(mr, nr, k, a, b, ldb, ref, ldc, bias, flags)
	// The same call prefetching a stream of rows ldb apart (beyond k rows
	// as well, which the kernels clamp to k): C bit for bit the same, the
	// stream never written.
	pfRows := k + 5
	pf, pfok := ks.guarded((pfRows-1)*ldb + 1)
	ks.fill(r, pf)
	pfCopy := append([]T(nil), pf...)
	cPF := append([]T(nil), c...)
	ks.strided(k, a, b, ldb, cPF, ldc, bias, flags, pf, pfRows)
	ks.strided(k, a, b, ldb, c, ldc, bias, flags, nil, 0)
	if !aok() || !bok() || !cok() || !biasok() || !pfok() {
		t.Fatalf("k=%d ldb=%d flags=%d: write outside the operands", k, ldb, flags)
	}
	for i := range b {
		if ks.bits(b[i]) != ks.bits(bCopy[i]) {
			t.Fatalf("k=%d ldb=%d: B[%d] changed", k, ldb, i)
		}
	}
	for i := range pf {
		if ks.bits(pf[i]) != ks.bits(pfCopy[i]) {
			t.Fatalf("k=%d ldb=%d: pf[%d] changed", k, ldb, i)
		}
	}
	for i := range c {
		if ks.bits(cPF[i]) != ks.bits(c[i]) {
			t.Fatalf("k=%d ldb=%d flags=%d: C[%d] = %g prefetching, %g without", k, ldb, flags, i, cPF[i], c[i])
		}
		if ks.bits(c[i]) != ks.bits(want[i]) {
			t.Fatalf("k=%d ldb=%d flags=%d: C[%d] = %g, packed kernel %g", k, ldb, flags, i, c[i], want[i])
		}
		row, col := i/ldc, i%ldc
		if col >= nr {
			continue
		}
		// Higham's bound on the magnitudes that entered the sum.
		mag := 0.0
		for p := 0; p < k; p++ {
			mag += math.Abs(float64(a[p*mr+row]) * float64(b[p*ldb+col]))
		}
		if flags&Accumulate != 0 {
			mag += math.Abs(float64(c0[i]))
		}
		if flags&AddBias != 0 {
			mag += math.Abs(float64(bias[col]))
		}
		if tol := 2*float64(k+2)*ks.unit*mag + 1e-300; math.Abs(float64(c[i])-float64(ref[i])) > 2*tol {
			t.Fatalf("k=%d ldb=%d flags=%d: C[%d] = %g, reference %g", k, ldb, flags, i, c[i], ref[i])
		}
	}
}

// TestSgemmStridedPanics checks the operand checks of the strided kernels.
func TestSgemmStridedPanics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		if impl.SgemmStrided == nil {
			t.Skip("no strided micro-kernel")
		}
		mr, nr, k := impl.SMR, impl.SNR, 3
		a, c, bias := make([]float32, k*mr), make([]float32, mr*nr), make([]float32, nr)
		for _, tc := range []struct {
			name   string
			b      []float32
			ldb    int
			pf     []float32
			pfRows int
			want   string
		}{
			{"ldb < nr", make([]float32, k*nr), nr - 1, nil, 0, errLdb},
			{"short b", make([]float32, 2*(nr+1)+nr-1), nr + 1, nil, 0, errShortB},
			{"negative pfRows", make([]float32, k*nr), nr, nil, -1, errPrefetch},
			{"short pf", make([]float32, k*nr), nr, make([]float32, 2*nr), 3, errPrefetch},
		} {
			func() {
				defer func() {
					if r := recover(); r != tc.want {
						t.Errorf("%s: panic %v, want %q", tc.name, r, tc.want)
					}
				}()
				impl.SgemmStrided(k, a, tc.b, tc.ldb, c, nr, bias, AddBias, tc.pf, tc.pfRows)
			}()
		}
	})
}

// TestSgemmAlt checks the alternative float32 micro-kernel shape of the
// implementations that have one: the packed kernel against a float64
// reference and sgemmMicroRef (microCase32), the in-place kernel against
// it bit for bit and against sgemmStridedMicroRef.
func TestSgemmAlt(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		if impl.SMRAlt == 0 {
			if impl.SgemmAlt != nil || impl.SgemmStridedAlt != nil {
				t.Fatal("alternative kernels without a shape")
			}
			t.Skip("no alternative shape")
		}
		alt := *impl
		alt.SMR, alt.Sgemm = impl.SMRAlt, impl.SgemmAlt
		seed := uint64(500)
		for _, k := range microDepths {
			for _, ldc := range []int{alt.SNR, alt.SNR + 3} {
				for flags := GemmFlags(0); flags < 8; flags++ {
					seed++
					microCase32(t, &alt, k, ldc, flags, seed)
				}
			}
		}
		runStrided(t, stridedKernels[float32]{
			mr: impl.SMRAlt, nr: impl.SNR, packed: impl.SgemmAlt, strided: impl.SgemmStridedAlt, ref: sgemmStridedMicroRef,
			guarded: guarded32, fill: randSlice32, bits: func(v float32) uint64 { return uint64(math.Float32bits(v)) },
			unit: 0x1p-24, gap: sentinel32,
		}, 700)
	})
}

// TestDgemmAlt is TestSgemmAlt for the alternative float64 shape.
func TestDgemmAlt(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		if impl.DMRAlt == 0 {
			if impl.DgemmAlt != nil || impl.DgemmStridedAlt != nil {
				t.Fatal("alternative kernels without a shape")
			}
			t.Skip("no alternative shape")
		}
		alt := *impl
		alt.DMR, alt.Dgemm = impl.DMRAlt, impl.DgemmAlt
		seed := uint64(900)
		for _, k := range microDepths {
			for _, ldc := range []int{alt.DNR, alt.DNR + 3} {
				for flags := GemmFlags(0); flags < 8; flags++ {
					seed++
					microCase64(t, &alt, k, ldc, flags, seed)
				}
			}
		}
		runStrided(t, stridedKernels[float64]{
			mr: impl.DMRAlt, nr: impl.DNR, packed: impl.DgemmAlt, strided: impl.DgemmStridedAlt, ref: dgemmStridedMicroRef,
			guarded: guarded64, fill: randSlice64, bits: math.Float64bits,
			unit: 0x1p-53, gap: sentinel64,
		}, 1100)
	})
}

// TestGemmFor checks the choice between the two micro-kernel shapes of
// 10 and 8 rows (the AVX-512 kernels): the 8-row one where it pads less.
func TestGemmFor(t *testing.T) {
	alt := map[int]bool{1: true, 7: true, 8: true, 16: true, 24: true, 32: true, 48: true, 64: true, 96: true, 128: true, 1024: true}
	for _, impl := range AvailableImpls() {
		for _, m := range []int{1, 7, 8, 10, 16, 20, 24, 30, 32, 40, 48, 64, 96, 100, 128, 200, 1000, 1024} {
			if impl.SMR == 10 && impl.SMRAlt == 8 {
				want := map[bool]int{true: 8, false: 10}[alt[m]]
				if mr, _, _ := impl.SgemmFor(m); mr != want {
					t.Errorf("%s: SgemmFor(%d) = %d rows, want %d", impl.Name, m, mr, want)
				}
			}
			if impl.DMR == 10 && impl.DMRAlt == 8 {
				want := map[bool]int{true: 8, false: 10}[alt[m]]
				if mr, _, _ := impl.DgemmFor(m); mr != want {
					t.Errorf("%s: DgemmFor(%d) = %d rows, want %d", impl.Name, m, mr, want)
				}
			}
			if impl.DMRAlt == 0 {
				if mr, _, _ := impl.DgemmFor(m); mr != impl.DMR {
					t.Errorf("%s: DgemmFor(%d) = %d rows without an alternative shape", impl.Name, m, mr)
				}
			}
		}
	}
}
