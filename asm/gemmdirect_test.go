package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmDirect checks every direct kernel, float32 and float64, against
// a float64 reference and against its reference loop: all tile sizes (rows
// 1..8, cols 1..NR) and calls of several row tiles (up to three and a bit), depths around the unrolled loops' edges, A read by
// rows (A) and by columns (Aᵀ) with padded strides, alpha 1 and not, with
// and without Accumulate, guard-padded operands so that no kernel reads or
// writes outside its tile; without Accumulate C starts as NaN and must not
// leak into the result.
func TestGemmDirect(t *testing.T) {
	impls := 0
	for _, impl := range AvailableImpls() {
		if impl.SgemmDirect != nil {
			impls++
			t.Run("impl="+impl.Name+"/prec=s", func(t *testing.T) {
				testDirect(t, impl.DirectMR, impl.SDirectNR, 0x1p-24, impl.SgemmDirect, sgemmDirectRef, guarded32, randSlice32)
			})
		}
		if impl.DgemmDirect != nil {
			impls++
			t.Run("impl="+impl.Name+"/prec=d", func(t *testing.T) {
				testDirect(t, impl.DirectMR, impl.DDirectNR, 0x1p-53, impl.DgemmDirect, dgemmDirectRef, guarded64, randSlice64)
			})
		}
	}
	if impls == 0 {
		t.Skip("no implementation with a direct kernel on this CPU")
	}
}

func testDirect[T float32 | float64](t *testing.T, mr, nr int, u float64,
	kern, ref func(rows, cols, k int, a []T, ars, aks int, b []T, ldb int, c []T, ldc int, alpha T, flags GemmFlags),
	guarded func(int) ([]T, func() bool), fill func(*rand.Rand, []T)) {
	r := newRand(11)
	for _, k := range []int{1, 2, 3, 4, 5, 7, 8, 9, 33, 100} {
		for rows := 1; rows <= 3*mr+1; rows++ {
			for cols := 1; cols <= nr; cols++ {
				for _, trans := range []bool{false, true} {
					flags := GemmFlags(0)
					alpha := T(1)
					if (rows+cols+k)%2 == 0 {
						flags = Accumulate
					}
					if (rows*cols+k)%3 == 0 {
						alpha = -0.75
					}
					// A: rows x k with padded strides, in either layout.
					ars, aks, la := k+3, 1, (rows-1)*(k+3)+k
					if trans {
						ars, aks, la = 1, rows+2, (k-1)*(rows+2)+rows
					}
					ldb, ldc := cols+5, cols+2
					a, aOK := guarded(la)
					b, bOK := guarded((k-1)*ldb + cols)
					c, cOK := guarded((rows-1)*ldc + cols)
					fill(r, a)
					fill(r, b)
					fill(r, c)
					c0 := append([]T(nil), c...)
					if flags&Accumulate == 0 {
						for i := range rows {
							for j := range cols {
								c[i*ldc+j] = T(math.NaN())
							}
						}
					}
					want := append([]T(nil), c...)
					ref(rows, cols, k, a, ars, aks, b, ldb, want, ldc, alpha, flags)
					kern(rows, cols, k, a, ars, aks, b, ldb, c, ldc, alpha, flags)
					if !aOK() || !bOK() || !cOK() {
						t.Fatalf("k=%d rows=%d cols=%d trans=%v: guard overwritten", k, rows, cols, trans)
					}
					for i := range rows {
						for j := range cols {
							var s, mag float64
							for p := range k {
								v := float64(a[i*ars+p*aks]) * float64(b[p*ldb+j])
								s += v
								mag += math.Abs(v)
							}
							exact := float64(alpha) * s
							if flags&Accumulate != 0 {
								exact += float64(c0[i*ldc+j])
								mag += math.Abs(float64(c0[i*ldc+j]))
							}
							got := float64(c[i*ldc+j])
							tol := 4 * float64(k+2) * u * (mag + 1)
							if math.IsNaN(got) || math.Abs(got-exact) > tol || math.Abs(got-float64(want[i*ldc+j])) > tol {
								t.Fatalf("k=%d rows=%d cols=%d trans=%v flags=%d alpha=%v: C[%d][%d] = %v, want %v (ref %v)",
									k, rows, cols, trans, flags, alpha, i, j, got, exact, want[i*ldc+j])
							}
						}
						// Columns between cols and ldc are C's padding: untouched.
						for j := cols; j < ldc && i < rows-1; j++ {
							if c[i*ldc+j] != c0[i*ldc+j] {
								t.Fatalf("k=%d rows=%d cols=%d: padding C[%d][%d] written", k, rows, cols, i, j)
							}
						}
					}
				}
			}
		}
	}
}

// TestSgemmDirectPanics checks that out-of-range tiles and short operands
// panic before the kernel runs.
func TestSgemmDirectPanics(t *testing.T) {
	a, b, c := make([]float32, 64), make([]float32, 64), make([]float32, 64)
	cases := []struct {
		name string
		run  func()
	}{
		{"rows", func() { sgemmDirectRef(0, 1, 1, a, 1, 1, b, 1, c, 1, 1, 0) }},
		{"cols", func() { sgemmDirectRef(1, 33, 1, a, 1, 1, b, 33, c, 33, 1, 0) }},
		{"cols64", func() {
			dgemmDirectRef(1, 17, 1, make([]float64, 64), 1, 1, make([]float64, 64), 17, make([]float64, 64), 17, 1, 0)
		}},
		{"k", func() { sgemmDirectRef(1, 1, 0, a, 1, 1, b, 1, c, 1, 1, 0) }},
		{"ldb", func() { sgemmDirectRef(1, 4, 1, a, 1, 1, b, 3, c, 4, 1, 0) }},
		{"shortA", func() { sgemmDirectRef(2, 1, 8, a, 60, 1, b, 1, c, 1, 1, 0) }},
		{"shortB", func() { sgemmDirectRef(1, 2, 8, a, 1, 1, b, 9, c, 2, 1, 0) }},
		{"shortC", func() { sgemmDirectRef(8, 2, 1, a, 1, 1, b, 2, c, 9, 1, 0) }},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			cs.run()
		})
	}
}
