package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
)

// TestLevel1 compares the Level 1 routines with gonum's on lengths around
// the prefetch block and the unrolling, unit and strided increments
// (including a row-major column's), Idamax on ties and NaN, Dscal, Dasum, Dnrm2 (also near overflow and underflow), and checks that elements between the strided ones are not written.
func TestLevel1(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		native := gonum.Implementation{}
		for _, n := range []int{0, 1, 3, 4, 31, 32, 33, 64, 65, 127, 300} {
			for _, inc := range [][2]int{{1, 1}, {3, 1}, {1, 2}, {100, 7}, {-1, 1}} {
				what := fmt.Sprintf("n=%d inc=%v", n, inc)
				mk := func(inc int) []float64 {
					s := make([]float64, max(n-1, 0)*abs(inc)+1+guard)
					for i := range s {
						s[i] = 2*r.Float64() - 1
					}
					return s
				}
				x, y := mk(inc[0]), mk(inc[1])
				tol := 1e-14 * float64(n+1)
				if got, want := Ddot(n, x, inc[0], y, inc[1]), native.Ddot(n, x, inc[0], y, inc[1]); math.Abs(got-want) > tol {
					t.Fatalf("Ddot %s: %v, want %v", what, got, want)
				}
				if got, want := Sdot(n, f32(x), inc[0], f32(y), inc[1]), native.Sdot(n, f32(x), inc[0], f32(y), inc[1]); math.Abs(float64(got-want)) > 1e-5*float64(n+1) {
					t.Fatalf("Sdot %s: %v, want %v", what, got, want)
				}
				y1, y2 := append([]float64(nil), y...), append([]float64(nil), y...)
				Daxpy(n, -0.75, x, inc[0], y1, inc[1])
				native.Daxpy(n, -0.75, x, inc[0], y2, inc[1])
				for i := range y1 {
					if math.Abs(y1[i]-y2[i]) > 1e-15 {
						t.Fatalf("Daxpy %s: y[%d] = %v, want %v", what, i, y1[i], y2[i])
					}
				}
				// Idamax: ties, NaN elements and a NaN first element.
				for trial := range 6 {
					v := append([]float64(nil), x...)
					for i := range v {
						v[i] = float64(r.IntN(5) - 2)
						if r.IntN(10) == 0 {
							v[i] = math.NaN()
						}
					}
					if trial == 0 && len(v) > 0 {
						v[0] = math.NaN()
					}
					if got, want := Idamax(n, v, inc[0]), native.Idamax(n, v, inc[0]); got != want {
						t.Fatalf("Idamax %s trial %d: %d, want %d (v=%v)", what, trial, got, want, v)
					}
				}
				if got, want := Dasum(n, x, inc[0]), native.Dasum(n, x, inc[0]); math.Abs(got-want) > tol {
					t.Fatalf("Dasum %s: %v, want %v", what, got, want)
				}
				if got, want := Dnrm2(n, x, inc[0]), native.Dnrm2(n, x, inc[0]); math.Abs(got-want) > tol*(1+want) {
					t.Fatalf("Dnrm2 %s: %v, want %v", what, got, want)
				}
				for _, scale := range []float64{1e-300, 1e300} { // the scaled fallback
					big := append([]float64(nil), x...)
					for i := range big {
						big[i] *= scale
					}
					if got, want := Dnrm2(n, big, inc[0]), native.Dnrm2(n, big, inc[0]); math.Abs(got-want) > tol*want {
						t.Fatalf("Dnrm2 %s scale %g: %v, want %v", what, scale, got, want)
					}
				}
				sc1, sc2 := append([]float64(nil), x...), append([]float64(nil), x...)
				Dscal(n, -1.5, sc1, inc[0])
				native.Dscal(n, -1.5, sc2, inc[0])
				for i := range sc1 {
					if sc1[i] != sc2[i] {
						t.Fatalf("Dscal %s: x[%d] = %v, want %v", what, i, sc1[i], sc2[i])
					}
				}
				s1, s2 := f32(y), f32(y)
				Saxpy(n, -0.75, f32(x), inc[0], s1, inc[1])
				native.Saxpy(n, -0.75, f32(x), inc[0], s2, inc[1])
				for i := range s1 {
					if math.Abs(float64(s1[i]-s2[i])) > 1e-6 {
						t.Fatalf("Saxpy %s: y[%d] = %v, want %v", what, i, s1[i], s2[i])
					}
				}
			}
		}
	})
}

func f32(s []float64) []float32 {
	out := make([]float32, len(s))
	for i, v := range s {
		out[i] = float32(v)
	}
	return out
}

// TestLevel1More compares Sscal, Sasum, Snrm2, Isamax, Sswap, Dswap, Srot
// and Drot with gonum's on lengths around the hand-over to gonum and the
// kernels' unrolling, unit, strided and negative increments: the scalings
// and swaps exactly (elements between strided ones untouched), the sums
// within float32's n-scaled bound, Snrm2 against a float64 reference (also
// with elements whose float32 squares overflow or underflow, and with NaN
// and Inf, which go to gonum), the rotations within two roundings.
func TestLevel1More(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(15, 16))
		native := gonum.Implementation{}
		for _, n := range []int{0, 1, 7, 8, 31, 33, 64, 65, 127, 300, 1001} {
			for _, inc := range [][2]int{{1, 1}, {3, 1}, {1, 2}, {-1, 1}} {
				what := fmt.Sprintf("n=%d inc=%v", n, inc)
				mk := func(inc int) []float64 {
					s := make([]float64, max(n-1, 0)*abs(inc)+1+guard)
					for i := range s {
						s[i] = 2*r.Float64() - 1
					}
					return s
				}
				x, y := mk(inc[0]), mk(inc[1])
				x32, y32 := f32(x), f32(y)
				tol := 1e-6 * float64(n+1)
				if got, want := Sasum(n, x32, inc[0]), native.Sasum(n, x32, inc[0]); math.Abs(float64(got-want)) > tol*float64(want) {
					t.Fatalf("Sasum %s: %v, want %v", what, got, want)
				}
				for _, scale := range []float32{1, 1e25, 1e-25} {
					v := append([]float32(nil), x32...)
					var ss float64
					for i := range v {
						v[i] *= scale
					}
					if inc[0] > 0 {
						for i := range n {
							ss += float64(v[i*inc[0]]) * float64(v[i*inc[0]])
						}
						want := math.Sqrt(ss)
						if got := float64(Snrm2(n, v, inc[0])); math.Abs(got-want) > tol*want {
							t.Fatalf("Snrm2 %s scale %g: %v, want %v", what, scale, got, want)
						}
					}
				}
				if n > 2 && inc[0] == 1 {
					for _, special := range []float32{float32(math.NaN()), float32(math.Inf(-1))} {
						v := append([]float32(nil), x32...)
						v[n/2] = special
						got, want := Snrm2(n, v, 1), native.Snrm2(n, v, 1)
						if math.Float32bits(got) != math.Float32bits(want) {
							t.Fatalf("Snrm2 %s with %v: %v, want %v", what, special, got, want)
						}
					}
				}
				for trial := range 6 {
					v := append([]float32(nil), x32...)
					for i := range v {
						v[i] = float32(r.IntN(5) - 2)
						if r.IntN(10) == 0 {
							v[i] = float32(math.NaN())
						}
					}
					if trial == 0 && len(v) > 0 {
						v[0] = float32(math.NaN())
					}
					if got, want := Isamax(n, v, inc[0]), native.Isamax(n, v, inc[0]); got != want {
						t.Fatalf("Isamax %s trial %d: %d, want %d", what, trial, got, want)
					}
				}
				sc1, sc2 := append([]float32(nil), x32...), append([]float32(nil), x32...)
				Sscal(n, -1.5, sc1, inc[0])
				native.Sscal(n, -1.5, sc2, inc[0])
				for i := range sc1 {
					if sc1[i] != sc2[i] {
						t.Fatalf("Sscal %s: x[%d] = %v, want %v", what, i, sc1[i], sc2[i])
					}
				}
				a1, b1, a2, b2 := append([]float32(nil), x32...), append([]float32(nil), y32...), append([]float32(nil), x32...), append([]float32(nil), y32...)
				Sswap(n, a1, inc[0], b1, inc[1])
				native.Sswap(n, a2, inc[0], b2, inc[1])
				for i := range a1 {
					if a1[i] != a2[i] {
						t.Fatalf("Sswap %s: x[%d] = %v, want %v", what, i, a1[i], a2[i])
					}
				}
				for i := range b1 {
					if b1[i] != b2[i] {
						t.Fatalf("Sswap %s: y[%d] = %v, want %v", what, i, b1[i], b2[i])
					}
				}
				c1, d1, c2, d2 := append([]float64(nil), x...), append([]float64(nil), y...), append([]float64(nil), x...), append([]float64(nil), y...)
				Dswap(n, c1, inc[0], d1, inc[1])
				native.Dswap(n, c2, inc[0], d2, inc[1])
				for i := range c1 {
					if c1[i] != c2[i] {
						t.Fatalf("Dswap %s: x[%d] = %v, want %v", what, i, c1[i], c2[i])
					}
				}
				for i := range d1 {
					if d1[i] != d2[i] {
						t.Fatalf("Dswap %s: y[%d] = %v, want %v", what, i, d1[i], d2[i])
					}
				}
				c, s := 0.6, -0.8
				Srot(n, a1, inc[0], b1, inc[1], float32(c), float32(s))
				native.Srot(n, a2, inc[0], b2, inc[1], float32(c), float32(s))
				Drot(n, c1, inc[0], d1, inc[1], c, s)
				native.Drot(n, c2, inc[0], d2, inc[1], c, s)
				for i := range a1 {
					if math.Abs(float64(a1[i]-a2[i])) > 3e-7 {
						t.Fatalf("Srot %s: x[%d] = %v, want %v", what, i, a1[i], a2[i])
					}
				}
				for i := range b1 {
					if math.Abs(float64(b1[i]-b2[i])) > 3e-7 {
						t.Fatalf("Srot %s: y[%d] = %v, want %v", what, i, b1[i], b2[i])
					}
				}
				for i := range c1 {
					if math.Abs(c1[i]-c2[i]) > 5e-16 {
						t.Fatalf("Drot %s: x[%d] = %v, want %v", what, i, c1[i], c2[i])
					}
				}
				for i := range d1 {
					if math.Abs(d1[i]-d2[i]) > 5e-16 {
						t.Fatalf("Drot %s: y[%d] = %v, want %v", what, i, d1[i], d2[i])
					}
				}
			}
		}
	})
}
