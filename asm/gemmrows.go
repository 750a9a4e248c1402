package asm

// The row-reading float32 micro-kernel (Impl.SgemmRows): a tile of C' =
// A'·P where the mr rows of A' are read in place, each contiguous along the
// depth (rows lda apart), and P is a packed panel of nr columns (k rows of
// nr values), as the other micro-kernels' B. It serves products C = X·Wᵀ
// with few rows of X (the forward pass of a dense layer at a small batch)
// computed as Cᵀ = W·Xᵀ: the rows of W are read where they lie, so the
// large operand is never transposed or packed; only the small Xᵀ is packed.

// sgemmRowsRef is the row-reading micro-kernel's specification (mr rows of
// a, nr columns of b):
//
//	for i := 0; i < mr; i++ {
//		for j := 0; j < nr; j++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				s += a[i*lda+p] * b[p*nr+j]
//			}
//			if flags&Accumulate != 0 {
//				s += c[i*ldc+j]
//			}
//			c[i*ldc+j] = s
//		}
//	}
//
// Only the Accumulate flag applies.
func sgemmRowsRef(mr, nr, k int, a []float32, lda int, b, c []float32, ldc int, flags GemmFlags) {
	checkRows(mr, nr, k, len(a), lda, len(b), len(c), ldc, flags)
	for i := 0; i < mr; i++ {
		for j := 0; j < nr; j++ {
			var s float32
			for p := 0; p < k; p++ {
				s += a[i*lda+p] * b[p*nr+j]
			}
			if flags&Accumulate != 0 {
				s += c[i*ldc+j]
			}
			c[i*ldc+j] = s
		}
	}
}

// checkRows panics unless the operands of a row-reading kernel fit: mr
// rows of k values lda apart in a, k rows of nr values in b, mr rows of nr
// values ldc apart in c, and no flag but Accumulate.
func checkRows(mr, nr, k, la, lda, lb, lc, ldc int, flags GemmFlags) {
	switch {
	case k < 0:
		panic(errNegK)
	case lda < k:
		panic(errLda)
	case ldc < nr:
		panic(errLdc)
	case flags&^Accumulate != 0:
		panic(errRowsFlags)
	case la < (mr-1)*lda+k:
		panic(errDirectA)
	case lb < k*nr:
		panic(errShortB)
	case lc < (mr-1)*ldc+nr:
		panic(errShortC)
	}
}
