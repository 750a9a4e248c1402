//go:build !purego && !noasm

package asm

// The four-row GEMV kernels on ymm registers (AVX2+FMA). The dot products
// keep eight accumulators (four rows, two vectors each), so their partial
// sums are added in a different order from the generic loop: results agree
// within the usual n-scaled rounding bound. The axpys use one fused
// multiply-add per row and element, in the generic loop's order, rounding
// once where the generic loop (without GOAMD64=v3) rounds twice.

// sgemvN4AVX2Asm is sgemvN4Generic's loop (arguments checked by the caller).
//
//go:noescape
func sgemvN4AVX2Asm(n int, a *float32, lda int, x *float32, y *[4]float32)

// dgemvN4AVX2Asm is dgemvN4Generic's loop (arguments checked by the caller).
//
//go:noescape
func dgemvN4AVX2Asm(n int, a *float64, lda int, x *float64, y *[4]float64)

// sgemvT4AVX2Asm is sgemvT4Generic's loop (arguments checked by the caller).
//
//go:noescape
func sgemvT4AVX2Asm(n int, a *float32, lda int, alpha *[4]float32, y *float32)

// dgemvT4AVX2Asm is dgemvT4Generic's loop (arguments checked by the caller).
//
//go:noescape
func dgemvT4AVX2Asm(n int, a *float64, lda int, alpha *[4]float64, y *float64)

func sgemvN4AVX2(n int, a []float32, lda int, x []float32, y *[4]float32) {
	checkGemv4(n, len(a), lda, len(x))
	if n == 0 {
		*y = [4]float32{}
		return
	}
	sgemvN4AVX2Asm(n, &a[0], lda, &x[0], y)
}

func dgemvN4AVX2(n int, a []float64, lda int, x []float64, y *[4]float64) {
	checkGemv4(n, len(a), lda, len(x))
	if n == 0 {
		*y = [4]float64{}
		return
	}
	dgemvN4AVX2Asm(n, &a[0], lda, &x[0], y)
}

func sgemvT4AVX2(n int, a []float32, lda int, alpha *[4]float32, y []float32) {
	checkGemv4(n, len(a), lda, len(y))
	if n == 0 {
		return
	}
	sgemvT4AVX2Asm(n, &a[0], lda, alpha, &y[0])
}

func dgemvT4AVX2(n int, a []float64, lda int, alpha *[4]float64, y []float64) {
	checkGemv4(n, len(a), lda, len(y))
	if n == 0 {
		return
	}
	dgemvT4AVX2Asm(n, &a[0], lda, alpha, &y[0])
}

// ssymv4AVX2Asm is ssymv4Generic's loop (arguments checked by the caller): one
// pass over the four rows, x and z, the rows read from L1 twice (once per
// fused multiply-add).
//
//go:noescape
func ssymv4AVX2Asm(n int, a *float32, lda int, x, z *float32, alpha, dot *[4]float32)

// dsymv4AVX2Asm is dsymv4Generic's loop (arguments checked by the caller).
//
//go:noescape
func dsymv4AVX2Asm(n int, a *float64, lda int, x, z *float64, alpha, dot *[4]float64)

func ssymv4AVX2(n int, a []float32, lda int, x, z []float32, alpha, dot *[4]float32) {
	checkGemv4(n, len(a), lda, min(len(x), len(z)))
	if n == 0 {
		*dot = [4]float32{}
		return
	}
	ssymv4AVX2Asm(n, &a[0], lda, &x[0], &z[0], alpha, dot)
}

func dsymv4AVX2(n int, a []float64, lda int, x, z []float64, alpha, dot *[4]float64) {
	checkGemv4(n, len(a), lda, min(len(x), len(z)))
	if n == 0 {
		*dot = [4]float64{}
		return
	}
	dsymv4AVX2Asm(n, &a[0], lda, &x[0], &z[0], alpha, dot)
}
