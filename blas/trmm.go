package blas

import (
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Strmm computes B = alpha * op(A) * B (s = Left, A m x m) or
// B = alpha * B * op(A) (s = Right, A n x n), B m x n, for a triangular A
// as in Strsm. Arguments are checked in gonum's order and panic with
// gonum's messages. The triangle is split recursively, as in Strsm.
func Strmm(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n int, alpha float32, a []float32, lda int, b []float32, ldb int) {
	if smallTri(m, n) {
		gonum.Implementation{}.Strmm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
		return
	}
	if checkTri(s, ul, tA, d, m, n, lda, ldb, len(a), len(b)) {
		return
	}
	trmm(level3s(), s == gblas.Left, ul == gblas.Lower, tA != gblas.NoTrans, d == gblas.Unit, m, n, alpha, a, lda, b, ldb)
}

// Dtrmm is Strmm in double precision.
func Dtrmm(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int) {
	if smallTri(m, n) {
		gonum.Implementation{}.Dtrmm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
		return
	}
	if checkTri(s, ul, tA, d, m, n, lda, ldb, len(a), len(b)) {
		return
	}
	trmm(level3d(), s == gblas.Left, ul == gblas.Lower, tA != gblas.NoTrans, d == gblas.Unit, m, n, alpha, a, lda, b, ldb)
}

func trmm[T float32 | float64](l level3[T], left, storedLower, trans, unit bool, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	if alpha == 0 {
		scaleRows(m, n, 0, b, ldb)
		return
	}
	tr := triangle{lower: storedLower != trans, trans: trans, unit: unit}
	if left {
		trmmLeft(l, tr, m, n, alpha, a, lda, b, ldb)
	} else {
		trmmRight(l, tr, m, n, alpha, a, lda, b, ldb)
	}
}

// trmmLeft sets B = alpha op(A) B, op(A) m x m. Each half of B is
// finished before the GEMM that reads the other half's original values.
func trmmLeft[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	if m <= l3Base {
		trmmLeftBase(l, tr, m, n, alpha, a, lda, b, ldb)
		return
	}
	h := split(m)
	off := tr.offDiag(h, lda)
	a22, b2 := a[h*lda+h:], b[h*ldb:]
	if tr.lower {
		// B2 = alpha (A21 B1 + A22 B2), then B1 = alpha A11 B1.
		trmmLeft(l, tr, m-h, n, alpha, a22, lda, b2, ldb)
		l.gemm(tr.trans, false, m-h, n, h, alpha, a[off:], lda, b, ldb, 1, b2, ldb)
		trmmLeft(l, tr, h, n, alpha, a, lda, b, ldb)
	} else {
		// B1 = alpha (A11 B1 + A12 B2), then B2 = alpha A22 B2.
		trmmLeft(l, tr, h, n, alpha, a, lda, b, ldb)
		l.gemm(tr.trans, false, h, n, m-h, alpha, a[off:], lda, b2, ldb, 1, b, ldb)
		trmmLeft(l, tr, m-h, n, alpha, a22, lda, b2, ldb)
	}
}

// trmmRight sets B = alpha B op(A), op(A) n x n.
func trmmRight[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	if n <= l3Base {
		trmmRightBase(l, tr, m, n, alpha, a, lda, b, ldb)
		return
	}
	h := split(n)
	off := tr.offDiag(h, lda)
	a22, b2 := a[h*lda+h:], b[h:]
	if tr.lower {
		// B1 = alpha (B1 L11 + B2 L21), then B2 = alpha B2 L22.
		trmmRight(l, tr, m, h, alpha, a, lda, b, ldb)
		l.gemm(false, tr.trans, m, h, n-h, alpha, b2, ldb, a[off:], lda, 1, b, ldb)
		trmmRight(l, tr, m, n-h, alpha, a22, lda, b2, ldb)
	} else {
		// B2 = alpha (B1 U12 + B2 U22), then B1 = alpha B1 U11.
		trmmRight(l, tr, m, n-h, alpha, a22, lda, b2, ldb)
		l.gemm(false, tr.trans, m, n-h, h, alpha, b, ldb, a[off:], lda, 1, b2, ldb)
		trmmRight(l, tr, m, h, alpha, a, lda, b, ldb)
	}
}

// trmmLeftBase sets B = alpha op(A) B for a small op(A) by row operations,
// a chunk of columns at a time: row i of the product needs rows k >= i
// (op(A) upper) or k <= i (lower) of B, so rows are finished in the order
// that leaves those unmodified.
func trmmLeftBase[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	if !baseParallel(l, false, tr, m, n, alpha, a, lda, b, ldb) {
		trmmLeftChunks(l, tr, m, n, alpha, a, lda, b, ldb)
	}
}

// trmmLeftChunks is trmmLeftBase on one thread.
func trmmLeftChunks[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	cw := baseChunk / sizeOf[T]()
	for j0 := 0; j0 < n; j0 += cw {
		w := min(cw, n-j0)
		row := func(i int) []T { return b[i*ldb+j0 : i*ldb+j0+w] }
		for step := range m {
			i, lo, hi := step, step+1, m // op(A) upper: ascending rows
			if tr.lower {
				i, lo, hi = m-1-step, 0, m-1-step
			}
			bi := row(i)
			d := alpha
			if !tr.unit {
				d *= at(tr, a, lda, i, i)
			}
			if d != 1 {
				for j := range bi {
					bi[j] *= d
				}
			}
			for k := lo; k < hi; k++ {
				l.axpy(alpha*at(tr, a, lda, i, k), row(k), bi)
			}
		}
	}
}

// trmmRightBase sets B = alpha B op(A) for a small op(A): op(A) is
// expanded into a full n x n scratch matrix (zeros outside the triangle,
// ones on a unit diagonal), and chunks of rows of B are multiplied by it
// with GEMM into scratch space and copied back. GEMM does twice the flops
// of the triangle, at its own speed; row operations would need the rows of
// B transposed (measured slower: QR at n = 300, whose blocked update
// multiplies tall m x 32 panels from the right).
func trmmRightBase[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	const rows = 256
	t := l.scratch.get(n*n + min(m, rows)*n)
	full, c := t[:n*n], t[n*n:]
	for i := range n {
		for j := range n {
			var v T
			switch {
			case i == j && tr.unit:
				v = 1
			case i == j || (i > j) == tr.lower:
				v = at(tr, a, lda, i, j)
			}
			full[i*n+j] = v
		}
	}
	for i0 := 0; i0 < m; i0 += rows {
		r := min(rows, m-i0)
		l.gemm(false, false, r, n, n, alpha, b[i0*ldb:], ldb, full, n, 0, c, n)
		for i := range r {
			copy(b[(i0+i)*ldb:(i0+i)*ldb+n], c[i*n:(i+1)*n])
		}
	}
	l.scratch.put(t)
}
