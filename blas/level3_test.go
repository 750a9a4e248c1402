package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/testblas"
)

// withLevel3Blocks runs f with the Level 3 recursion stopping at diagonal
// blocks of base rows, syrk's whole diagonal blocks of syrkB rows and
// symm's panels of panel rows, so that small problems exercise every
// level of the recursion.
func withLevel3Blocks(base, syrkB, panel int, f func()) {
	b0, s0, p0 := l3Base, syrkBase, symmPanel
	l3Base, syrkBase, symmPanel = base, syrkB, panel
	defer func() { l3Base, syrkBase, symmPanel = b0, s0, p0 }()
	f()
}

// TestLevel3Conformance runs gonum's conformance tests of the Level 3
// routines with the recursion cut down to blocks of 1, 2 and 3 rows, so
// that the suite's small matrices go through the GEMM updates too.
func TestLevel3Conformance(t *testing.T) {
	impl := Implementation{}
	for _, bs := range [][3]int{{1, 1, 1}, {2, 2, 3}, {3, 4, 5}} {
		t.Run(fmt.Sprintf("base=%d,%d,%d", bs[0], bs[1], bs[2]), func(t *testing.T) {
			withLevel3Blocks(bs[0], bs[1], bs[2], func() {
				testblas.DtrsmTest(t, impl)
				testblas.DtrmmTest(t, impl)
				testblas.DsyrkTest(t, impl)
				testblas.Dsyr2kTest(t, impl)
				testblas.DsymmTest(t, impl)
			})
		})
	}
}

// l3Sizes cross the recursion's split points and the diagonal-block and
// chunk sizes.
var l3Sizes = []int{1, 3, 8, 31, 33, 64, 65, 97, 130}

// l3Mat is a guard-padded row-major matrix: rows x cols in a buffer with
// leading dimension ld and guard trailing elements; elements outside the
// matrix (and, for the triangular and symmetric operands, in the
// unreferenced triangle) hold NaN so that reading them shows in the result
// and writing them shows in checkUntouched.
type l3Mat[T float32 | float64] struct {
	rows, cols, ld int
	buf            []T
}

func newL3Mat[T float32 | float64](r *rand.Rand, rows, cols int, val func(i, j int) float64) l3Mat[T] {
	ld := max(cols, 1) + r.IntN(3)
	m := l3Mat[T]{rows: rows, cols: cols, ld: ld, buf: make([]T, max(rows-1, 0)*ld+cols+guard)}
	for i := range m.buf {
		m.buf[i] = T(math.NaN())
	}
	for i := range rows {
		for j := range cols {
			m.buf[i*ld+j] = T(val(i, j))
		}
	}
	return m
}

func (m l3Mat[T]) at(i, j int) float64 { return float64(m.buf[i*m.ld+j]) }

// checkUntouched fails unless every element of got outside the region
// in(i, j) still has the bits of before.
func checkUntouched[T float32 | float64](t *testing.T, name string, before, got l3Mat[T], in func(i, j int) bool) {
	t.Helper()
	for p := range got.buf {
		i, j := p/got.ld, p%got.ld
		if i < got.rows && j < got.cols && in(i, j) {
			continue
		}
		if math.Float64bits(float64(got.buf[p])) != math.Float64bits(float64(before.buf[p])) &&
			!(math.IsNaN(float64(got.buf[p])) && math.IsNaN(float64(before.buf[p]))) {
			t.Fatalf("%s: element %d (row %d col %d) outside the result changed: %v -> %v", name, p, i, j, before.buf[p], got.buf[p])
		}
	}
}

func clone[T float32 | float64](m l3Mat[T]) l3Mat[T] {
	c := m
	c.buf = append([]T(nil), m.buf...)
	return c
}

// checkClose fails unless got (the region in) matches the float64
// reference want within tol*(1+|want|).
func checkClose[T float32 | float64](t *testing.T, name string, got l3Mat[T], want []float64, tol float64, in func(i, j int) bool) {
	t.Helper()
	for i := range got.rows {
		for j := range got.cols {
			if !in(i, j) {
				continue
			}
			g, w := got.at(i, j), want[i*got.cols+j]
			if !(math.Abs(g-w) <= tol*(1+math.Abs(w))) {
				t.Fatalf("%s: [%d,%d] = %v, want %v (tol %.2g)", name, i, j, g, w, tol)
			}
		}
	}
}

func all(int, int) bool { return true }

func epsOf[T float32 | float64]() float64 {
	var z T
	if _, ok := any(z).(float32); ok {
		return 0x1p-23
	}
	return 0x1p-52
}

var (
	sides  = []gblas.Side{gblas.Left, gblas.Right}
	uplos  = []gblas.Uplo{gblas.Upper, gblas.Lower}
	transs = []gblas.Transpose{gblas.NoTrans, gblas.Trans}
	diags  = []gblas.Diag{gblas.NonUnit, gblas.Unit}
)

// triVal returns the values of a well-conditioned triangular matrix of
// order k with the ul triangle stored (NaN elsewhere, and on the diagonal
// when it is unit).
func triVal(r *rand.Rand, k int, ul gblas.Uplo, d gblas.Diag) func(i, j int) float64 {
	return func(i, j int) float64 {
		switch {
		case i == j && d == gblas.Unit:
			return math.NaN()
		case i == j:
			return (1 + r.Float64()) * float64(1-2*r.IntN(2))
		case (i > j) != (ul == gblas.Lower):
			return math.NaN()
		}
		return (2*r.Float64() - 1) / float64(k)
	}
}

// opTri returns op(A)[i][j] of a triangular l3Mat, zero outside the
// triangle and one on a unit diagonal.
func opTri[T float32 | float64](a l3Mat[T], ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag) func(i, j int) float64 {
	return func(i, j int) float64 {
		if tA != gblas.NoTrans {
			i, j = j, i
		}
		switch {
		case i == j && d == gblas.Unit:
			return 1
		case (i > j) != (ul == gblas.Lower) && i != j:
			return 0
		}
		return a.at(i, j)
	}
}

type triFunc[T float32 | float64] func(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n int, alpha T, a []T, lda int, b []T, ldb int)

func TestStrsmTrmm(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testTri[float32](t, "Strsm", Strsm, true)
		testTri[float32](t, "Strmm", Strmm, false)
	})
}

func TestDtrsmTrmm(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testTri[float64](t, "Dtrsm", Dtrsm, true)
		testTri[float64](t, "Dtrmm", Dtrmm, false)
	})
}

// testTri checks Xtrsm (solve) or Xtrmm against a float64 reference: the
// product op(A)*B or B*op(A) directly, and for the solve, the residual
// op(A)*X - alpha*B.
func testTri[T float32 | float64](t *testing.T, name string, f triFunc[T], solve bool) {
	r := rand.New(rand.NewPCG(7, uint64(len(name))))
	// Diagonal blocks of any size run on the worker pool with two threads.
	p0 := baseParallelMin
	baseParallelMin = 0
	defer func() { baseParallelMin = p0 }()
	sizes := l3Sizes
	if testing.Short() {
		sizes = []int{1, 33, 65}
	}
	for _, s := range sides {
		for _, ul := range uplos {
			for _, tA := range transs {
				for _, d := range diags {
					for _, m := range sizes {
						for _, n := range sizes {
							if (m > 64 && n > 64 && r.IntN(3) > 0) || (testing.Short() && r.IntN(2) > 0) {
								continue
							}
							alpha := []float64{1, -0.75, 0}[r.IntN(3)]
							threads := 1 + r.IntN(2)
							k := m
							if s == gblas.Right {
								k = n
							}
							a := newL3Mat[T](r, k, k, triVal(r, k, ul, d))
							b := newL3Mat[T](r, m, n, func(int, int) float64 { return 2*r.Float64() - 1 })
							b0 := clone(b)
							withThreads(threads, func() { f(s, ul, tA, d, m, n, T(alpha), a.buf, a.ld, b.buf, b.ld) })
							what := fmt.Sprintf("%s(%c,%c,%c,%c) m=%d n=%d alpha=%v threads=%d", name, s, ul, tA, d, m, n, alpha, threads)
							checkUntouched(t, what, b0, b, all)
							opA := opTri(a, ul, tA, d)
							// want = op(A)*X or X*op(A): the product of
							// the output (solve) or of the input (multiply).
							src, scale := b0, alpha
							if solve {
								src, scale = b, 1
							}
							want := make([]float64, m*n)
							for i := range m {
								for j := range n {
									var sum float64
									for p := range k {
										if s == gblas.Left {
											sum += opA(i, p) * src.at(p, j)
										} else {
											sum += src.at(i, p) * opA(p, j)
										}
									}
									want[i*n+j] = scale * sum
								}
							}
							tol := 8 * float64(k+4) * epsOf[T]()
							if solve {
								// op(A) X must equal alpha B.
								if alpha == 0 {
									checkClose(t, what, b, make([]float64, m*n), 0, all)
									continue
								}
								got := l3Mat[float64]{rows: m, cols: n, ld: n, buf: want}
								ref := make([]float64, m*n)
								for i := range m {
									for j := range n {
										ref[i*n+j] = alpha * b0.at(i, j)
									}
								}
								checkClose(t, what+" residual", got, ref, tol, all)
							} else {
								checkClose(t, what, b, want, tol, all)
							}
						}
					}
				}
			}
		}
	}
}

type syrkFunc[T float32 | float64] func(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

func TestSsyrk(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testSyrk[float32](t, "Ssyrk", func(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float32, a []float32, lda int, _ []float32, _ int, beta float32, c []float32, ldc int) {
			Ssyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
		}, false)
		testSyrk[float32](t, "Ssyr2k", Ssyr2k, true)
	})
}

func TestDsyrk(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testSyrk[float64](t, "Dsyrk", func(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float64, a []float64, lda int, _ []float64, _ int, beta float64, c []float64, ldc int) {
			Dsyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
		}, false)
		testSyrk[float64](t, "Dsyr2k", Dsyr2k, true)
	})
}

func testSyrk[T float32 | float64](t *testing.T, name string, f syrkFunc[T], two bool) {
	r := rand.New(rand.NewPCG(9, uint64(len(name))))
	// Diagonal blocks of any depth split across the pool with two threads.
	d0 := diagParallelMin
	diagParallelMin = 0
	defer func() { diagParallelMin = d0 }()
	sizes := []int{1, 7, 63, 64, 65, 130, 200}
	ks := []int{0, 1, 17, 100}
	if testing.Short() {
		sizes, ks = []int{7, 130}, []int{17}
	}
	for _, ul := range uplos {
		for _, tA := range transs {
			for _, n := range sizes {
				for _, k := range ks {
					alpha := []float64{1, -0.75, 0}[r.IntN(3)]
					beta := []float64{0, 1, 0.5}[r.IntN(3)]
					threads := 1 + r.IntN(2)
					rows, cols := n, k
					if tA != gblas.NoTrans {
						rows, cols = k, n
					}
					rnd := func(int, int) float64 { return 2*r.Float64() - 1 }
					a := newL3Mat[T](r, rows, cols, rnd)
					b := newL3Mat[T](r, rows, cols, rnd)
					c := newL3Mat[T](r, n, n, func(i, j int) float64 {
						if (i > j) != (ul == gblas.Lower) && i != j {
							return math.NaN()
						}
						return rnd(i, j)
					})
					c0 := clone(c)
					withThreads(threads, func() { f(ul, tA, n, k, T(alpha), a.buf, a.ld, b.buf, b.ld, T(beta), c.buf, c.ld) })
					what := fmt.Sprintf("%s(%c,%c) n=%d k=%d alpha=%v beta=%v threads=%d", name, ul, tA, n, k, alpha, beta, threads)
					in := func(i, j int) bool { return i == j || (i > j) == (ul == gblas.Lower) }
					checkUntouched(t, what, c0, c, in)
					op := func(x l3Mat[T], i, p int) float64 {
						if tA != gblas.NoTrans {
							return x.at(p, i)
						}
						return x.at(i, p)
					}
					want := make([]float64, n*n)
					for i := range n {
						for j := range n {
							if !in(i, j) {
								continue
							}
							var sum float64
							for p := range k {
								if two {
									sum += op(a, i, p)*op(b, j, p) + op(b, i, p)*op(a, j, p)
								} else {
									sum += op(a, i, p) * op(a, j, p)
								}
							}
							want[i*n+j] = alpha * sum
							if beta != 0 {
								want[i*n+j] += beta * c0.at(i, j)
							}
						}
					}
					checkClose(t, what, c, want, 8*float64(k+4)*epsOf[T](), in)
				}
			}
		}
	}
}

func TestSymm(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testSymm[float32](t, "Ssymm", Ssymm)
		testSymm[float64](t, "Dsymm", Dsymm)
	})
}

func testSymm[T float32 | float64](t *testing.T, name string, f func(s gblas.Side, ul gblas.Uplo, m, n int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)) {
	r := rand.New(rand.NewPCG(11, uint64(len(name))))
	sizes := []int{1, 7, 127, 128, 129, 300}
	if testing.Short() {
		sizes = []int{7, 129}
	}
	for _, s := range sides {
		for _, ul := range uplos {
			for _, m := range sizes {
				for _, n := range sizes {
					alpha := []float64{1, -0.75, 0}[r.IntN(3)]
					beta := []float64{0, 1, 0.5}[r.IntN(3)]
					threads := 1 + r.IntN(2)
					k := m
					if s == gblas.Right {
						k = n
					}
					rnd := func(int, int) float64 { return 2*r.Float64() - 1 }
					a := newL3Mat[T](r, k, k, func(i, j int) float64 {
						if (i > j) != (ul == gblas.Lower) && i != j {
							return math.NaN()
						}
						return rnd(i, j)
					})
					b := newL3Mat[T](r, m, n, rnd)
					c := newL3Mat[T](r, m, n, rnd)
					c0 := clone(c)
					withThreads(threads, func() { f(s, ul, m, n, T(alpha), a.buf, a.ld, b.buf, b.ld, T(beta), c.buf, c.ld) })
					what := fmt.Sprintf("%s(%c,%c) m=%d n=%d alpha=%v beta=%v threads=%d", name, s, ul, m, n, alpha, beta, threads)
					checkUntouched(t, what, c0, c, all)
					sym := func(i, j int) float64 {
						if (i > j) != (ul == gblas.Lower) && i != j {
							i, j = j, i
						}
						return a.at(i, j)
					}
					want := make([]float64, m*n)
					for i := range m {
						for j := range n {
							var sum float64
							for p := range k {
								if s == gblas.Left {
									sum += sym(i, p) * b.at(p, j)
								} else {
									sum += b.at(i, p) * sym(p, j)
								}
							}
							want[i*n+j] = alpha * sum
							if beta != 0 {
								want[i*n+j] += beta * c0.at(i, j)
							}
						}
					}
					checkClose(t, what, c, want, 8*float64(k+4)*epsOf[T](), all)
				}
			}
		}
	}
}

// TestSmallNative checks the hand-over of small GEMV, TRSM and TRMM calls
// to gonum's native code: with the production thresholds, results match
// fastpath's own code (thresholds cut to zero) within rounding.
func TestSmallNative(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	type run func(native bool) []float64
	withNative := func(native bool, f func()) {
		g0, t0, k0, s0 := gemvNative, triNative, syrkNative, symmNative
		if native {
			gemvNative, triNative, syrkNative, symmNative = 72*72, 16, 3000, 1000
		} else {
			gemvNative, triNative, syrkNative, symmNative = 0, -1, 0, 0
		}
		defer func() { gemvNative, triNative, syrkNative, symmNative = g0, t0, k0, s0 }()
		f()
	}
	rnd := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = 2*r.Float64() - 1
		}
		return s
	}
	for _, n := range []int{1, 5, 16} {
		a := rnd(n * n)
		for i := range n {
			a[i*n+i] += 2
		}
		x, y := rnd(2*n), rnd(2*n)
		bm := rnd(n * n)
		var cases []run
		for _, tA := range transs {
			for _, inc := range []int{1, -2} {
				cases = append(cases, func(native bool) []float64 {
					yy := append([]float64(nil), y...)
					withNative(native, func() { Dgemv(tA, n, n, 0.5, a, n, x, inc, 0.25, yy, inc) })
					return yy
				})
			}
		}
		for _, s := range sides {
			for _, ul := range uplos {
				cases = append(cases, func(native bool) []float64 {
					b := append([]float64(nil), a...)
					withNative(native, func() { Dtrsm(s, ul, gblas.Trans, gblas.NonUnit, n, n, 0.5, a, n, b, n) })
					return b
				}, func(native bool) []float64 {
					b := append([]float64(nil), a...)
					withNative(native, func() { Dtrmm(s, ul, gblas.NoTrans, gblas.Unit, n, n, 0.5, a, n, b, n) })
					return b
				})
			}
		}
		for _, ul := range uplos {
			for _, tA := range transs {
				cases = append(cases, func(native bool) []float64 {
					c := append([]float64(nil), a...)
					withNative(native, func() { Dsyrk(ul, tA, n, n, 0.5, a, n, 0.25, c, n) })
					return c
				}, func(native bool) []float64 {
					c := append([]float64(nil), a...)
					withNative(native, func() { Dsyr2k(ul, tA, n, n, 0.5, a, n, bm, n, 0.25, c, n) })
					return c
				})
			}
			for _, s := range sides {
				cases = append(cases, func(native bool) []float64 {
					c := append([]float64(nil), a...)
					withNative(native, func() { Dsymm(s, ul, n, n, 0.5, a, n, bm, n, 0.25, c, n) })
					return c
				})
			}
		}
		for i, c := range cases {
			got, want := c(true), c(false)
			for j := range want {
				if math.Abs(got[j]-want[j]) > 1e-13*(1+math.Abs(want[j])) {
					t.Fatalf("n=%d case %d: element %d: native %v, fastpath %v", n, i, j, got[j], want[j])
				}
			}
		}
	}
}
