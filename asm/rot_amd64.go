//go:build !purego && !noasm

package asm

import "unsafe"

// The swap and rotation kernels on ymm registers (AVX2+FMA).

// swapAVX2Asm is sswapGeneric's and dswapGeneric's loop on n bytes (a
// multiple of four): 128 bytes per iteration through eight ymm registers,
// then 32, then four at a time.
//
//go:noescape
func swapAVX2Asm(x, y unsafe.Pointer, n int)

// srotAVX2Asm is srotGeneric's loop over n > 0 elements, one fused
// multiply-add per output: x = c*x + (s*y), y = c*y - (s*x).
//
//go:noescape
func srotAVX2Asm(x, y *float32, n int, c, s float32)

// drotAVX2Asm is drotGeneric's loop over n > 0 elements, fused as
// srotAVX2Asm.
//
//go:noescape
func drotAVX2Asm(x, y *float64, n int, c, s float64)

func sswapAVX2(x, y []float32) {
	checkSwap(len(x), len(y))
	if len(x) > 0 {
		swapAVX2Asm(unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), 4*len(x))
	}
}

func dswapAVX2(x, y []float64) {
	checkSwap(len(x), len(y))
	if len(x) > 0 {
		swapAVX2Asm(unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), 8*len(x))
	}
}

func srotAVX2(x, y []float32, c, s float32) {
	checkSwap(len(x), len(y))
	if len(x) > 0 {
		srotAVX2Asm(&x[0], &y[0], len(x), c, s)
	}
}

func drotAVX2(x, y []float64, c, s float64) {
	checkSwap(len(x), len(y))
	if len(x) > 0 {
		drotAVX2Asm(&x[0], &y[0], len(x), c, s)
	}
}
