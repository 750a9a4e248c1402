package asm

import "math"

// Single-precision Level-1 kernels on unit-stride vectors: the scaling,
// absolute sum, sum of squares and largest-magnitude search behind package
// blas's Sscal, Sasum, Snrm2 and Isamax. Strided float32 vectors stay on
// gonum's code (gonum's LAPACK is float64 only, so nothing walks float32
// columns in a hot loop).

// sscalGeneric is the reference scaling:
//
//	for i := range x { x[i] *= alpha }
func sscalGeneric(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

// sasumGeneric is the reference sum of absolute values, accumulated in
// float32 as gonum's Sasum:
//
//	var s float32
//	for _, v := range x { s += |v| }
//	return s
func sasumGeneric(x []float32) float32 {
	var s float32
	for _, v := range x {
		s += math.Float32frombits(math.Float32bits(v) &^ (1 << 31))
	}
	return s
}

// ssumSqGeneric is the reference sum of squares, each element widened to
// float64 before it is squared, so that no float32 input overflows or
// underflows (the largest square, about 1.2e77, and the smallest, about
// 2e-90, are well inside float64's range):
//
//	var s float64
//	for _, v := range x { s += float64(v) * float64(v) }
//	return s
func ssumSqGeneric(x []float32) float64 {
	var s float64
	for _, v := range x {
		w := float64(v)
		s += w * w
	}
	return s
}

// isamaxGeneric is idamaxGeneric on float32: the first index of the largest
// absolute value, NaN elements never larger than another, 0 when x[0] is
// NaN, -1 for an empty x.
func isamaxGeneric(x []float32) int {
	if len(x) == 0 {
		return -1
	}
	abs := func(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }
	idx, m := 0, abs(x[0])
	for i, v := range x {
		if a := abs(v); a > m {
			idx, m = i, a
		}
	}
	return idx
}
