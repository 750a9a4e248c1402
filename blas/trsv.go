package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Strsv solves op(A) * x = b for a triangular n x n A (ul, tA and d as in
// Strsm), b given in x and overwritten by the solution, as gonum's Strsv.
// Each row of A takes part in one dot product (the rows of op(A) that are
// rows of A) or one axpy (those that are columns), four rows at a time in
// one pass of the four-row GEMV kernels (asm.Impl.SGemvN4, SGemvT4).
// Orders below 48 and invalid arguments run on gonum's code, which checks
// and panics with its own messages.
func Strsv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float32, lda int, x []float32, incX int) {
	if !fastTrv(ul, tA, d, n, lda, incX, len(a), len(x)) {
		gonum.Implementation{}.Strsv(ul, tA, d, n, a, lda, x, incX)
		return
	}
	impl := asm.Current()
	trv(&scratch32, trvKernels32(impl), true, ul == gblas.Upper, tA != gblas.NoTrans, d == gblas.Unit, n, a, lda, x, incX)
}

// Dtrsv is Strsv in double precision.
func Dtrsv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float64, lda int, x []float64, incX int) {
	if !fastTrv(ul, tA, d, n, lda, incX, len(a), len(x)) {
		gonum.Implementation{}.Dtrsv(ul, tA, d, n, a, lda, x, incX)
		return
	}
	impl := asm.Current()
	trv(&scratch64, trvKernels64(impl), true, ul == gblas.Upper, tA != gblas.NoTrans, d == gblas.Unit, n, a, lda, x, incX)
}

// Strmv computes x = op(A) * x for a triangular n x n A, as gonum's Strmv,
// with the same kernels and hand-over as Strsv.
func Strmv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float32, lda int, x []float32, incX int) {
	if !fastTrv(ul, tA, d, n, lda, incX, len(a), len(x)) {
		gonum.Implementation{}.Strmv(ul, tA, d, n, a, lda, x, incX)
		return
	}
	impl := asm.Current()
	trv(&scratch32, trvKernels32(impl), false, ul == gblas.Upper, tA != gblas.NoTrans, d == gblas.Unit, n, a, lda, x, incX)
}

// Dtrmv is Strmv in double precision.
func Dtrmv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n int, a []float64, lda int, x []float64, incX int) {
	if !fastTrv(ul, tA, d, n, lda, incX, len(a), len(x)) {
		gonum.Implementation{}.Dtrmv(ul, tA, d, n, a, lda, x, incX)
		return
	}
	impl := asm.Current()
	trv(&scratch64, trvKernels64(impl), false, ul == gblas.Upper, tA != gblas.NoTrans, d == gblas.Unit, n, a, lda, x, incX)
}

// trvNative is the order below which TRSV and TRMV run on gonum's code:
// on a Zen 5 core, gonum's Dtrsv takes 130-190 ns at n = 16 against
// 195-220 for trv, a draw at 32, and 10-40% longer from 48 on.
// Tests set it to 0.
var trvNative = 48

func fastTrv(ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, n, lda, incX, lenA, lenX int) bool {
	return (ul == gblas.Upper || ul == gblas.Lower) && (tA == gblas.NoTrans || tA == gblas.Trans || tA == gblas.ConjTrans) &&
		(d == gblas.Unit || d == gblas.NonUnit) && n >= max(trvNative, 2) && lda >= n && incX != 0 &&
		lenA >= lda*(n-1)+n && lenX > (n-1)*abs(incX)
}

// trv solves (solve) or multiplies by op(A), A upper or lower. Row i of A
// is a[i*lda : i*lda+n]; its off-diagonal part is i+1..n (upper) or 0..i
// (lower). When op(A) = A the rows are used in dot products with x, when
// op(A) = A^T in axpys into x, each in the order that reads only the
// elements of x still needed. Rows go four at a time: the columns the four
// share outside their diagonal block in one pass of a four-row kernel
// (gemvN4: four dot products; gemvT4: four axpys), the 4 x 4 diagonal
// block in scalar code; the rows left over one at a time (dot, axpy).
func trv[T gemvFloat](sc *scratchList[T], k trvKernels[T],
	solve, upper, trans, unit bool, n int, a []T, lda int, x []T, incX int) {
	// buf holds the gathered x (strided x) after the four-element vectors
	// passed to the kernels (on the stack they would escape to the heap).
	buf := sc.get(8 + n)
	d, alpha := (*[4]T)(buf[0:4]), (*[4]T)(buf[4:8])
	xs := x[:n:n]
	if incX != 1 {
		xs = buf[8 : 8+n]
		gather(xs, x, incX)
	}
	// Rows in ascending order when the rows used are those below i's
	// unknowns (upper, multiply; lower, solve) for dot products; the
	// reverse for axpys.
	ascending := upper != solve
	if trans {
		ascending = !ascending
	}
	step := 0
	for ; step+4 <= n; step += 4 {
		b := step // the block is rows b..b+3, taken in processing order
		if !ascending {
			b = n - 4 - step
		}
		lo, hi := b+4, n // the columns all four share
		if !upper {
			lo, hi = 0, b
		}
		blk := a[b*lda+lo:]
		*d = [4]T{}
		switch {
		case !trans:
			if hi > lo {
				k.gemvN4(hi-lo, blk, lda, xs[lo:hi], d)
			}
		case !solve && hi > lo:
			// The axpys with the block's elements of x before they change.
			*alpha = [4]T{xs[b], xs[b+1], xs[b+2], xs[b+3]}
			k.gemvT4(hi-lo, blk, lda, alpha, xs[lo:hi])
		}
		// The diagonal block, row by row in processing order, each row's
		// off-diagonal part within the block.
		for s := range 4 {
			r := s
			if !ascending {
				r = 3 - s
			}
			i := b + r
			l, h := r+1, 4 // the row's off-diagonal columns within the block
			if !upper {
				l, h = 0, r
			}
			row := a[i*lda+b : i*lda+b+4]
			blkX := xs[b : b+4]
			di := T(1)
			if !unit {
				di = row[r]
			}
			switch {
			case !trans:
				var sum T
				for j := l; j < h; j++ {
					sum += row[j] * blkX[j]
				}
				if solve {
					blkX[r] = (blkX[r] - d[r] - sum) / di
				} else {
					blkX[r] = di*blkX[r] + d[r] + sum
				}
			case solve:
				blkX[r] /= di
				for j := l; j < h; j++ {
					blkX[j] -= blkX[r] * row[j]
				}
			default:
				for j := l; j < h; j++ {
					blkX[j] += blkX[r] * row[j]
				}
				blkX[r] *= di
			}
		}
		if trans && solve && hi > lo {
			// The block's unknowns are known: their axpys.
			*alpha = [4]T{-xs[b], -xs[b+1], -xs[b+2], -xs[b+3]}
			k.gemvT4(hi-lo, blk, lda, alpha, xs[lo:hi])
		}
	}
	// The rows left over (fewer than four), one at a time.
	for ; step < n; step++ {
		i := step
		if !ascending {
			i = n - 1 - step
		}
		lo, hi := i+1, n
		if !upper {
			lo, hi = 0, i
		}
		seg := a[i*lda+lo : i*lda+hi]
		di := T(1)
		if !unit {
			di = a[i*lda+i]
		}
		switch {
		case !trans && solve:
			xs[i] = (xs[i] - k.dot(seg, xs[lo:hi])) / di
		case !trans:
			xs[i] = di*xs[i] + k.dot(seg, xs[lo:hi])
		case solve:
			xs[i] /= di
			k.axpy(-xs[i], seg, xs[lo:hi])
		default:
			k.axpy(xs[i], seg, xs[lo:hi])
			xs[i] *= di
		}
	}
	if incX != 1 {
		scatter(x, xs, incX)
	}
	sc.put(buf)
}

// trvKernels are one precision's kernels for trv.
type trvKernels[T gemvFloat] struct {
	dot    func(x, y []T) T
	axpy   func(alpha T, x, y []T)
	gemvN4 func(n int, a []T, lda int, x []T, y *[4]T)
	gemvT4 func(n int, a []T, lda int, alpha *[4]T, y []T)
}

func trvKernels32(impl *asm.Impl) trvKernels[float32] {
	return trvKernels[float32]{impl.SDot, impl.SAxpy, impl.SGemvN4, impl.SGemvT4}
}

func trvKernels64(impl *asm.Impl) trvKernels[float64] {
	return trvKernels[float64]{impl.DDot, impl.DAxpy, impl.DGemvN4, impl.DGemvT4}
}
