package blas

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
)

// TestSgemmBetaEpilogue checks that C = op(A) op(B) + beta*C with beta
// neither 0 nor 1 on the packed engine (which scales C in the kernels'
// epilogue where they take asm.ScaleC) is bit for bit C scaled by beta in
// float32 first, then the product accumulated with beta = 1: full and edge
// tiles, one depth block and several, every transpose, at 1, 2 and 3
// threads (and on the narrow path, 300 rows, which scales C before), with
// infinities in C. The velocity-fused training step
// (package layers) relies on it.
func TestSgemmBetaEpilogue(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(71, 72))
		for si, sh := range [][3]int{{1000, 90, 700}, {700, 40, 257}, {1001, 300, 333}, {513, 100, 65}, {300, 40, 257}} {
			if testing.Short() && si%2 == 1 {
				continue
			}
			m, k, n := sh[0], sh[1], sh[2]
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				for _, beta := range []float32{0.9, -2.5, 1e-3} {
					aT, bT := tr[0], tr[1]
					ta, lda := gblas.NoTrans, k
					if aT {
						ta, lda = gblas.Trans, m
					}
					tb, ldb := gblas.NoTrans, n
					if bT {
						tb, ldb = gblas.Trans, k
					}
					a, b := make([]float32, m*k), make([]float32, k*n)
					for i := range a {
						a[i] = float32(r.NormFloat64())
					}
					for i := range b {
						b[i] = float32(r.NormFloat64())
					}
					ldc := n + 3
					c0 := make([]float32, m*ldc)
					for i := range c0 {
						c0[i] = float32(r.NormFloat64())
					}
					c0[5*ldc+n-1] = float32(math.Inf(1))
					want := append([]float32(nil), c0...)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							want[i*ldc+j] = float32(beta * want[i*ldc+j])
						}
					}
					withoutDirect(func() {
						withThreads(1, func() {
							Sgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, 1, want, ldc)
						})
						for _, th := range []int{1, 2, 3} {
							c := append([]float32(nil), c0...)
							withThreads(th, func() {
								Sgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
							})
							for i := range c {
								if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
									t.Fatalf("%dx%dx%d aT=%v bT=%v beta=%g threads=%d: C[%d][%d] = %g, scaled then accumulated %g",
										m, k, n, aT, bT, beta, th, i/ldc, i%ldc, c[i], want[i])
								}
							}
						}
					})
				}
			}
		}
	})
	// Which products leave the direct path for the engine's epilogue.
	_, l2, _ := cacheSizes()
	side := 1
	for 4*side*side <= l2 {
		side *= 2
	}
	for _, impl := range asm.AvailableImpls() {
		for _, c := range []struct {
			m, n int
			beta float32
			want bool
		}{{side, side, 0.9, true}, {side / 2, side / 2, 0.9, false}, {side, side, 0, false}, {side, side, 1, false}, {side, side, -3, true}} {
			if got := betaInEngine(impl, c.m, c.n, c.beta); got != (c.want && impl.SgemmScaleC) {
				t.Errorf("%s: betaInEngine(%d, %d, %g) = %v", impl.Name, c.m, c.n, c.beta, got)
			}
		}
	}
}
