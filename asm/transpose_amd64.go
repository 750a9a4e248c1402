//go:build !purego && !noasm

package asm

import "unsafe"

// transpose8AVX2Asm is transposeGeneric for 16 rows and ldd = 16, or 8
// rows and any ldd, with kc a multiple of 8 on raw pointers (lds and ldd in
// elements): 8x8 blocks transposed in registers. With ldd != 16 it
// transposes only the first 8 source rows, into elements 0..7 of each row
// of dst (ldd values apart).
//
//go:noescape
func transpose8AVX2Asm(dst, src *float32, lds, ldd, kc int)

// transpose2AVX2Asm is transposeGeneric for 2 rows into elements 0 and 1
// of each row of dst (ldd values apart), kc a multiple of 8, on raw
// pointers (lds and ldd in elements):
//
//	for p := 0; p < kc; p++ { dst[p*ldd] = src[p]; dst[p*ldd+1] = src[lds+p] }
//
//go:noescape
func transpose2AVX2Asm(dst, src *float32, lds, ldd, kc int)

// transposeAVX2 checks its operands and transposes the columns in blocks of
// 8 with AVX2: 16 rows in one pass, otherwise one pass per group of 8 rows
// and one per pair of the rows left (a micro-panel of 10 rows takes one of
// each: BenchmarkPackA); the generic loop finishes the last columns and an
// odd last row.
func transposeAVX2(dst, src []float32, lds, rows, kc, ldd int) {
	checkTranspose(len(dst), len(src), lds, rows, kc, ldd)
	full, kc8 := rows&^7, kc&^7
	// The kernel's two-group pass is selected by a 16-float dst stride: a
	// stride of 16 with other row counts takes the generic loop.
	if full == 0 || kc8 == 0 || ldd == 16 && rows != 16 {
		transposeGeneric(dst, src, lds, rows, kc, ldd)
		return
	}
	done := full
	if rows == 16 && ldd == 16 {
		transpose8AVX2Asm(unsafe.SliceData(dst), unsafe.SliceData(src), lds, ldd, kc8)
	} else {
		// Otherwise the kernel transposes the 8 rows at src into
		// columns 0..7 of dst's rows of ldd values.
		for g := 0; g < full; g += 8 {
			transpose8AVX2Asm(&dst[g], &src[g*lds], lds, ldd, kc8)
		}
		for ; done+2 <= rows; done += 2 {
			transpose2AVX2Asm(&dst[done], &src[done*lds], lds, ldd, kc8)
		}
	}
	for j := 0; j < rows; j++ {
		p0 := kc8
		if j >= done {
			p0 = 0
		}
		row := src[j*lds : j*lds+kc]
		for p := p0; p < kc; p++ {
			dst[p*ldd+j] = row[p]
		}
	}
}
