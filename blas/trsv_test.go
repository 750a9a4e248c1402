package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
)

// TestTrsvTrmv compares Dtrsv/Dtrmv and Strsv/Strmv with gonum's on every
// combination, orders around the hand-over and the unrolling, unit,
// strided and negative increments, with NaN in the unreferenced triangle
// (and on a unit diagonal) and between the strided elements of x.
func TestTrsvTrmv(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(19, 20))
		native := gonum.Implementation{}
		for _, n := range []int{2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 64, 65, 130} {
			for _, ul := range uplos {
				for _, tA := range transs {
					for _, d := range diags {
						for _, inc := range []int{1, -2, 3} {
							a := newL3Mat[float64](r, n, n, triVal(r, n, ul, d))
							x := make([]float64, (n-1)*abs(inc)+1)
							for i := range x {
								x[i] = math.NaN()
							}
							for i := range n {
								x[vecIndexL(i, n, inc)] = 2*r.Float64() - 1
							}
							// The reference reads no NaN: give it a copy of A
							// with the unreferenced triangle zeroed.
							clean := make([]float64, len(a.buf))
							for i := range n {
								for j := range n {
									if v := a.at(i, j); !math.IsNaN(v) {
										clean[i*a.ld+j] = v
									}
								}
							}
							what := fmt.Sprintf("n=%d %c%c%c inc=%d", n, ul, tA, d, inc)
							for _, solve := range []bool{true, false} {
								got, want := append([]float64(nil), x...), append([]float64(nil), x...)
								got32 := f32(x)
								if solve {
									Dtrsv(ul, tA, d, n, a.buf, a.ld, got, inc)
									native.Dtrsv(ul, tA, d, n, clean, a.ld, want, inc)
									Strsv(ul, tA, d, n, f32(a.buf), a.ld, got32, inc)
								} else {
									Dtrmv(ul, tA, d, n, a.buf, a.ld, got, inc)
									native.Dtrmv(ul, tA, d, n, clean, a.ld, want, inc)
									Strmv(ul, tA, d, n, f32(a.buf), a.ld, got32, inc)
								}
								for i := range want {
									if math.IsNaN(want[i]) {
										if !math.IsNaN(got[i]) || !math.IsNaN(float64(got32[i])) {
											t.Fatalf("%s solve=%v: x[%d] between elements written", what, solve, i)
										}
										continue
									}
									if math.Abs(got[i]-want[i]) > 1e-13*(1+math.Abs(want[i])) {
										t.Fatalf("D %s solve=%v: x[%d] = %v, want %v", what, solve, i, got[i], want[i])
									}
									if math.Abs(float64(got32[i])-want[i]) > 1e-4*(1+math.Abs(want[i])) {
										t.Fatalf("S %s solve=%v: x[%d] = %v, want %v", what, solve, i, got32[i], want[i])
									}
								}
							}
						}
					}
				}
			}
		}
	})
}
