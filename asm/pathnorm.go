package asm

// The path-norm kernels are the two passes of the l2 path-norm dynamic
// program: matrix-vector products with the elementwise square of a float32
// weight matrix W (row-major, leading dimension ldw), accumulated in float64.
// The square of a float32 is exact in float64, so only the summation rounds.

// pathMVGeneric is the reference for y = (W∘W) x, W being len(y) x len(x):
//
//	for i := range y {
//		var s float64
//		for j := range x { w := float64(W[i*ldw+j]); s += w * w * x[j] }
//		y[i] = s
//	}
func pathMVGeneric(y []float64, w []float32, ldw int, x []float64) {
	checkPath(len(y), len(x), len(w), ldw)
	for i := range y {
		row := w[i*ldw : i*ldw+len(x)]
		var s float64
		for j, v := range row {
			f := float64(v)
			s += f * f * x[j]
		}
		y[i] = s
	}
}

// pathMTVGeneric is the reference for y = (W∘W)^T x, W being len(x) x len(y):
//
//	for j := range y { y[j] = 0 }
//	for i := range x {
//		for j := range y { w := float64(W[i*ldw+j]); y[j] += w * w * x[i] }
//	}
func pathMTVGeneric(y []float64, w []float32, ldw int, x []float64) {
	checkPath(len(x), len(y), len(w), ldw)
	for j := range y {
		y[j] = 0
	}
	for i, xi := range x {
		row := w[i*ldw : i*ldw+len(y)]
		for j, v := range row {
			f := float64(v)
			y[j] += f * f * xi
		}
	}
}

// checkPath panics unless W (rows x cols, leading dimension ldw) fits in lw.
func checkPath(rows, cols, lw, ldw int) {
	if ldw < cols || ldw < 1 {
		panic(errLdw)
	}
	if rows > 0 && cols > 0 && lw < (rows-1)*ldw+cols {
		panic(errShortW)
	}
}

// PathMV sets y = (W∘W) x with the selected implementation; W is
// len(y) x len(x) with leading dimension ldw.
func PathMV(y []float64, w []float32, ldw int, x []float64) { Current().PathMV(y, w, ldw, x) }

// PathMTV sets y = (W∘W)^T x with the selected implementation; W is
// len(x) x len(y) with leading dimension ldw.
func PathMTV(y []float64, w []float32, ldw int, x []float64) { Current().PathMTV(y, w, ldw, x) }
