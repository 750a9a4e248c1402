//go:build !purego && !noasm

package asm

// The AVX2 optimizer kernels take whole slices and multiply and add in
// separate instructions (no FMA), in the order of the reference loops, so
// they return the reference's bits for every input (NaN payloads aside).
// Each runs an unrolled loop of 32 elements (16 for AdaGrad), then 8 at a
// time, then a scalar tail: any length and alignment is accepted.

// sgdAVX2Asm is sgdGeneric's loop over len(w) elements:
//
//	for i := range w { t := g[i] + float32(wd*w[i]); w[i] = w[i] - float32(lr*t) }
//
//go:noescape
func sgdAVX2Asm(w, g []float32, lr, wd float32)

// sgdMomentumAVX2Asm is sgdMomentumGeneric's loop over len(w) elements:
//
//	for i := range w {
//		v[i] = float32(mu*v[i]) + (g[i] + float32(wd*w[i]))
//		w[i] = w[i] - float32(lr*v[i])
//	}
//
//go:noescape
func sgdMomentumAVX2Asm(w, g, v []float32, lr, mu, wd float32)

// adaGradAVX2Asm is adaGradGeneric's loop over len(w) elements:
//
//	for i := range w {
//		h[i] = h[i] + float32(g[i]*g[i])
//		w[i] = w[i] - float32(lr*g[i])/(sqrt(h[i])+eps)
//	}
//
// VSQRTPS and VDIVPS are correctly rounded, like the reference.
//
//go:noescape
func adaGradAVX2Asm(w, g, h []float32, lr, eps float32)

func sgdAVX2(w, g []float32, lr, wd float32) {
	checkSgd(w, g, lr, wd)
	sgdAVX2Asm(w, g, lr, wd)
}

func sgdMomentumAVX2(w, g, v []float32, lr, mu, wd float32) {
	checkSgdMomentum(w, g, v, lr, mu, wd)
	sgdMomentumAVX2Asm(w, g, v, lr, mu, wd)
}

func adaGradAVX2(w, g, h []float32, lr, eps float32) {
	checkAdaGrad(w, g, h, lr, eps)
	adaGradAVX2Asm(w, g, h, lr, eps)
}
