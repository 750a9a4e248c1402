package blas

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
)

// TestLowRowKernels checks that the low-row kernels (a last row panel of
// at most asm.Impl.SLowMR rows) change no bit of any product: every path
// that uses them (the narrow path in place and packed, the general path,
// PackedB32), with A and B transposed or not, alpha, beta, bias and ReLU,
// on one and two threads, gives the same C with them and without them
// (lowOff), on every implementation (those without them compare a path
// with itself). The values themselves are checked against the float64
// reference by TestSgemmSizes and the path tests.
func TestLowRowKernels(t *testing.T) {
	prevMin := parallelMinFlops
	parallelMinFlops = 0
	defer func() { parallelMinFlops = prevMin }()
	forEachImpl(t, func(t *testing.T) {
		mr := asm.Current().SMR
		r := rand.New(rand.NewPCG(8, 9))
		// Rows: one to four past a multiple of the kernel's rows, few
		// (narrow path) and many (general path).
		for _, m := range []int{1, 4, mr + 2, 2*mr + 4, 16, 40*mr + 3, 100*mr + 1} {
			for _, sh := range [][2]int{{37, 70}, {39, 200}, {300, 130}, {64, 2000}} {
				k, n := sh[0], sh[1]
				for _, tA := range transposes {
					for _, tB := range transposes {
						for _, ab := range [][2]float64{{1, 0}, {0.5, 1.5}} {
							g := newGemmCase(r, tA, tB, m, n, k, 1, ab[0], ab[1])
							a, b, _ := g.slices()
							run := func(off bool, threads int) []float32 {
								prev := lowOff
								lowOff = off
								defer func() { lowOff = prev }()
								c := make([]float32, len(g.c0))
								for i, v := range g.c0 {
									c[i] = float32(v)
								}
								withThreads(threads, func() {
									Sgemm(g.tA, g.tB, m, n, k, float32(ab[0]), a, g.lda, b, g.ldb, float32(ab[1]), c, g.ldc)
								})
								return c
							}
							want := run(true, 1)
							for _, threads := range []int{1, 2} {
								sameBits(t, g.String(), run(false, threads), want)
							}
						}
					}
				}
				// PackedB32 and the fused bias + ReLU epilogue.
				g := newGemmCase(r, gblas.NoTrans, gblas.NoTrans, m, n, k, 0, 1, 0)
				a, b, _ := g.slices()
				bias := randSlice(rand.New(rand.NewPCG(uint64(m), uint64(n))), n)
				run := func(off bool) []float32 {
					prev := lowOff
					lowOff = off
					defer func() { lowOff = prev }()
					var p PackedB32
					p.Pack(gblas.NoTrans, k, n, b, g.ldb, m)
					c := make([]float32, m*g.ldc)
					var ws PackedWorkspace32
					p.Mul(&ws, m, a, g.lda, c, g.ldc, bias, true, false)
					d := make([]float32, m*g.ldc)
					withThreads(1, func() {
						sgemm(false, false, m, n, k, 1, a, g.lda, b, g.ldb, 0, d, g.ldc, bias, true)
					})
					return append(c, d...)
				}
				sameBits(t, "PackedB32 and Affine: "+g.String(), run(false), run(true))
			}
		}
	})
}

func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d = %v with the low-row kernels, %v without", what, i, got[i], want[i])
		}
	}
}
