//go:build !purego && !noasm

package asm

// sdotNEON is sdotGeneric's loop without the length check (eight vector
// accumulators, so the summation order differs):
//
//	var s float32
//	for i := range x { s += x[i] * y[i] }
//	return s
//
//go:noescape
func sdotNEON(x, y []float32) float32

// ddotNEON is sdotNEON on float64.
//
//go:noescape
func ddotNEON(x, y []float64) float64

// saxpyNEON is saxpyGeneric's loop without the length check:
//
//	for i := range x { y[i] += alpha * x[i] }
//
//go:noescape
func saxpyNEON(alpha float32, x, y []float32)

// daxpyNEON is saxpyNEON on float64.
//
//go:noescape
func daxpyNEON(alpha float64, x, y []float64)

func sdotNEONChecked(x, y []float32) float32 {
	if len(x) != len(y) {
		panic(errLength)
	}
	return sdotNEON(x, y)
}

func ddotNEONChecked(x, y []float64) float64 {
	if len(x) != len(y) {
		panic(errLength)
	}
	return ddotNEON(x, y)
}

func saxpyNEONChecked(alpha float32, x, y []float32) {
	if len(x) != len(y) {
		panic(errLength)
	}
	saxpyNEON(alpha, x, y)
}

func daxpyNEONChecked(alpha float64, x, y []float64) {
	if len(x) != len(y) {
		panic(errLength)
	}
	daxpyNEON(alpha, x, y)
}
