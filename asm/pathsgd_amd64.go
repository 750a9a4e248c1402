//go:build !purego && !noasm

package asm

// The AVX2 Path-SGD kernels walk the layer row by row; within a row one
// index register addresses w, g (and v), the column factors cs and the
// float64 vector x, 16 columns per step, then 8, then one at a time (any
// length, alignment and leading dimension). The float32 update uses
// separate VMULPS/VADDPS/VSUBPS in the reference's order, so w and v are the
// reference's bits; the path-norm sum widens the old weights (loaded once,
// into registers) with VCVTPS2PD, squares them exactly and accumulates w²·x
// with VFMADD231PD into four float64 accumulators per row. Each iteration
// issues its loads before its stores, and every stream is prefetched 4 KiB
// ahead.
//
// An AVX-512 form of the column-sum kernels (32 columns a step on zmm
// registers, the last cols%32 columns through these first) was tried on
// Zen 5 (2026-12-04) and not kept: alone and in cache it ran 1.12-1.57x
// faster (1000x1000 and 1000x784 layers), but from memory it was level at
// best (4000x4000 0.98-1.01 with a 1.5-2 KiB prefetch distance, 0.89-0.94
// at 4-8 KiB; 4000x784 0.80-0.94, its tail pass hurting), and inside
// training steps, where the meeting layer's weights arrive from memory,
// whole Path-SGD steps of 784-1000-1000-10 measured 0.99-1.00 on one
// thread and 1.00-1.06 on two, 784-4000-4000-10 level.

// pathSGDAVX2Asm is pathSGDGeneric's loop (the caller has checked the operands):
//
//	for r := range rs {
//		var s float64
//		for c := range cs {
//			i := r*ld + c
//			f := float64(w[i]); s += f * f * x[c]
//			t := float32(g[i] * cs[c])
//			w[i] = w[i] - float32(rs[r]*t)
//		}
//		y[r] = s
//	}
//
//go:noescape
func pathSGDAVX2Asm(y []float64, w, g []float32, ld int, rs, cs []float32, x []float64)

// pathSGDMomentumAVX2Asm is pathSGDMomentumGeneric's loop (the caller has
// checked the operands):
//
//	for r := range rs {
//		var s float64
//		for c := range cs {
//			i := r*ld + c
//			f := float64(w[i]); s += f * f * x[c]
//			t := float32(rs[r] * float32(g[i]*cs[c]))
//			v[i] = float32(mu*v[i]) + t
//			w[i] = w[i] - float32(lr*v[i])
//		}
//		y[r] = s
//	}
//
//go:noescape
func pathSGDMomentumAVX2Asm(y []float64, w, g, v []float32, ld int, rs, cs []float32, x []float64, lr, mu float32)

// pathSGDColsAVX2Asm is pathSGDAVX2Asm's loop that also adds the column
// sums z[c] += float64(w²·u[r]) of the old weights, row by row (u[r]
// broadcast in a register; z read and written at each step, from L1 or L2).
//
//go:noescape
func pathSGDColsAVX2Asm(y, z []float64, w, g []float32, ld int, rs, cs []float32, x, u []float64)

// pathSGDMomentumColsAVX2Asm is pathSGDMomentumAVX2Asm's loop with the
// column sums of pathSGDColsAVX2Asm.
//
//go:noescape
func pathSGDMomentumColsAVX2Asm(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, lr, mu float32)

// pathSGDPlainAVX2Asm is pathSGDAVX2Asm's update without the sums (the
// caller has checked the operands):
//
//	for r := range rs {
//		for c := range cs {
//			i := r*ld + c
//			t := float32(g[i] * cs[c])
//			w[i] = w[i] - float32(rs[r]*t)
//		}
//	}
//
//go:noescape
func pathSGDPlainAVX2Asm(w, g []float32, ld int, rs, cs []float32)

// pathSGDMomentumPlainAVX2Asm is pathSGDMomentumAVX2Asm's update without
// the sums (the caller has checked the operands); each iteration loads w,
// g and v before it stores.
//
//go:noescape
func pathSGDMomentumPlainAVX2Asm(w, g, v []float32, ld int, rs, cs []float32, lr, mu float32)

func pathSGDAVX2(y, z []float64, w, g []float32, ld int, rs, cs []float32, x, u []float64) {
	checkPathSGD(y, z, w, g, nil, ld, rs, cs, x, u, false)
	if len(rs) == 0 {
		return
	}
	if y == nil {
		pathSGDPlainAVX2Asm(w, g, ld, rs, cs)
		return
	}
	if len(z) > 0 {
		pathSGDColsAVX2Asm(y, z, w, g, ld, rs, cs, x, u)
		return
	}
	pathSGDAVX2Asm(y, w, g, ld, rs, cs, x)
}

func pathSGDMomentumAVX2(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, lr, mu float32) {
	checkPathSGD(y, z, w, g, v, ld, rs, cs, x, u, true)
	if len(rs) == 0 {
		return
	}
	if y == nil {
		pathSGDMomentumPlainAVX2Asm(w, g, v, ld, rs, cs, lr, mu)
		return
	}
	if len(z) > 0 {
		pathSGDMomentumColsAVX2Asm(y, z, w, g, v, ld, rs, cs, x, u, lr, mu)
		return
	}
	pathSGDMomentumAVX2Asm(y, w, g, v, ld, rs, cs, x, lr, mu)
}

// pathSumsAVX2Asm is pathSumsGeneric's loop (the caller has checked the
// operands and that there is at least one row): pathSGDColsAVX2Asm's sums
// in its order, without the update, each line of w prefetched for
// reading.
//
//	for r := range y {
//		var s float64
//		for c := range x {
//			f := float64(w[r*ld+c]); q := f * f
//			s += q * x[c]
//			z[c] += float64(q * u[r])
//		}
//		y[r] = s
//	}
//
//go:noescape
func pathSumsAVX2Asm(y, z []float64, w []float32, ld int, x, u []float64)

func pathSumsAVX2(y, z []float64, w []float32, ld int, x, u []float64) {
	checkPathSums(y, z, w, ld, x, u)
	if len(y) == 0 {
		return
	}
	pathSumsAVX2Asm(y, z, w, ld, x, u)
}
