package blas

import (
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// TestAffineNaNReLU: a NaN pre-activation (from a NaN in a row of A or in
// the bias) gives 0 after the fused ReLU in every tile: full micro-tiles,
// the edge tiles of m and n that are not multiples of the tile, and the
// small-matrix path. Other entries stay max(x, 0) of the reference.
func TestAffineNaNReLU(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		mr, nr := impl.DMR, impl.DNR
		for _, sh := range [][3]int{{2*mr + 3, 2*nr + 5, 7}, {3, 5, 4}, {4*mr + 1, 3*nr + 1, 40}, {1, 2*nr + 3, 9}} {
			m, n, k := sh[0], sh[1], sh[2]
			nanRows := map[int]bool{0: true, m - 1: true} // a full tile's row and an edge tile's
			nanCols := map[int]bool{n - 1: true}          // an edge column (bias NaN)
			a := make([]float64, m*k)
			b := make([]float64, k*n)
			bias := make([]float64, n)
			for i := range a {
				a[i] = math.Sin(float64(i)*1.3) - 0.1
			}
			for i := range b {
				b[i] = math.Cos(float64(i) * 0.7)
			}
			for j := range bias {
				bias[j] = 0.1 * float64(j%3-1)
			}
			for i := range nanRows {
				a[i*k+k/2] = math.NaN()
			}
			for j := range nanCols {
				bias[j] = math.NaN()
			}
			want := func(i, j int) float64 {
				if nanRows[i] || nanCols[j] {
					return 0
				}
				s := bias[j]
				for p := range k {
					s += a[i*k+p] * b[p*n+j]
				}
				return max(s, 0)
			}
			a32, b32, bias32 := make([]float32, len(a)), make([]float32, len(b)), make([]float32, n)
			for i, v := range a {
				a32[i] = float32(v)
			}
			for i, v := range b {
				b32[i] = float32(v)
			}
			for i, v := range bias {
				bias32[i] = float32(v)
			}
			for _, threads := range []int{1, 2} {
				withThreads(threads, func() {
					c := make([]float64, m*n)
					Affine64(gblas.NoTrans, gblas.NoTrans, blas64.General{Rows: m, Cols: k, Stride: k, Data: a},
						blas64.General{Rows: k, Cols: n, Stride: n, Data: b}, bias, true, blas64.General{Rows: m, Cols: n, Stride: n, Data: c})
					c32 := make([]float32, m*n)
					Affine32(gblas.NoTrans, gblas.NoTrans, blas32.General{Rows: m, Cols: k, Stride: k, Data: a32},
						blas32.General{Rows: k, Cols: n, Stride: n, Data: b32}, bias32, true, blas32.General{Rows: m, Cols: n, Stride: n, Data: c32})
					for i := range m {
						for j := range n {
							w := want(i, j)
							if got := c[i*n+j]; !(math.Abs(got-w) <= 1e-12*(1+math.Abs(w))) {
								t.Fatalf("float64 %dx%dx%d, %d threads: C[%d,%d] = %v, want %v", m, n, k, threads, i, j, got, w)
							}
							if got := float64(c32[i*n+j]); !(math.Abs(got-w) <= 1e-4*(1+math.Abs(w))) {
								t.Fatalf("float32 %dx%dx%d, %d threads: C[%d,%d] = %v, want %v", m, n, k, threads, i, j, got, w)
							}
						}
					}
				})
			}
		}
	})
}
