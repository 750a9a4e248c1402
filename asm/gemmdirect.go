package asm

// The direct GEMM kernels read both operands in place, unpacked: any
// number of rows (in tiles of Impl.DirectMR, one after another) and up to
// Impl.SDirectNR (float32) or Impl.DDirectNR (float64) columns of C, with A addressed by a row stride and a depth
// stride (so that one kernel serves A and Aᵀ) and B by its leading
// dimension. It exists for products too small to repay packing
// (a 16x100x100 SGEMM spends a fifth of its time packing, handing off and
// copying edge tiles). One call walks a whole column panel down its row
// tiles, so that the caller's loop and the operand checks run once per
// panel, not per tile.
//
// directMaxNR (directMaxNR64) is the widest tile of any implementation, the
// limit of the reference loops.
const (
	directMaxNR, directMaxNR64 = 32, 16
)

// sgemmDirectRef is the float32 direct kernels' reference loop, for any
// rows and cols <= 32:
//
//	for i := range rows {
//		for j := range cols {
//			var s float32
//			for p := range k {
//				s += a[i*ars+p*aks] * b[p*ldb+j]
//			}
//			if flags&Accumulate != 0 {
//				c[i*ldc+j] += alpha * s
//			} else {
//				c[i*ldc+j] = alpha * s
//			}
//		}
//	}
//
// (the kernels fuse each multiply-add; only Accumulate is honoured).
func sgemmDirectRef(rows, cols, k int, a []float32, ars, aks int, b []float32, ldb int, c []float32, ldc int, alpha float32, flags GemmFlags) {
	checkDirect(directMaxNR, rows, cols, k, len(a), ars, aks, len(b), ldb, len(c), ldc)
	directRef(rows, cols, k, a, ars, aks, b, ldb, c, ldc, alpha, flags)
}

// dgemmDirectRef is sgemmDirectRef in float64, for cols <= 16.
func dgemmDirectRef(rows, cols, k int, a []float64, ars, aks int, b []float64, ldb int, c []float64, ldc int, alpha float64, flags GemmFlags) {
	checkDirect(directMaxNR64, rows, cols, k, len(a), ars, aks, len(b), ldb, len(c), ldc)
	directRef(rows, cols, k, a, ars, aks, b, ldb, c, ldc, alpha, flags)
}

func directRef[T float32 | float64](rows, cols, k int, a []T, ars, aks int, b []T, ldb int, c []T, ldc int, alpha T, flags GemmFlags) {
	for i := range rows {
		for j := range cols {
			var s T
			for p := range k {
				s += a[i*ars+p*aks] * b[p*ldb+j]
			}
			if flags&Accumulate != 0 {
				c[i*ldc+j] += alpha * s
			} else {
				c[i*ldc+j] = alpha * s
			}
		}
	}
}

// checkDirect panics unless the operands of a direct kernel call are in
// bounds: rows >= 1, 1 <= cols <= nr, k >= 1, positive strides, and
// slices long enough for every element the loop reads or writes.
func checkDirect(nr, rows, cols, k, la, ars, aks, lb, ldb, lc, ldc int) {
	switch {
	case rows < 1 || cols < 1 || cols > nr || k < 1 ||
		ars < 1 || aks < 1 || ldb < cols || ldc < cols:
		panic(errDirect)
	case la < (rows-1)*ars+(k-1)*aks+1:
		panic(errDirectA)
	case lb < (k-1)*ldb+cols:
		panic(errDirectB)
	case lc < (rows-1)*ldc+cols:
		panic(errShortC)
	}
}
