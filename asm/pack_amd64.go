//go:build !purego && !noasm

package asm

import "unsafe"

// packPanelsAVX2Asm is packPanelsGeneric32's copy on bytes: rows rows of
// count chunks of width bytes (a multiple of 32), row p at src + p*lds,
// chunk c of row p to dst + c*rows*width + p*width; 32-byte moves.
//
//go:noescape
func packPanelsAVX2Asm(dst, src unsafe.Pointer, lds, rows, width, count int)

// packPanelsAVX512Asm is packPanelsAVX2Asm with 64-byte moves; width must be
// a multiple of 64.
//
//go:noescape
func packPanelsAVX512Asm(dst, src unsafe.Pointer, lds, rows, width, count int)

// packPanelsBytes runs kern if width (bytes) is a multiple of its move size
// and reports whether it did.
func packPanelsBytes(kern func(dst, src unsafe.Pointer, lds, rows, width, count int), move int, dst, src unsafe.Pointer, lds, rows, width, count int) bool {
	if width%move != 0 {
		return false
	}
	if rows > 0 && count > 0 {
		kern(dst, src, lds, rows, width, count)
	}
	return true
}

func packPanels32AVX2(dst, src []float32, lds, rows, nr, count int) {
	checkPackPanels(len(dst), len(src), lds, rows, nr, count)
	if !packPanelsBytes(packPanelsAVX2Asm, 32, unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), lds*4, rows, nr*4, count) {
		packPanelsGeneric32(dst, src, lds, rows, nr, count)
	}
}

func packPanels64AVX2(dst, src []float64, lds, rows, nr, count int) {
	checkPackPanels(len(dst), len(src), lds, rows, nr, count)
	if !packPanelsBytes(packPanelsAVX2Asm, 32, unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), lds*8, rows, nr*8, count) {
		packPanelsGeneric64(dst, src, lds, rows, nr, count)
	}
}

func packPanels32AVX512(dst, src []float32, lds, rows, nr, count int) {
	checkPackPanels(len(dst), len(src), lds, rows, nr, count)
	if !packPanelsBytes(packPanelsAVX512Asm, 64, unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), lds*4, rows, nr*4, count) {
		packPanels32AVX2(dst, src, lds, rows, nr, count)
	}
}

func packPanels64AVX512(dst, src []float64, lds, rows, nr, count int) {
	checkPackPanels(len(dst), len(src), lds, rows, nr, count)
	if !packPanelsBytes(packPanelsAVX512Asm, 64, unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), lds*8, rows, nr*8, count) {
		packPanels64AVX2(dst, src, lds, rows, nr, count)
	}
}
