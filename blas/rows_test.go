package blas

import (
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
)

// TestRowsPath checks the selection of the rows path (A not transposed, B
// transposed, alpha 1, beta 0, up to 128 rows padded by at most a
// sixteenth, the last panel of A's rows half-width where that suffices,
// or up to 8 rows past a whole panel on the dot kernel, depth from 256,
// enough row tiles of B) and products on it, with and without dot-kernel
// rows (one and two dot tiles of them, across tail tiles of B): row
// tiles of B cut at every edge (n not a multiple of 10: the zero-padded
// tail tile), one and several depth blocks (the block shortened to 64 and
// 100 so that small depths cross it), padded strides, NaN in C (not read),
// bias and ReLU (a NaN in a row of A gives +0 after the ReLU across that
// row), against the float64 reference and bit-identical at 1, 2, 3 and 7
// threads; the rows path off gives the same values to rounding.
func TestRowsPath(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		if impl.SgemmRows == nil {
			t.Skip("no row-reading kernel")
		}
		mr, nr := impl.SRowsMR, impl.SNR
		for _, c := range []struct {
			m, n, k int
			want    bool
		}{
			{128, 4000, 4000, true}, {32, 80, 256, true}, {64, 100, 300, true}, {120, 100, 300, true}, {62, 100, 300, true},
			{100, 4000, 4000, true}, {97, 4000, 4000, true}, {104, 4000, 4000, true}, {105, 4000, 4000, true}, {117, 4000, 4000, false}, {119, 4000, 4000, false}, {17, 80, 256, false}, {10, 4000, 4000, false}, {48, 100, 300, true}, {80, 100, 300, true},
			{129, 4000, 4000, false}, {128, 4000, 255, false}, {128, 8*mr - 1, 1000, false},
		} {
			if got := useRows(false, true, c.m, c.n, c.k, 1, 0, mr, nr, rowsDotMR(impl)); got != c.want {
				t.Errorf("useRows(%dx%dx%d) = %v, want %v", c.m, c.k, c.n, got, c.want)
			}
		}
		for _, v := range []struct {
			aT, bT      bool
			alpha, beta float32
		}{{true, true, 1, 0}, {false, false, 1, 0}, {false, true, 2, 0}, {false, true, 1, 1}} {
			if useRows(v.aT, v.bT, 128, 4000, 4000, v.alpha, v.beta, mr, nr, rowsDotMR(impl)) {
				t.Errorf("useRows takes aT=%v bT=%v alpha=%v beta=%v", v.aT, v.bT, v.alpha, v.beta)
			}
		}
		r := rand.New(rand.NewPCG(61, 62))
		prevKC := rowsMaxKC
		defer func() { rowsMaxKC = prevKC }()
		// With -short (the race detector's and QEMU's passes) each shape
		// runs at one of the depth blocks, in turn.
		kcs := []int{64, 100, 512, 1024}
		for si, sh := range [][3]int{{32, 81, 257}, {64, 99, 300}, {96, 333, 700}, {128, 95, 256}, {120, 200, 513}, {61, 80, 1100}, {48, 99, 300}, {80, 150, 600}, {112, 95, 256}, {78, 90, 400}, {100, 99, 300}, {36, 81, 257}, {66, 150, 600}, {99, 31 * mr, 700}, {104, 90, 300}, {38, 85, 260}} {
			for ki, kc := range kcs {
				if testing.Short() && ki != si%len(kcs) {
					continue
				}
				rowsMaxKC = kc
				m, n, k := sh[0], sh[1], sh[2]
				if !useRows(false, true, m, n, k, 1, 0, mr, nr, rowsDotMR(impl)) || useDot(false, true, m, n, k, impl.DotMR) {
					t.Fatalf("%dx%dx%d: not on the rows path", m, k, n)
				}
				g := newGemmCase(r, gblas.NoTrans, gblas.Trans, m, n, k, (m+n)%3, 1, 0)
				checkThreadCounts(t, g, true, 1, 2, 3, 7)
				// The same product off the rows path agrees to rounding
				// (check's bound holds for both).
				prev := rowsOff
				rowsOff = true
				checkThreadCounts(t, g, true, 2)
				rowsOff = prev
				checkAffineNT(t, r, m, n, k, 2, 1)
			}
		}
		// Steady-state calls allocate nothing (the workspaces are reused).
		m, n, k := 64, 400, 300
		a, b, c := make([]float32, m*k), make([]float32, n*k), make([]float32, m*n)
		for _, threads := range []int{1, 2} {
			withThreads(threads, func() {
				f := func() { Sgemm(gblas.NoTrans, gblas.Trans, m, n, k, 1, a, k, b, k, 0, c, n) }
				f()
				if got := testing.AllocsPerRun(10, f); got != 0 {
					t.Errorf("rows path, %d threads: %v allocations per call", threads, got)
				}
			})
		}
	})
}
