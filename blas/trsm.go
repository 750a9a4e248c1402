package blas

import (
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Strsm solves op(A) * X = alpha * B (s = Left, A m x m) or
// X * op(A) = alpha * B (s = Right, A n x n) for X, overwriting the m x n
// matrix B with X. A is triangular (ul says which triangle is stored; the
// other is not read), with a unit diagonal that is not read when d is
// Unit; op(A) is A or A^T as tA says. Arguments are checked in gonum's
// order and panic with gonum's messages.
//
// The triangle is split recursively; the off-diagonal blocks are GEMM
// updates, and diagonal blocks of at most 32 rows are solved by row
// operations on B.
func Strsm(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n int, alpha float32, a []float32, lda int, b []float32, ldb int) {
	if smallTri(m, n) {
		gonum.Implementation{}.Strsm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
		return
	}
	if checkTri(s, ul, tA, d, m, n, lda, ldb, len(a), len(b)) {
		return
	}
	trsm(level3s(), s == gblas.Left, ul == gblas.Lower, tA != gblas.NoTrans, d == gblas.Unit, m, n, alpha, a, lda, b, ldb)
}

// Dtrsm is Strsm in double precision.
func Dtrsm(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int) {
	if smallTri(m, n) {
		gonum.Implementation{}.Dtrsm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
		return
	}
	if checkTri(s, ul, tA, d, m, n, lda, ldb, len(a), len(b)) {
		return
	}
	trsm(level3d(), s == gblas.Left, ul == gblas.Lower, tA != gblas.NoTrans, d == gblas.Unit, m, n, alpha, a, lda, b, ldb)
}

// triNative is the order up to which Xtrsm and Xtrmm with both m and n
// that small run on gonum's native code, whose fixed cost is lower
// (measured on Zen 5: gonum ahead at 16 x 16, fastpath from 32 x 32).
// Tests set it to 0.
var triNative = 16

// smallTri reports whether a Xtrsm or Xtrmm is small enough for gonum's
// code. Invalid sizes go there too: gonum panics with the same messages.
func smallTri(m, n int) bool { return m <= triNative && n <= triNative }

// triangle describes op(A) for the triangular routines: whether op(A) is
// lower triangular, whether op(A) is A^T, whether its diagonal is unit.
type triangle struct {
	lower, trans, unit bool
}

// at returns op(A)[i][j].
func at[T float32 | float64](tr triangle, a []T, lda, i, j int) T {
	if tr.trans {
		return a[j*lda+i]
	}
	return a[i*lda+j]
}

// offDiag returns the offset in a of the off-diagonal block of op(A) split
// at h: op(A)[h:, :h] when op(A) is lower, op(A)[:h, h:] when upper. It
// lies in the stored triangle: below the diagonal when A is stored lower.
func (tr triangle) offDiag(h, lda int) int {
	if tr.lower != tr.trans {
		return h * lda
	}
	return h
}

// flip returns the description of op(A)^T.
func (tr triangle) flip() triangle { return triangle{!tr.lower, !tr.trans, tr.unit} }

func trsm[T float32 | float64](l level3[T], left, storedLower, trans, unit bool, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	if alpha == 0 {
		scaleRows(m, n, 0, b, ldb)
		return
	}
	tr := triangle{lower: storedLower != trans, trans: trans, unit: unit}
	if left {
		trsmLeft(l, tr, m, n, alpha, a, lda, b, ldb)
	} else {
		trsmRight(l, tr, m, n, alpha, a, lda, b, ldb)
	}
}

// trsmLeft solves op(A) X = alpha B, op(A) m x m.
func trsmLeft[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	if m <= l3Base {
		trsmLeftBase(l, tr, m, n, alpha, a, lda, b, ldb)
		return
	}
	h := split(m)
	off := tr.offDiag(h, lda)
	a22, b2 := a[h*lda+h:], b[h*ldb:]
	if tr.lower {
		trsmLeft(l, tr, h, n, alpha, a, lda, b, ldb)
		l.gemm(tr.trans, false, m-h, n, h, -1, a[off:], lda, b, ldb, alpha, b2, ldb)
		trsmLeft(l, tr, m-h, n, 1, a22, lda, b2, ldb)
	} else {
		trsmLeft(l, tr, m-h, n, alpha, a22, lda, b2, ldb)
		l.gemm(tr.trans, false, h, n, m-h, -1, a[off:], lda, b2, ldb, alpha, b, ldb)
		trsmLeft(l, tr, h, n, 1, a, lda, b, ldb)
	}
}

// trsmRight solves X op(A) = alpha B, op(A) n x n.
func trsmRight[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	if n <= l3Base {
		trsmRightBase(l, tr, m, n, alpha, a, lda, b, ldb)
		return
	}
	h := split(n)
	off := tr.offDiag(h, lda)
	a22, b2 := a[h*lda+h:], b[h:]
	if tr.lower {
		trsmRight(l, tr, m, n-h, alpha, a22, lda, b2, ldb)
		l.gemm(false, tr.trans, m, h, n-h, -1, b2, ldb, a[off:], lda, alpha, b, ldb)
		trsmRight(l, tr, m, h, 1, a, lda, b, ldb)
	} else {
		trsmRight(l, tr, m, h, alpha, a, lda, b, ldb)
		l.gemm(false, tr.trans, m, n-h, h, -1, b, ldb, a[off:], lda, alpha, b2, ldb)
		trsmRight(l, tr, m, n-h, 1, a22, lda, b2, ldb)
	}
}

// baseChunk is the width in bytes of the column chunks the diagonal-block
// loops work on, so that the block's rows stay in L1.
const baseChunk = 1024

// trsmLeftBase solves op(A) X = alpha B for a small op(A) by row
// operations on B, a chunk of columns at a time.
func trsmLeftBase[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	if !baseParallel(l, true, tr, m, n, alpha, a, lda, b, ldb) {
		trsmLeftChunks(l, tr, m, n, alpha, a, lda, b, ldb)
	}
}

// trsmLeftChunks is trsmLeftBase on one thread.
func trsmLeftChunks[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	cw := baseChunk / sizeOf[T]()
	for j0 := 0; j0 < n; j0 += cw {
		w := min(cw, n-j0)
		row := func(i int) []T { return b[i*ldb+j0 : i*ldb+j0+w] }
		for step := range m {
			i, lo, hi := step, 0, step // op(A) lower: rows above are solved first
			if !tr.lower {
				i, lo, hi = m-1-step, m-step, m
			}
			bi := row(i)
			if alpha != 1 {
				for j := range bi {
					bi[j] *= alpha
				}
			}
			for k := lo; k < hi; k++ {
				l.axpy(-at(tr, a, lda, i, k), row(k), bi)
			}
			if !tr.unit {
				inv := 1 / at(tr, a, lda, i, i)
				for j := range bi {
					bi[j] *= inv
				}
			}
		}
	}
}

// trsmRightBase solves X op(A) = alpha B for a small op(A): a chunk of
// rows of B at a time is transposed, solved as op(A)^T X^T = alpha B^T by
// trsmLeftBase, and transposed back.
func trsmRightBase[T float32 | float64](l level3[T], tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	cw := baseChunk / sizeOf[T]()
	t := l.scratch.get(n * cw)
	for i0 := 0; i0 < m; i0 += cw {
		r := min(cw, m-i0)
		transposeInto(t, r, b[i0*ldb:], ldb, r, n)
		trsmLeftBase(l, tr.flip(), n, r, alpha, a, lda, t, r)
		transposeInto(b[i0*ldb:], ldb, t, r, n, r)
	}
	l.scratch.put(t)
}
