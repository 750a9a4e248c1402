package blas

import gblas "gonum.org/v1/gonum/blas"

// checkGemm validates GEMM arguments exactly as gonum does and reports
// whether the operands are transposed. It panics on programmer errors.
// lenA, lenB and lenC are checked only when m and n are positive, as in gonum.
func checkGemm(tA, tB gblas.Transpose, m, n, k, lda, ldb, ldc, lenA, lenB, lenC int) (aTrans, bTrans bool) {
	switch tA {
	case gblas.NoTrans, gblas.Trans, gblas.ConjTrans:
	default:
		panic(badTranspose)
	}
	switch tB {
	case gblas.NoTrans, gblas.Trans, gblas.ConjTrans:
	default:
		panic(badTranspose)
	}
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if k < 0 {
		panic(kLT0)
	}
	aTrans = tA != gblas.NoTrans
	bTrans = tB != gblas.NoTrans
	if aTrans {
		if lda < max(1, m) {
			panic(badLdA)
		}
	} else if lda < max(1, k) {
		panic(badLdA)
	}
	if bTrans {
		if ldb < max(1, k) {
			panic(badLdB)
		}
	} else if ldb < max(1, n) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return aTrans, bTrans
	}
	if aTrans {
		if lenA < (k-1)*lda+m {
			panic(shortA)
		}
	} else if lenA < (m-1)*lda+k {
		panic(shortA)
	}
	if bTrans {
		if lenB < (n-1)*ldb+k {
			panic(shortB)
		}
	} else if lenB < (k-1)*ldb+n {
		panic(shortB)
	}
	if lenC < (m-1)*ldc+n {
		panic(shortC)
	}
	return aTrans, bTrans
}
