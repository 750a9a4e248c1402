package asm

import (
	"math"
	"testing"
)

// TestSgemmStrided checks every implementation's micro-kernel that reads B
// in place against the same implementation's packed kernel on a packed copy
// of B (bit for bit: the same products summed in the same order) and
// against SgemmStridedMicroRef (within the rounding of fused multiply-adds),
// for depths around the unrolling, leading dimensions of B with and
// without gaps, and every epilogue; the gaps of B and C and the guards
// around every operand must be left alone.
func TestSgemmStrided(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		if impl.SgemmStrided == nil {
			t.Skip("no strided micro-kernel")
		}
		mr, nr := impl.SMR, impl.SNR
		seed := uint64(1)
		for _, k := range microDepths {
			for _, ldb := range []int{nr, nr + 1, 3*nr + 5} {
				for _, flags := range []GemmFlags{0, Accumulate, AddBias | ReLU, Accumulate | AddBias | ReLU} {
					seed++
					stridedCase(t, impl, mr, nr, k, ldb, nr+3, flags, seed)
				}
			}
		}
	})
}

// TestDgemmStrided is TestSgemmStrided for the float64 kernels.
func TestDgemmStrided(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		if impl.DgemmStrided == nil {
			t.Skip("no strided micro-kernel")
		}
		mr, nr := impl.DMR, impl.DNR
		seed := uint64(100)
		for _, k := range microDepths {
			for _, ldb := range []int{nr, nr + 1, 3*nr + 5} {
				for _, flags := range []GemmFlags{0, Accumulate, AddBias | ReLU, Accumulate | AddBias | ReLU} {
					seed++
					stridedCase64(t, impl, mr, nr, k, ldb, nr+3, flags, seed)
				}
			}
		}
	})
}

// stridedCase64 is stridedCase for float64: bit for bit against the packed
// kernel, Higham's bound against DgemmStridedMicroRef.
func stridedCase64(t *testing.T, impl *Impl, mr, nr, k, ldb, ldc int, flags GemmFlags, seed uint64) {
	t.Helper()
	r := newRand(seed)
	a, aok := guarded64(k * mr)
	nb := 0
	if k > 0 {
		nb = (k-1)*ldb + nr
	}
	b, bok := guarded64(nb)
	bias, biasok := guarded64(nr)
	randSlice64(r, a)
	randSlice64(r, b)
	randSlice64(r, bias)
	packed := make([]float64, k*nr)
	for p := 0; p < k; p++ {
		copy(packed[p*nr:(p+1)*nr], b[p*ldb:p*ldb+nr])
	}
	clen := (mr-1)*ldc + nr
	c, cok := guarded64(clen)
	for i := range c {
		c[i] = math.NaN()
		if flags&Accumulate != 0 {
			c[i] = r.NormFloat64()
		}
		if i%ldc >= nr {
			c[i] = sentinel64
		}
	}
	want0 := append([]float64(nil), c...)
	want := append([]float64(nil), c...)
	impl.Dgemm(k, a, packed, want, ldc, bias, flags)
	ref := append([]float64(nil), c...)
	DgemmStridedMicroRef(mr, nr, k, a, b, ldb, ref, ldc, bias, flags)
	impl.DgemmStrided(k, a, b, ldb, c, ldc, bias, flags)
	if !aok() || !bok() || !cok() || !biasok() {
		t.Fatalf("k=%d ldb=%d flags=%d: write outside the operands", k, ldb, flags)
	}
	const u = 0x1p-53
	for i := range c {
		if math.Float64bits(c[i]) != math.Float64bits(want[i]) {
			t.Fatalf("k=%d ldb=%d flags=%d: C[%d] = %g, packed kernel %g", k, ldb, flags, i, c[i], want[i])
		}
		row, col := i/ldc, i%ldc
		if col >= nr {
			continue
		}
		mag := 0.0
		for p := 0; p < k; p++ {
			mag += math.Abs(a[p*mr+row] * b[p*ldb+col])
		}
		if flags&Accumulate != 0 {
			mag += math.Abs(want0[i])
		}
		if flags&AddBias != 0 {
			mag += math.Abs(bias[col])
		}
		if tol := 2*float64(k+2)*u*mag + 1e-300; math.Abs(c[i]-ref[i]) > 2*tol {
			t.Fatalf("k=%d ldb=%d flags=%d: C[%d] = %g, DgemmStridedMicroRef %g", k, ldb, flags, i, c[i], ref[i])
		}
	}
}

func stridedCase(t *testing.T, impl *Impl, mr, nr, k, ldb, ldc int, flags GemmFlags, seed uint64) {
	t.Helper()
	r := newRand(seed)
	a, aok := guarded32(k * mr)
	nb := 0
	if k > 0 {
		nb = (k-1)*ldb + nr
	}
	b, bok := guarded32(nb)
	bias, biasok := guarded32(nr)
	randSlice32(r, a)
	randSlice32(r, b)
	randSlice32(r, bias)
	bCopy := append([]float32(nil), b...)
	packed := make([]float32, k*nr)
	for p := 0; p < k; p++ {
		copy(packed[p*nr:(p+1)*nr], b[p*ldb:p*ldb+nr])
	}
	clen := (mr-1)*ldc + nr
	c, cok := guarded32(clen)
	for i := range c {
		c[i] = float32(math.NaN()) // never read without Accumulate
		if flags&Accumulate != 0 {
			c[i] = float32(r.NormFloat64())
		}
		if i%ldc >= nr {
			c[i] = sentinel32
		}
	}
	want0 := append([]float32(nil), c...)
	want := append([]float32(nil), c...)
	impl.Sgemm(k, a, packed, want, ldc, bias, flags)
	ref := append([]float32(nil), c...)
	SgemmStridedMicroRef(mr, nr, k, a, b, ldb, ref, ldc, bias, flags)
	impl.SgemmStrided(k, a, b, ldb, c, ldc, bias, flags)
	if !aok() || !bok() || !cok() || !biasok() {
		t.Fatalf("k=%d ldb=%d flags=%d: write outside the operands", k, ldb, flags)
	}
	for i := range b {
		if math.Float32bits(b[i]) != math.Float32bits(bCopy[i]) {
			t.Fatalf("k=%d ldb=%d: B[%d] changed", k, ldb, i)
		}
	}
	const u = 0x1p-24
	for i := range c {
		if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
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
			mag += math.Abs(float64(want0[i]))
		}
		if flags&AddBias != 0 {
			mag += math.Abs(float64(bias[col]))
		}
		if tol := 2*float64(k+2)*u*mag + 1e-30; math.Abs(float64(c[i])-float64(ref[i])) > 2*tol {
			t.Fatalf("k=%d ldb=%d flags=%d: C[%d] = %g, SgemmStridedMicroRef %g", k, ldb, flags, i, c[i], ref[i])
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
			name string
			b    []float32
			ldb  int
			want string
		}{
			{"ldb < nr", make([]float32, k*nr), nr - 1, errLdb},
			{"short b", make([]float32, 2*(nr+1)+nr-1), nr + 1, errShortB},
		} {
			func() {
				defer func() {
					if r := recover(); r != tc.want {
						t.Errorf("%s: panic %v, want %q", tc.name, r, tc.want)
					}
				}()
				impl.SgemmStrided(k, a, tc.b, tc.ldb, c, nr, bias, AddBias)
			}()
		}
	})
}
