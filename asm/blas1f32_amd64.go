//go:build !purego && !noasm

package asm

import "math"

// The single-precision Level-1 kernels on ymm registers (AVX2+FMA): eight
// elements per vector, four vectors per iteration, then one vector, then
// scalars. The sums keep several accumulators, so they add in a different
// order from the generic loops (within the usual n-scaled rounding bound).

// sscalAVX2Asm is sscalGeneric's loop over n elements.
//
//go:noescape
func sscalAVX2Asm(alpha float32, x *float32, n int)

// sasumAVX2Asm is sasumGeneric's loop over n > 0 elements.
//
//go:noescape
func sasumAVX2Asm(x *float32, n int) float32

// ssumSqAVX2Asm is ssumSqGeneric's loop over n > 0 elements: each vector of
// four float32 widened to float64 (VCVTPS2PD) and squared into a float64
// accumulator with a fused multiply-add.
//
//go:noescape
func ssumSqAVX2Asm(x *float32, n int) float64

// isamaxAVX2Asm is isamaxGeneric's loop over n > 0 elements, in two passes
// as idamaxAVX2Asm: the largest absolute value (VMAXPS keeping the running
// maximum when an element is NaN), then the first index holding it. The
// caller handles a NaN x[0].
//
//go:noescape
func isamaxAVX2Asm(x *float32, n int) int

func sscalAVX2(alpha float32, x []float32) {
	if len(x) > 0 {
		sscalAVX2Asm(alpha, &x[0], len(x))
	}
}

func sasumAVX2(x []float32) float32 {
	if len(x) == 0 {
		return 0
	}
	return sasumAVX2Asm(&x[0], len(x))
}

func ssumSqAVX2(x []float32) float64 {
	if len(x) == 0 {
		return 0
	}
	return ssumSqAVX2Asm(&x[0], len(x))
}

func isamaxAVX2(x []float32) int {
	if len(x) == 0 {
		return -1
	}
	if math.IsNaN(float64(x[0])) {
		return 0
	}
	return isamaxAVX2Asm(&x[0], len(x))
}
