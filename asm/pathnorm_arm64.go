//go:build !purego && !noasm

package asm

// pathMVNEONAsm is pathMVGeneric's loop without the checks (W is
// len(y) x len(x)):
//
//	for i := range y {
//		var s float64
//		for j := range x { w := float64(W[i*ldw+j]); s += w * w * x[j] }
//		y[i] = s
//	}
//
// Four rows at a time share each load of x, two float64x2 accumulators per
// row.
//
//go:noescape
func pathMVNEONAsm(y []float64, w []float32, ldw int, x []float64)

// pathMTVNEONAsm is pathMTVGeneric's loop without the checks (W is
// len(x) x len(y)):
//
//	for j := range y { y[j] = 0 }
//	for i := range x {
//		for j := range y { w := float64(W[i*ldw+j]); y[j] += w * w * x[i] }
//	}
//
// y is only written: strips of 16 columns are accumulated in registers down
// all the rows, then stored.
//
//go:noescape
func pathMTVNEONAsm(y []float64, w []float32, ldw int, x []float64)

func pathMVNEON(y []float64, w []float32, ldw int, x []float64) {
	checkPath(len(y), len(x), len(w), ldw)
	pathMVNEONAsm(y, w, ldw, x)
}

func pathMTVNEON(y []float64, w []float32, ldw int, x []float64) {
	checkPath(len(x), len(y), len(w), ldw)
	pathMTVNEONAsm(y, w, ldw, x)
}
