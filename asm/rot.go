package asm

// Vector swaps and plane rotations on unit-stride vectors, the Xswap and
// Xrot of package blas: gonum's LAPACK swaps rows of row-major matrices
// with Dswap (the row interchanges of LU) and rotates them with Drot.

// sswapGeneric is the reference swap (the wrappers check len(x) == len(y)):
//
//	for i := range x { x[i], y[i] = y[i], x[i] }
func sswapGeneric(x, y []float32) {
	checkSwap(len(x), len(y))
	for i := range x {
		x[i], y[i] = y[i], x[i]
	}
}

// dswapGeneric is sswapGeneric on float64.
func dswapGeneric(x, y []float64) {
	checkSwap(len(x), len(y))
	for i := range x {
		x[i], y[i] = y[i], x[i]
	}
}

// srotGeneric is the reference plane rotation, gonum's Srot loop:
//
//	for i := range x {
//		vx, vy := x[i], y[i]
//		x[i], y[i] = c*vx+s*vy, c*vy-s*vx
//	}
//
// The assembly fuses one multiply-add per output (x[i] = c*vx + (s*vy),
// y[i] = c*vy - (s*vx)), so it rounds once less per element.
func srotGeneric(x, y []float32, c, s float32) {
	checkSwap(len(x), len(y))
	for i := range x {
		vx, vy := x[i], y[i]
		x[i], y[i] = c*vx+s*vy, c*vy-s*vx
	}
}

// drotGeneric is srotGeneric on float64.
func drotGeneric(x, y []float64, c, s float64) {
	checkSwap(len(x), len(y))
	for i := range x {
		vx, vy := x[i], y[i]
		x[i], y[i] = c*vx+s*vy, c*vy-s*vx
	}
}

// checkSwap panics unless the two vectors have the same length.
func checkSwap(lenX, lenY int) {
	if lenX != lenY {
		panic(errLength)
	}
}
