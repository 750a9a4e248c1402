package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// TestAffine32 checks the fused bias+ReLU GEMM against GEMM followed by a
// separate bias and ReLU pass in float64, across block edges and threads.
func TestAffine32(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(11, 12))
		for _, threads := range []int{1, 2} {
			withThreads(threads, func() {
				withBlocking(2, 8, 2, func() {
					gemmPoolTestHook(func() {
						for _, tA := range transposes {
							for _, tB := range transposes {
								for _, sh := range [][3]int{{1, 1, 1}, {7, 17, 9}, {13, 35, 30}, {30, 3, 0}} {
									for _, relu := range []bool{false, true} {
										g := newGemmCase(r, tA, tB, sh[0], sh[1], sh[2], 1, 1, 0)
										g.relu = relu
										g.bias = make([]float64, g.n)
										bias32 := make([]float32, g.n)
										for j := range bias32 {
											bias32[j] = float32(r.NormFloat64())
											g.bias[j] = float64(bias32[j])
										}
										a, b, c := g.slices()
										for i := range c {
											if c[i] != -999 {
												c[i] = float32(math.NaN()) // C is not read
											}
										}
										ar, ac, br, bc := g.m, g.k, g.k, g.n
										if tA != gblas.NoTrans {
											ar, ac = ac, ar
										}
										if tB != gblas.NoTrans {
											br, bc = bc, br
										}
										Affine32(tA, tB,
											blas32.General{Rows: ar, Cols: ac, Stride: g.lda, Data: a},
											blas32.General{Rows: br, Cols: bc, Stride: g.ldb, Data: b},
											bias32, relu,
											blas32.General{Rows: g.m, Cols: g.n, Stride: g.ldc, Data: c})
										g.check(t, true)
									}
								}
							}
						}
					})
				})
			})
		}
	})
}

func TestGeneralDims(t *testing.T) {
	a := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: make([]float32, 6)}
	b := blas32.General{Rows: 4, Cols: 2, Stride: 2, Data: make([]float32, 8)}
	c := blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float32, 4)}
	defer func() {
		if r := recover(); r != badDims {
			t.Fatalf("panic = %v, want %q", r, badDims)
		}
	}()
	Gemm32(gblas.NoTrans, gblas.NoTrans, 1, a, b, 0, c)
}

func ExampleAffine32() {
	// A dense layer's forward pass for a batch of two inputs:
	// Y = relu(X W^T + b), X is 2x3, W is 2x3 (outputs x inputs).
	x := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: []float32{1, 2, 3, -1, -2, -3}}
	w := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: []float32{1, 0, 1, 0, 1, 0}}
	y := blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float32, 4)}
	Affine32(gblas.NoTrans, gblas.Trans, x, w, []float32{0.5, -1}, true, y)
	fmt.Println(y.Data)
	// Output: [4.5 1 0 0]
}
