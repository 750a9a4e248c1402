package blas

import (
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is a gonum BLAS backend: it satisfies gonum's blas.Float32
// and blas.Float64 interfaces, running the routines fastpath accelerates on
// fastpath's engine (Level 3: Xgemm, Xtrsm, Xtrmm, Xsyrk, Xsyr2k, Xsymm;
// Level 2: Xgemv, Xsymv, Xger, Xsyr, Xsyr2, Xtrsv, Xtrmv; Level 1: Xdot,
// Xaxpy, Ixamax, Xscal, Xasum, Xnrm2, Xswap, Xrot) and every other
// routine on gonum's native implementation, which it embeds. Its zero value is
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

// Strsm solves a triangular system with the package-level Strsm.
func (Implementation) Strsm(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n int, alpha float32, a []float32, lda int, b []float32, ldb int) {
	Strsm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
}

// Dtrsm solves a triangular system with the package-level Dtrsm.
func (Implementation) Dtrsm(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int) {
	Dtrsm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
}

// Strmm multiplies by a triangular matrix with the package-level Strmm.
func (Implementation) Strmm(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n int, alpha float32, a []float32, lda int, b []float32, ldb int) {
	Strmm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
}

// Dtrmm multiplies by a triangular matrix with the package-level Dtrmm.
func (Implementation) Dtrmm(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int) {
	Dtrmm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
}

// Ssyrk is the package-level Ssyrk.
func (Implementation) Ssyrk(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float32, a []float32, lda int, beta float32, c []float32, ldc int) {
	Ssyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
}

// Dsyrk is the package-level Dsyrk.
func (Implementation) Dsyrk(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float64, a []float64, lda int, beta float64, c []float64, ldc int) {
	Dsyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
}

// Ssyr2k is the package-level Ssyr2k.
func (Implementation) Ssyr2k(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	Ssyr2k(ul, tA, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dsyr2k is the package-level Dsyr2k.
func (Implementation) Dsyr2k(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	Dsyr2k(ul, tA, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Ssymm is the package-level Ssymm.
func (Implementation) Ssymm(s gblas.Side, ul gblas.Uplo, m, n int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	Ssymm(s, ul, m, n, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dsymm is the package-level Dsymm.
func (Implementation) Dsymm(s gblas.Side, ul gblas.Uplo, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	Dsymm(s, ul, m, n, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sdot is the package-level Sdot.
func (Implementation) Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	return Sdot(n, x, incX, y, incY)
}

// Ddot is the package-level Ddot.
func (Implementation) Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	return Ddot(n, x, incX, y, incY)
}

// Saxpy is the package-level Saxpy.
func (Implementation) Saxpy(n int, alpha float32, x []float32, incX int, y []float32, incY int) {
	Saxpy(n, alpha, x, incX, y, incY)
}

// Daxpy is the package-level Daxpy.
func (Implementation) Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	Daxpy(n, alpha, x, incX, y, incY)
}

// Ssymv is the package-level Ssymv.
func (Implementation) Ssymv(ul gblas.Uplo, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	Ssymv(ul, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Dsymv is the package-level Dsymv.
func (Implementation) Dsymv(ul gblas.Uplo, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	Dsymv(ul, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Sger is the package-level Sger.
func (Implementation) Sger(m, n int, alpha float32, x []float32, incX int, y []float32, incY int, a []float32, lda int) {
	Sger(m, n, alpha, x, incX, y, incY, a, lda)
}

// Dger is the package-level Dger.
func (Implementation) Dger(m, n int, alpha float64, x []float64, incX int, y []float64, incY int, a []float64, lda int) {
	Dger(m, n, alpha, x, incX, y, incY, a, lda)
}

// Idamax is the package-level Idamax.
func (Implementation) Idamax(n int, x []float64, incX int) int { return Idamax(n, x, incX) }

// Strsv is the package-level Strsv.
func (Implementation) Strsv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float32, lda int, x []float32, incX int) {
	Strsv(ul, tA, d, n, a, lda, x, incX)
}

// Dtrsv is the package-level Dtrsv.
func (Implementation) Dtrsv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float64, lda int, x []float64, incX int) {
	Dtrsv(ul, tA, d, n, a, lda, x, incX)
}

// Strmv is the package-level Strmv.
func (Implementation) Strmv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float32, lda int, x []float32, incX int) {
	Strmv(ul, tA, d, n, a, lda, x, incX)
}

// Dtrmv is the package-level Dtrmv.
func (Implementation) Dtrmv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float64, lda int, x []float64, incX int) {
	Dtrmv(ul, tA, d, n, a, lda, x, incX)
}

// Ssyr is the package-level Ssyr.
func (Implementation) Ssyr(ul gblas.Uplo, n int, alpha float32, x []float32, incX int, a []float32, lda int) {
	Ssyr(ul, n, alpha, x, incX, a, lda)
}

// Dsyr is the package-level Dsyr.
func (Implementation) Dsyr(ul gblas.Uplo, n int, alpha float64, x []float64, incX int, a []float64, lda int) {
	Dsyr(ul, n, alpha, x, incX, a, lda)
}

// Ssyr2 is the package-level Ssyr2.
func (Implementation) Ssyr2(ul gblas.Uplo, n int, alpha float32, x []float32, incX int, y []float32, incY int, a []float32, lda int) {
	Ssyr2(ul, n, alpha, x, incX, y, incY, a, lda)
}

// Dsyr2 is the package-level Dsyr2.
func (Implementation) Dsyr2(ul gblas.Uplo, n int, alpha float64, x []float64, incX int, y []float64, incY int, a []float64, lda int) {
	Dsyr2(ul, n, alpha, x, incX, y, incY, a, lda)
}

// Dscal is the package-level Dscal.
func (Implementation) Dscal(n int, alpha float64, x []float64, incX int) { Dscal(n, alpha, x, incX) }

// Dasum is the package-level Dasum.
func (Implementation) Dasum(n int, x []float64, incX int) float64 { return Dasum(n, x, incX) }

// Dnrm2 is the package-level Dnrm2.
func (Implementation) Dnrm2(n int, x []float64, incX int) float64 { return Dnrm2(n, x, incX) }

// Sscal is the package-level Sscal.
func (Implementation) Sscal(n int, alpha float32, x []float32, incX int) { Sscal(n, alpha, x, incX) }

// Sasum is the package-level Sasum.
func (Implementation) Sasum(n int, x []float32, incX int) float32 { return Sasum(n, x, incX) }

// Snrm2 is the package-level Snrm2.
func (Implementation) Snrm2(n int, x []float32, incX int) float32 { return Snrm2(n, x, incX) }

// Isamax is the package-level Isamax.
func (Implementation) Isamax(n int, x []float32, incX int) int { return Isamax(n, x, incX) }

// Sswap is the package-level Sswap.
func (Implementation) Sswap(n int, x []float32, incX int, y []float32, incY int) {
	Sswap(n, x, incX, y, incY)
}

// Dswap is the package-level Dswap.
func (Implementation) Dswap(n int, x []float64, incX int, y []float64, incY int) {
	Dswap(n, x, incX, y, incY)
}

// Srot is the package-level Srot.
func (Implementation) Srot(n int, x []float32, incX int, y []float32, incY int, c, s float32) {
	Srot(n, x, incX, y, incY, c, s)
}

// Drot is the package-level Drot.
func (Implementation) Drot(n int, x []float64, incX int, y []float64, incY int, c, s float64) {
	Drot(n, x, incX, y, incY, c, s)
}
