package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestGer(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testGer[float32](t, "Sger", Sger)
		testGer[float64](t, "Dger", Dger)
	})
}

// testGer checks Xger against a float64 reference with unit, strided and
// negative increments, one and two threads (the parallel split cut down
// to small sizes); the padding between rows of A must keep its NaN.
func testGer[T float32 | float64](t *testing.T, name string, f func(m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int)) {
	r := rand.New(rand.NewPCG(17, uint64(len(name))))
	p0 := gerParallelMin
	gerParallelMin = 100
	defer func() { gerParallelMin = p0 }()
	for _, m := range []int{1, 3, 40} {
		for _, n := range []int{1, 7, 64, 65, 130} {
			for _, inc := range [][2]int{{1, 1}, {-2, 1}, {1, 3}, {3, -2}} {
				alpha := []float64{1, -0.75}[r.IntN(2)]
				threads := 1 + r.IntN(2)
				a := newL3Mat[T](r, m, n, func(int, int) float64 { return 2*r.Float64() - 1 })
				a0 := clone(a)
				vec := func(k, inc int) []T {
					v := make([]T, (k-1)*abs(inc)+1)
					for i := range v {
						v[i] = T(2*r.Float64() - 1)
					}
					return v
				}
				x, y := vec(m, inc[0]), vec(n, inc[1])
				withThreads(threads, func() { f(m, n, T(alpha), x, inc[0], y, inc[1], a.buf, a.ld) })
				what := fmt.Sprintf("%s m=%d n=%d inc=%v alpha=%v threads=%d", name, m, n, inc, alpha, threads)
				checkUntouched(t, what, a0, a, all)
				want := make([]float64, m*n)
				for i := range m {
					for j := range n {
						want[i*n+j] = a0.at(i, j) + alpha*float64(x[vecIndexL(i, m, inc[0])])*float64(y[vecIndexL(j, n, inc[1])])
					}
				}
				checkClose(t, what, a, want, 4*epsOf[T](), all)
				_ = math.NaN
			}
		}
	}
}
