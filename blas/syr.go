package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Ssyr computes the ul triangle of A += alpha * x * x^T for a symmetric
// n x n A, as gonum's Ssyr: each stored row is one axpy on the asm kernels
// (x gathered once when strided). Orders below 48 (where a call per row
// costs more than gonum's loops) and invalid arguments run on gonum's
// code, which checks and panics with its own messages.
func Ssyr(ul gblas.Uplo, n int, alpha float32, x []float32, incX int, a []float32, lda int) {
	if !fastSyr(ul, n, lda, incX, 1, len(x), n, len(a)) || alpha == 0 {
		gonum.Implementation{}.Ssyr(ul, n, alpha, x, incX, a, lda)
		return
	}
	syr(&scratch32, asm.Current().SAxpy, ul == gblas.Upper, n, alpha, x, incX, nil, 0, a, lda)
}

// Dsyr is Ssyr in double precision.
func Dsyr(ul gblas.Uplo, n int, alpha float64, x []float64, incX int, a []float64, lda int) {
	if !fastSyr(ul, n, lda, incX, 1, len(x), n, len(a)) || alpha == 0 {
		gonum.Implementation{}.Dsyr(ul, n, alpha, x, incX, a, lda)
		return
	}
	syr(&scratch64, asm.Current().DAxpy, ul == gblas.Upper, n, alpha, x, incX, nil, 0, a, lda)
}

// Ssyr2 computes the ul triangle of A += alpha * (x * y^T + y * x^T), as
// gonum's Ssyr2, with two axpys per stored row and the same hand-over as
// Ssyr.
func Ssyr2(ul gblas.Uplo, n int, alpha float32, x []float32, incX int, y []float32, incY int, a []float32, lda int) {
	if !fastSyr(ul, n, lda, incX, incY, len(x), len(y), len(a)) || alpha == 0 {
		gonum.Implementation{}.Ssyr2(ul, n, alpha, x, incX, y, incY, a, lda)
		return
	}
	syr(&scratch32, asm.Current().SAxpy, ul == gblas.Upper, n, alpha, x, incX, y, incY, a, lda)
}

// Dsyr2 is Ssyr2 in double precision.
func Dsyr2(ul gblas.Uplo, n int, alpha float64, x []float64, incX int, y []float64, incY int, a []float64, lda int) {
	if !fastSyr(ul, n, lda, incX, incY, len(x), len(y), len(a)) || alpha == 0 {
		gonum.Implementation{}.Dsyr2(ul, n, alpha, x, incX, y, incY, a, lda)
		return
	}
	syr(&scratch64, asm.Current().DAxpy, ul == gblas.Upper, n, alpha, x, incX, y, incY, a, lda)
}

// syrNative is the order below which SYR and SYR2 run on gonum's code
// (measured on Zen 5, Dsyr2 upper: gonum ahead at n = 16, level at 32,
// fastpath ahead from 64: 1.08 against 1.61 us; n = 500: 48 against 145
// us). Tests set it to 0.
var syrNative = 48

func fastSyr(ul gblas.Uplo, n, lda, incX, incY, lenX, lenY, lenA int) bool {
	return (ul == gblas.Upper || ul == gblas.Lower) && n >= max(syrNative, 1) && lda >= n &&
		incX != 0 && incY != 0 && lenX > (n-1)*abs(incX) && lenY > (n-1)*abs(incY) && lenA >= lda*(n-1)+n
}

// syr adds alpha*x_i*x[lo:hi] (y == nil) or alpha*x_i*y[lo:hi] +
// alpha*y_i*x[lo:hi] to the stored part lo..hi of each row i.
func syr[T gemvFloat](sc *scratchList[T], axpy func(alpha T, x, y []T), upper bool, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int) {
	buf := sc.get(2 * n)
	xs, ys := x[:n:n], buf[n:]
	if incX != 1 {
		xs = buf[:n]
		gather(xs, x, incX)
	}
	if y != nil {
		if incY == 1 {
			ys = y[:n:n]
		} else {
			gather(ys, y, incY)
		}
	}
	for i := range n {
		lo, hi := i, n
		if !upper {
			lo, hi = 0, i+1
		}
		row := a[i*lda+lo : i*lda+hi]
		if y == nil {
			axpy(alpha*xs[i], xs[lo:hi], row)
			continue
		}
		axpy(alpha*xs[i], ys[lo:hi], row)
		axpy(alpha*ys[i], xs[lo:hi], row)
	}
	sc.put(buf)
}
