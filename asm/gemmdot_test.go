package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmDot checks every dot-product kernel, float32 and float64, against
// a float64 reference and against its reference loop: all tile sizes (1..4 x 1..4), depths around the
// sixteen-wide steps and the masked last step, padded row strides, alpha 1
// and not, every combination of Accumulate, AddBias and ReLU, guard-padded
// operands (no read or
// write outside the tile); without Accumulate C starts as NaN and must not
// leak into the result. Repeated calls give the same bits.
func TestGemmDot(t *testing.T) {
	impls := 0
	for _, impl := range AvailableImpls() {
		if impl.SgemmDot != nil {
			impls++
			t.Run("impl="+impl.Name+"/prec=s", func(t *testing.T) {
				testDot(t, impl.DotMR, impl.DotNR, 0x1p-24, impl.SgemmDot, sgemmDotRef, guarded32, randSlice32)
			})
		}
		if impl.DgemmDot != nil {
			impls++
			t.Run("impl="+impl.Name+"/prec=d", func(t *testing.T) {
				testDot(t, impl.DDotMR, impl.DDotNR, 0x1p-53, impl.DgemmDot, dgemmDotRef, guarded64, randSlice64)
			})
		}
	}
	if impls == 0 {
		t.Skip("no implementation with a dot kernel on this CPU")
	}
}

func testDot[T float32 | float64](t *testing.T, mr, nr int, u float64,
	kern, ref func(rows, cols, k int, a []T, lda int, b []T, ldb int, c []T, ldc int, bias []T, alpha T, flags GemmFlags),
	guarded func(int) ([]T, func() bool), fill func(*rand.Rand, []T)) {
	r := newRand(41)
	nan := T(math.NaN())
	bits := func(x T) uint64 {
		if f, ok := any(x).(float32); ok {
			return uint64(math.Float32bits(f))
		}
		return math.Float64bits(float64(x))
	}
	for rows := 1; rows <= mr; rows++ {
		for cols := 1; cols <= nr; cols++ {
			for _, k := range []int{1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 48, 100, 257} {
				for flags := GemmFlags(0); flags < 8; flags++ {
					acc := flags&Accumulate != 0
					lda, ldb, ldc := k+rows%3, k+2*(cols%2), cols+3
					alpha := T(1)
					if (k+rows+cols)%2 == 1 {
						alpha = -0.75
					}
					a, aok := guarded((rows-1)*lda + k)
					b, bok := guarded((cols-1)*ldb + k)
					c, cok := guarded((rows-1)*ldc + cols)
					bias, biasok := guarded(cols)
					fill(r, bias)
					if flags&AddBias == 0 {
						bias = nil
					}
					fill(r, a)
					fill(r, b)
					fill(r, c)
					// NaN in the row padding: a depth read past k (an
					// unmasked last step) poisons the result.
					for i := 0; i < rows-1; i++ {
						for p := k; p < lda; p++ {
							a[i*lda+p] = nan
						}
					}
					for j := 0; j < cols-1; j++ {
						for p := k; p < ldb; p++ {
							b[j*ldb+p] = nan
						}
					}
					c0 := append([]T(nil), c...)
					if !acc {
						for i := range c {
							c[i] = nan
						}
					}
					want := append([]T(nil), c...)
					ref(rows, cols, k, a, lda, b, ldb, want, ldc, bias, alpha, flags)
					again := append([]T(nil), c...)
					kern(rows, cols, k, a, lda, b, ldb, c, ldc, bias, alpha, flags)
					if !aok() || !bok() || !cok() || !biasok() {
						t.Fatalf("%dx%d k=%d: access outside the operands", rows, cols, k)
					}
					kern(rows, cols, k, a, lda, b, ldb, again, ldc, bias, alpha, flags)
					for i := 0; i < rows; i++ {
						for j := 0; j < ldc && i*ldc+j < len(c); j++ {
							got := c[i*ldc+j]
							if j >= cols {
								if bits(got) != bits(want[i*ldc+j]) {
									t.Fatalf("%dx%d k=%d: c[%d][%d] outside the tile changed", rows, cols, k, i, j)
								}
								continue
							}
							if bits(got) != bits(again[i*ldc+j]) {
								t.Fatalf("%dx%d k=%d: c[%d][%d] differs between calls", rows, cols, k, i, j)
							}
							var s, mag float64
							for p := 0; p < k; p++ {
								x := float64(a[i*lda+p]) * float64(b[j*ldb+p])
								s += x
								mag += math.Abs(x)
							}
							s *= float64(alpha)
							mag *= math.Abs(float64(alpha))
							if acc {
								s += float64(c0[i*ldc+j])
								mag += math.Abs(float64(c0[i*ldc+j]))
							}
							if flags&AddBias != 0 {
								s += float64(bias[j])
								mag += math.Abs(float64(bias[j]))
							}
							tol := 2 * float64(k+3) * u * mag
							if flags&ReLU != 0 {
								if got < 0 || math.Signbit(float64(got)) {
									t.Fatalf("%dx%d k=%d flags=%d: c[%d][%d] = %g after ReLU", rows, cols, k, flags, i, j, float64(got))
								}
								if s < 0 {
									s = 0
								}
							}
							if math.IsNaN(float64(got)) || math.Abs(float64(got)-s) > tol {
								t.Fatalf("%dx%d k=%d flags=%d: c[%d][%d] = %g, want %g (±%g); reference loop %g", rows, cols, k, flags, i, j, float64(got), s, tol, float64(want[i*ldc+j]))
							}
						}
					}
				}
			}
		}
	}
}

// TestGemmDotPanics checks the operand checks.
func TestGemmDotPanics(t *testing.T) {
	for _, impl := range AvailableImpls() {
		if impl.SgemmDot == nil {
			continue
		}
		for name, tc := range map[string]struct {
			want string
			f    func()
		}{
			"rows 0": {errDot, func() {
				impl.SgemmDot(0, 1, 4, make([]float32, 4), 4, make([]float32, 4), 4, make([]float32, 1), 1, nil, 1, 0)
			}},
			"cols 5": {errDot, func() {
				impl.SgemmDot(1, 5, 4, make([]float32, 4), 4, make([]float32, 20), 4, make([]float32, 5), 5, nil, 1, 0)
			}},
			"short bias": {errShortBias, func() {
				impl.SgemmDot(1, 2, 4, make([]float32, 4), 4, make([]float32, 8), 4, make([]float32, 2), 2, make([]float32, 1), 1, AddBias)
			}},
			"short a": {errDirectA, func() {
				impl.SgemmDot(2, 1, 4, make([]float32, 7), 4, make([]float32, 4), 4, make([]float32, 2), 1, nil, 1, 0)
			}},
			"short b": {errDirectB, func() {
				impl.SgemmDot(1, 2, 4, make([]float32, 4), 4, make([]float32, 7), 4, make([]float32, 2), 2, nil, 1, 0)
			}},
			"short c": {errShortC, func() {
				impl.SgemmDot(2, 2, 4, make([]float32, 8), 4, make([]float32, 8), 4, make([]float32, 3), 2, nil, 1, 0)
			}},
		} {
			func() {
				defer func() {
					if r := recover(); r != tc.want {
						t.Errorf("%s %s: panic = %v, want %q", impl.Name, name, r, tc.want)
					}
				}()
				tc.f()
			}()
		}
	}
}
