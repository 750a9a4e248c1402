package blas

import (
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is a gonum BLAS backend: it satisfies gonum's blas.Float32
// and blas.Float64 interfaces, running the routines fastpath accelerates
// (Sgemm, Dgemm, Sgemv, Dgemv) on fastpath's engine and every other routine
// on gonum's native implementation, which it embeds. Its zero value is
// ready to use:
//
//	blas32.Use(blas.Implementation{})
//	blas64.Use(blas.Implementation{})
//
// after which every gonum mat product goes through fastpath. Arguments are
// checked in gonum's order and panic with gonum's messages.
type Implementation struct {
	gonum.Implementation
}

var (
	_ gblas.Float32 = Implementation{}
	_ gblas.Float64 = Implementation{}
)

// Sgemm computes C = alpha * op(A) * op(B) + beta * C with the package-level
// Sgemm.
func (Implementation) Sgemm(tA, tB gblas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm computes C = alpha * op(A) * op(B) + beta * C with the package-level
// Dgemm.
func (Implementation) Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemv computes y = alpha * op(A) * x + beta * y with the package-level
// Sgemv.
func (Implementation) Sgemv(tA gblas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Dgemv computes y = alpha * op(A) * x + beta * y with the package-level
// Dgemv.
func (Implementation) Dgemv(tA gblas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}
