package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// TestDescent32 checks that Descent32 leaves C and W bit for bit as Sgemm
// with the same arguments followed by asm.SGD on each row of W (C as the
// gradient): on the engine's descent epilogue (full and edge tiles, one
// depth block and several, every transpose, beta 0, 1 and 0.9, 1-3
// threads) and on the pass that replaces it (other paths, W with another
// stride), with NaN, infinities and zeros of both signs in W.
func TestDescent32(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(81, 82))
		shapes := [][3]int{{1000, 90, 700}, {700, 40, 257}, {1001, 300, 333}, {513, 100, 65}, {37, 20, 45}, {300, 40, 257}}
		for si, sh := range shapes {
			if testing.Short() && si%2 == 1 {
				continue
			}
			m, k, n := sh[0], sh[1], sh[2]
			for ti, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				for _, beta := range []float32{0.9, 0, 1} {
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
					ldc, ldw := n+3, n+3
					if ti == 3 {
						ldw = n + 5 // another stride: the pass after the product
					}
					c0, w0 := make([]float32, m*ldc), make([]float32, m*ldw)
					for i := range c0 {
						c0[i] = float32(r.NormFloat64())
					}
					for i := range w0 {
						w0[i] = float32(r.NormFloat64())
					}
					w0[3], w0[ldw+n-1], w0[2*ldw] = float32(math.NaN()), float32(math.Inf(-1)), float32(math.Copysign(0, -1))
					w0[(m-1)*ldw+n-1] = 0
					lr, wd := float32(0.05), float32(0)
					if si%2 == 0 {
						wd = 1e-4
					}
					wantC, wantW := append([]float32(nil), c0...), append([]float32(nil), w0...)
					withThreads(1, func() {
						Sgemm(ta, tb, m, n, k, 1.5, a, lda, b, ldb, beta, wantC, ldc)
					})
					for i := 0; i < m; i++ {
						asm.SGD(wantW[i*ldw:i*ldw+n], wantC[i*ldc:i*ldc+n], lr, wd)
					}
					for _, th := range []int{1, 2, 3} {
						c, w := append([]float32(nil), c0...), append([]float32(nil), w0...)
						withThreads(th, func() {
							Descent32(ta, tb, 1.5, blas32.General{Rows: len(a) / lda, Cols: lda, Stride: lda, Data: a},
								blas32.General{Rows: len(b) / ldb, Cols: ldb, Stride: ldb, Data: b}, beta,
								blas32.General{Rows: m, Cols: n, Stride: ldc, Data: c}, blas32.General{Rows: m, Cols: n, Stride: ldw, Data: w}, lr, wd)
						})
						for i := range c {
							if math.Float32bits(c[i]) != math.Float32bits(wantC[i]) {
								t.Fatalf("%dx%dx%d aT=%v bT=%v beta=%g threads=%d: C[%d][%d] = %g, Sgemm %g", m, k, n, aT, bT, beta, th, i/ldc, i%ldc, c[i], wantC[i])
							}
						}
						for i := range w {
							if math.Float32bits(w[i]) != math.Float32bits(wantW[i]) && !(w[i] != w[i] && wantW[i] != wantW[i]) {
								t.Fatalf("%dx%dx%d aT=%v bT=%v beta=%g threads=%d ldw=%d: W[%d][%d] = %g, Sgemm then SGD %g", m, k, n, aT, bT, beta, th, ldw, i/ldw, i%ldw, w[i], wantW[i])
							}
						}
					}
				}
			}
		}
		// The engine takes the step in its epilogue where the kernels have one.
		if asm.Current().SgemmDescend != nil {
			m, k, n := 1000, 90, 700
			a, b, c, w := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n), make([]float32, m*n)
			d := descent{w: w, ld: n, lr: 0.1}
			var fused bool
			withoutDirect(func() {
				fused = sgemmDescend(true, false, m, n, k, 1, a, m, b, n, 0.9, c, n, nil, false, &d)
			})
			if !fused {
				t.Errorf("%dx%dx%d:TN on the engine: the step was not fused", m, k, n)
			}
		}
	})
}

// TestDescent32Checks checks Descent32's argument checks.
func TestDescent32Checks(t *testing.T) {
	g := func(r, c int) blas32.General {
		return blas32.General{Rows: r, Cols: c, Stride: c, Data: make([]float32, r*c)}
	}
	for _, tc := range []struct {
		name string
		want string
		w    blas32.General
	}{
		{"W shape", badDims, g(4, 6)},
		{"W stride", badLdW, blas32.General{Rows: 4, Cols: 5, Stride: 4, Data: make([]float32, 20)}},
		{"W short", shortW, blas32.General{Rows: 4, Cols: 5, Stride: 5, Data: make([]float32, 19)}},
	} {
		func() {
			defer func() {
				if r := recover(); r != tc.want {
					t.Errorf("%s: panic %v, want %q", tc.name, r, tc.want)
				}
			}()
			Descent32(gblas.NoTrans, gblas.NoTrans, 1, g(4, 3), g(3, 5), 0, g(4, 5), tc.w, 0.1, 0)
		}()
	}
}

func ExampleDescent32() {
	// One step of SGD with momentum on a dense layer of 2 outputs and 3
	// inputs, for a batch of two: V = 0.9*V + dYᵀX, then W -= 0.1*V.
	dy := blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: []float32{1, 0, 0, 1}}
	x := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: []float32{1, 2, 3, 4, 5, 6}}
	v := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: []float32{1, 1, 1, 0, 0, 0}}
	w := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: []float32{1, 1, 1, 1, 1, 1}}
	Descent32(gblas.Trans, gblas.NoTrans, 1, dy, x, 0.9, v, w, 0.1, 0)
	fmt.Printf("V %.2f\nW %.2f\n", v.Data, w.Data)
	// Output:
	// V [1.90 2.90 3.90 4.00 5.00 6.00]
	// W [0.81 0.71 0.61 0.60 0.50 0.40]
}
