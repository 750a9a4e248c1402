package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Strsv solves op(A) * x = b for a triangular n x n A (ul, tA and d as in
// Strsm), b given in x and overwritten by the solution, as gonum's Strsv.
// Each row of A takes part in one dot product (the rows of op(A) that are
// rows of A) or one axpy (those that are columns), on the asm kernels.
// Orders below 64 and invalid arguments run on gonum's code, which checks
// and panics with its own messages.
func Strsv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float32, lda int, x []float32, incX int) {
	if !fastTrv(ul, tA, d, n, lda, incX, len(a), len(x)) {
		gonum.Implementation{}.Strsv(ul, tA, d, n, a, lda, x, incX)
		return
	}
	impl := asm.Current()
	trv(&scratch32, impl.SDot, impl.SAxpy, true, ul == gblas.Upper, tA != gblas.NoTrans, d == gblas.Unit, n, a, lda, x, incX)
}

// Dtrsv is Strsv in double precision.
func Dtrsv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float64, lda int, x []float64, incX int) {
	if !fastTrv(ul, tA, d, n, lda, incX, len(a), len(x)) {
		gonum.Implementation{}.Dtrsv(ul, tA, d, n, a, lda, x, incX)
		return
	}
	impl := asm.Current()
	trv(&scratch64, impl.DDot, impl.DAxpy, true, ul == gblas.Upper, tA != gblas.NoTrans, d == gblas.Unit, n, a, lda, x, incX)
}

// Strmv computes x = op(A) * x for a triangular n x n A, as gonum's Strmv,
// with the same kernels and hand-over as Strsv.
func Strmv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float32, lda int, x []float32, incX int) {
	if !fastTrv(ul, tA, d, n, lda, incX, len(a), len(x)) {
		gonum.Implementation{}.Strmv(ul, tA, d, n, a, lda, x, incX)
		return
	}
	impl := asm.Current()
	trv(&scratch32, impl.SDot, impl.SAxpy, false, ul == gblas.Upper, tA != gblas.NoTrans, d == gblas.Unit, n, a, lda, x, incX)
}

// Dtrmv is Strmv in double precision.
func Dtrmv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float64, lda int, x []float64, incX int) {
	if !fastTrv(ul, tA, d, n, lda, incX, len(a), len(x)) {
		gonum.Implementation{}.Dtrmv(ul, tA, d, n, a, lda, x, incX)
		return
	}
	impl := asm.Current()
	trv(&scratch64, impl.DDot, impl.DAxpy, false, ul == gblas.Upper, tA != gblas.NoTrans, d == gblas.Unit, n, a, lda, x, incX)
}

// trvNative is the order below which TRSV and TRMV run on gonum's code.
// Tests set it to 0.
var trvNative = 64

func fastTrv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n, lda, incX, lenA, lenX int) bool {
	return (ul == gblas.Upper || ul == gblas.Lower) && (tA == gblas.NoTrans || tA == gblas.Trans || tA == gblas.ConjTrans) &&
		(d == gblas.Unit || d == gblas.NonUnit) && n >= max(trvNative, 2) && lda >= n && incX != 0 &&
		lenA >= lda*(n-1)+n && lenX > (n-1)*abs(incX)
}

// trv solves (solve) or multiplies by op(A), A upper or lower. Row i of A
// is a[i*lda : i*lda+n]; its off-diagonal part is i+1..n (upper) or 0..i
// (lower). When op(A) = A the rows are used in dot products with x, when
// op(A) = A^T in axpys into x, each in the order that reads only the
// elements of x still needed.
func trv[T gemvFloat](sc *scratchList[T], dot func(x, y []T) T, axpy func(alpha T, x, y []T),
	solve, upper, trans, unit bool, n int, a []T, lda int, x []T, incX int) {
	xs := x[:n:n]
	var buf []T
	if incX != 1 {
		buf = sc.get(n)
		xs = buf
		gather(xs, x, incX)
	}
	off := func(i int) (lo, hi int) {
		if upper {
			return i + 1, n
		}
		return 0, i
	}
	diag := func(i int) T {
		if unit {
			return 1
		}
		return a[i*lda+i]
	}
	// Rows in ascending order when the rows used are those below i's
	// unknowns (upper, multiply; lower, solve) for dot products; the
	// reverse for axpys.
	ascending := upper != solve
	if trans {
		ascending = !ascending
	}
	for step := range n {
		i := step
		if !ascending {
			i = n - 1 - step
		}
		lo, hi := off(i)
		row := a[i*lda+lo : i*lda+hi]
		switch {
		case !trans && solve:
			xs[i] = (xs[i] - dot(row, xs[lo:hi])) / diag(i)
		case !trans:
			xs[i] = diag(i)*xs[i] + dot(row, xs[lo:hi])
		case solve:
			xs[i] /= diag(i)
			axpy(-xs[i], row, xs[lo:hi])
		default:
			axpy(xs[i], row, xs[lo:hi])
			xs[i] *= diag(i)
		}
	}
	if buf != nil {
		scatter(x, xs, incX)
		sc.put(buf)
	}
}
