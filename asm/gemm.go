package asm

// GemmFlags select the micro-kernel epilogue.
type GemmFlags uint

const (
	// Accumulate adds the product to C (C += AB) instead of overwriting it.
	// Without it C is written and never read.
	Accumulate GemmFlags = 1 << iota
	// AddBias adds bias[j] to column j of the tile.
	AddBias
	// ReLU applies max(0, x) (x > 0 ? x : 0) as the last step.
	ReLU
	// ScaleC, with Accumulate, scales the C tile by beta = bias[0] as it
	// adds it: s += float32(beta*c), the product and the sum each rounded,
	// as a pass C *= beta before an accumulating call would round them
	// (package blas's C = alpha*op(A)*op(B) + beta*C without that extra
	// pass over C). It excludes AddBias. Only the kernels an Impl names in
	// SgemmScaleC take it; every other kernel panics on it.
	ScaleC
)

// Packed operand layout. For a micro-kernel of shape MR x NR and depth k:
//
//	a holds k groups of MR values: a[p*MR+i] = A[i][p]
//	b holds k groups of NR values: b[p*NR+j] = B[p][j]
//	c is row-major with leading dimension ldc: C[i][j] = c[i*ldc+j]

// sgemmMicroRef is the float32 micro-kernel specification, for any shape
// mr x nr; every implementation computes exactly this loop (up to the
// rounding of fused multiply-adds):
//
//	for i := 0; i < mr; i++ {
//		for j := 0; j < nr; j++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				s += a[p*mr+i] * b[p*nr+j]
//			}
//			if flags&Accumulate != 0 && flags&ScaleC != 0 { s += float32(bias[0] * c[i*ldc+j]) }
//			else if flags&Accumulate != 0 { s += c[i*ldc+j] }
//			if flags&AddBias != 0 { s += bias[j] }
//			if flags&ReLU != 0 && !(s > 0) { s = 0 }
//			c[i*ldc+j] = s
//		}
//	}
func sgemmMicroRef(mr, nr, k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags) {
	checkGemmScaleC(mr, nr, k, len(a), len(b), len(c), ldc, len(bias), flags)
	for i := 0; i < mr; i++ {
		for j := 0; j < nr; j++ {
			var s float32
			for p := 0; p < k; p++ {
				s += a[p*mr+i] * b[p*nr+j]
			}
			switch {
			case flags&ScaleC != 0:
				s += float32(bias[0] * c[i*ldc+j])
			case flags&Accumulate != 0:
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

// sgemmDescendRef is the specification of the descent kernels
// (Impl.SgemmDescend): the micro-kernel, then the plain SGD step
// (sgdGeneric) on the mr x nr tile of W at w, leading dimension ldc, with
// the tile just stored in C as the gradient:
//
//	sgemmMicroRef(mr, nr, k, a, b, c, ldc, coef, flags) // beta = coef[0] with ScaleC
//	for i := 0; i < mr; i++ {
//		for j := 0; j < nr; j++ {
//			x := w[i*ldc+j]
//			t := c[i*ldc+j] + float32(coef[2]*x) // wd = coef[2]
//			w[i*ldc+j] = x - float32(coef[1]*t) // lr = coef[1]
//		}
//	}
//
// flags may hold Accumulate and ScaleC, not AddBias or ReLU. With C the
// velocity V and ScaleC's beta the momentum, this is a step of SGD with
// momentum whose velocity update V = mu*V + G rides in the product.
func sgemmDescendRef(mr, nr, k int, a, b, c []float32, ldc int, w, coef []float32, flags GemmFlags) {
	checkGemmDescend(mr, nr, k, len(a), len(b), len(c), ldc, len(w), len(coef), flags, true)
	sgemmMicroRef(mr, nr, k, a, b, c, ldc, coef, flags)
	descendTile(mr, nr, c, ldc, w, coef)
}

// descendTile is sgemmDescendRef's SGD step on an mr x nr tile.
func descendTile(mr, nr int, c []float32, ldc int, w, coef []float32) {
	lr, wd := coef[1], coef[2]
	for i := 0; i < mr; i++ {
		crow, wrow := c[i*ldc:i*ldc+nr], w[i*ldc:i*ldc+nr]
		for j, x := range wrow {
			t := crow[j] + float32(wd*x)
			wrow[j] = x - float32(lr*t)
		}
	}
}

// sgemmDescendGeneric is the generic implementation's descent kernel:
// sgemmDescendRef with mr = nr = 4 on the generic micro-kernel.
func sgemmDescendGeneric(k int, a, b, c []float32, ldc int, w, coef []float32, flags GemmFlags) {
	checkGemmDescend(genericMR, genericNR, k, len(a), len(b), len(c), ldc, len(w), len(coef), flags, false)
	gemm4x4(k, a, b, genericNR, c, ldc, nil, flags)
	descendTile(genericMR, genericNR, c, ldc, w, coef)
}

// checkGemmDescend panics unless a descent kernel call (sgemmDescendRef)
// is well formed: the micro-kernel's operands (checkGemmScaleC, beta in
// coef[0]; scaleC says whether the kernel takes ScaleC), W as long as C,
// coef holding beta, lr and wd, and no AddBias or ReLU.
func checkGemmDescend(mr, nr, k, la, lb, lc, ldc, lw, lcoef int, flags GemmFlags, scaleC bool) {
	switch {
	case flags&(AddBias|ReLU) != 0:
		panic(errDescendFlags)
	case lcoef < 3:
		panic(errShortCoef)
	}
	if scaleC {
		checkGemmScaleC(mr, nr, k, la, lb, lc, ldc, lcoef, flags)
	} else {
		checkGemm(mr, nr, k, la, lb, lc, ldc, lcoef, flags)
	}
	if lw < (mr-1)*ldc+nr {
		panic(errShortW)
	}
}

// dgemmMicroRef is the float64 micro-kernel specification; it is
// sgemmMicroRef's loop on float64.
func dgemmMicroRef(mr, nr, k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags) {
	checkGemm(mr, nr, k, len(a), len(b), len(c), ldc, len(bias), flags)
	for i := 0; i < mr; i++ {
		for j := 0; j < nr; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += a[p*mr+i] * b[p*nr+j]
			}
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

// checkGemm panics unless the operands of an mr x nr micro-kernel call of
// depth k are long enough. It runs before any assembly.
func checkGemm(mr, nr, k, la, lb, lc, ldc, lbias int, flags GemmFlags) {
	switch {
	case k < 0:
		panic(errNegK)
	case ldc < nr:
		panic(errLdc)
	case la < k*mr:
		panic(errShortA)
	case lb < k*nr:
		panic(errShortB)
	case lc < (mr-1)*ldc+nr:
		panic(errShortC)
	case flags&AddBias != 0 && lbias < nr:
		panic(errShortBias)
	case flags&ScaleC != 0:
		panic(errScaleC)
	}
}

// checkGemmScaleC is checkGemm for the micro-kernels that take ScaleC
// (Impl.SgemmScaleC): with it, Accumulate must be set, AddBias clear, and
// bias must hold beta.
func checkGemmScaleC(mr, nr, k, la, lb, lc, ldc, lbias int, flags GemmFlags) {
	if flags&ScaleC != 0 && (flags&Accumulate == 0 || flags&AddBias != 0 || lbias < 1) {
		panic(errScaleCFlags)
	}
	checkGemm(mr, nr, k, la, lb, lc, ldc, lbias, flags&^ScaleC)
}

// The generic implementation's micro-kernel shape: 4x4 keeps the sixteen
// accumulators of the pure-Go kernels in registers.
const (
	genericMR = 4
	genericNR = 4
)

// sgemmGeneric is the generic implementation's 4x4 float32 micro-kernel:
// sgemmMicroRef with mr = nr = 4, accumulators held in locals.
func sgemmGeneric(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags) {
	checkGemm(genericMR, genericNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	gemm4x4(k, a, b, genericNR, c, ldc, bias, flags)
}

// dgemmGeneric is sgemmGeneric on float64.
func dgemmGeneric(k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags) {
	checkGemm(genericMR, genericNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	gemm4x4(k, a, b, genericNR, c, ldc, bias, flags)
}

// sgemmStridedMicroRef is the specification of the float32 micro-kernels
// that read B in place (Impl.SgemmStrided): sgemmMicroRef with row p of the
// k x nr micro-panel of B at b[p*ldb : p*ldb+nr] instead of b[p*nr:], so
// that a row-major B needs no packing:
//
//	s += a[p*mr+i] * b[p*ldb+j]
//
// With ldb = nr it is sgemmMicroRef.
func sgemmStridedMicroRef(mr, nr, k int, a, b []float32, ldb int, c []float32, ldc int, bias []float32, flags GemmFlags) {
	stridedMicroRef(mr, nr, k, a, b, ldb, c, ldc, bias, flags)
}

// dgemmStridedMicroRef is sgemmStridedMicroRef on float64.
func dgemmStridedMicroRef(mr, nr, k int, a, b []float64, ldb int, c []float64, ldc int, bias []float64, flags GemmFlags) {
	stridedMicroRef(mr, nr, k, a, b, ldb, c, ldc, bias, flags)
}

func stridedMicroRef[T float32 | float64](mr, nr, k int, a, b []T, ldb int, c []T, ldc int, bias []T, flags GemmFlags) {
	checkStrided(mr, nr, k, len(a), len(b), ldb, len(c), ldc, len(bias), flags)
	for i := 0; i < mr; i++ {
		for j := 0; j < nr; j++ {
			var s T
			for p := 0; p < k; p++ {
				s += a[p*mr+i] * b[p*ldb+j]
			}
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

// checkStrided is checkGemm for the micro-kernels reading B in place: B
// holds k rows of nr values ldb apart.
func checkStrided(mr, nr, k, la, lb, ldb, lc, ldc, lbias int, flags GemmFlags) {
	if ldb < nr {
		panic(errLdb)
	}
	nb := 0
	if k > 0 {
		nb = (k-1)*ldb + nr
	}
	if lb < nb {
		panic(errShortB)
	}
	checkGemm(mr, nr, k, la, k*nr, lc, ldc, lbias, flags)
}

// sgemmLowRef is the specification of the low-row kernels
// (Impl.SgemmLow, SgemmStridedLow): the first low rows of an mr x nr tile,
// no epilogue, from a packed A micro-panel of the full mr rows and the B
// micro-panel, its rows ldb apart (ldb = nr: packed):
//
//	for i < low, j < nr: c[i*ldc+j] = sum_p a[p*mr+i] * b[p*ldb+j]
//
// A product whose last row panel holds at most low of the kernel's mr
// rows computes that panel with low/mr of the multiply-adds, each element
// summed in the same order as by the full kernel (the same bits).
func sgemmLowRef(mr, nr, low, k int, a, b []float32, ldb int, c []float32, ldc int) {
	checkLow(mr, nr, low, k, len(a), len(b), ldb, len(c), ldc)
	for i := 0; i < low; i++ {
		for j := 0; j < nr; j++ {
			var s float32
			for p := 0; p < k; p++ {
				s += a[p*mr+i] * b[p*ldb+j]
			}
			c[i*ldc+j] = s
		}
	}
}

// checkLow panics unless the operands of a low-row kernel fit: k steps of
// mr values in a, k rows of nr values ldb apart in b, low rows of nr
// values ldc apart in c.
func checkLow(mr, nr, low, k, la, lb, ldb, lc, ldc int) {
	nb := 0
	if k > 0 {
		nb = (k-1)*ldb + nr
	}
	switch {
	case k < 0:
		panic(errNegK)
	case ldb < nr:
		panic(errLdb)
	case ldc < nr:
		panic(errLdc)
	case la < k*mr:
		panic(errShortA)
	case lb < nb:
		panic(errShortB)
	case lc < (low-1)*ldc+nr:
		panic(errShortC)
	}
}

// checkPrefetch panics unless the rows a strided kernel is asked to
// prefetch, pfRows of them ldb apart from pf[0], lie within pf.
func checkPrefetch(lpf, ldb, pfRows int) {
	if pfRows < 0 || pfRows > 0 && (pfRows-1)*ldb >= lpf {
		panic(errPrefetch)
	}
}

// sgemmStridedGeneric is the generic implementation's strided 4x4 float32
// micro-kernel: sgemmStridedMicroRef with mr = nr = 4, computed as
// sgemmGeneric computes it (the same products summed in the same order).
func sgemmStridedGeneric(k int, a, b []float32, ldb int, c []float32, ldc int, bias []float32, flags GemmFlags, pf []float32, pfRows int) {
	checkStrided(genericMR, genericNR, k, len(a), len(b), ldb, len(c), ldc, len(bias), flags)
	checkPrefetch(len(pf), ldb, pfRows)
	gemm4x4(k, a, b, ldb, c, ldc, bias, flags)
}

// dgemmStridedGeneric is sgemmStridedGeneric on float64.
func dgemmStridedGeneric(k int, a, b []float64, ldb int, c []float64, ldc int, bias []float64, flags GemmFlags, pf []float64, pfRows int) {
	checkStrided(genericMR, genericNR, k, len(a), len(b), ldb, len(c), ldc, len(bias), flags)
	checkPrefetch(len(pf), ldb, pfRows)
	gemm4x4(k, a, b, ldb, c, ldc, bias, flags)
}

// gemm4x4 is the body of the generic micro-kernels: a 4x4 tile with sixteen
// accumulators in locals, row p of B at b[p*ldb:]. Operands are checked by
// the caller.
func gemm4x4[T float32 | float64](k int, a, b []T, ldb int, c []T, ldc int, bias []T, flags GemmFlags) {
	var c00, c01, c02, c03, c10, c11, c12, c13 T
	var c20, c21, c22, c23, c30, c31, c32, c33 T
	a = a[:4*k]
	for p := 0; p < k; p++ {
		ap, bp := a[4*p:4*p+4:4*p+4], b[p*ldb:p*ldb+4:p*ldb+4]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	acc := [4][4]T{
		{c00, c01, c02, c03}, {c10, c11, c12, c13},
		{c20, c21, c22, c23}, {c30, c31, c32, c33},
	}
	for i := range acc {
		row := c[i*ldc : i*ldc+4]
		for j, s := range acc[i] {
			if flags&Accumulate != 0 {
				s += row[j]
			}
			if flags&AddBias != 0 {
				s += bias[j]
			}
			if flags&ReLU != 0 && !(s > 0) {
				s = 0
			}
			row[j] = s
		}
	}
}

// sgemmHalfRef is the specification of the half-width edge kernels
// (Impl.SgemmHalf): the first nr/2 columns of an mr x nr tile, no
// epilogue, from the same packed micro-panels as the full kernel:
//
//	for i < mr, j < nr/2: c[i*ldc+j] = sum_p a[p*mr+i] * b[p*nr+j]
//
// A product whose last micro-panel holds at most nr/2 columns computes
// that panel with half the multiply-adds.
func sgemmHalfRef(mr, nr, k int, a, b, c []float32, ldc int) {
	checkHalf(mr, nr, k, len(a), len(b), len(c), ldc)
	for i := 0; i < mr; i++ {
		for j := 0; j < nr/2; j++ {
			var s float32
			for p := 0; p < k; p++ {
				s += a[p*mr+i] * b[p*nr+j]
			}
			c[i*ldc+j] = s
		}
	}
}

// checkHalf panics unless the operands of a half-width kernel fit: k
// steps of an mr-row A micro-panel, k rows of an nr-wide B micro-panel of
// which the first nr/2 columns are read, mr rows of nr/2 columns of C.
func checkHalf(mr, nr, k, la, lb, lc, ldc int) {
	h := nr / 2
	switch {
	case k < 0:
		panic(errNegK)
	case ldc < h:
		panic(errLdc)
	case la < k*mr:
		panic(errShortA)
	case k > 0 && lb < (k-1)*nr+h:
		panic(errShortB)
	case lc < (mr-1)*ldc+h:
		panic(errShortC)
	}
}

// sgemmHalfMaskRef is the specification of the masked in-place
// half-width kernels (Impl.SgemmHalfMask): the first cols (1..half)
// columns of B read in place, rows ldb apart, the rest of the tile's half
// columns zero:
//
//	for i < mr, j < half: c[i*ldc+j] = j < cols ? sum_p a[p*mr+i] * b[p*ldb+j] : 0
func sgemmHalfMaskRef(mr, half, k int, a, b []float32, ldb int, c []float32, ldc, cols int) {
	checkHalfMask(mr, half, k, len(a), len(b), ldb, len(c), ldc, cols)
	for i := 0; i < mr; i++ {
		for j := 0; j < half; j++ {
			var s float32
			if j < cols {
				for p := 0; p < k; p++ {
					s += a[p*mr+i] * b[p*ldb+j]
				}
			}
			c[i*ldc+j] = s
		}
	}
}

// checkHalfMask panics unless the operands of a masked half-width kernel
// fit: 1 <= cols <= half, k rows of cols values ldb apart in b.
func checkHalfMask(mr, half, k, la, lb, ldb, lc, ldc, cols int) {
	switch {
	case k < 0:
		panic(errNegK)
	case cols < 1 || cols > half || ldb < cols:
		panic(errLdb)
	case ldc < half:
		panic(errLdc)
	case la < k*mr:
		panic(errShortA)
	case k > 0 && lb < (k-1)*ldb+cols:
		panic(errShortB)
	case lc < (mr-1)*ldc+half:
		panic(errShortC)
	}
}
