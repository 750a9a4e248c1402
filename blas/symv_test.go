package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
)

func TestSymv(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testSymv[float32](t, "Ssymv", Ssymv)
		testSymv[float64](t, "Dsymv", Dsymv)
	})
}

// testSymv checks Xsymv against a float64 reference on both triangles,
// unit, strided and negative increments, one and two threads (the
// parallel split cut down to small orders), with NaN in the unreferenced
// triangle and between the strided elements of y, which must stay.
func testSymv[T float32 | float64](t *testing.T, name string, f func(ul gblas.Uplo, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int)) {
	r := rand.New(rand.NewPCG(13, uint64(len(name))))
	p0 := symvParallelMin
	symvParallelMin = 50
	defer func() { symvParallelMin = p0 }()
	for _, n := range []int{1, 2, 7, 49, 50, 64, 65, 200} {
		for _, ul := range uplos {
			for _, inc := range [][2]int{{1, 1}, {-2, 1}, {1, 3}, {3, -1}} {
				alpha := []float64{1, -0.75, 0}[r.IntN(3)]
				beta := []float64{0, 1, 0.5}[r.IntN(3)]
				threads := 1 + r.IntN(2)
				a := newL3Mat[T](r, n, n, func(i, j int) float64 {
					if (i > j) != (ul == gblas.Lower) && i != j {
						return math.NaN()
					}
					return 2*r.Float64() - 1
				})
				vec := func(inc int) []T {
					v := make([]T, (n-1)*abs(inc)+1+guard)
					for i := range v {
						v[i] = T(math.NaN())
					}
					for i := range n {
						v[vecIndexL(i, n, inc)] = T(2*r.Float64() - 1)
					}
					return v
				}
				x, y := vec(inc[0]), vec(inc[1])
				y0 := append([]T(nil), y...)
				withThreads(threads, func() { f(ul, n, T(alpha), a.buf, a.ld, x, inc[0], T(beta), y, inc[1]) })
				what := fmt.Sprintf("%s(%c) n=%d inc=%v alpha=%v beta=%v threads=%d", name, ul, n, inc, alpha, beta, threads)
				in := map[int]bool{}
				for i := range n {
					in[vecIndexL(i, n, inc[1])] = true
				}
				for p := range y {
					if !in[p] && !math.IsNaN(float64(y[p])) {
						t.Fatalf("%s: y[%d] outside the vector written", what, p)
					}
				}
				tol := 8 * float64(n+4) * epsOf[T]()
				for i := range n {
					var sum float64
					for j := range n {
						ai, aj := i, j
						if (ai > aj) != (ul == gblas.Lower) && ai != aj {
							ai, aj = aj, ai
						}
						sum += a.at(ai, aj) * float64(x[vecIndexL(j, n, inc[0])])
					}
					want := alpha * sum
					if beta != 0 {
						want += beta * float64(y0[vecIndexL(i, n, inc[1])])
					}
					got := float64(y[vecIndexL(i, n, inc[1])])
					if !(math.Abs(got-want) <= tol*(1+math.Abs(want))) {
						t.Fatalf("%s: y[%d] = %v, want %v", what, i, got, want)
					}
				}
			}
		}
	}
}

// vecIndexL is the position of element i of an n-vector with increment
// inc (either sign), as in BLAS.
func vecIndexL(i, n, inc int) int {
	if inc < 0 {
		return (n - 1 - i) * -inc
	}
	return i * inc
}
