//go:build !purego && !noasm

package asm

// sdotNEONAsm is sdotGeneric's loop without the length check (eight vector
// accumulators, so the summation order differs):
//
//	var s float32
//	for i := range x { s += x[i] * y[i] }
//	return s
//
//go:noescape
func sdotNEONAsm(x, y []float32) float32

// ddotNEONAsm is sdotNEONAsm on float64.
//
//go:noescape
func ddotNEONAsm(x, y []float64) float64

// saxpyNEONAsm is saxpyGeneric's loop without the length check:
//
//	for i := range x { y[i] += alpha * x[i] }
//
//go:noescape
func saxpyNEONAsm(alpha float32, x, y []float32)

// daxpyNEONAsm is saxpyNEONAsm on float64.
//
//go:noescape
func daxpyNEONAsm(alpha float64, x, y []float64)

func sdotNEON(x, y []float32) float32 {
	checkSdot(x, y)
	return sdotNEONAsm(x, y)
}

func ddotNEON(x, y []float64) float64 {
	checkDdot(x, y)
	return ddotNEONAsm(x, y)
}

func saxpyNEON(alpha float32, x, y []float32) {
	checkSaxpy(alpha, x, y)
	saxpyNEONAsm(alpha, x, y)
}

func daxpyNEON(alpha float64, x, y []float64) {
	checkDaxpy(alpha, x, y)
	daxpyNEONAsm(alpha, x, y)
}
