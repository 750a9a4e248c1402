//go:build !purego && !noasm

package asm

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// hasAVX512 reports whether the AVX-512 micro-kernels can run: they use
// AVX-512F instructions on zmm registers (x/sys/cpu folds OS support for the
// opmask and ZMM state into HasAVX512F), and the implementation keeps the
// AVX2+FMA kernels for everything but GEMM.
var hasAVX512 = hasAVX2FMA && cpu.X86.HasAVX512F

// AVX-512 micro-kernel shapes. fp32 10x32: twenty zmm accumulators (10 rows
// x 2 vectors of 16), two for the B row, four rotating broadcasts of A; per
// k step 2 loads of B, 10 broadcasts, 20 FMAs. Ten rows rather than the
// register file's limit of 14 make the batch-100 training shapes whole
// multiples of MR. fp64 10x16 is the same register plan with 8 lanes.
const (
	avx512SMR, avx512SNR = 10, 32
	avx512DMR, avx512DNR = 10, 16
	// avx512SMRAlt x avx512SNR is the alternative fp32 shape: rows 8 and 9
	// of the register plan left out, for a batch of 16 (the 10-row kernel
	// would compute 20 rows).
	avx512SMRAlt = 8
	// avx512DMRAlt x avx512DNR is the alternative fp64 shape, likewise, for
	// LAPACK's 64-row panels (the 10-row kernel would compute 70 rows).
	avx512DMRAlt = 8
)

// sgemmAVX512Asm is sgemmMicroRef with mr = 10, nr = 32 on raw pointers:
// a holds k*10 values, b k*32, c ten rows of 32 with leading dimension ldc
// (in elements), bias 32 values when flags has AddBias.
//
//go:noescape
func sgemmAVX512Asm(k int, a, b, c *float32, ldc int, bias *float32, flags GemmFlags)

// sgemmStridedAVX512Asm is sgemmStridedMicroRef with mr = 10, nr = 32 on
// raw pointers: b holds k rows of 32 values, ldb elements apart.
//
//go:noescape
func sgemmStridedAVX512Asm(k int, a, b *float32, ldb int, c *float32, ldc int, bias *float32, flags GemmFlags, pf *float32, pfRows int)

// sgemmRowsAVX512Asm is sgemmRowsRef with mr = 10, nr = 32 on raw
// pointers: a holds ten rows of k values, lda elements apart, each
// contiguous along the depth (broadcast one value a step, as the 10x32
// kernel broadcasts its packed A); b holds k rows of 32 values.
//
//go:noescape
func sgemmRowsAVX512Asm(k int, a *float32, lda int, b, c *float32, ldc int, flags GemmFlags)

// sgemmRowsAVX512 checks its operands and runs the 10x32 row-reading
// kernel.
func sgemmRowsAVX512(k int, a []float32, lda int, b, c []float32, ldc int, flags GemmFlags) {
	checkRows(avx512SMR, avx512SNR, k, len(a), lda, len(b), len(c), ldc, flags)
	sgemmRowsAVX512Asm(k, unsafe.SliceData(a), lda, unsafe.SliceData(b), unsafe.SliceData(c), ldc, flags)
}

// sgemmRowsHalfAVX512Asm is sgemmRowsRef with mr = 10, nr = 16: the
// row-reading kernel on one vector of B (a last panel of A's rows of at
// most 16, half the padding of a 32-wide one).
//
//go:noescape
func sgemmRowsHalfAVX512Asm(k int, a *float32, lda int, b, c *float32, ldc int, flags GemmFlags)

// sgemmRowsHalfAVX512 checks its operands and runs the 10x16 row-reading
// kernel.
func sgemmRowsHalfAVX512(k int, a []float32, lda int, b, c []float32, ldc int, flags GemmFlags) {
	checkRows(avx512SMR, avx512SNR/2, k, len(a), lda, len(b), len(c), ldc, flags)
	sgemmRowsHalfAVX512Asm(k, unsafe.SliceData(a), lda, unsafe.SliceData(b), unsafe.SliceData(c), ldc, flags)
}

// dgemmAVX512Asm is dgemmMicroRef with mr = 10, nr = 16 on raw pointers.
//
//go:noescape
func dgemmAVX512Asm(k int, a, b, c *float64, ldc int, bias *float64, flags GemmFlags)

// dgemmStridedAVX512Asm is dgemmStridedMicroRef with mr = 10, nr = 16 on
// raw pointers: b holds k rows of 16 values, ldb elements apart.
//
//go:noescape
func dgemmStridedAVX512Asm(k int, a, b *float64, ldb int, c *float64, ldc int, bias *float64, flags GemmFlags, pf *float64, pfRows int)

// sgemmAVX512 checks its operands and runs the 10x32 float32 micro-kernel.
func sgemmAVX512(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags) {
	checkGemmScaleC(avx512SMR, avx512SNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	sgemmAVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags)
}

// sgemmDescendAVX512Asm is sgemmDescendRef with mr = 10, nr = 32 on raw
// pointers: w holds ten rows of 32 values ldc apart, coef beta, lr and
// wd.
//
//go:noescape
func sgemmDescendAVX512Asm(k int, a, b, c *float32, ldc int, coef *float32, flags GemmFlags, w *float32)

// sgemmDescendAVX512 checks its operands and runs the 10x32 descent
// kernel.
func sgemmDescendAVX512(k int, a, b, c []float32, ldc int, w, coef []float32, flags GemmFlags) {
	checkGemmDescend(avx512SMR, avx512SNR, k, len(a), len(b), len(c), ldc, len(w), len(coef), flags, true)
	sgemmDescendAVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, unsafe.SliceData(coef), flags, unsafe.SliceData(w))
}

// sgemmStridedAVX512 checks its operands and runs the 10x32 float32
// micro-kernel that reads B in place.
func sgemmStridedAVX512(k int, a, b []float32, ldb int, c []float32, ldc int, bias []float32, flags GemmFlags, pf []float32, pfRows int) {
	checkStrided(avx512SMR, avx512SNR, k, len(a), len(b), ldb, len(c), ldc, len(bias), flags)
	checkPrefetch(len(pf), ldb, pfRows)
	sgemmStridedAVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags, unsafe.SliceData(pf), pfRows)
}

// dgemmAVX512 checks its operands and runs the 10x16 float64 micro-kernel.
func dgemmAVX512(k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags) {
	checkGemm(avx512DMR, avx512DNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	dgemmAVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags)
}

// dgemmStridedAVX512 checks its operands and runs the 10x16 float64
// micro-kernel that reads B in place.
func dgemmStridedAVX512(k int, a, b []float64, ldb int, c []float64, ldc int, bias []float64, flags GemmFlags, pf []float64, pfRows int) {
	checkStrided(avx512DMR, avx512DNR, k, len(a), len(b), ldb, len(c), ldc, len(bias), flags)
	checkPrefetch(len(pf), ldb, pfRows)
	dgemmStridedAVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags, unsafe.SliceData(pf), pfRows)
}

// dgemm8AVX512Asm is dgemmMicroRef with mr = 8, nr = 16 on raw pointers.
//
//go:noescape
func dgemm8AVX512Asm(k int, a, b, c *float64, ldc int, bias *float64, flags GemmFlags)

// dgemmStrided8AVX512Asm is dgemmStridedMicroRef with mr = 8, nr = 16 on
// raw pointers.
//
//go:noescape
func dgemmStrided8AVX512Asm(k int, a, b *float64, ldb int, c *float64, ldc int, bias *float64, flags GemmFlags, pf *float64, pfRows int)

// dgemm8AVX512 checks its operands and runs the 8x16 float64 micro-kernel.
func dgemm8AVX512(k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags) {
	checkGemm(avx512DMRAlt, avx512DNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	dgemm8AVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags)
}

// dgemmStrided8AVX512 checks its operands and runs the 8x16 float64
// micro-kernel that reads B in place.
func dgemmStrided8AVX512(k int, a, b []float64, ldb int, c []float64, ldc int, bias []float64, flags GemmFlags, pf []float64, pfRows int) {
	checkStrided(avx512DMRAlt, avx512DNR, k, len(a), len(b), ldb, len(c), ldc, len(bias), flags)
	checkPrefetch(len(pf), ldb, pfRows)
	dgemmStrided8AVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags, unsafe.SliceData(pf), pfRows)
}

// sgemm8AVX512Asm is sgemmMicroRef with mr = 8, nr = 32 on raw pointers.
//
//go:noescape
func sgemm8AVX512Asm(k int, a, b, c *float32, ldc int, bias *float32, flags GemmFlags)

// sgemmStrided8AVX512Asm is sgemmStridedMicroRef with mr = 8, nr = 32 on
// raw pointers.
//
//go:noescape
func sgemmStrided8AVX512Asm(k int, a, b *float32, ldb int, c *float32, ldc int, bias *float32, flags GemmFlags, pf *float32, pfRows int)

// sgemm8AVX512 checks its operands and runs the 8x32 float32 micro-kernel.
func sgemm8AVX512(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags) {
	checkGemmScaleC(avx512SMRAlt, avx512SNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	sgemm8AVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags)
}

// sgemmStrided8AVX512 checks its operands and runs the 8x32 float32
// micro-kernel that reads B in place.
func sgemmStrided8AVX512(k int, a, b []float32, ldb int, c []float32, ldc int, bias []float32, flags GemmFlags, pf []float32, pfRows int) {
	checkStrided(avx512SMRAlt, avx512SNR, k, len(a), len(b), ldb, len(c), ldc, len(bias), flags)
	checkPrefetch(len(pf), ldb, pfRows)
	sgemmStrided8AVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags, unsafe.SliceData(pf), pfRows)
}

// sgemmHalfAVX512Asm is sgemmHalfRef with mr = 10, nr = 32 on raw
// pointers: ten rows of 16 columns from the first halves of the B
// micro-panel's rows (128 bytes apart).
//
//go:noescape
func sgemmHalfAVX512Asm(k int, a, b, c *float32, ldc int)

// sgemmHalf8AVX512Asm is sgemmHalfRef with mr = 8, nr = 32 on raw
// pointers.
//
//go:noescape
func sgemmHalf8AVX512Asm(k int, a, b, c *float32, ldc int)

// sgemmHalfAVX512 checks its operands and runs the 10x16 half-width kernel.
func sgemmHalfAVX512(k int, a, b, c []float32, ldc int) {
	checkHalf(avx512SMR, avx512SNR, k, len(a), len(b), len(c), ldc)
	sgemmHalfAVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc)
}

// sgemmHalf8AVX512 checks its operands and runs the 8x16 half-width kernel.
func sgemmHalf8AVX512(k int, a, b, c []float32, ldc int) {
	checkHalf(avx512SMRAlt, avx512SNR, k, len(a), len(b), len(c), ldc)
	sgemmHalf8AVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc)
}

// sgemmHalfMaskAVX512Asm is sgemmHalfMaskRef with mr = 10, half = 16 on raw
// pointers: b holds k rows of at least cols values, ldb elements apart.
//
//go:noescape
func sgemmHalfMaskAVX512Asm(k int, a, b *float32, ldb int, c *float32, ldc int, cols int)

// sgemmHalfMask8AVX512Asm is sgemmHalfMaskRef with mr = 8, half = 16.
//
//go:noescape
func sgemmHalfMask8AVX512Asm(k int, a, b *float32, ldb int, c *float32, ldc int, cols int)

// sgemmHalfMaskAVX512 checks its operands and runs the 10x16 masked
// in-place half-width kernel.
func sgemmHalfMaskAVX512(k int, a, b []float32, ldb int, c []float32, ldc, cols int) {
	checkHalfMask(avx512SMR, avx512SNR/2, k, len(a), len(b), ldb, len(c), ldc, cols)
	sgemmHalfMaskAVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, cols)
}

// sgemmHalfMask8AVX512 checks its operands and runs the 8x16 masked
// in-place half-width kernel.
func sgemmHalfMask8AVX512(k int, a, b []float32, ldb int, c []float32, ldc, cols int) {
	checkHalfMask(avx512SMRAlt, avx512SNR/2, k, len(a), len(b), ldb, len(c), ldc, cols)
	sgemmHalfMask8AVX512Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, cols)
}
