package asm

import (
	"fmt"
	"math"
	"testing"
)

// TestGemv4 checks the four-row GEMV kernels of every implementation
// against a float64 reference on lengths around the unrolling (0..40, 100)
// and row strides with padding; the padding between rows holds NaN (a
// kernel reading it would return NaN), and y's neighbours are guarded.
func TestGemv4(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(31)
		for n := 0; n <= 101; n++ {
			if n > 40 && n != 100 && n != 101 {
				continue
			}
			for _, pad := range []int{0, 3} {
				lda := n + pad
				a64 := make([]float64, 3*lda+n)
				randSlice64(r, a64)
				for row := range 3 {
					for j := n; j < lda; j++ {
						a64[row*lda+j] = math.NaN()
					}
				}
				a32 := make([]float32, len(a64))
				for i, v := range a64 {
					a32[i] = float32(v)
				}
				x64, xok := guarded64(n)
				randSlice64(r, x64)
				x32, _ := guarded32(n)
				for i, v := range x64 {
					x32[i] = float32(v)
				}
				what := fmt.Sprintf("%s n=%d lda=%d", impl.Name, n, lda)
				tol := func(eps float64) float64 { return 4 * float64(n+1) * eps }

				var d [4]float64
				impl.DGemvN4(n, a64, lda, x64, &d)
				var s [4]float32
				impl.SGemvN4(n, a32, lda, x32, &s)
				for row := range 4 {
					var want64, want32 float64
					for j := range n {
						want64 += a64[row*lda+j] * x64[j]
						want32 += float64(a32[row*lda+j]) * float64(x32[j])
					}
					if !(math.Abs(d[row]-want64) <= tol(0x1p-52)*(1+math.Abs(want64))) {
						t.Fatalf("DGemvN4 %s row %d: %v, want %v", what, row, d[row], want64)
					}
					if !(math.Abs(float64(s[row])-want32) <= tol(0x1p-23)*(1+math.Abs(want32))) {
						t.Fatalf("SGemvN4 %s row %d: %v, want %v", what, row, s[row], want32)
					}
				}
				if !xok() {
					t.Fatalf("%s: x's guard changed", what)
				}

				alpha64 := [4]float64{0.5, -1.25, 2, 0.125}
				alpha32 := [4]float32{0.5, -1.25, 2, 0.125}
				y64, yok64 := guarded64(n)
				randSlice64(r, y64)
				y32, yok32 := guarded32(n)
				for i, v := range y64 {
					y32[i] = float32(v)
				}
				want := make([]float64, n)
				want32 := make([]float64, n)
				for j := range n {
					want[j], want32[j] = y64[j], float64(y32[j])
					for row := range 4 {
						want[j] += alpha64[row] * a64[row*lda+j]
						want32[j] += float64(alpha32[row]) * float64(a32[row*lda+j])
					}
				}
				impl.DGemvT4(n, a64, lda, &alpha64, y64)
				impl.SGemvT4(n, a32, lda, &alpha32, y32)
				for j := range n {
					if !(math.Abs(y64[j]-want[j]) <= 16*0x1p-52*(1+math.Abs(want[j]))) {
						t.Fatalf("DGemvT4 %s y[%d]: %v, want %v", what, j, y64[j], want[j])
					}
					if !(math.Abs(float64(y32[j])-want32[j]) <= 16*0x1p-23*(1+math.Abs(want32[j]))) {
						t.Fatalf("SGemvT4 %s y[%d]: %v, want %v", what, j, y32[j], want32[j])
					}
				}
				if !yok64() || !yok32() {
					t.Fatalf("%s: y's guard changed", what)
				}
			}
		}
	})
}

// TestGemv4Panics checks that short operands panic before any kernel runs.
func TestGemv4Panics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		a := make([]float64, 3*10+9) // one short of four rows of 10
		x := make([]float64, 10)
		var y [4]float64
		for name, f := range map[string]func(){
			"DGemvN4 short a":    func() { impl.DGemvN4(10, a, 10, x, &y) },
			"DGemvN4 lda < n":    func() { impl.DGemvN4(10, make([]float64, 100), 9, x, &y) },
			"DGemvT4 short y":    func() { impl.DGemvT4(10, make([]float64, 40), 10, &y, x[:9]) },
			"SGemvN4 short x":    func() { var s [4]float32; impl.SGemvN4(10, make([]float32, 40), 10, make([]float32, 9), &s) },
			"SGemvT4 negative n": func() { var s [4]float32; impl.SGemvT4(-1, make([]float32, 40), 10, &s, make([]float32, 10)) },
		} {
			func() {
				defer func() {
					if recover() != errShortGemv {
						t.Errorf("%s: no %q panic", name, errShortGemv)
					}
				}()
				f()
			}()
		}
	})
}

// symv4Lengths are the lengths TestSymv4 tries.
func symv4Lengths() []int {
	var ns []int
	for n := 0; n <= 40; n++ {
		ns = append(ns, n)
	}
	return append(ns, 100, 101, 263, 264, 265, 271, 272, 527, 528, 529, 543, 544, 1000)
}

// TestSymv4 checks the four-row symmetric kernels of every implementation
// against a float64 reference: the dot products and the updated z, with
// NaN padding between rows and guarded vectors. The lengths from 263 on
// straddle the start of the amd64 loops' prefetching (SYMV_AHEAD bytes ahead
// in gemv_amd64.s: 264 float64 or 528 float32 elements).
func TestSymv4(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(37)
		for _, n := range symv4Lengths() {
			lda := n + 2
			a64 := make([]float64, 3*lda+n)
			randSlice64(r, a64)
			for row := range 3 {
				for j := n; j < lda; j++ {
					a64[row*lda+j] = math.NaN()
				}
			}
			a32 := make([]float32, len(a64))
			for i, v := range a64 {
				a32[i] = float32(v)
			}
			x64, xok := guarded64(n)
			z64, zok := guarded64(n)
			randSlice64(r, x64)
			randSlice64(r, z64)
			x32, _ := guarded32(n)
			z32, zok32 := guarded32(n)
			for i := range x64 {
				x32[i], z32[i] = float32(x64[i]), float32(z64[i])
			}
			al64 := [4]float64{0.5, -1.5, 2, 0.25}
			al32 := [4]float32{0.5, -1.5, 2, 0.25}
			wantZ := make([]float64, n)
			wantZ32 := make([]float64, n)
			var wantD, wantD32 [4]float64
			for j := range n {
				wantZ[j], wantZ32[j] = z64[j], float64(z32[j])
				for row := range 4 {
					wantZ[j] += al64[row] * a64[row*lda+j]
					wantZ32[j] += float64(al32[row]) * float64(a32[row*lda+j])
					wantD[row] += a64[row*lda+j] * x64[j]
					wantD32[row] += float64(a32[row*lda+j]) * float64(x32[j])
				}
			}
			var d64 [4]float64
			var d32 [4]float32
			impl.DSymv4(n, a64, lda, x64, z64, &al64, &d64)
			impl.SSymv4(n, a32, lda, x32, z32, &al32, &d32)
			what := fmt.Sprintf("%s n=%d", impl.Name, n)
			tol := 4 * float64(n+1)
			for row := range 4 {
				if !(math.Abs(d64[row]-wantD[row]) <= tol*0x1p-52*(1+math.Abs(wantD[row]))) {
					t.Fatalf("DSymv4 %s dot[%d] = %v, want %v", what, row, d64[row], wantD[row])
				}
				if !(math.Abs(float64(d32[row])-wantD32[row]) <= tol*0x1p-23*(1+math.Abs(wantD32[row]))) {
					t.Fatalf("SSymv4 %s dot[%d] = %v, want %v", what, row, d32[row], wantD32[row])
				}
			}
			for j := range n {
				if !(math.Abs(z64[j]-wantZ[j]) <= 16*0x1p-52*(1+math.Abs(wantZ[j]))) {
					t.Fatalf("DSymv4 %s z[%d] = %v, want %v", what, j, z64[j], wantZ[j])
				}
				if !(math.Abs(float64(z32[j])-wantZ32[j]) <= 16*0x1p-23*(1+math.Abs(wantZ32[j]))) {
					t.Fatalf("SSymv4 %s z[%d] = %v, want %v", what, j, z32[j], wantZ32[j])
				}
			}
			if !xok() || !zok() || !zok32() {
				t.Fatalf("%s: a guard changed", what)
			}
		}
	})
}

// TestGemv4NaNPositions puts a NaN at every position of every row, on
// lengths around the vector blocks of every implementation, with every other
// element 1: the NaN must reach that row's dot product (GemvN4, Symv4) and
// that column's element of y or z (GemvT4, Symv4), and nothing else, whose
// values are then exact (n for the dots, 4 for the axpys).
func TestGemv4NaNPositions(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 19, 31, 32, 33, 35, 40} {
			lda := n + 1
			a64 := make([]float64, 3*lda+n)
			a32 := make([]float32, len(a64))
			ones64 := make([]float64, n)
			ones32 := make([]float32, n)
			for j := range n {
				ones64[j], ones32[j] = 1, 1
			}
			al64, al32 := [4]float64{1, 1, 1, 1}, [4]float32{1, 1, 1, 1}
			for row := range 4 {
				for p := range n {
					for i := range a64 {
						a64[i], a32[i] = 1, 1
					}
					a64[row*lda+p], a32[row*lda+p] = math.NaN(), float32(math.NaN())
					what := fmt.Sprintf("%s n=%d NaN at row %d column %d", impl.Name, n, row, p)
					dots := func(name string, got [4]float64) {
						t.Helper()
						for r, v := range got {
							if r == row && !math.IsNaN(v) || r != row && v != float64(n) {
								t.Fatalf("%s %s: y[%d] = %v", name, what, r, v)
							}
						}
					}
					cols := func(name string, got []float64) {
						t.Helper()
						for j, v := range got {
							if j == p && !math.IsNaN(v) || j != p && v != 4 {
								t.Fatalf("%s %s: y[%d] = %v", name, what, j, v)
							}
						}
					}
					widen := func(s []float32) []float64 {
						w := make([]float64, len(s))
						for i, v := range s {
							w[i] = float64(v)
						}
						return w
					}

					var d64 [4]float64
					var d32 [4]float32
					impl.DGemvN4(n, a64, lda, ones64, &d64)
					impl.SGemvN4(n, a32, lda, ones32, &d32)
					dots("DGemvN4", d64)
					dots("SGemvN4", [4]float64(widen(d32[:])))

					y64, y32 := make([]float64, n), make([]float32, n)
					impl.DGemvT4(n, a64, lda, &al64, y64)
					impl.SGemvT4(n, a32, lda, &al32, y32)
					cols("DGemvT4", y64)
					cols("SGemvT4", widen(y32))

					z64, z32 := make([]float64, n), make([]float32, n)
					impl.DSymv4(n, a64, lda, ones64, z64, &al64, &d64)
					impl.SSymv4(n, a32, lda, ones32, z32, &al32, &d32)
					dots("DSymv4", d64)
					dots("SSymv4", [4]float64(widen(d32[:])))
					cols("DSymv4", z64)
					cols("SSymv4", widen(z32))
				}
			}
		}
	})
}
