//go:build !purego && !noasm

package asm

// pathSGDNEONAsm is pathSGDGeneric's loop without the checks:
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
// Eight columns per step: the old weights are widened, squared and
// multiply-added with x into four float64x2 accumulators, then updated in
// float32.
//
//go:noescape
func pathSGDNEONAsm(y []float64, w, g []float32, ld int, rs, cs []float32, x []float64)

// pathSGDMomentumNEONAsm is pathSGDMomentumGeneric's loop without the checks:
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
func pathSGDMomentumNEONAsm(y []float64, w, g, v []float32, ld int, rs, cs []float32, x []float64, lr, mu float32)

// pathSGDColsNEONAsm is pathSGDNEONAsm's loop that also adds the column
// sums z[c] += float64(w²·u[r]) of the old weights, row by row.
//
//go:noescape
func pathSGDColsNEONAsm(y, z []float64, w, g []float32, ld int, rs, cs []float32, x, u []float64)

// pathSGDMomentumColsNEONAsm is pathSGDMomentumNEONAsm's loop with the
// column sums of pathSGDColsNEONAsm.
//
//go:noescape
func pathSGDMomentumColsNEONAsm(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, lr, mu float32)

// pathSGDPlainNEONAsm is pathSGDNEONAsm's update without the sums (y and
// x absent).
//
//go:noescape
func pathSGDPlainNEONAsm(w, g []float32, ld int, rs, cs []float32)

// pathSGDMomentumPlainNEONAsm is pathSGDMomentumNEONAsm's update without
// the sums.
//
//go:noescape
func pathSGDMomentumPlainNEONAsm(w, g, v []float32, ld int, rs, cs []float32, lr, mu float32)

func pathSGDNEON(y, z []float64, w, g []float32, ld int, rs, cs []float32, x, u []float64) {
	checkPathSGD(y, z, w, g, nil, ld, rs, cs, x, u, false)
	if y == nil {
		pathSGDPlainNEONAsm(w, g, ld, rs, cs)
		return
	}
	if len(z) > 0 {
		pathSGDColsNEONAsm(y, z, w, g, ld, rs, cs, x, u)
		return
	}
	pathSGDNEONAsm(y, w, g, ld, rs, cs, x)
}

func pathSGDMomentumNEON(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, lr, mu float32) {
	checkPathSGD(y, z, w, g, v, ld, rs, cs, x, u, true)
	if y == nil {
		pathSGDMomentumPlainNEONAsm(w, g, v, ld, rs, cs, lr, mu)
		return
	}
	if len(z) > 0 {
		pathSGDMomentumColsNEONAsm(y, z, w, g, v, ld, rs, cs, x, u, lr, mu)
		return
	}
	pathSGDMomentumNEONAsm(y, w, g, v, ld, rs, cs, x, lr, mu)
}

// pathSumsNEONAsm is pathSumsGeneric's loop without the checks:
// pathSGDColsNEONAsm's sums in its order, without the update.
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
func pathSumsNEONAsm(y, z []float64, w []float32, ld int, x, u []float64)

func pathSumsNEON(y, z []float64, w []float32, ld int, x, u []float64) {
	checkPathSums(y, z, w, ld, x, u)
	pathSumsNEONAsm(y, z, w, ld, x, u)
}
