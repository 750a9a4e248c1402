package blas

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
)

// TestPackedB32: products with a pre-packed operand match a float64
// reference for both layouts of B, every epilogue (bias, ReLU,
// accumulate), full and edge tiles and leading dimensions above the row
// length; MulSplit gives Mul's bits; a packed operand is reused across
// products with different left operands.
func TestPackedB32(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		mr := asm.Current().SMR
		for _, sh := range [][3]int{{1, 1, 1}, {16, 101, 100}, {2*mr + 3, 37, 45}, {30, 5, 70}, {mr, 64, 33}, {37, 19, 3*asm.Current().SNR + 5}, {9, 7, 4 * asm.Current().SNR}} {
			m, k, n := sh[0], sh[1], sh[2]
			for _, tB := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
				ldb := n + 3
				if tB == gblas.Trans {
					ldb = k + 2
				}
				rowsB := k
				if tB == gblas.Trans {
					rowsB = n
				}
				b := randSlice(r, rowsB*ldb)
				var p PackedB32
				p.Pack(tB, k, n, b, ldb, m)
				bAt := func(q, j int) float64 {
					if tB == gblas.Trans {
						return float64(b[j*ldb+q])
					}
					return float64(b[q*ldb+j])
				}
				var ws PackedWorkspace32
				for trial := range 2 { // the same packed B, two left operands
					lda, ldc := k+1, n+2
					a := randSlice(r, m*lda)
					bias := randSlice(r, n)
					for _, fl := range []struct{ bias, relu, acc bool }{{false, false, false}, {true, true, false}, {false, false, true}, {true, false, true}, {false, true, false}, {false, true, true}, {true, true, true}, {true, false, false}} {
						c0 := randSlice(r, m*ldc)
						c := append([]float32(nil), c0...)
						var bs []float32
						if fl.bias {
							bs = bias
						}
						p.Mul(&ws, m, a, lda, c, ldc, bs, fl.relu, fl.acc)
						for i := range m {
							for j := range n {
								var s float64
								for q := range k {
									s += float64(a[i*lda+q]) * bAt(q, j)
								}
								if fl.acc {
									s += float64(c0[i*ldc+j])
								}
								if fl.bias {
									s += float64(bias[j])
								}
								if fl.relu {
									s = math.Max(s, 0)
								}
								if got := float64(c[i*ldc+j]); math.Abs(got-s) > 1e-4*(1+math.Abs(s))*math.Sqrt(float64(k)) {
									t.Fatalf("%v %v trial %d %+v: C[%d,%d] = %v, want %v", sh, tB, trial, fl, i, j, got, s)
								}
							}
							for j := n; j < ldc && i < m-1; j++ {
								if c[i*ldc+j] != c0[i*ldc+j] {
									t.Fatalf("%v: padding C[%d,%d] changed", sh, i, j)
								}
							}
						}
						for _, th := range []int{2, 3} {
							withThreads(th, func() {
								split := append([]float32(nil), c0...)
								p.MulSplit(make([]PackedWorkspace32, th), m, a, lda, split, ldc, bs, fl.relu, fl.acc)
								for i := range c {
									if math.Float32bits(split[i]) != math.Float32bits(c[i]) {
										t.Fatalf("%v %+v, %d threads: MulSplit differs from Mul at %d", sh, fl, th, i)
									}
								}
							})
						}
					}
				}
			}
		}
	})
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// TestPackedB32Allocs: a product allocates nothing once its workspace has
// grown.
func TestPackedB32Allocs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var p PackedB32
	b := randSlice(r, 100*100)
	p.Pack(gblas.NoTrans, 100, 100, b, 100, 16)
	a, c := randSlice(r, 16*100), make([]float32, 16*100)
	var ws PackedWorkspace32
	p.Mul(&ws, 16, a, 100, c, 100, nil, true, false)
	if n := testing.AllocsPerRun(20, func() { p.Mul(&ws, 16, a, 100, c, 100, nil, true, false) }); n != 0 {
		t.Errorf("%v allocations per Mul", n)
	}
}

// TestPackedB32Panics: bad arguments panic with blas: messages before any
// work.
func TestPackedB32Panics(t *testing.T) {
	var p PackedB32
	var ws PackedWorkspace32
	b := make([]float32, 20)
	for _, c := range []struct {
		want string
		f    func()
	}{
		{errPackedEmpty, func() { p.Mul(&ws, 1, b, 4, b, 5, nil, false, false) }},
		{errPackedShape, func() { p.Pack(gblas.NoTrans, 0, 5, b, 5, 1) }},
		{errPackedShape, func() { p.Pack(gblas.NoTrans, 4, 5, b, 4, 1) }},
		{shortB, func() { p.Pack(gblas.NoTrans, 5, 5, b, 5, 1) }},
		{badTranspose, func() { p.Pack('x', 4, 5, b, 5, 1) }},
	} {
		func() {
			defer func() {
				if r := recover(); r != c.want {
					t.Errorf("panic %v, want %q", r, c.want)
				}
			}()
			c.f()
		}()
	}
	p.Pack(gblas.NoTrans, 4, 5, b, 5, 1)
	for _, c := range []struct {
		want string
		f    func()
	}{
		{badLdA, func() { p.Mul(&ws, 1, b, 3, b, 5, nil, false, false) }},
		{badLdC, func() { p.Mul(&ws, 1, b, 4, b, 4, nil, false, false) }},
		{shortA, func() { p.Mul(&ws, 6, b, 4, make([]float32, 30), 5, nil, false, false) }},
		{shortC, func() { p.Mul(&ws, 4, b, 4, b[:14], 5, nil, false, false) }},
		{shortBias, func() { p.Mul(&ws, 1, b, 4, b, 5, b[:4], false, false) }},
		{errPackedWorkspace, func() { p.MulSplit(nil, 1, b, 4, b, 5, nil, false, false) }},
	} {
		func() {
			defer func() {
				if r := recover(); r != c.want {
					t.Errorf("panic %v, want %q", r, c.want)
				}
			}()
			c.f()
		}()
	}
}
