package blas_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
)

// The tests in this package are external (package blas_test): they use only
// the exported API, as a gonum user would.

// float is the element type of the generic tests.
type float interface{ float32 | float64 }

// eps returns the unit roundoff of T.
func eps[T float]() float64 {
	var z T
	if _, ok := any(z).(float32); ok {
		return 0x1p-24
	}
	return 0x1p-53
}

func testRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x243f6a8885a308d3)) }

func fill[T float](r *rand.Rand, s []T) {
	for i := range s {
		s[i] = T(r.NormFloat64())
	}
}

// eachAsmImpl runs f once for each asm implementation this CPU can run,
// with that implementation selected (GEMV and GEMM dispatch through it).
func eachAsmImpl(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, impl := range asm.AvailableImpls() {
		t.Run("asm="+impl.Name, func(t *testing.T) {
			prev, err := asm.Use(impl.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer asm.Restore(prev)
			f(t)
		})
	}
}

// guard is the value stored in every element a routine must not write.
const guard = -12345.25

// vecIndex returns the index of element i of a strided vector of n elements.
func vecIndex(i, n, inc int) int {
	if inc < 0 {
		return (n - 1 - i) * -inc
	}
	return i * inc
}

// gemvSizes straddles the vector widths and unrolling of the level-1
// kernels; gemvSizesShort is the subset used under -short.
var (
	gemvSizes      = []int{0, 1, 2, 7, 17, 33, 100}
	gemvSizesShort = []int{0, 1, 2, 7, 17, 33}
	alphas         = []float64{0, 1, -1, 0.5}
	betas          = []float64{0, 1, 2}
)

type gemvFunc[T float] func(tA gblas.Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int)

func TestSgemvReference(t *testing.T) {
	eachAsmImpl(t, func(t *testing.T) { testGemvReference[float32](t, blas.Implementation{}.Sgemv) })
}

func TestDgemvReference(t *testing.T) {
	eachAsmImpl(t, func(t *testing.T) { testGemvReference[float64](t, blas.Implementation{}.Dgemv) })
}

// testGemvReference compares gemv with a float64 reference on every
// combination of sizes, transposes, alpha, beta, increments and leading
// dimensions, with NaN in y when beta is zero, and checks that nothing
// outside y's strided elements is written and that A and x are not.
func testGemvReference[T float](t *testing.T, gemv gemvFunc[T]) {
	r := testRand(1)
	sizes := gemvSizes
	if testing.Short() {
		sizes = gemvSizesShort
	}
	incs := [][2]int{{1, 1}, {2, 3}, {-1, -2}, {-3, 1}, {1, -1}}
	u := eps[T]()
	for _, m := range sizes {
		for _, n := range sizes {
			for _, ldExtra := range []int{0, 3} {
				lda := max(1, n+ldExtra)
				a := make([]T, max(0, (m-1)*lda+n))
				fill(r, a)
				for _, tA := range []gblas.Transpose{gblas.NoTrans, gblas.Trans, gblas.ConjTrans} {
					nx, ny := n, m
					if tA != gblas.NoTrans {
						nx, ny = m, n
					}
					for _, inc := range incs {
						incX, incY := inc[0], inc[1]
						x := make([]T, max(0, (nx-1)*abs(incX)+1))
						fill(r, x)
						x0 := append([]T(nil), x...)
						a0 := append([]T(nil), a...)
						y0 := make([]T, max(0, (ny-1)*abs(incY)+1))
						for _, alpha := range alphas {
							for _, beta := range betas {
								name := fmt.Sprintf("tA=%c/m=%d/n=%d/lda=%d/incX=%d/incY=%d/alpha=%v/beta=%v", tA, m, n, lda, incX, incY, alpha, beta)
								for i := range y0 {
									y0[i] = guard
								}
								for i := 0; i < ny; i++ {
									if beta == 0 {
										y0[vecIndex(i, ny, incY)] = T(math.NaN())
									} else {
										y0[vecIndex(i, ny, incY)] = T(r.NormFloat64())
									}
								}
								y := append([]T(nil), y0...)
								gemv(tA, m, n, T(alpha), a, lda, x, incX, T(beta), y, incY)

								if m == 0 || n == 0 {
									// BLAS (reference and gonum) returns at once: y is not touched.
									if !equalBits(y, y0) {
										t.Fatalf("%s: y modified with an empty A", name)
									}
									continue
								}
								for i := 0; i < ny; i++ {
									var ref, mag float64
									for p := 0; p < nx; p++ {
										var aip float64
										if tA == gblas.NoTrans {
											aip = float64(a[i*lda+p])
										} else {
											aip = float64(a[p*lda+i])
										}
										xp := float64(x[vecIndex(p, nx, incX)])
										ref += aip * xp
										mag += math.Abs(aip * xp)
									}
									ref *= alpha
									mag *= math.Abs(alpha)
									if beta != 0 {
										yi := float64(y0[vecIndex(i, ny, incY)])
										ref += beta * yi
										mag += math.Abs(beta * yi)
									}
									got := float64(y[vecIndex(i, ny, incY)])
									tol := 2*float64(nx+2)*u*mag + 1e-300
									if !(math.Abs(got-ref) <= tol) {
										t.Fatalf("%s: y[%d] = %v, want %v (tolerance %g)", name, i, got, ref, tol)
									}
								}
								for i := range y {
									if y0[i] == guard && y[i] != guard {
										t.Fatalf("%s: element %d of y outside the vector written: %v", name, i, y[i])
									}
								}
								if !equalBits(x, x0) || !equalBits(a, a0) {
									t.Fatalf("%s: A or x modified", name)
								}
							}
						}
					}
				}
			}
		}
	}
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

func equalBits[T float](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
			return false
		}
	}
	return true
}

// TestGemvNaNInA checks BLAS semantics with NaN in A: it propagates unless
// alpha is zero, in which case A is not read.
func TestGemvNaNInA(t *testing.T) {
	const m, n = 5, 9
	a := make([]float32, m*n)
	for i := range a {
		a[i] = 1
	}
	a[2*n+3] = float32(math.NaN())
	x := make([]float32, n)
	for i := range x {
		x[i] = 1
	}
	y := make([]float32, m)
	for i := range y {
		y[i] = 2
	}
	blas.Sgemv(gblas.NoTrans, m, n, 0, a, n, x, 1, 3, y, 1)
	for i, v := range y {
		if v != 6 {
			t.Fatalf("alpha=0: y[%d] = %v, want 6", i, v)
		}
	}
	blas.Sgemv(gblas.NoTrans, m, n, 1, a, n, x, 1, 0, y, 1)
	for i, v := range y {
		if isNaN := v != v; isNaN != (i == 2) {
			t.Fatalf("alpha=1: y[%d] = %v", i, v)
		}
	}
}

// largeGemvShapes exceed the parallel threshold, with row and column counts
// that do not divide evenly into parts or column units.
var largeGemvShapes = [][2]int{{600, 600}, {1000, 130}, {130, 1001}, {3, 40000}}

// TestGemvThreads checks that the NoTrans result is bit-for-bit the same for
// every thread count and that Trans agrees within rounding, in both
// precisions.
func TestGemvThreads(t *testing.T) {
	defer blas.SetThreads(blas.SetThreads(0))
	r := testRand(2)
	for _, sh := range largeGemvShapes {
		m, n := sh[0], sh[1]
		a := make([]float64, m*n)
		fill(r, a)
		a32 := make([]float32, m*n)
		for i, v := range a {
			a32[i] = float32(v)
		}
		for _, tA := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
			nx, ny := n, m
			if tA == gblas.Trans {
				nx, ny = m, n
			}
			x := make([]float64, nx)
			fill(r, x)
			x32 := make([]float32, nx)
			for i, v := range x {
				x32[i] = float32(v)
			}
			y1 := make([]float64, ny)
			fill(r, y1)
			y1s := make([]float32, ny)
			for i, v := range y1 {
				y1s[i] = float32(v)
			}
			y0, y0s := append([]float64(nil), y1...), append([]float32(nil), y1s...)
			blas.SetThreads(1)
			blas.Dgemv(tA, m, n, 0.5, a, n, x, 1, 2, y1, 1)
			blas.Sgemv(tA, m, n, 0.5, a32, n, x32, 1, 2, y1s, 1)
			for _, threads := range []int{2, 3, 4, 7} {
				blas.SetThreads(threads)
				y, ys := append([]float64(nil), y0...), append([]float32(nil), y0s...)
				blas.Dgemv(tA, m, n, 0.5, a, n, x, 1, 2, y, 1)
				blas.Sgemv(tA, m, n, 0.5, a32, n, x32, 1, 2, ys, 1)
				name := fmt.Sprintf("m=%d/n=%d/tA=%c/t=%d", m, n, tA, threads)
				for i := range y {
					if tA == gblas.NoTrans {
						if y[i] != y1[i] || ys[i] != y1s[i] {
							t.Fatalf("%s: y[%d] differs from the 1-thread result: %v, %v vs %v, %v", name, i, y[i], ys[i], y1[i], y1s[i])
						}
						continue
					}
					if d := math.Abs(y[i] - y1[i]); d > 1e-12*float64(nx) {
						t.Fatalf("%s: Dgemv y[%d] = %v, 1 thread %v", name, i, y[i], y1[i])
					}
					if d := math.Abs(float64(ys[i] - y1s[i])); d > 1e-5*float64(nx) {
						t.Fatalf("%s: Sgemv y[%d] = %v, 1 thread %v", name, i, ys[i], y1s[i])
					}
				}
			}
		}
	}
}

// TestGemvAllocs checks that GEMV allocates nothing per call in steady
// state, serial or parallel, with unit or non-unit increments.
func TestGemvAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	defer blas.SetThreads(blas.SetThreads(0))
	const m, n = 500, 400
	a := make([]float32, m*n)
	x := make([]float32, 2*max(m, n))
	y := make([]float32, 3*max(m, n))
	for _, threads := range []int{1, 2} {
		blas.SetThreads(threads)
		for _, tA := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
			for _, inc := range [][2]int{{1, 1}, {2, -3}} {
				f := func() { blas.Sgemv(tA, m, n, 1, a, n, x, inc[0], 1, y, inc[1]) }
				f()
				if allocs := testing.AllocsPerRun(20, f); allocs != 0 {
					t.Errorf("t=%d tA=%c inc=%v: %v allocations per call", threads, tA, inc, allocs)
				}
			}
		}
	}
}

// TestSetThreads checks the thread setting's contract.
func TestSetThreads(t *testing.T) {
	orig := blas.SetThreads(3)
	defer blas.SetThreads(orig)
	if got := blas.Threads(); got != 3 {
		t.Errorf("Threads() = %d after SetThreads(3)", got)
	}
	if prev := blas.SetThreads(0); prev != 3 {
		t.Errorf("SetThreads returned %d, want 3", prev)
	}
	if got := blas.Threads(); got < 1 {
		t.Errorf("Threads() = %d with the default setting", got)
	}
	func() {
		defer func() {
			if r := recover(); r != "blas: negative thread count" {
				t.Errorf("SetThreads(-1) panicked with %v", r)
			}
		}()
		blas.SetThreads(-1)
	}()
}

type gemmFunc[T float] func(tA, tB gblas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

func TestSgemmReference(t *testing.T) {
	testGemmReference[float32](t, blas.Implementation{}.Sgemm)
}

func TestDgemmReference(t *testing.T) {
	testGemmReference[float64](t, blas.Implementation{}.Dgemm)
}

// testGemmReference compares gemm with a float64 reference within Higham's
// k-scaled bound, over sizes, all four transpose cases, alpha, beta and
// padded leading dimensions, with NaN in C when beta is zero and guards in
// C's padding.
func testGemmReference[T float](t *testing.T, gemm gemmFunc[T]) {
	r := testRand(3)
	sizes := gemvSizes
	if testing.Short() {
		sizes = gemvSizesShort
	}
	u := eps[T]()
	trans := []gblas.Transpose{gblas.NoTrans, gblas.Trans}
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range sizes {
				for _, tA := range trans {
					for _, tB := range trans {
						// op(A) is m x k, op(B) is k x n; stored shapes follow the transposes.
						ar, ac := m, k
						if tA == gblas.Trans {
							ar, ac = k, m
						}
						br, bc := k, n
						if tB == gblas.Trans {
							br, bc = n, k
						}
						lda, ldb, ldc := ac+1, bc+2, n+3
						a := make([]T, ar*lda)
						b := make([]T, br*ldb)
						fill(r, a)
						fill(r, b)
						at := func(i, p int) float64 {
							if tA == gblas.Trans {
								return float64(a[p*lda+i])
							}
							return float64(a[i*lda+p])
						}
						bt := func(p, j int) float64 {
							if tB == gblas.Trans {
								return float64(b[j*ldb+p])
							}
							return float64(b[p*ldb+j])
						}
						prod := make([]float64, m*n)
						mag := make([]float64, m*n)
						for i := 0; i < m; i++ {
							for j := 0; j < n; j++ {
								for p := 0; p < k; p++ {
									v := at(i, p) * bt(p, j)
									prod[i*n+j] += v
									mag[i*n+j] += math.Abs(v)
								}
							}
						}
						c0 := make([]T, m*ldc)
						for _, alpha := range alphas {
							for _, beta := range betas {
								name := fmt.Sprintf("tA=%c/tB=%c/m=%d/n=%d/k=%d/alpha=%v/beta=%v", tA, tB, m, n, k, alpha, beta)
								for i := range c0 {
									switch {
									case i%ldc >= n:
										c0[i] = guard
									case beta == 0:
										c0[i] = T(math.NaN())
									default:
										c0[i] = T(r.NormFloat64())
									}
								}
								c := append([]T(nil), c0...)
								gemm(tA, tB, m, n, k, T(alpha), a, lda, b, ldb, T(beta), c, ldc)
								for i := 0; i < m; i++ {
									for j := 0; j < n; j++ {
										ref := alpha * prod[i*n+j]
										bound := math.Abs(alpha) * mag[i*n+j]
										if beta != 0 {
											cij := float64(c0[i*ldc+j])
											ref += beta * cij
											bound += math.Abs(beta * cij)
										}
										got := float64(c[i*ldc+j])
										tol := 2*float64(k+2)*u*bound + 1e-300
										if !(math.Abs(got-ref) <= tol) {
											t.Fatalf("%s: C[%d,%d] = %v, want %v (tolerance %g)", name, i, j, got, ref, tol)
										}
									}
								}
								for i := range c {
									if i%ldc >= n && c[i] != guard {
										t.Fatalf("%s: padding element %d of C written: %v", name, i, c[i])
									}
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestGemmAllocs checks that steady-state GEMM calls allocate nothing on
// every path: the narrow path with B read in place and with B packed
// (transposed), the alternative 8-row shape, the general path, for one and
// two threads, float32 and float64.
func TestGemmAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	defer blas.SetThreads(blas.SetThreads(0))
	for _, sh := range [][3]int{{100, 300, 500}, {16, 200, 300}, {700, 100, 300}} {
		m, k, n := sh[0], sh[1], sh[2]
		a32, b32, c32 := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		a64, b64, c64 := make([]float64, m*k), make([]float64, k*n), make([]float64, m*n)
		for _, threads := range []int{1, 2} {
			blas.SetThreads(threads)
			for _, tB := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
				ldb := n
				if tB != gblas.NoTrans {
					ldb = k
				}
				for name, f := range map[string]func(){
					"s": func() { blas.Sgemm(gblas.NoTrans, tB, m, n, k, 1, a32, k, b32, ldb, 0, c32, n) },
					"d": func() { blas.Dgemm(gblas.NoTrans, tB, m, n, k, 1, a64, k, b64, ldb, 0, c64, n) },
				} {
					f()
					if allocs := testing.AllocsPerRun(10, f); allocs != 0 {
						t.Errorf("%sgemm %dx%dx%d tB=%c t=%d: %v allocations per call", name, m, k, n, tB, threads, allocs)
					}
				}
			}
		}
	}
}
