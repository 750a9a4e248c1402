package blas

import gblas "gonum.org/v1/gonum/blas"

// Sgemm computes C = alpha * op(A) * op(B) + beta * C, where op(X) is X or
// X^T as tA and tB say, op(A) is m x k, op(B) is k x n and C is m x n, all
// row-major with leading dimensions lda, ldb, ldc. When beta is zero, C is
// not read. Arguments are checked as gonum checks them.
func Sgemm(tA, tB gblas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	aT, bT := checkGemm(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c))
	naiveGemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm is Sgemm in double precision.
func Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	aT, bT := checkGemm(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c))
	naiveGemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// naiveGemm is the triple loop with BLAS semantics; a placeholder until the
// packed engine lands.
func naiveGemm[T float32 | float64](aT, bT bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s T
			if alpha != 0 {
				for p := 0; p < k; p++ {
					var x, y T
					if aT {
						x = a[p*lda+i]
					} else {
						x = a[i*lda+p]
					}
					if bT {
						y = b[j*ldb+p]
					} else {
						y = b[p*ldb+j]
					}
					s += x * y
				}
				s *= alpha
			}
			if beta != 0 {
				s += beta * c[i*ldc+j]
			}
			c[i*ldc+j] = s
		}
	}
}
