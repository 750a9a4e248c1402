package blas

import (
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// Convenience API on gonum's matrix views, used by fastpath's own packages.
// The views are used in place: nothing is copied.

// Gemm32 computes C = alpha*op(A)*op(B) + beta*C on gonum views. It panics
// with "blas: dimension mismatch" unless op(A) is C.Rows x K, op(B) is
// K x C.Cols.
func Gemm32(tA, tB gblas.Transpose, alpha float32, a, b blas32.General, beta float32, c blas32.General) {
	m, n, k := gemmDims(tA, tB, a.Rows, a.Cols, b.Rows, b.Cols, c.Rows, c.Cols)
	Sgemm(tA, tB, m, n, k, alpha, a.Data, max(a.Stride, 1), b.Data, max(b.Stride, 1), beta, c.Data, max(c.Stride, 1))
}

// Gemm64 is Gemm32 in double precision.
func Gemm64(tA, tB gblas.Transpose, alpha float64, a, b blas64.General, beta float64, c blas64.General) {
	m, n, k := gemmDims(tA, tB, a.Rows, a.Cols, b.Rows, b.Cols, c.Rows, c.Cols)
	Dgemm(tA, tB, m, n, k, alpha, a.Data, max(a.Stride, 1), b.Data, max(b.Stride, 1), beta, c.Data, max(c.Stride, 1))
}

// Affine32 computes C = op(A)*op(B) + 1*bias^T, bias being added to every
// row of C, then applies ReLU (x > 0 ? x : 0) when relu is true: the forward
// pass of a dense layer, fused into the GEMM's last k block so that C is
// written once. bias may be nil (no bias). C is not read.
func Affine32(tA, tB gblas.Transpose, a, b blas32.General, bias []float32, relu bool, c blas32.General) {
	m, n, k := gemmDims(tA, tB, a.Rows, a.Cols, b.Rows, b.Cols, c.Rows, c.Cols)
	aT, bT := checkGemm(tA, tB, m, n, k, max(a.Stride, 1), max(b.Stride, 1), max(c.Stride, 1), len(a.Data), len(b.Data), len(c.Data))
	if bias != nil && len(bias) < n {
		panic(shortBias)
	}
	sgemm(aT, bT, m, n, k, 1, a.Data, max(a.Stride, 1), b.Data, max(b.Stride, 1), 0, c.Data, max(c.Stride, 1), bias, relu)
}

// Affine64 is Affine32 in double precision.
func Affine64(tA, tB gblas.Transpose, a, b blas64.General, bias []float64, relu bool, c blas64.General) {
	m, n, k := gemmDims(tA, tB, a.Rows, a.Cols, b.Rows, b.Cols, c.Rows, c.Cols)
	aT, bT := checkGemm(tA, tB, m, n, k, max(a.Stride, 1), max(b.Stride, 1), max(c.Stride, 1), len(a.Data), len(b.Data), len(c.Data))
	if bias != nil && len(bias) < n {
		panic(shortBias)
	}
	dgemm(aT, bT, m, n, k, 1, a.Data, max(a.Stride, 1), b.Data, max(b.Stride, 1), 0, c.Data, max(c.Stride, 1), bias, relu)
}

// gemmDims returns m, n, k for views of op(A), op(B) and C, panicking on a
// dimension mismatch.
func gemmDims(tA, tB gblas.Transpose, ar, ac, br, bc, cr, cc int) (m, n, k int) {
	if tA != gblas.NoTrans {
		ar, ac = ac, ar
	}
	if tB != gblas.NoTrans {
		br, bc = bc, br
	}
	if ac != br || ar != cr || bc != cc {
		panic(badDims)
	}
	return cr, cc, ac
}
