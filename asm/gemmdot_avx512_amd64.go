//go:build !purego && !noasm

package asm

import "unsafe"

// avx512DotMR, avx512DotNR: the AVX-512 dot kernel's tile, 4 x 4.
const avx512DotMR, avx512DotNR = 4, 4

// sgemmDotAVX512Asm is sgemmDotRef on raw pointers (strides in elements):
// rows (1..4) x cols (1..4) of C.
//
//go:noescape
func sgemmDotAVX512Asm(k int, a *float32, lda, rows int, b *float32, ldb, cols int, c *float32, ldc int, bias *float32, alpha float32, flags GemmFlags)

// sgemmDotAVX512 checks its operands and runs the fp32 dot kernel.
func sgemmDotAVX512(rows, cols, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, bias []float32, alpha float32, flags GemmFlags) {
	checkDot(avx512DotMR, avx512DotNR, rows, cols, k, len(a), lda, len(b), ldb, len(c), ldc, len(bias), flags)
	sgemmDotAVX512Asm(k, unsafe.SliceData(a), lda, rows, unsafe.SliceData(b), ldb, cols, unsafe.SliceData(c), ldc, unsafe.SliceData(bias), alpha, flags)
}

// dgemmDotAVX512Asm is dgemmDotRef on raw pointers (strides in elements):
// rows (1..4) x cols (1..4) of C.
//
//go:noescape
func dgemmDotAVX512Asm(k int, a *float64, lda, rows int, b *float64, ldb, cols int, c *float64, ldc int, bias *float64, alpha float64, flags GemmFlags)

// dgemmDotAVX512 checks its operands and runs the fp64 dot kernel.
func dgemmDotAVX512(rows, cols, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, bias []float64, alpha float64, flags GemmFlags) {
	checkDot(avx512DotMR, avx512DotNR, rows, cols, k, len(a), lda, len(b), ldb, len(c), ldc, len(bias), flags)
	dgemmDotAVX512Asm(k, unsafe.SliceData(a), lda, rows, unsafe.SliceData(b), ldb, cols, unsafe.SliceData(c), ldc, unsafe.SliceData(bias), alpha, flags)
}
