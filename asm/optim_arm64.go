//go:build !purego && !noasm

package asm

// sgdNEON is sgdGeneric's loop over len(w) elements, without the length
// check:
//
//	for i := range w { t := g[i] + float32(wd*w[i]); w[i] = w[i] - float32(lr*t) }
//
//go:noescape
func sgdNEON(w, g []float32, lr, wd float32)

// sgdMomentumNEON is sgdMomentumGeneric's loop over len(w) elements, without
// the length checks:
//
//	for i := range w {
//		v[i] = float32(mu*v[i]) + (g[i] + float32(wd*w[i]))
//		w[i] = w[i] - float32(lr*v[i])
//	}
//
//go:noescape
func sgdMomentumNEON(w, g, v []float32, lr, mu, wd float32)

// adaGradNEON is adaGradGeneric's loop over len(w) elements, without the
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
func adaGradNEON(w, g, h []float32, lr, eps float32)

func sgdNEONChecked(w, g []float32, lr, wd float32) {
	if len(w) != len(g) {
		panic(errLength)
	}
	sgdNEON(w, g, lr, wd)
}

func sgdMomentumNEONChecked(w, g, v []float32, lr, mu, wd float32) {
	if len(w) != len(g) || len(w) != len(v) {
		panic(errLength)
	}
	sgdMomentumNEON(w, g, v, lr, mu, wd)
}

func adaGradNEONChecked(w, g, h []float32, lr, eps float32) {
	if len(w) != len(g) || len(w) != len(h) {
		panic(errLength)
	}
	adaGradNEON(w, g, h, lr, eps)
}
