//go:build !purego && !noasm

package asm

import "unsafe"

// avx2DotMR, avx2DotNR: the AVX2 dot kernel's tile, 2 x 4 (sixteen ymm
// registers: eight accumulators, two rows of A, a row of B and the depth
// mask).
const avx2DotMR, avx2DotNR = 2, 4

// sgemmDotAVX2Asm is sgemmDotRef on raw pointers (strides in elements):
// rows (1..2) x cols (1..4) of C.
//
//go:noescape
func sgemmDotAVX2Asm(k int, a *float32, lda, rows int, b *float32, ldb, cols int, c *float32, ldc int, bias *float32, alpha float32, flags GemmFlags)

// sgemmDotAVX2 checks its operands and runs the AVX2 fp32 dot kernel.
func sgemmDotAVX2(rows, cols, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, bias []float32, alpha float32, flags GemmFlags) {
	checkDot(avx2DotMR, avx2DotNR, rows, cols, k, len(a), lda, len(b), ldb, len(c), ldc, len(bias), flags)
	sgemmDotAVX2Asm(k, unsafe.SliceData(a), lda, rows, unsafe.SliceData(b), ldb, cols, unsafe.SliceData(c), ldc, unsafe.SliceData(bias), alpha, flags)
}
