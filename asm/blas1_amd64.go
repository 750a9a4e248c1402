//go:build !purego && !noasm

package asm

import "math"

// The level-1 kernels use eight ymm accumulators in the dot products (FMA
// latency 4 cycles times up to two loads per cycle), so the partial sums are
// added in a different order from the generic loop: results agree within the
// usual k-scaled rounding bound, not bit for bit. Axpy uses one fused
// multiply-add per element, so it rounds once where the generic loop (without
// GOAMD64=v3) rounds twice.

// sdotAVX2Asm is sdotGeneric's loop over len(x) elements (len(y) >= len(x)):
//
//	var s float32
//	for i := range x { s += x[i] * y[i] }
//	return s
//
//go:noescape
func sdotAVX2Asm(x, y []float32) float32

// ddotAVX2Asm is ddotGeneric's loop over len(x) elements (len(y) >= len(x)):
//
//	var s float64
//	for i := range x { s += x[i] * y[i] }
//	return s
//
//go:noescape
func ddotAVX2Asm(x, y []float64) float64

// saxpyAVX2Asm is saxpyGeneric's loop over len(x) elements (len(y) >= len(x)):
//
//	for i := range x { y[i] += alpha * x[i] }
//
//go:noescape
func saxpyAVX2Asm(alpha float32, x, y []float32)

// daxpyAVX2Asm is daxpyGeneric's loop over len(x) elements (len(y) >= len(x)):
//
//	for i := range x { y[i] += alpha * x[i] }
//
//go:noescape
func daxpyAVX2Asm(alpha float64, x, y []float64)

func sdotAVX2(x, y []float32) float32 {
	checkSdot(x, y)
	return sdotAVX2Asm(x, y)
}

func ddotAVX2(x, y []float64) float64 {
	checkDdot(x, y)
	return ddotAVX2Asm(x, y)
}

func saxpyAVX2(alpha float32, x, y []float32) {
	checkSaxpy(alpha, x, y)
	saxpyAVX2Asm(alpha, x, y)
}

func daxpyAVX2(alpha float64, x, y []float64) {
	checkDaxpy(alpha, x, y)
	daxpyAVX2Asm(alpha, x, y)
}

// idamaxAVX2Asm is idamaxGeneric's loop over n > 0 elements, in two passes:
// the largest absolute value (VMAXPD keeping the running maximum when an
// element is NaN), then the first index holding it. The caller handles a
// NaN x[0].
//
//go:noescape
func idamaxAVX2Asm(x *float64, n int) int

// ddotIncAVX2Asm is ddotIncGeneric's loop for n > 0, with four accumulators
// (so the sum is added in a different order: within the usual rounding
// bound).
//
//go:noescape
func ddotIncAVX2Asm(n int, x *float64, incX int, y *float64, incY int) float64

func idamaxAVX2(x []float64) int {
	if len(x) == 0 {
		return -1
	}
	if math.IsNaN(x[0]) {
		return 0
	}
	return idamaxAVX2Asm(&x[0], len(x))
}

func ddotIncAVX2(n int, x []float64, incX int, y []float64, incY int) float64 {
	checkInc(n, len(x), incX, len(y), incY)
	if n == 0 {
		return 0
	}
	return ddotIncAVX2Asm(n, &x[0], incX, &y[0], incY)
}

// daxpyIncAVX2Asm is daxpyIncGeneric's loop for n > 0, unrolled by four, one
// fused multiply-add per element.
//
//go:noescape
func daxpyIncAVX2Asm(n int, alpha float64, x *float64, incX int, y *float64, incY int)

func daxpyIncAVX2(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	checkInc(n, len(x), incX, len(y), incY)
	if n == 0 {
		return
	}
	daxpyIncAVX2Asm(n, alpha, &x[0], incX, &y[0], incY)
}

// dscalIncAVX2Asm is dscalIncGeneric's loop for n > 0 (unit increments in ymm
// vectors, others unrolled by four).
//
//go:noescape
func dscalIncAVX2Asm(n int, alpha float64, x *float64, inc int)

// dasumIncAVX2Asm is dasumIncGeneric's loop for n > 0: four ymm accumulators
// for unit increments, one scalar accumulator otherwise.
//
//go:noescape
func dasumIncAVX2Asm(n int, x *float64, inc int) float64

// dsumSqIncAVX2Asm is dsumSqIncGeneric's loop for n > 0, with fused
// multiply-adds: four ymm accumulators for unit increments, one scalar
// accumulator otherwise.
//
//go:noescape
func dsumSqIncAVX2Asm(n int, x *float64, inc int) float64

func dscalIncAVX2(n int, alpha float64, x []float64, inc int) {
	checkInc(n, len(x), inc, len(x), inc)
	if n > 0 {
		dscalIncAVX2Asm(n, alpha, &x[0], inc)
	}
}

func dasumIncAVX2(n int, x []float64, inc int) float64 {
	checkInc(n, len(x), inc, len(x), inc)
	if n == 0 {
		return 0
	}
	return dasumIncAVX2Asm(n, &x[0], inc)
}

func dsumSqIncAVX2(n int, x []float64, inc int) float64 {
	checkInc(n, len(x), inc, len(x), inc)
	if n == 0 {
		return 0
	}
	return dsumSqIncAVX2Asm(n, &x[0], inc)
}
