package asm

import "math"

// sdotGeneric is the reference float32 dot product:
//
//	var s float32
//	for i := range x { s += x[i] * y[i] }
//	return s
func sdotGeneric(x, y []float32) float32 {
	checkSdot(x, y)
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

// ddotGeneric is sdotGeneric on float64.
func ddotGeneric(x, y []float64) float64 {
	checkDdot(x, y)
	var s float64
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

// saxpyGeneric is the reference float32 axpy:
//
//	for i := range x { y[i] += alpha * x[i] }
func saxpyGeneric(alpha float32, x, y []float32) {
	checkSaxpy(alpha, x, y)
	for i, v := range x {
		y[i] += alpha * v
	}
}

// daxpyGeneric is saxpyGeneric on float64.
func daxpyGeneric(alpha float64, x, y []float64) {
	checkDaxpy(alpha, x, y)
	for i, v := range x {
		y[i] += alpha * v
	}
}

// SDot returns the dot product of x and y with the selected implementation.
func SDot(x, y []float32) float32 { return Current().SDot(x, y) }

// DDot returns the dot product of x and y with the selected implementation.
func DDot(x, y []float64) float64 { return Current().DDot(x, y) }

// SAxpy sets y += alpha*x with the selected implementation.
func SAxpy(alpha float32, x, y []float32) { Current().SAxpy(alpha, x, y) }

// DAxpy sets y += alpha*x with the selected implementation.
func DAxpy(alpha float64, x, y []float64) { Current().DAxpy(alpha, x, y) }

// idamaxGeneric is the reference index of the largest absolute value, as
// BLAS idamax (and gonum's Idamax) define it on a non-empty x: the first
// index of the maximum, NaN elements never being larger than another, and
// 0 when x[0] is NaN:
//
//	idx, m := 0, math.Abs(x[0])
//	for i, v := range x { if math.Abs(v) > m { idx, m = i, math.Abs(v) } }
//	return idx
//
// It returns -1 for an empty x.
func idamaxGeneric(x []float64) int {
	if len(x) == 0 {
		return -1
	}
	idx, m := 0, math.Abs(x[0])
	for i, v := range x {
		if a := math.Abs(v); a > m {
			idx, m = i, a
		}
	}
	return idx
}

// ddotIncGeneric is the reference strided dot product of n elements,
// x[i*incX] and y[i*incY] for positive increments:
//
//	var s float64
//	for i := 0; i < n; i++ { s += x[i*incX] * y[i*incY] }
//	return s
func ddotIncGeneric(n int, x []float64, incX int, y []float64, incY int) float64 {
	checkInc(n, len(x), incX, len(y), incY)
	var s float64
	for i := range n {
		s += x[i*incX] * y[i*incY]
	}
	return s
}

// checkInc panics unless n >= 0, the increments are positive and both
// strided vectors fit.
func checkInc(n, lenX, incX, lenY, incY int) {
	if n < 0 || incX < 1 || incY < 1 || (n > 0 && (lenX <= (n-1)*incX || lenY <= (n-1)*incY)) {
		panic(errShortInc)
	}
}

// daxpyIncGeneric is the reference strided axpy of n elements for positive
// increments:
//
//	for i := 0; i < n; i++ { y[i*incY] += alpha * x[i*incX] }
func daxpyIncGeneric(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	checkInc(n, len(x), incX, len(y), incY)
	for i := range n {
		y[i*incY] += alpha * x[i*incX]
	}
}

// dscalIncGeneric is the reference strided scaling of n elements (inc >= 1):
//
//	for i := 0; i < n; i++ { x[i*inc] *= alpha }
func dscalIncGeneric(n int, alpha float64, x []float64, inc int) {
	checkInc(n, len(x), inc, len(x), inc)
	for i := range n {
		x[i*inc] *= alpha
	}
}

// dasumIncGeneric is the reference sum of absolute values of n strided
// elements (inc >= 1):
//
//	var s float64
//	for i := 0; i < n; i++ { s += math.Abs(x[i*inc]) }
//	return s
func dasumIncGeneric(n int, x []float64, inc int) float64 {
	checkInc(n, len(x), inc, len(x), inc)
	var s float64
	for i := range n {
		s += math.Abs(x[i*inc])
	}
	return s
}

// dsumSqIncGeneric is the reference sum of squares of n strided elements
// (inc >= 1), unscaled (it overflows and underflows where the squares do):
//
//	var s float64
//	for i := 0; i < n; i++ { s += x[i*inc] * x[i*inc] }
//	return s
func dsumSqIncGeneric(n int, x []float64, inc int) float64 {
	checkInc(n, len(x), inc, len(x), inc)
	var s float64
	for i := range n {
		v := x[i*inc]
		s += v * v
	}
	return s
}

// checkSdot panics, before any work, on arguments that no implementation of
// sdot accepts: the one check its generic and assembly versions share.
func checkSdot(x, y []float32) {
	if len(x) != len(y) {
		panic(errLength)
	}
}

// checkDdot panics, before any work, on arguments that no implementation of
// ddot accepts: the one check its generic and assembly versions share.
func checkDdot(x, y []float64) {
	if len(x) != len(y) {
		panic(errLength)
	}
}

// checkSaxpy panics, before any work, on arguments that no implementation of
// saxpy accepts: the one check its generic and assembly versions share.
func checkSaxpy(alpha float32, x, y []float32) {
	if len(x) != len(y) {
		panic(errLength)
	}
}

// checkDaxpy panics, before any work, on arguments that no implementation of
// daxpy accepts: the one check its generic and assembly versions share.
func checkDaxpy(alpha float64, x, y []float64) {
	if len(x) != len(y) {
		panic(errLength)
	}
}
