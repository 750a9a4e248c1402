//go:build !purego && !noasm

package asm

import "unsafe"

// transpose8AVX2Asm is transposeGeneric for rows = 8 or 16 and kc a multiple of
// 8 on raw pointers (lds in elements): 8x8 blocks transposed in registers.
// For other rows it transposes only the first 8 source rows, into elements
// 0..7 of each packed row of rows values.
//
//go:noescape
func transpose8AVX2Asm(dst, src *float32, lds, rows, kc int)

// transposeAVX2 checks its operands and transposes the columns in blocks of
// 8 with AVX2: 16 rows in one pass, otherwise one pass per group of 8 rows
// (a micro-panel of 10 rows takes one pass and two rows by the generic
// loop); the generic loop finishes the last columns and rows.
func transposeAVX2(dst, src []float32, lds, rows, kc int) {
	checkTranspose(len(dst), len(src), lds, rows, kc)
	full, kc8 := rows&^7, kc&^7
	if full == 0 || kc8 == 0 {
		transposeGeneric(dst, src, lds, rows, kc)
		return
	}
	if rows == 16 {
		transpose8AVX2Asm(unsafe.SliceData(dst), unsafe.SliceData(src), lds, rows, kc8)
	} else {
		// With rows != 16 the kernel transposes the 8 rows at src into
		// columns 0..7 of dst's packed rows of length rows.
		for g := 0; g < full; g += 8 {
			transpose8AVX2Asm(&dst[g], &src[g*lds], lds, rows, kc8)
		}
	}
	for j := 0; j < rows; j++ {
		p0 := kc8
		if j >= full {
			p0 = 0
		}
		row := src[j*lds : j*lds+kc]
		for p := p0; p < kc; p++ {
			dst[p*rows+j] = row[p]
		}
	}
}
