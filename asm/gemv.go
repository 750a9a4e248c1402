package asm

// Four-row GEMV kernels: the inner loops of package blas's GEMV, which
// walks the matrix four rows at a time so that each element of the vector
// is loaded once per four rows and each call does four rows' work.

// sgemvN4Generic is the reference four-row dot product:
//
//	for r := 0; r < 4; r++ {
//		var s float32
//		for j := 0; j < n; j++ { s += a[r*lda+j] * x[j] }
//		y[r] = s
//	}
func sgemvN4Generic(n int, a []float32, lda int, x []float32, y *[4]float32) {
	checkGemv4(n, len(a), lda, len(x))
	for r := range 4 {
		row := a[r*lda : r*lda+n]
		var s float32
		for j, v := range row {
			s += v * x[j]
		}
		y[r] = s
	}
}

// dgemvN4Generic is sgemvN4Generic on float64.
func dgemvN4Generic(n int, a []float64, lda int, x []float64, y *[4]float64) {
	checkGemv4(n, len(a), lda, len(x))
	for r := range 4 {
		row := a[r*lda : r*lda+n]
		var s float64
		for j, v := range row {
			s += v * x[j]
		}
		y[r] = s
	}
}

// sgemvT4Generic is the reference four-row axpy:
//
//	for j := 0; j < n; j++ {
//		y[j] += alpha[0]*a[j] + alpha[1]*a[lda+j] + alpha[2]*a[2*lda+j] + alpha[3]*a[3*lda+j]
//	}
//
// accumulated into y one row at a time (y[j] += alpha[r]*a[r*lda+j] for
// r = 0..3), as the assembly does with fused multiply-adds.
func sgemvT4Generic(n int, a []float32, lda int, alpha *[4]float32, y []float32) {
	checkGemv4(n, len(a), lda, len(y))
	y = y[:n]
	for r := range 4 {
		row := a[r*lda : r*lda+n]
		for j, v := range row {
			y[j] += alpha[r] * v
		}
	}
}

// dgemvT4Generic is sgemvT4Generic on float64.
func dgemvT4Generic(n int, a []float64, lda int, alpha *[4]float64, y []float64) {
	checkGemv4(n, len(a), lda, len(y))
	y = y[:n]
	for r := range 4 {
		row := a[r*lda : r*lda+n]
		for j, v := range row {
			y[j] += alpha[r] * v
		}
	}
}

// checkGemv4 panics unless four rows of n elements, lda apart, fit in a
// and the vector has n elements.
func checkGemv4(n, lenA, lda, lenV int) {
	if n < 0 || lda < n || lenA < 3*lda+n || lenV < n {
		panic(errShortGemv)
	}
}

// ssymv4Generic is the reference four-row symmetric update of package
// blas's SYMV: four rows of a stored triangle, on a segment of columns they
// all have, each contributing a dot product with x (its own element of the
// product) and an axpy into z (its transpose's contribution):
//
//	for r := 0; r < 4; r++ {
//		var d float32
//		for j := 0; j < n; j++ {
//			z[j] += alpha[r] * a[r*lda+j]
//			d += a[r*lda+j] * x[j]
//		}
//		dot[r] = d
//	}
func ssymv4Generic(n int, a []float32, lda int, x, z []float32, alpha, dot *[4]float32) {
	checkGemv4(n, len(a), lda, min(len(x), len(z)))
	for r := range 4 {
		row := a[r*lda : r*lda+n]
		var d float32
		for j, v := range row {
			z[j] += alpha[r] * v
			d += v * x[j]
		}
		dot[r] = d
	}
}

// dsymv4Generic is ssymv4Generic on float64.
func dsymv4Generic(n int, a []float64, lda int, x, z []float64, alpha, dot *[4]float64) {
	checkGemv4(n, len(a), lda, min(len(x), len(z)))
	for r := range 4 {
		row := a[r*lda : r*lda+n]
		var d float64
		for j, v := range row {
			z[j] += alpha[r] * v
			d += v * x[j]
		}
		dot[r] = d
	}
}
