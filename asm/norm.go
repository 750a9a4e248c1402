package asm

// The elementwise kernels of the normalization layers (package layers'
// BatchNorm and DDPNorm): a per-feature affine map of one row, and a
// per-feature multiply-accumulate for the batch statistics.

// scaleShiftGeneric is the reference per-feature affine map:
//
//	for i := range x { dst[i] = x[i]*scale[i] + shift[i] }
//
// with one rounding or two (fused or not; the assembly versions fuse).
// dst may alias x.
func scaleShiftGeneric(dst, x, scale, shift []float32) {
	checkScaleShift(dst, x, scale, shift)
	for i, v := range x {
		dst[i] = v*scale[i] + shift[i]
	}
}

// mulAddGeneric is the reference elementwise multiply-accumulate:
//
//	for i := range x { dst[i] += x[i] * y[i] }
//
// with one rounding or two (the assembly versions fuse). x may alias y
// (dst += x*x); dst may alias neither.
func mulAddGeneric(dst, x, y []float32) {
	checkMulAdd(dst, x, y)
	for i, v := range x {
		dst[i] += v * y[i]
	}
}

// ScaleShift sets dst[i] = x[i]*scale[i] + shift[i] with the selected
// implementation. dst may alias x.
func ScaleShift(dst, x, scale, shift []float32) { Current().ScaleShift(dst, x, scale, shift) }

// MulAdd sets dst[i] += x[i]*y[i] with the selected implementation.
func MulAdd(dst, x, y []float32) { Current().MulAdd(dst, x, y) }

// checkScaleShift panics, before any work, on arguments that no
// implementation of scaleShift accepts.
func checkScaleShift(dst, x, scale, shift []float32) {
	if len(dst) != len(x) || len(scale) != len(x) || len(shift) != len(x) {
		panic(errLength)
	}
}

// checkMulAdd panics, before any work, on arguments that no implementation
// of mulAdd accepts.
func checkMulAdd(dst, x, y []float32) {
	if len(dst) != len(x) || len(y) != len(x) {
		panic(errLength)
	}
}
