package blas

import (
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Ssymm computes C = alpha * A * B + beta * C (s = Left, A m x m) or
// C = alpha * B * A + beta * C (s = Right, A n x n) for a symmetric A of
// which only the ul triangle is read; B and C are m x n. When beta is zero
// C is not read. Arguments are checked in gonum's order and panic with
// gonum's messages.
//
// Panels of whole rows of A are expanded from the stored triangle into
// scratch space and multiplied by GEMM.
func Ssymm(s gblas.Side, ul gblas.Uplo, m, n int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if smallSymm(s, m, n) {
		gonum.Implementation{}.Ssymm(s, ul, m, n, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if checkSymm(s, ul, m, n, lda, ldb, ldc, len(a), len(b), len(c)) {
		return
	}
	symm(level3s(), s == gblas.Left, ul == gblas.Lower, m, n, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dsymm is Ssymm in double precision.
func Dsymm(s gblas.Side, ul gblas.Uplo, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if smallSymm(s, m, n) {
		gonum.Implementation{}.Dsymm(s, ul, m, n, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if checkSymm(s, ul, m, n, lda, ldb, ldc, len(a), len(b), len(c)) {
		return
	}
	symm(level3d(), s == gblas.Left, ul == gblas.Lower, m, n, alpha, a, lda, b, ldb, beta, c, ldc)
}

// symmNative bounds m*n times the order of A below which Xsymm runs on
// gonum's code, whose fixed cost is lower: measured on Zen 5 (Dsymm, left,
// m = n), gonum 1.24x faster at 8, fastpath 1.35x faster at 12. Invalid
// sizes go there too: gonum panics with the same messages. Tests set it
// to 0.
var symmNative = 1000

// smallSymm reports whether a SYMM is small enough for gonum's code.
func smallSymm(s gblas.Side, m, n int) bool {
	ka := n
	if s == gblas.Left {
		ka = m
	}
	return m < 0 || n < 0 || m*n*ka < symmNative
}

// symmPanel is the number of rows of A expanded at a time.
var symmPanel = 128

func symm[T float32 | float64](l level3[T], left, lower bool, m, n int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if alpha == 0 {
		if beta != 1 {
			scaleRows(m, n, beta, c, ldc)
		}
		return
	}
	k := n // order of A
	if left {
		k = m
	}
	p := l.scratch.get(min(symmPanel, k) * k)
	for r0 := 0; r0 < k; r0 += symmPanel {
		r := min(symmPanel, k-r0)
		expandSym(p, lower, r0, r, k, a, lda)
		if left {
			// Rows r0..r0+r of C = alpha P B + beta C.
			l.gemm(false, false, r, n, m, alpha, p, k, b, ldb, beta, c[r0*ldc:], ldc)
		} else {
			// Columns r0..r0+r of C = alpha B P^T + beta C (A = A^T).
			l.gemm(false, true, m, r, n, alpha, b, ldb, p, k, beta, c[r0:], ldc)
		}
	}
	l.scratch.put(p)
}

// expandSym writes rows r0..r0+r of the symmetric k x k matrix whose lower
// (or upper) triangle is stored in a into p (r x k, rows k apart).
func expandSym[T float32 | float64](p []T, lower bool, r0, r, k int, a []T, lda int) {
	for i := r0; i < r0+r; i++ {
		row := p[(i-r0)*k : (i-r0+1)*k]
		if lower {
			copy(row[:i+1], a[i*lda:i*lda+i+1])
			for j := i + 1; j < k; j++ {
				row[j] = a[j*lda+i]
			}
		} else {
			for j := 0; j < i; j++ {
				row[j] = a[j*lda+i]
			}
			copy(row[i:], a[i*lda+i:i*lda+k])
		}
	}
}
