//go:build !purego && !noasm

package asm

// The AVX2 elementwise kernels take whole slices: the ABI0 call costs a few
// nanoseconds, so the loop over the data lives in assembly. Each kernel runs
// an unrolled loop of four ymm registers (32 floats), then one register at a
// time, then a scalar tail, so any length and any alignment is accepted.
// dst may be the same slice as an input (each block is loaded before it is
// stored); partially overlapping slices are not supported, as in the generic
// loops.

// reluAVX2Asm is reluGeneric's loop over len(dst) elements (len(x) >= len(dst)):
//
//	for i := range dst { if x[i] > 0 { dst[i] = x[i] } else { dst[i] = 0 } }
//
// VMAXPS Yzero, Yx returns its second source (+0) when x is NaN or ±0, which
// is exactly the generic loop.
//
//go:noescape
func reluAVX2Asm(dst, x []float32)

// reluBackwardAVX2Asm is reluBackwardGeneric's loop over len(dx) elements:
//
//	for i := range dx { if y[i] > 0 { dx[i] = dy[i] } else { dx[i] = 0 } }
//
// The mask is VCMPPS GT_OQ (false for NaN), ANDed with dy, so dy's bits
// (NaN payloads included) pass through unchanged.
//
//go:noescape
func reluBackwardAVX2Asm(dx, dy, y []float32)

// biasReluAVX2Asm is biasReluGeneric's loop over len(dst) elements:
//
//	for i := range dst { s := x[i] + bias[i]; if s > 0 { dst[i] = s } else { dst[i] = 0 } }
//
//go:noescape
func biasReluAVX2Asm(dst, x, bias []float32)

func reluAVX2(dst, x []float32) {
	checkRelu(dst, x)
	reluAVX2Asm(dst, x)
}

func reluBackwardAVX2(dx, dy, y []float32) {
	checkReluBackward(dx, dy, y)
	reluBackwardAVX2Asm(dx, dy, y)
}

func biasReluAVX2(dst, x, bias []float32) {
	checkBiasRelu(dst, x, bias)
	biasReluAVX2Asm(dst, x, bias)
}
