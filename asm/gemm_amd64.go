//go:build !purego && !noasm

package asm

import "unsafe"

// AVX2+FMA micro-kernel shapes. fp32 6x16: twelve ymm accumulators (6 rows
// x 2 vectors of 8), two for the B row, two for broadcasts of A; per k step
// 2 loads of B, 6 broadcasts, 12 FMAs. fp64 6x8 is the same register plan
// with 4 lanes per vector.
const (
	avx2SMR, avx2SNR = 6, 16
	avx2LowMR        = 4 // the 4-row kernels for a last row panel of 1-4 rows
	avx2DMR, avx2DNR = 6, 8
)

// sgemmAVX2Asm is sgemmMicroRef with mr = 6, nr = 16 on raw pointers:
// a holds k*6 values, b k*16, c six rows of 16 with leading dimension ldc
// (in elements), bias 16 values when flags has AddBias.
//
//go:noescape
func sgemmAVX2Asm(k int, a, b, c *float32, ldc int, bias *float32, flags GemmFlags)

// sgemmStridedAVX2Asm is sgemmStridedMicroRef with mr = 6, nr = 16 on
// raw pointers: b holds k rows of 16 values, ldb elements apart.
//
//go:noescape
func sgemmStridedAVX2Asm(k int, a, b *float32, ldb int, c *float32, ldc int, bias *float32, flags GemmFlags, pf *float32, pfRows int)

// sgemmLowAVX2Asm is sgemmLowRef with mr = 6, nr = 16, low = 4 on raw
// pointers: a holds k*6 values, b k*16, c four rows of 16 with leading
// dimension ldc (in elements).
//
//go:noescape
func sgemmLowAVX2Asm(k int, a, b, c *float32, ldc int)

// sgemmStridedLowAVX2Asm is sgemmLowAVX2Asm reading B in place: b holds k
// rows of 16 values, ldb elements apart; the first min(pfRows, k) steps,
// rounded down to a multiple of four, prefetch one line each of the rows
// pf, pf+ldb, ... into L2 (as sgemmStridedAVX2Asm).
//
//go:noescape
func sgemmStridedLowAVX2Asm(k int, a, b *float32, ldb int, c *float32, ldc int, pf *float32, pfRows int)

// dgemmAVX2Asm is dgemmMicroRef with mr = 6, nr = 8 on raw pointers.
//
//go:noescape
func dgemmAVX2Asm(k int, a, b, c *float64, ldc int, bias *float64, flags GemmFlags)

// dgemmStridedAVX2Asm is dgemmStridedMicroRef with mr = 6, nr = 8 on raw
// pointers: b holds k rows of 8 values, ldb elements apart.
//
//go:noescape
func dgemmStridedAVX2Asm(k int, a, b *float64, ldb int, c *float64, ldc int, bias *float64, flags GemmFlags, pf *float64, pfRows int)

// sgemmAVX2 checks its operands and runs the 6x16 float32 micro-kernel.
func sgemmAVX2(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags) {
	checkGemmScaleC(avx2SMR, avx2SNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	sgemmAVX2Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags)
}

// sgemmDescendAVX2Asm is sgemmDescendRef with mr = 6, nr = 16 on raw
// pointers: w holds six rows of 16 values ldc apart, coef beta, lr and wd.
//
//go:noescape
func sgemmDescendAVX2Asm(k int, a, b, c *float32, ldc int, coef *float32, flags GemmFlags, w *float32)

// sgemmDescendAVX2 checks its operands and runs the 6x16 descent kernel.
func sgemmDescendAVX2(k int, a, b, c []float32, ldc int, w, coef []float32, flags GemmFlags) {
	checkGemmDescend(avx2SMR, avx2SNR, k, len(a), len(b), len(c), ldc, len(w), len(coef), flags, true)
	sgemmDescendAVX2Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, unsafe.SliceData(coef), flags, unsafe.SliceData(w))
}

// sgemmStridedAVX2 checks its operands and runs the 6x16 float32
// micro-kernel that reads B in place.
func sgemmStridedAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, bias []float32, flags GemmFlags, pf []float32, pfRows int) {
	checkStrided(avx2SMR, avx2SNR, k, len(a), len(b), ldb, len(c), ldc, len(bias), flags)
	checkPrefetch(len(pf), ldb, pfRows)
	sgemmStridedAVX2Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags, unsafe.SliceData(pf), pfRows)
}

// sgemmLowAVX2 checks its operands and runs the 4-row float32 kernel.
func sgemmLowAVX2(k int, a, b, c []float32, ldc int) {
	checkLow(avx2SMR, avx2SNR, avx2LowMR, k, len(a), len(b), avx2SNR, len(c), ldc)
	sgemmLowAVX2Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc)
}

// sgemmStridedLowAVX2 checks its operands and runs the 4-row float32
// kernel that reads B in place.
func sgemmStridedLowAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, pf []float32, pfRows int) {
	checkLow(avx2SMR, avx2SNR, avx2LowMR, k, len(a), len(b), ldb, len(c), ldc)
	checkPrefetch(len(pf), ldb, pfRows)
	sgemmStridedLowAVX2Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, unsafe.SliceData(pf), pfRows)
}

// dgemmAVX2 checks its operands and runs the 6x8 float64 micro-kernel.
func dgemmAVX2(k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags) {
	checkGemm(avx2DMR, avx2DNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	dgemmAVX2Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags)
}

// dgemmStridedAVX2 checks its operands and runs the 6x8 float64 micro-kernel
// that reads B in place.
func dgemmStridedAVX2(k int, a, b []float64, ldb int, c []float64, ldc int, bias []float64, flags GemmFlags, pf []float64, pfRows int) {
	checkStrided(avx2DMR, avx2DNR, k, len(a), len(b), ldb, len(c), ldc, len(bias), flags)
	checkPrefetch(len(pf), ldb, pfRows)
	dgemmStridedAVX2Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, unsafe.SliceData(bias), flags, unsafe.SliceData(pf), pfRows)
}

// sgemmHalfAVX2Asm is sgemmHalfRef with mr = 6, nr = 16 on raw pointers:
// six rows of 8 columns from the first halves of the B micro-panel's rows
// (64 bytes apart).
//
//go:noescape
func sgemmHalfAVX2Asm(k int, a, b, c *float32, ldc int)

// sgemmHalfAVX2 checks its operands and runs the 6x8 half-width kernel.
func sgemmHalfAVX2(k int, a, b, c []float32, ldc int) {
	checkHalf(avx2SMR, avx2SNR, k, len(a), len(b), len(c), ldc)
	sgemmHalfAVX2Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc)
}

// sgemmHalfMaskAVX2Asm is sgemmHalfMaskRef with mr = 6, half = 8 on raw
// pointers: b holds k rows of at least cols values, ldb elements apart.
//
//go:noescape
func sgemmHalfMaskAVX2Asm(k int, a, b *float32, ldb int, c *float32, ldc int, cols int)

// sgemmHalfMaskAVX2 checks its operands and runs the 6x8 masked in-place
// half-width kernel.
func sgemmHalfMaskAVX2(k int, a, b []float32, ldb int, c []float32, ldc, cols int) {
	checkHalfMask(avx2SMR, avx2SNR/2, k, len(a), len(b), ldb, len(c), ldc, cols)
	sgemmHalfMaskAVX2Asm(k, unsafe.SliceData(a), unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, cols)
}
