//go:build !purego && !noasm

package asm

// sgdNEONAsm is sgdGeneric's loop over len(w) elements, without the length
// check:
//
//	for i := range w { t := g[i] + float32(wd*w[i]); w[i] = w[i] - float32(lr*t) }
//
//go:noescape
func sgdNEONAsm(w, g []float32, lr, wd float32)

// sgdMomentumNEONAsm is sgdMomentumGeneric's loop over len(w) elements, without
// the length checks:
//
//	for i := range w {
//		v[i] = float32(mu*v[i]) + (g[i] + float32(wd*w[i]))
//		w[i] = w[i] - float32(lr*v[i])
//	}
//
//go:noescape
func sgdMomentumNEONAsm(w, g, v []float32, lr, mu, wd float32)

// adaGradNEONAsm is adaGradGeneric's loop over len(w) elements, without the
// length checks:
//
//	for i := range w {
//		h[i] = h[i] + float32(g[i]*g[i])
//		w[i] = w[i] - float32(lr*g[i])/(sqrt(h[i])+eps)
//	}
//
// The vector fsqrt and fdiv are correctly rounded, like the reference.
//
//go:noescape
func adaGradNEONAsm(w, g, h []float32, lr, eps float32)

func sgdNEON(w, g []float32, lr, wd float32) {
	checkSgd(w, g, lr, wd)
	sgdNEONAsm(w, g, lr, wd)
}

func sgdMomentumNEON(w, g, v []float32, lr, mu, wd float32) {
	checkSgdMomentum(w, g, v, lr, mu, wd)
	sgdMomentumNEONAsm(w, g, v, lr, mu, wd)
}

func adaGradNEON(w, g, h []float32, lr, eps float32) {
	checkAdaGrad(w, g, h, lr, eps)
	adaGradNEONAsm(w, g, h, lr, eps)
}
