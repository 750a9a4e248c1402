package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// TestSyr compares Xsyr and Xsyr2 with gonum's on both triangles, unit,
// strided and negative increments; the unreferenced triangle and the
// padding hold NaN, which must stay where they are.
func TestSyr(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(23, 24))
		native := gonum.Implementation{}
		for _, n := range []int{1, 2, 9, 64, 131} {
			for _, ul := range uplos {
				for _, inc := range [][2]int{{1, 1}, {-2, 1}, {3, -1}} {
					a := newL3Mat[float64](r, n, n, func(i, j int) float64 {
						if (i > j) != (ul == gblas.Lower) && i != j {
							return math.NaN()
						}
						return 2*r.Float64() - 1
					})
					vec := func(inc int) []float64 {
						v := make([]float64, (n-1)*abs(inc)+1)
						for i := range v {
							v[i] = 2*r.Float64() - 1
						}
						return v
					}
					x, y := vec(inc[0]), vec(inc[1])
					what := fmt.Sprintf("n=%d %c inc=%v", n, ul, inc)
					for _, two := range []bool{false, true} {
						got, want := clone(a), clone(a)
						got32 := f32(a.buf)
						if two {
							Dsyr2(ul, n, -0.75, x, inc[0], y, inc[1], got.buf, a.ld)
							native.Dsyr2(ul, n, -0.75, x, inc[0], y, inc[1], want.buf, a.ld)
							Ssyr2(ul, n, -0.75, f32(x), inc[0], f32(y), inc[1], got32, a.ld)
						} else {
							Dsyr(ul, n, -0.75, x, inc[0], got.buf, a.ld)
							native.Dsyr(ul, n, -0.75, x, inc[0], want.buf, a.ld)
							Ssyr(ul, n, -0.75, f32(x), inc[0], got32, a.ld)
						}
						for p := range want.buf {
							w := want.buf[p]
							if math.IsNaN(w) {
								if !math.IsNaN(got.buf[p]) || !math.IsNaN(float64(got32[p])) {
									t.Fatalf("%s two=%v: element %d outside the triangle written", what, two, p)
								}
								continue
							}
							if math.Abs(got.buf[p]-w) > 1e-14*(1+math.Abs(w)) {
								t.Fatalf("D %s two=%v: a[%d] = %v, want %v", what, two, p, got.buf[p], w)
							}
							if math.Abs(float64(got32[p])-w) > 1e-5*(1+math.Abs(w)) {
								t.Fatalf("S %s two=%v: a[%d] = %v, want %v", what, two, p, got32[p], w)
							}
						}
					}
				}
			}
		}
	})
}
