package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
)

// Sgemm computes C = alpha * op(A) * op(B) + beta * C, where op(X) is X or
// X^T as tA and tB say, op(A) is m x k, op(B) is k x n and C is m x n, all
// row-major with leading dimensions lda, ldb, ldc. When beta is zero, C is
// not read. Arguments are checked as gonum checks them, with gonum's panic
// messages.
func Sgemm(tA, tB gblas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	aT, bT := checkGemm(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c))
	sgemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil, false)
}

// Dgemm is Sgemm in double precision.
func Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	aT, bT := checkGemm(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c))
	dgemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil, false)
}

func sgemm(aT, bT bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, bias []float32, relu bool) {
	sgemmDescend(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, relu, nil)
}

// sgemmDescend is sgemm that, given a descent (Descent32), hands it to the
// packed engine when the product runs there on a kernel with a descent
// epilogue, and reports whether it did: then W has taken its step.
func sgemmDescend(aT, bT bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, bias []float32, relu bool, desc *descent) bool {
	impl := asm.Current()
	if alpha != 0 && (useDot(aT, bT, m, n, k, impl.DotMR) || useDotFew(aT, bT, m, n, k, impl.DotMR, 4, bias != nil || relu)) {
		gemmDot(impl.SgemmDot, impl.DotMR, impl.DotNR, &workspaces32, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, relu)
		return false
	}
	if impl.SgemmRows != nil && useRows(aT, bT, m, n, k, alpha, beta, impl.SRowsMR, impl.SNR, rowsDotMR(impl)) {
		gemmRows(impl, m, n, k, a, lda, b, ldb, c, ldc, bias, relu)
		return false
	}
	if impl.SgemmDirect != nil && bias == nil && !relu && alpha != 0 && !betaInEngine(impl, m, n, beta) {
		if !bT {
			if order := useDirect(m, n, k, ldb, 4, impl.DirectMR, impl.DirectMaxK); order != directNone {
				gemmDirect(impl.SgemmDirect, impl.DirectMR, impl.SDirectNR, 4, &workspaces32, order, aT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, directDot[float32]{impl.SgemmDot, impl.DotMR, impl.DotNR})
				return false
			}
		} else if order := useDirectTransposedB(m, n, k, 4, impl.DirectMR, impl.DirectMaxK); order != directNone {
			// op(B) = B^T, small: transposed once into scratch space (k x n,
			// a conflict-free row stride), then the direct path reads it in
			// place.
			ldt := directStride(n, 4)
			t := scratch32.get(k * ldt)
			impl.Transpose(t, b[:(n-1)*ldb+k], ldb, n, k, ldt)
			gemmDirect(impl.SgemmDirect, impl.DirectMR, impl.SDirectNR, 4, &workspaces32, order, aT, m, n, k, alpha, a, lda, t, ldt, beta, c, ldc, directDot[float32]{impl.SgemmDot, impl.DotMR, impl.DotNR})
			scratch32.put(t)
			return false
		}
	}
	if bias == nil && !relu && fewColumns(m, n, k, impl.SNR, 4) {
		// C^T = op(B)^T op(A)^T on the narrow path, then transposed into C.
		t := scratch32.get(n * m)
		sgemm(!bT, !aT, n, m, k, alpha, b, ldb, a, lda, 0, t, m, nil, false)
		if beta == 0 && ldc == n {
			impl.Transpose(c[:m*n], t, m, n, m, n)
		} else {
			addTransposed(c, ldc, beta, t, m, n)
		}
		scratch32.put(t)
		return false
	}
	mr, kern, kernS := impl.SgemmFor(m)
	half, halfMask := impl.SgemmHalfFor(m)
	lowMR, low, lowS := impl.SgemmLowFor(mr)
	ws := workspaces32.get()
	ws.call = gemmCall[float32]{aT: aT, bT: bT, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, bias: bias, relu: relu, ws: ws, kernS: kernS, half: half, halfMask: halfMask,
		low: low, lowS: lowS, lowMR: lowMR, trans: asm.Transpose, scaleC: impl.SgemmScaleC}
	if desc != nil && impl.SgemmDescend != nil && mr == impl.SMR && desc.ld == ldc {
		ws.call.kernD, ws.call.descW = impl.SgemmDescend, desc.w
		ws.call.descCoef = [3]float32{beta, desc.lr, desc.wd}
	}
	gemm(&ws.call, kern, mr, impl.SNR, 4)
	descended := ws.call.kernD != nil // gemm clears it where it took no descent
	workspaces32.put(ws)
	return descended
}

func dgemm(aT, bT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, bias []float64, relu bool) {
	impl := asm.Current()
	if alpha != 0 && (useDot64(aT, bT, m, n, k, impl.DDotMR) || useDotFew(aT, bT, m, n, k, impl.DDotMR, 8, bias != nil || relu)) {
		gemmDot(impl.DgemmDot, impl.DDotMR, impl.DDotNR, &workspaces64, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, relu)
		return
	}
	if impl.DgemmDirect != nil && bias == nil && !relu && alpha != 0 {
		if !bT {
			if order := useDirect(m, n, k, ldb, 8, impl.DirectMR, impl.DirectMaxK); order != directNone {
				gemmDirect(impl.DgemmDirect, impl.DirectMR, impl.DDirectNR, 8, &workspaces64, order, aT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, directDot[float64]{})
				return
			}
		} else if order := useDirectTransposedB(m, n, k, 8, impl.DirectMR, impl.DirectMaxK); order != directNone {
			ldt := directStride(n, 8)
			t := scratch64.get(k * ldt)
			transposeTo(t, ldt, b, ldb, n, k)
			gemmDirect(impl.DgemmDirect, impl.DirectMR, impl.DDirectNR, 8, &workspaces64, order, aT, m, n, k, alpha, a, lda, t, ldt, beta, c, ldc, directDot[float64]{})
			scratch64.put(t)
			return
		}
	}
	if bias == nil && !relu && fewColumns64(aT, m, n, k, impl.DNR) {
		t := scratch64.get(n * m)
		dgemm(!bT, !aT, n, m, k, alpha, b, ldb, a, lda, 0, t, m, nil, false)
		addTransposed(c, ldc, beta, t, m, n)
		scratch64.put(t)
		return
	}
	mr, kern, kernS := impl.DgemmFor(m)
	ws := workspaces64.get()
	ws.call = gemmCall[float64]{aT: aT, bT: bT, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, bias: bias, relu: relu, ws: ws, kernS: kernS}
	gemm(&ws.call, kern, mr, impl.DNR, 8)
	workspaces64.put(ws)
}

// betaInEngine reports whether a float32 product with this beta and an
// m x n C skips the direct path for the packed engine: the direct path
// scales C by beta in a pass of its own before the product (betaFlags),
// the engine's kernels where they take asm.ScaleC in their epilogue, and
// once C is larger than L2 that pass reads and writes all of C once more
// from memory. A training step's velocity-fused weight gradients (package
// layers: V = mu*V + dZᵀX) are such products. Zen 5, the product and the
// update w -= lr*V together against the plain gradient and the momentum
// update, paired medians of 31, two threads / one: 1000x100x1000:TN with
// the direct path 1.66 / 1.40 (slower), with the engine 0.94 / 0.93;
// 1000x100x784:TN 0.97 / 0.99 on the engine.
func betaInEngine(impl *asm.Impl, m, n int, beta float32) bool {
	if beta == 0 || beta == 1 || !impl.SgemmScaleC {
		return false // the common case, decided before the cache query
	}
	_, l2, _ := cacheSizes()
	return 4*m*n > l2
}

// fewColumns reports whether the float32 product C = op(A) op(B) has so
// few columns (at most two micro-panels) and so many rows (more than one A
// block) that it runs better as its transpose C^T = op(B)^T op(A)^T: on
// the general path each packed micro-panel of A would serve only the one
// or two B micro-panels there are, so packing A costs about as much memory
// traffic as the multiplication; transposed, the call takes the narrow
// path, which packs the small op(B)^T once and each slice of op(A)^T for
// every row panel of C^T. The transposed result goes through a scratch
// buffer (m*n elements), a serial pass that the depth k must repay: below
// k = 128 it did not (2000x64x64 on two threads: 236 -> 176 GFLOP/s). Zen 5,
// interleaved A/B, medians of 3: 1000x1000x64 120 -> 143 GFLOP/s on one
// thread, 233 -> 256 on two; 1000x1000x32 94 -> 119 and 170 -> 195;
// 4000x256x64 118 -> 140 and 234 -> 265; with the AVX2 kernels (NR = 16)
// 1000x1000x16 49 -> 63 and 88 -> 109, 4000x256x32 61 -> 74 and 92 -> 140.
// float64 takes it only with op(A) transposed (fewColumns64).
func fewColumns(m, n, k, nr, elemSize int) bool {
	if fewColumnsOff || n > 2*nr || k < 128 || m < 4*n {
		return false
	}
	bl := newBlocking(1, nr, elemSize, k)
	return m > bl.mc && m*n*elemSize <= narrowMaxPackedA
}

// fewColumnsOff turns the transposed path off (tests and A/B runs).
var fewColumnsOff bool

// fewColumns64 is fewColumns for float64, where the transposed problem
// wins only when op(A) is transposed: its transpose is then read in place
// by the narrow path's in-place kernel, unpacked (the updates of gonum's
// blocked QR, C^T V with 32 columns: interleaved A/B, medians of 3, one
// thread / two: 2000x2000x32 36.7 -> 69.3 / 70.3 -> 126 GFLOP/s,
// 1000x3000x32 38.3 -> 69.8 / 69.7 -> 124, 2000x1000x16 23.8 -> 65.4 /
// 47.8 -> 90.9, 4000x4000x32 35.1 -> 50.4 / 66.7 -> 69.1). With A not
// transposed the transposed problem packs its B as the general path packs
// A, and did not gain (level at n = 64, slower at n = 32).
func fewColumns64(aT bool, m, n, k, nr int) bool {
	return aT && !fewColumns64Off && fewColumns(m, n, k, nr, 8)
}

var fewColumns64Off bool

// addTransposed sets C = t^T + beta*C for the n x m matrix t (C m x n,
// row stride ldc); beta = 0 does not read C.
func addTransposed[T float32 | float64](c []T, ldc int, beta T, t []T, m, n int) {
	const bs = 32 // square tiles keep both sides in L1
	for i0 := 0; i0 < m; i0 += bs {
		for j0 := 0; j0 < n; j0 += bs {
			for i := i0; i < min(i0+bs, m); i++ {
				row := c[i*ldc : i*ldc+n]
				for j := j0; j < min(j0+bs, n); j++ {
					if beta == 0 {
						row[j] = t[j*m+i]
					} else {
						row[j] = beta*row[j] + t[j*m+i]
					}
				}
			}
		}
	}
}
