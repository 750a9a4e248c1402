//go:build !purego && !noasm

package asm

import "unsafe"

// transpose8AVX2 is TransposeGeneric for rows = 8 or 16 and kc a multiple of
// 8 on raw pointers (lds in elements): 8x8 blocks transposed in registers.
//
//go:noescape
func transpose8AVX2(dst, src *float32, lds, rows, kc int)

// transposeAVX2 checks its operands, transposes the columns in blocks of 8
// for 8 or 16 rows with AVX2, and finishes (or handles other row counts)
// with the generic loop.
func transposeAVX2(dst, src []float32, lds, rows, kc int) {
	checkTranspose(len(dst), len(src), lds, rows, kc)
	if rows != 8 && rows != 16 {
		TransposeGeneric(dst, src, lds, rows, kc)
		return
	}
	kc8 := kc &^ 7
	if kc8 > 0 {
		transpose8AVX2(unsafe.SliceData(dst), unsafe.SliceData(src), lds, rows, kc8)
	}
	for j := 0; j < rows; j++ {
		for p := kc8; p < kc; p++ {
			dst[p*rows+j] = src[j*lds+p]
		}
	}
}
