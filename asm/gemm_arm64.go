//go:build !purego && !noasm

package asm

// NEON micro-kernel shapes. Both keep 24 of the 32 vector registers as
// accumulators, leaving room for one k step of A and B:
//
//   - float32 8x12: per k step two A vectors and three B vectors feed 24
//     fmla-by-element (8 rows x 3 vectors of 4 columns), 96 multiply-adds
//     for 5 loads (the BLIS Cortex-A57 shape);
//   - float64 8x6: four A vectors and three B vectors feed 24 fmla (8 rows x
//     3 vectors of 2 columns), 48 multiply-adds for 7 loads.
//
// Each row of the C tile is a contiguous group of three vectors, so the
// epilogue reads and writes C with whole-vector loads and stores.
const (
	neonSMR, neonSNR = 8, 12
	neonDMR, neonDNR = 8, 6
)

// The assembly tests the flags as bits 0 (Accumulate), 1 (AddBias), 2
// (ReLU) and 3 (ScaleC); this constant does not compile if they move.
const _ uint = -(uint(Accumulate^1) | uint(AddBias^2) | uint(ReLU^4) | uint(ScaleC^8))

// sgemmNEONAsm is sgemmMicroRef with mr = 8, nr = 12, without the argument
// checks:
//
//	for i := 0; i < 8; i++ {
//		for j := 0; j < 12; j++ {
//			var s float32
//			for p := 0; p < k; p++ { s += a[p*8+i] * b[p*12+j] }
//			if flags&ScaleC != 0 { s += float32(bias[0] * c[i*ldc+j]) } else
//			if flags&Accumulate != 0 { s += c[i*ldc+j] }
//			if flags&AddBias != 0 { s += bias[j] }
//			if flags&ReLU != 0 && !(s > 0) { s = 0 }
//			c[i*ldc+j] = s
//		}
//	}
//
//go:noescape
func sgemmNEONAsm(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags)

// dgemmNEONAsm is dgemmMicroRef with mr = 8, nr = 6, without the argument
// checks: sgemmNEONAsm's loop on float64.
//
//go:noescape
func dgemmNEONAsm(k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags)

// sgemmDescendNEONAsm is sgemmDescendRef with mr = 8, nr = 12, without the
// argument checks: sgemmNEONAsm's product and epilogue (beta = coef[0]
// with ScaleC), the tile stored to C, then the SGD step on the tile of W
// from the accumulators:
//
//	for i := 0; i < 8; i++ {
//		for j := 0; j < 12; j++ {
//			x := w[i*ldc+j]
//			t := c[i*ldc+j] + float32(coef[2]*x)
//			w[i*ldc+j] = x - float32(coef[1]*t)
//		}
//	}
//
//go:noescape
func sgemmDescendNEONAsm(k int, a, b, c []float32, ldc int, w, coef []float32, flags GemmFlags)

// sgemmNEON is the NEON float32 micro-kernel: the checks, then the assembly.
func sgemmNEON(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags) {
	checkGemmScaleC(neonSMR, neonSNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	sgemmNEONAsm(k, a, b, c, ldc, bias, flags)
}

// sgemmDescendNEON is the NEON descent kernel: the checks, then the
// assembly.
func sgemmDescendNEON(k int, a, b, c []float32, ldc int, w, coef []float32, flags GemmFlags) {
	checkGemmDescend(neonSMR, neonSNR, k, len(a), len(b), len(c), ldc, len(w), len(coef), flags, true)
	sgemmDescendNEONAsm(k, a, b, c, ldc, w, coef, flags)
}

// dgemmNEON is the NEON float64 micro-kernel: the checks, then the assembly.
func dgemmNEON(k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags) {
	checkGemm(neonDMR, neonDNR, k, len(a), len(b), len(c), ldc, len(bias), flags)
	dgemmNEONAsm(k, a, b, c, ldc, bias, flags)
}
