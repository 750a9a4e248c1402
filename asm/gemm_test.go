package asm

import (
	"fmt"
	"math"
	"testing"
)

var microDepths = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 64, 101, 256, 257}

// microCase runs one float32 micro-kernel call of impl against a float64
// reference (Higham's bound) and against sgemmMicroRef of the same shape.
func microCase32(t *testing.T, impl *Impl, k, ldc int, flags GemmFlags, seed uint64) {
	t.Helper()
	mr, nr := impl.SMR, impl.SNR
	r := newRand(seed)
	a, aok := guarded32(k * mr)
	b, bok := guarded32(k * nr)
	bias, biasok := guarded32(nr)
	randSlice32(r, a)
	randSlice32(r, b)
	randSlice32(r, bias)
	clen := (mr-1)*ldc + nr
	c, cok := guarded32(clen)
	want := make([]float32, clen)
	for i := range c {
		if flags&Accumulate != 0 {
			c[i] = float32(r.NormFloat64())
		} else {
			c[i] = float32(math.NaN()) // must never be read
		}
		want[i] = c[i]
	}
	// Gaps between rows (columns nr..ldc-1) must be left alone.
	for i := 0; i < mr-1; i++ {
		for j := nr; j < ldc; j++ {
			c[i*ldc+j] = sentinel32
			want[i*ldc+j] = sentinel32
		}
	}
	ref := append([]float32(nil), want...)
	sgemmMicroRef(mr, nr, k, a, b, ref, ldc, bias, flags)
	impl.Sgemm(k, a, b, c, ldc, bias, flags)
	if !aok() || !bok() || !cok() || !biasok() {
		t.Fatalf("k=%d ldc=%d flags=%d: write outside the operands", k, ldc, flags)
	}
	const u = 0x1p-24
	for i := 0; i < mr; i++ {
		for j := 0; j < ldc; j++ {
			idx := i*ldc + j
			if j >= nr {
				if i < mr-1 && math.Float32bits(c[idx]) != math.Float32bits(sentinel32) {
					t.Fatalf("k=%d ldc=%d: gap C[%d][%d] overwritten", k, ldc, i, j)
				}
				continue
			}
			var s, mag float64
			for p := 0; p < k; p++ {
				x := float64(a[p*mr+i]) * float64(b[p*nr+j])
				s += x
				mag += math.Abs(x)
			}
			if flags&Accumulate != 0 {
				s += float64(want[idx])
				mag += math.Abs(float64(want[idx]))
			}
			if flags&AddBias != 0 {
				s += float64(bias[j])
				mag += math.Abs(float64(bias[j]))
			}
			if flags&ReLU != 0 && !(s > 0) {
				s = 0
			}
			tol := 2*float64(k+2)*u*mag + 1e-30
			got := float64(c[idx])
			if math.IsNaN(got) || math.Abs(got-s) > tol {
				t.Fatalf("k=%d ldc=%d flags=%d: C[%d][%d] = %g, float64 reference %g (tol %g)", k, ldc, flags, i, j, got, s, tol)
			}
			if d := math.Abs(got - float64(ref[idx])); d > 2*tol {
				t.Fatalf("k=%d ldc=%d flags=%d: C[%d][%d] = %g, generic twin %g", k, ldc, flags, i, j, got, ref[idx])
			}
			if flags&ReLU != 0 && math.Signbit(got) {
				t.Fatalf("k=%d flags=%d: ReLU produced negative or -0 value %g", k, flags, got)
			}
		}
	}
}

func microCase64(t *testing.T, impl *Impl, k, ldc int, flags GemmFlags, seed uint64) {
	t.Helper()
	mr, nr := impl.DMR, impl.DNR
	r := newRand(seed)
	a, aok := guarded64(k * mr)
	b, bok := guarded64(k * nr)
	bias, biasok := guarded64(nr)
	randSlice64(r, a)
	randSlice64(r, b)
	randSlice64(r, bias)
	clen := (mr-1)*ldc + nr
	c, cok := guarded64(clen)
	want := make([]float64, clen)
	for i := range c {
		if flags&Accumulate != 0 {
			c[i] = r.NormFloat64()
		} else {
			c[i] = math.NaN()
		}
		want[i] = c[i]
	}
	for i := 0; i < mr-1; i++ {
		for j := nr; j < ldc; j++ {
			c[i*ldc+j] = sentinel64
			want[i*ldc+j] = sentinel64
		}
	}
	impl.Dgemm(k, a, b, c, ldc, bias, flags)
	if !aok() || !bok() || !cok() || !biasok() {
		t.Fatalf("k=%d ldc=%d flags=%d: write outside the operands", k, ldc, flags)
	}
	const u = 0x1p-53
	for i := 0; i < mr; i++ {
		for j := 0; j < ldc; j++ {
			idx := i*ldc + j
			if j >= nr {
				if i < mr-1 && math.Float64bits(c[idx]) != math.Float64bits(sentinel64) {
					t.Fatalf("k=%d ldc=%d: gap C[%d][%d] overwritten", k, ldc, i, j)
				}
				continue
			}
			// Reference in float64 with a compensated (two-sum) accumulation,
			// good to about u^2 relative to the magnitudes.
			var s, comp, mag float64
			add := func(x float64) {
				y := x - comp
				tt := s + y
				comp = (tt - s) - y
				s = tt
				mag += math.Abs(x)
			}
			for p := 0; p < k; p++ {
				add(a[p*mr+i] * b[p*nr+j])
			}
			if flags&Accumulate != 0 {
				add(want[idx])
			}
			if flags&AddBias != 0 {
				add(bias[j])
			}
			if flags&ReLU != 0 && !(s > 0) {
				s = 0
			}
			tol := 2*float64(k+3)*u*mag + 1e-300
			if got := c[idx]; math.IsNaN(got) || math.Abs(got-s) > tol {
				t.Fatalf("k=%d ldc=%d flags=%d: C[%d][%d] = %g, reference %g (tol %g)", k, ldc, flags, i, j, got, s, tol)
			}
		}
	}
}

func TestSgemmMicro(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		seed := uint64(1)
		for _, k := range microDepths {
			for _, ldc := range []int{impl.SNR, impl.SNR + 3} {
				for flags := GemmFlags(0); flags < 8; flags++ {
					seed++
					microCase32(t, impl, k, ldc, flags, seed)
				}
			}
		}
	})
}

func TestDgemmMicro(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		seed := uint64(100)
		for _, k := range microDepths {
			for _, ldc := range []int{impl.DNR, impl.DNR + 5} {
				for flags := GemmFlags(0); flags < 8; flags++ {
					seed++
					microCase64(t, impl, k, ldc, flags, seed)
				}
			}
		}
	})
}

// TestGemmMicroNaN checks that NaN in A propagates (no kernel skips work)
// and that the ReLU epilogue maps it to zero like the reference loop.
func TestGemmMicroNaN(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, flags := range []GemmFlags{0, ReLU} {
			mr, nr, k := impl.SMR, impl.SNR, 5
			a := make([]float32, k*mr)
			b := make([]float32, k*nr)
			for i := range a {
				a[i] = 1
			}
			for i := range b {
				b[i] = 1
			}
			a[2*mr+1] = float32(math.NaN()) // row 1
			c := make([]float32, mr*nr)
			impl.Sgemm(k, a, b, c, nr, nil, flags)
			for i := 0; i < mr; i++ {
				for j := 0; j < nr; j++ {
					got := c[i*nr+j]
					switch {
					case i == 1 && flags == 0:
						if !math.IsNaN(float64(got)) {
							t.Fatalf("flags=%d: C[1][%d] = %g, want NaN", flags, j, got)
						}
					case i == 1:
						if math.Float32bits(got) != 0 {
							t.Fatalf("flags=%d: relu(NaN) = %g, want +0", flags, got)
						}
					default:
						if got != float32(k) {
							t.Fatalf("flags=%d: C[%d][%d] = %g, want %d", flags, i, j, got, k)
						}
					}
				}
			}
		}
	})
}

func TestGemmMicroPanics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		mr, nr := impl.SMR, impl.SNR
		k := 3
		a := make([]float32, k*mr)
		b := make([]float32, k*nr)
		c := make([]float32, mr*nr)
		cases := []struct {
			name string
			want string
			f    func()
		}{
			{"short a", errShortA, func() { impl.Sgemm(k, a[:k*mr-1], b, c, nr, nil, 0) }},
			{"short b", errShortB, func() { impl.Sgemm(k, a, b[:k*nr-1], c, nr, nil, 0) }},
			{"short c", errShortC, func() { impl.Sgemm(k, a, b, c[:len(c)-1], nr, nil, 0) }},
			{"small ldc", errLdc, func() { impl.Sgemm(k, a, b, c, nr-1, nil, 0) }},
			{"short bias", errShortBias, func() { impl.Sgemm(k, a, b, c, nr, make([]float32, nr-1), AddBias) }},
			{"negative k", errNegK, func() { impl.Sgemm(-1, a, b, c, nr, nil, 0) }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				defer func() {
					if r := recover(); r != tc.want {
						t.Fatalf("panic = %v, want %q", r, tc.want)
					}
				}()
				tc.f()
			})
		}
	})
}

// TestSgemmMicroRefTile: the reference micro-kernel's packed layout and
// epilogue on a 2x2 tile of depth 2: A = [[1 2] [3 4]], B = [[5 6] [7 8]],
// A B = [[19 22] [43 50]], plus the bias [-20 0], then ReLU.
func TestSgemmMicroRefTile(t *testing.T) {
	a := []float32{1, 3, 2, 4} // packed by columns of A: a[p*2+i] = A[i][p]
	b := []float32{5, 6, 7, 8} // packed by rows of B:    b[p*2+j] = B[p][j]
	c := make([]float32, 4)
	sgemmMicroRef(2, 2, 2, a, b, c, 2, []float32{-20, 0}, AddBias|ReLU)
	if got := fmt.Sprint(c); got != "[0 22 23 50]" {
		t.Errorf("tile %s, want [0 22 23 50]", got)
	}
}

// TestSgemmHalf checks every implementation's half-width edge kernels
// against a float64 reference of sgemmHalfRef: the second half of every B
// row and the C elements past the 16 columns hold NaN or a sentinel that
// must be neither read nor written, C starts as NaN and is overwritten,
// depths around the unrolling by four; mismatched operands panic.
func TestSgemmHalf(t *testing.T) {
	for _, impl := range AvailableImpls() {
		for _, v := range []struct {
			mr   int
			kern func(k int, a, b, c []float32, ldc int)
		}{{impl.SMR, impl.SgemmHalf}, {impl.SMRAlt, impl.SgemmHalfAlt}} {
			if v.kern == nil {
				continue
			}
			nr, h := impl.SNR, impl.SNR/2
			r := newRand(uint64(77 + v.mr))
			for _, k := range []int{0, 1, 3, 4, 5, 8, 17, 64} {
				ldc := h + 3
				a := make([]float32, k*v.mr)
				randSlice32(r, a)
				b := make([]float32, k*nr)
				for p := range k {
					for j := range nr {
						b[p*nr+j] = float32(math.NaN())
						if j < h {
							b[p*nr+j] = float32(r.NormFloat64())
						}
					}
				}
				c, intact := guarded32((v.mr-1)*ldc + h)
				for i := range c {
					c[i] = float32(math.NaN())
					if i%ldc >= h {
						c[i] = sentinel32
					}
				}
				v.kern(k, a, b, c, ldc)
				for i := range v.mr {
					for j := range ldc {
						idx := i*ldc + j
						if idx >= len(c) {
							continue
						}
						if j >= h {
							if c[idx] != sentinel32 {
								t.Fatalf("%s mr=%d k=%d: C[%d][%d] past the half written", impl.Name, v.mr, k, i, j)
							}
							continue
						}
						var s, mag float64
						for p := range k {
							x := float64(a[p*v.mr+i]) * float64(b[p*nr+j])
							s += x
							mag += math.Abs(x)
						}
						if got := float64(c[idx]); math.IsNaN(got) || math.Abs(got-s) > float64(k+2)*0x1p-23*mag+1e-30 {
							t.Fatalf("%s mr=%d k=%d: C[%d][%d] = %v, want %v", impl.Name, v.mr, k, i, j, got, s)
						}
					}
				}
				if !intact() {
					t.Fatalf("%s mr=%d k=%d: wrote outside C", impl.Name, v.mr, k)
				}
			}
			func() {
				defer func() {
					if recover() != errShortB {
						t.Errorf("%s mr=%d: short b did not panic with %q", impl.Name, v.mr, errShortB)
					}
				}()
				v.kern(2, make([]float32, 2*v.mr), make([]float32, nr+h-1), make([]float32, v.mr*h), h)
			}()
		}
	}
	// The specification itself against the full kernel's: its columns are
	// the first half of sgemmMicroRef's.
	r := newRand(5)
	a, b := make([]float32, 7*3), make([]float32, 7*8)
	randSlice32(r, a)
	randSlice32(r, b)
	full, half := make([]float32, 3*8), make([]float32, 3*4)
	sgemmMicroRef(3, 8, 7, a, b, full, 8, nil, 0)
	sgemmHalfRef(3, 8, 7, a, b, half, 4)
	for i := range 3 {
		for j := range 4 {
			if half[i*4+j] != full[i*8+j] {
				t.Fatalf("sgemmHalfRef[%d][%d] = %v, sgemmMicroRef %v", i, j, half[i*4+j], full[i*8+j])
			}
		}
	}
}

// TestSgemmHalfMask checks every implementation's masked in-place
// half-width kernels against sgemmHalfMaskRef's definition in float64:
// every column count, NaN in B past the columns read (up to ldb) and in C
// before the call, depths around the unrolling; the columns past cols come
// out zero; bad column counts panic.
func TestSgemmHalfMask(t *testing.T) {
	for _, impl := range AvailableImpls() {
		for _, v := range []struct {
			mr   int
			kern func(k int, a, b []float32, ldb int, c []float32, ldc, cols int)
		}{{impl.SMR, impl.SgemmHalfMask}, {impl.SMRAlt, impl.SgemmHalfMaskAlt}} {
			if v.kern == nil {
				continue
			}
			h := impl.SNR / 2
			r := newRand(uint64(91 + v.mr))
			for cols := 1; cols <= h; cols++ {
				for _, k := range []int{0, 1, 3, 4, 7, 33} {
					ldb := cols + 5
					a := make([]float32, k*v.mr)
					randSlice32(r, a)
					b := make([]float32, max(k-1, 0)*ldb+cols)
					for i := range b {
						b[i] = float32(math.NaN())
						if i%ldb < cols {
							b[i] = float32(r.NormFloat64())
						}
					}
					ldc := 2 * h
					c := make([]float32, v.mr*ldc)
					for i := range c {
						c[i] = float32(math.NaN())
					}
					v.kern(k, a, b, ldb, c, ldc, cols)
					for i := range v.mr {
						for j := range h {
							var s, mag float64
							for p := 0; p < k && j < cols; p++ {
								x := float64(a[p*v.mr+i]) * float64(b[p*ldb+j])
								s += x
								mag += math.Abs(x)
							}
							if got := float64(c[i*ldc+j]); math.IsNaN(got) || math.Abs(got-s) > float64(k+2)*0x1p-23*mag+1e-30 {
								t.Fatalf("%s mr=%d cols=%d k=%d: C[%d][%d] = %v, want %v", impl.Name, v.mr, cols, k, i, j, got, s)
							}
						}
					}
				}
			}
			for _, cols := range []int{0, h + 1} {
				func() {
					defer func() {
						if recover() == nil {
							t.Errorf("%s mr=%d: cols %d did not panic", impl.Name, v.mr, cols)
						}
					}()
					v.kern(1, make([]float32, v.mr), make([]float32, 32), 32, make([]float32, v.mr*h), h, cols)
				}()
			}
		}
	}
}
