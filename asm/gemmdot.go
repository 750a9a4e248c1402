package asm

// The dot-product kernel: a tile of C = alpha * A * B^T with A (rows x k)
// and B (cols x k) both stored by rows, read in place along the depth. It
// serves products whose B is transposed and whose A has few rows (a dense
// layer's forward pass at a small batch), where packing or transposing B
// would cost as much memory traffic as the product itself: each element of
// B is read once, sixteen depths at a time, and each tile's sums are
// reduced across the vector lanes once at the end.

// sgemmDotRef is the dot-product kernel's specification: for i < rows and
// j < cols,
//
//	var s float32
//	for p := 0; p < k; p++ { s += a[i*lda+p] * b[j*ldb+p] }
//	s *= alpha
//	if flags&Accumulate != 0 { s += c[i*ldc+j] }
//	if flags&AddBias != 0 { s += bias[j] }
//	if flags&ReLU != 0 && !(s > 0) { s = 0 }
//	c[i*ldc+j] = s
//
// The kernels sum the depths in a different order (sixteen partial sums,
// then a tree), so they agree with this loop to rounding, not bit for bit;
// every call with the same operands gives the same bits.
func sgemmDotRef(rows, cols, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, bias []float32, alpha float32, flags GemmFlags) {
	dotTileRef(rows, cols, k, a, lda, b, ldb, c, ldc, bias, alpha, flags)
}

// dgemmDotRef is sgemmDotRef in double precision.
func dgemmDotRef(rows, cols, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, bias []float64, alpha float64, flags GemmFlags) {
	dotTileRef(rows, cols, k, a, lda, b, ldb, c, ldc, bias, alpha, flags)
}

// dotTileRef is the loop of sgemmDotRef's documentation in either precision.
func dotTileRef[T float32 | float64](rows, cols, k int, a []T, lda int, b []T, ldb int, c []T, ldc int, bias []T, alpha T, flags GemmFlags) {
	checkDot(4, 4, rows, cols, k, len(a), lda, len(b), ldb, len(c), ldc, len(bias), flags)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			var s T
			for p := 0; p < k; p++ {
				s += a[i*lda+p] * b[j*ldb+p]
			}
			s *= alpha
			if flags&Accumulate != 0 {
				s += c[i*ldc+j]
			}
			if flags&AddBias != 0 {
				s += bias[j]
			}
			if flags&ReLU != 0 && !(s > 0) {
				s = 0
			}
			c[i*ldc+j] = s
		}
	}
}

// checkDot panics unless a dot-kernel tile of rows x cols (at most mr x
// nr) and depth k fits its operands (and bias, with AddBias).
func checkDot(mr, nr, rows, cols, k, la, lda, lb, ldb, lc, ldc, lbias int, flags GemmFlags) {
	switch {
	case rows < 1 || rows > mr || cols < 1 || cols > nr || k < 1 ||
		lda < k || ldb < k || ldc < cols:
		panic(errDot)
	case la < (rows-1)*lda+k:
		panic(errDirectA)
	case lb < (cols-1)*ldb+k:
		panic(errDirectB)
	case lc < (rows-1)*ldc+cols:
		panic(errShortC)
	case flags&AddBias != 0 && lbias < cols:
		panic(errShortBias)
	}
}
