package asm

import "math"

// Optimizer update kernels. Each reads the parameters w, the gradient g and
// (for the stateful ones) the optimizer state, and updates w and the state in
// place, in one pass.
//
// The reference loops round every product explicitly (float32(x*y)), so that
// the Go compiler never fuses a multiply and an add: the generic loop then
// gives the same bits on every build (plain Go fuses x*y+z into an FMA on
// arm64 and with GOAMD64=v3, not with the default amd64 build), and the SIMD
// kernels, which multiply and add in separate instructions, match it bit for
// bit on every input except for the payload of a NaN. The updates are
// memory-bound (three to five float32 streams per element), so fused
// multiply-adds would save no time.

// sgdGeneric is the reference plain SGD step with L2 weight decay:
//
//	for i := range w { t := g[i] + float32(wd*w[i]); w[i] = w[i] - float32(lr*t) }
//
// g and w must have the same length.
func sgdGeneric(w, g []float32, lr, wd float32) {
	checkSgd(w, g, lr, wd)
	g = g[:len(w)]
	for i, x := range w {
		t := g[i] + float32(wd*x)
		w[i] = x - float32(lr*t)
	}
}

// sgdMomentumGeneric is the reference SGD step with heavy-ball momentum and
// L2 weight decay:
//
//	for i := range w {
//		v[i] = float32(mu*v[i]) + (g[i] + float32(wd*w[i]))
//		w[i] = w[i] - float32(lr*v[i])
//	}
//
// that is v = mu*v + g + wd*w, then w -= lr*v. w, g and v must have the same
// length.
func sgdMomentumGeneric(w, g, v []float32, lr, mu, wd float32) {
	checkSgdMomentum(w, g, v, lr, mu, wd)
	g, v = g[:len(w)], v[:len(w)]
	for i, x := range w {
		t := g[i] + float32(wd*x)
		vi := float32(mu*v[i]) + t
		v[i] = vi
		w[i] = x - float32(lr*vi)
	}
}

// adaGradGeneric is the reference AdaGrad step:
//
//	for i := range w {
//		h[i] = h[i] + float32(g[i]*g[i])
//		w[i] = w[i] - float32(lr*g[i])/(sqrt(h[i])+eps)
//	}
//
// where sqrt is the correctly rounded float32 square root. h accumulates the
// squared gradients (start it at zero). w, g and h must have the same length.
func adaGradGeneric(w, g, h []float32, lr, eps float32) {
	checkAdaGrad(w, g, h, lr, eps)
	g, h = g[:len(w)], h[:len(w)]
	for i, x := range w {
		gi := g[i]
		hi := h[i] + float32(gi*gi)
		h[i] = hi
		// float32(math.Sqrt(float64(hi))) is the correctly rounded float32
		// square root (the compiler emits SQRTSS/FSQRTS for it).
		w[i] = x - float32(lr*gi)/(float32(math.Sqrt(float64(hi)))+eps)
	}
}

// SGD sets w -= lr*(g + wd*w) with the selected implementation (see
// sgdGeneric for the exact rounding).
func SGD(w, g []float32, lr, wd float32) { Current().SGD(w, g, lr, wd) }

// SGDMomentum sets v = mu*v + g + wd*w, then w -= lr*v, with the selected
// implementation (see sgdMomentumGeneric for the exact rounding).
func SGDMomentum(w, g, v []float32, lr, mu, wd float32) { Current().SGDMomentum(w, g, v, lr, mu, wd) }

// AdaGrad sets h += g*g, then w -= lr*g/(sqrt(h)+eps), with the selected
// implementation (see adaGradGeneric for the exact rounding).
func AdaGrad(w, g, h []float32, lr, eps float32) { Current().AdaGrad(w, g, h, lr, eps) }

// checkSgd panics, before any work, on arguments that no implementation of
// sgd accepts: the one check its generic and assembly versions share.
func checkSgd(w, g []float32, lr, wd float32) {
	if len(w) != len(g) {
		panic(errLength)
	}
}

// checkSgdMomentum panics, before any work, on arguments that no implementation of
// sgdMomentum accepts: the one check its generic and assembly versions share.
func checkSgdMomentum(w, g, v []float32, lr, mu, wd float32) {
	if len(w) != len(g) || len(w) != len(v) {
		panic(errLength)
	}
}

// checkAdaGrad panics, before any work, on arguments that no implementation of
// adaGrad accepts: the one check its generic and assembly versions share.
func checkAdaGrad(w, g, h []float32, lr, eps float32) {
	if len(w) != len(g) || len(w) != len(h) {
		panic(errLength)
	}
}
