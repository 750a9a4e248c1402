package blas_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/blas/testblas"
	"gonum.org/v1/gonum/mat"
)

// TestConformance runs gonum's exported conformance suite against
// Implementation: the routines fastpath overrides (Dgemm, Dgemv) and the
// float64 level-2 and level-3 routines it inherits from gonum, which must
// still be reachable through the embedding. The suite has no float32 GEMM
// or GEMV tests; TestSgemmReference and TestSgemvReference cover those.
func TestConformance(t *testing.T) {
	impl := blas.Implementation{}
	for _, tc := range []struct {
		name string
		run  func(t *testing.T)
	}{
		{"Dgemm", func(t *testing.T) { testblas.TestDgemm(t, impl) }},
		{"Ddot", func(t *testing.T) { testblas.DdotTest(t, impl) }},
		{"Daxpy", func(t *testing.T) { testblas.DaxpyTest(t, impl) }},
		{"Idamax", func(t *testing.T) { testblas.IdamaxTest(t, impl) }},
		{"Dscal", func(t *testing.T) { testblas.DscalTest(t, impl) }},
		{"Dasum", func(t *testing.T) { testblas.DasumTest(t, impl) }},
		{"Dnrm2", func(t *testing.T) { testblas.Dnrm2Test(t, impl) }},
		{"Dswap", func(t *testing.T) { testblas.DswapTest(t, impl) }},
		{"Drot", func(t *testing.T) { testblas.DrotTest(t, impl) }},
		{"Dgemv", func(t *testing.T) { testblas.DgemvTest(t, impl) }},
		{"Dger", func(t *testing.T) { testblas.DgerTest(t, impl) }},
		{"Dgbmv", func(t *testing.T) { testblas.DgbmvTest(t, impl) }},
		{"Dsymv", func(t *testing.T) { testblas.DsymvTest(t, impl) }},
		{"Dsbmv", func(t *testing.T) { testblas.DsbmvTest(t, impl) }},
		{"Dspmv", func(t *testing.T) { testblas.DspmvTest(t, impl) }},
		{"Dtrmv", func(t *testing.T) { testblas.DtrmvTest(t, impl) }},
		{"Dtrsv", func(t *testing.T) { testblas.DtrsvTest(t, impl) }},
		{"Dtbmv", func(t *testing.T) { testblas.DtbmvTest(t, impl) }},
		{"Dtbsv", func(t *testing.T) { testblas.DtbsvTest(t, impl) }},
		{"Dtpmv", func(t *testing.T) { testblas.DtpmvTest(t, impl) }},
		{"Dtpsv", func(t *testing.T) { testblas.DtpsvTest(t, impl) }},
		{"Dsyr", func(t *testing.T) { testblas.DsyrTest(t, impl) }},
		{"Dsyr2", func(t *testing.T) { testblas.Dsyr2Test(t, impl) }},
		{"Dspr", func(t *testing.T) { testblas.DsprTest(t, impl) }},
		{"Dspr2", func(t *testing.T) { testblas.Dspr2Test(t, impl) }},
		{"Dsymm", func(t *testing.T) { testblas.DsymmTest(t, impl) }},
		{"Dsyrk", func(t *testing.T) { testblas.DsyrkTest(t, impl) }},
		{"Dsyr2k", func(t *testing.T) { testblas.Dsyr2kTest(t, impl) }},
		{"Dtrmm", func(t *testing.T) { testblas.DtrmmTest(t, impl) }},
		{"Dtrsm", func(t *testing.T) { testblas.DtrsmTest(t, impl) }},
	} {
		t.Run(tc.name, tc.run)
	}
}

// useFastpath64 routes blas64 (and so gonum's mat and lapack) through
// Implementation until the returned function restores gonum's default.
func useFastpath64() (restore func()) {
	blas64.Use(blas.Implementation{})
	return func() { blas64.Use(gonum.Implementation{}) }
}

// TestMatProducts checks that gonum mat operations give the same results
// with blas64.Use(blas.Implementation{}) as with gonum's default backend.
func TestMatProducts(t *testing.T) {
	r := testRand(4)
	randDense := func(rows, cols int) *mat.Dense {
		d := make([]float64, rows*cols)
		fill(r, d)
		return mat.NewDense(rows, cols, d)
	}
	// op applies a transpose to a matrix when asked.
	op := func(m mat.Matrix, trans bool) mat.Matrix {
		if trans {
			return m.T()
		}
		return m
	}
	type product struct {
		name string
		f    func() mat.Matrix
	}
	var products []product
	for _, sh := range [][3]int{{1, 1, 1}, {3, 5, 7}, {17, 33, 2}, {64, 64, 64}, {100, 37, 71}} {
		m, k, n := sh[0], sh[1], sh[2]
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				a, b := randDense(m, k), randDense(k, n)
				if tA {
					a = randDense(k, m)
				}
				if tB {
					b = randDense(n, k)
				}
				products = append(products, product{
					fmt.Sprintf("Mul/m=%d/k=%d/n=%d/tA=%v/tB=%v", m, k, n, tA, tB),
					func() mat.Matrix {
						var c mat.Dense
						c.Mul(op(a, tA), op(b, tB))
						return &c
					},
				})
			}
			a := randDense(m, k)
			if tA {
				a = randDense(k, m)
			}
			x := mat.NewVecDense(k, nil)
			for i := 0; i < k; i++ {
				x.SetVec(i, r.NormFloat64())
			}
			products = append(products, product{
				fmt.Sprintf("MulVec/m=%d/k=%d/tA=%v", m, k, tA),
				func() mat.Matrix {
					var y mat.VecDense
					y.MulVec(op(a, tA), x)
					return &y
				},
			})
		}
	}
	// Products of views with strides, and routines that reach Dgemm and
	// Dgemv through gonum's lapack (blocked LU for n > 64).
	big := randDense(150, 150)
	products = append(products,
		product{"Mul/slice-views", func() mat.Matrix {
			var c mat.Dense
			c.Mul(big.Slice(3, 40, 5, 90), big.Slice(10, 95, 20, 61))
			return &c
		}},
		product{"Mul/slice-views-T", func() mat.Matrix {
			var c mat.Dense
			c.Mul(big.Slice(5, 90, 3, 40).T(), big.Slice(20, 61, 10, 95).T())
			return &c
		}},
		product{"Inverse/n=150", func() mat.Matrix {
			var inv mat.Dense
			if err := inv.Inverse(big); err != nil {
				t.Fatal(err)
			}
			return &inv
		}},
		product{"Solve/n=150", func() mat.Matrix {
			var x mat.Dense
			if err := x.Solve(big, randDenseSeeded(150, 3)); err != nil {
				t.Fatal(err)
			}
			return &x
		}},
	)
	for _, p := range products {
		want := p.f()
		restore := useFastpath64()
		got := p.f()
		restore()
		if !mat.EqualApprox(got, want, 1e-10) {
			t.Errorf("%s: fastpath and gonum differ:\n%v\n%v", p.name, mat.Formatted(got), mat.Formatted(want))
		}
	}
	if _, ok := blas64.Implementation().(gonum.Implementation); !ok {
		t.Fatalf("blas64 implementation not restored: %T", blas64.Implementation())
	}
}

func randDenseSeeded(rows, cols int) *mat.Dense {
	r := testRand(uint64(rows*1000 + cols))
	d := make([]float64, rows*cols)
	fill(r, d)
	return mat.NewDense(rows, cols, d)
}

// TestBlas32 checks that blas32.Use(blas.Implementation{}) routes float32
// products through fastpath with results matching gonum's.
func TestBlas32(t *testing.T) {
	r := testRand(5)
	gen := func(rows, cols int) blas32.General {
		d := make([]float32, rows*cols)
		fill(r, d)
		return blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: d}
	}
	a, b := gen(37, 53), gen(53, 29)
	x := blas32.Vector{N: 53, Inc: 1, Data: gen(1, 53).Data}
	run := func() (c blas32.General, y blas32.Vector) {
		c = blas32.General{Rows: 37, Cols: 29, Stride: 29, Data: make([]float32, 37*29)}
		blas32.Gemm(gblas.NoTrans, gblas.NoTrans, 1, a, b, 0, c)
		y = blas32.Vector{N: 37, Inc: 1, Data: make([]float32, 37)}
		blas32.Gemv(gblas.NoTrans, 1, a, x, 0, y)
		return c, y
	}
	wantC, wantY := run()
	blas32.Use(blas.Implementation{})
	gotC, gotY := run()
	blas32.Use(gonum.Implementation{})
	for i := range wantC.Data {
		if math.Abs(float64(gotC.Data[i]-wantC.Data[i])) > 1e-4 {
			t.Fatalf("Gemm: element %d: %v, gonum %v", i, gotC.Data[i], wantC.Data[i])
		}
	}
	for i := range wantY.Data {
		if math.Abs(float64(gotY.Data[i]-wantY.Data[i])) > 1e-4 {
			t.Fatalf("Gemv: element %d: %v, gonum %v", i, gotY.Data[i], wantY.Data[i])
		}
	}
}

// panicValue returns what f panics with, or nil.
func panicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// TestPanicsMatchGonum calls Sgemm, Dgemm, Sgemv and Dgemv with many
// combinations of valid and invalid arguments (several wrong at once, so
// the order of the checks matters) and requires fastpath to panic exactly
// when gonum does, with the same value.
func TestPanicsMatchGonum(t *testing.T) {
	fp, gn := blas.Implementation{}, gonum.Implementation{}
	r := testRand(6)
	pick := func(vals ...int) int { return vals[r.IntN(len(vals))] }
	transposes := []gblas.Transpose{gblas.NoTrans, gblas.Trans, gblas.ConjTrans, 'X'}
	trials := 20000
	if testing.Short() {
		trials = 4000
	}
	panics := 0
	for range trials {
		tA, tB := transposes[r.IntN(4)], transposes[r.IntN(4)]
		m, n, k := pick(-1, 0, 2, 3), pick(-1, 0, 2, 3), pick(-1, 0, 2, 3)
		lda, ldb, ldc := pick(0, 1, 2, 3, 4), pick(0, 1, 2, 3, 4), pick(0, 1, 2, 3, 4)
		la, lb, lc := pick(0, 4, 6, 9, 12), pick(0, 4, 6, 9, 12), pick(0, 4, 6, 9, 12)
		incX, incY := pick(-2, -1, 0, 1, 2), pick(-2, -1, 0, 1, 3)
		lx, ly := pick(0, 1, 2, 3, 5), pick(0, 1, 2, 3, 5)
		alpha, beta := float64(pick(0, 1)), float64(pick(0, 1, 2))

		calls := []struct {
			name   string
			fp, gn func()
		}{
			{"Sgemm",
				func() {
					fp.Sgemm(tA, tB, m, n, k, float32(alpha), make([]float32, la), lda, make([]float32, lb), ldb, float32(beta), make([]float32, lc), ldc)
				},
				func() {
					gn.Sgemm(tA, tB, m, n, k, float32(alpha), make([]float32, la), lda, make([]float32, lb), ldb, float32(beta), make([]float32, lc), ldc)
				}},
			{"Dgemm",
				func() {
					fp.Dgemm(tA, tB, m, n, k, alpha, make([]float64, la), lda, make([]float64, lb), ldb, beta, make([]float64, lc), ldc)
				},
				func() {
					gn.Dgemm(tA, tB, m, n, k, alpha, make([]float64, la), lda, make([]float64, lb), ldb, beta, make([]float64, lc), ldc)
				}},
			{"Sgemv",
				func() {
					fp.Sgemv(tA, m, n, float32(alpha), make([]float32, la), lda, make([]float32, lx), incX, float32(beta), make([]float32, ly), incY)
				},
				func() {
					gn.Sgemv(tA, m, n, float32(alpha), make([]float32, la), lda, make([]float32, lx), incX, float32(beta), make([]float32, ly), incY)
				}},
			{"Dgemv",
				func() {
					fp.Dgemv(tA, m, n, alpha, make([]float64, la), lda, make([]float64, lx), incX, beta, make([]float64, ly), incY)
				},
				func() {
					gn.Dgemv(tA, m, n, alpha, make([]float64, la), lda, make([]float64, lx), incX, beta, make([]float64, ly), incY)
				}},
		}
		for _, c := range calls {
			got, want := panicValue(c.fp), panicValue(c.gn)
			if got != want {
				t.Fatalf("%s(tA=%c tB=%c m=%d n=%d k=%d lda=%d ldb=%d ldc=%d len(a)=%d len(b)=%d len(c)=%d incX=%d incY=%d len(x)=%d len(y)=%d): fastpath panics with %v, gonum with %v",
					c.name, tA, tB, m, n, k, lda, ldb, ldc, la, lb, lc, incX, incY, lx, ly, got, want)
			}
			if want != nil {
				panics++
			}
		}
	}
	// The argument sets must exercise both outcomes.
	if panics == 0 || panics == 4*trials {
		t.Fatalf("%d of %d calls panicked: the trial arguments are degenerate", panics, 4*trials)
	}
}

func ExampleImplementation() {
	// Route every gonum float64 operation through fastpath, and restore
	// gonum's native implementation afterwards.
	blas64.Use(blas.Implementation{})
	defer blas64.Use(gonum.Implementation{})

	a := mat.NewDense(2, 3, []float64{
		1, 2, 3,
		4, 5, 6,
	})
	b := mat.NewDense(3, 2, []float64{
		7, 8,
		9, 10,
		11, 12,
	})
	var c mat.Dense
	c.Mul(a, b)
	fmt.Printf("%v\n", mat.Formatted(&c))

	var y mat.VecDense
	y.MulVec(a.T(), mat.NewVecDense(2, []float64{1, -1}))
	fmt.Printf("%v\n", mat.Formatted(y.T()))
	// Output:
	// ⎡ 58   64⎤
	// ⎣139  154⎦
	// [-3  -3  -3]
}

// TestLevel23Allocs checks that the Level 2 and Level 3 routines beyond
// GEMM allocate nothing in steady state, on one and two threads: their
// scratch space comes from free lists and their parallel tasks are static.
func TestLevel23Allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	const n = 300
	a, b, c := make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
	x, y := make([]float64, 2*n), make([]float64, 2*n)
	for i := range a {
		a[i] = 1e-3
	}
	for i := range n {
		a[i*n+i] = 2
	}
	defer blas.SetThreads(blas.SetThreads(0))
	for _, threads := range []int{1, 2} {
		blas.SetThreads(threads)
		for name, f := range map[string]func(){
			"Dtrsm L": func() { blas.Dtrsm(gblas.Left, gblas.Upper, gblas.Trans, gblas.NonUnit, n, n, 1, a, n, b, n) },
			"Dtrsm R": func() { blas.Dtrsm(gblas.Right, gblas.Lower, gblas.NoTrans, gblas.NonUnit, n, n, 1, a, n, b, n) },
			"Dtrmm L": func() { blas.Dtrmm(gblas.Left, gblas.Lower, gblas.NoTrans, gblas.Unit, n, n, 1, a, n, b, n) },
			"Dtrmm R": func() { blas.Dtrmm(gblas.Right, gblas.Upper, gblas.Trans, gblas.NonUnit, n, n, 1, a, n, b, n) },
			"Dsyrk":   func() { blas.Dsyrk(gblas.Upper, gblas.Trans, n, n, 1, a, n, 0, c, n) },
			"Dsyr2k":  func() { blas.Dsyr2k(gblas.Lower, gblas.NoTrans, n, n, 1, a, n, b, n, 0, c, n) },
			"Dsymm":   func() { blas.Dsymm(gblas.Right, gblas.Upper, n, n, 1, a, n, b, n, 0, c, n) },
			"Dsymv":   func() { blas.Dsymv(gblas.Upper, n, 1, a, n, x, 2, 0, y, 1) },
			"Dgemv T": func() { blas.Dgemv(gblas.Trans, n, n, 0.5, a, n, x, 1, 0, y, 2) },
			"Dger":    func() { blas.Dger(n, n, 1e-9, x, 1, y, 2, a, n) },
			"Dtrsv":   func() { blas.Dtrsv(gblas.Upper, gblas.Trans, gblas.NonUnit, n, a, n, x, 2) },
			"Dsyr2":   func() { blas.Dsyr2(gblas.Lower, n, 1e-9, x, 1, y, 2, a, n) },
		} {
			f()
			if got := testing.AllocsPerRun(5, f); got != 0 {
				t.Errorf("%s, %d threads: %v allocations per call", name, threads, got)
			}
		}
	}
}
