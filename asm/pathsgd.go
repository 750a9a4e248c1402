package asm

// Path-SGD update kernels. One call updates a whole layer W (rows x cols,
// row-major, leading dimension ld) from its gradient G, dividing each
// gradient by the layer's Path-SGD scaling kappa[r][c] = g_r * f_c, a
// rank-one outer product that is never materialized: the caller passes the
// reciprocal factors rs[r] (one per row, the learning rate folded in when
// there is no momentum) and cs[c] = 1/f_c (one per column). In the same
// pass over the old weights the kernel computes the next forward vector of
// the l2 path-norm dynamic program, y = (W∘W) x, as asm.PathMV would (in
// float64): the optimizer then reads W once per step instead of twice.
// Where the dynamic program's two directions meet, the same pass also adds
// the backward vector's column sums z += (W∘W)^T u (as asm.PathMTV would),
// so that the layer is read once for both.
// A layer whose forward vector is not needed (below the meeting layer)
// passes y = nil: the kernel then only updates, at the cost of a
// momentum-SGD step (x is not read and may be nil).
//
// The float32 update rounds every product and sum separately in the order
// of the reference loops (no fused multiply-add), so every implementation
// returns the generic loop's bits for w and v (NaN payloads aside). The
// float64 sums y are accumulated in a different order (and with FMA) by the
// SIMD kernels, like PathMV's; the column sums z are not: each row adds its
// rounded products w²·u[r] in row order, with a separate multiply and add,
// so z too is the generic loop's bits on every implementation.

// pathSGDGeneric is the reference Path-SGD step without momentum on a
// len(rs) x len(cs) layer:
//
//	for r := range rs {
//		var s float64
//		for c := range cs {
//			i := r*ld + c
//			f := float64(w[i]); q := f * f
//			s += q * x[c]
//			if z != nil { z[c] += float64(q * u[r]) }
//			t := float32(g[i] * cs[c])
//			w[i] = w[i] - float32(rs[r]*t)
//		}
//		if y != nil { y[r] = s }
//	}
//
// that is y = (W∘W) x on the weights before the update (and, when z is not
// nil, z += (W∘W)^T u, the path-norm pass of the other direction), then
// w[r][c] -= rs[r] * (g[r][c] * cs[c]). g shares w's leading dimension ld;
// y and u have len(rs) elements, x and z len(cs). With y nil there are no
// sums (z and u must be nil then; x is not read).
func pathSGDGeneric(y, z []float64, w, g []float32, ld int, rs, cs []float32, x, u []float64) {
	checkPathSGD(y, z, w, g, nil, ld, rs, cs, x, u, false)
	if y == nil {
		for r, sr := range rs {
			row := w[r*ld : r*ld+len(cs)]
			grow := g[r*ld : r*ld+len(cs)]
			for c, wi := range row {
				t := float32(grow[c] * cs[c])
				row[c] = wi - float32(sr*t)
			}
		}
		return
	}
	for r, sr := range rs {
		row := w[r*ld : r*ld+len(cs)]
		grow := g[r*ld : r*ld+len(cs)]
		var s float64
		for c, wi := range row {
			f := float64(wi)
			q := f * f
			s += q * x[c]
			if z != nil {
				z[c] += float64(q * u[r])
			}
			t := float32(grow[c] * cs[c])
			row[c] = wi - float32(sr*t)
		}
		y[r] = s
	}
}

// pathSGDMomentumGeneric is the reference Path-SGD step with heavy-ball
// momentum on the preconditioned gradient:
//
//	for r := range rs {
//		var s float64
//		for c := range cs {
//			i := r*ld + c
//			f := float64(w[i]); q := f * f
//			s += q * x[c]
//			if z != nil { z[c] += float64(q * u[r]) }
//			t := float32(rs[r] * float32(g[i]*cs[c]))
//			v[i] = float32(mu*v[i]) + t
//			w[i] = w[i] - float32(lr*v[i])
//		}
//		if y != nil { y[r] = s }
//	}
//
// that is v = mu*v + g/kappa, w -= lr*v, with 1/kappa[r][c] = rs[r]*cs[c].
// g and v share w's leading dimension ld; y = nil leaves out the sums, as
// in pathSGDGeneric.
func pathSGDMomentumGeneric(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, lr, mu float32) {
	checkPathSGD(y, z, w, g, v, ld, rs, cs, x, u, true)
	if y == nil {
		for r, sr := range rs {
			row := w[r*ld : r*ld+len(cs)]
			grow := g[r*ld : r*ld+len(cs)]
			vrow := v[r*ld : r*ld+len(cs)]
			for c, wi := range row {
				t := float32(sr * float32(grow[c]*cs[c]))
				vi := float32(mu*vrow[c]) + t
				vrow[c] = vi
				row[c] = wi - float32(lr*vi)
			}
		}
		return
	}
	for r, sr := range rs {
		row := w[r*ld : r*ld+len(cs)]
		grow := g[r*ld : r*ld+len(cs)]
		vrow := v[r*ld : r*ld+len(cs)]
		var s float64
		for c, wi := range row {
			f := float64(wi)
			q := f * f
			s += q * x[c]
			if z != nil {
				z[c] += float64(q * u[r])
			}
			t := float32(sr * float32(grow[c]*cs[c]))
			vi := float32(mu*vrow[c]) + t
			vrow[c] = vi
			row[c] = wi - float32(lr*vi)
		}
		y[r] = s
	}
}

// checkPathSGD panics unless the operands of a Path-SGD update fit: y and
// rs, x and cs of equal lengths (or y nil, and then z and u nil too), ld
// at least len(cs), w, g (and v when momentum) long enough for len(rs) rows
// of stride ld, and, when z or u is not nil, z as long as cs and u as long
// as rs.
func checkPathSGD(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, momentum bool) {
	if y == nil {
		if z != nil || u != nil {
			panic(errLength)
		}
	} else if len(y) != len(rs) || len(x) != len(cs) {
		panic(errLength)
	}
	if (z != nil || u != nil) && (len(z) != len(cs) || len(u) != len(rs)) {
		panic(errLength)
	}
	if ld < len(cs) || ld < 1 {
		panic(errLdw)
	}
	rows, cols := len(rs), len(cs)
	if rows == 0 || cols == 0 {
		return
	}
	need := (rows-1)*ld + cols
	if len(w) < need {
		panic(errShortW)
	}
	if len(g) < need {
		panic(errShortG)
	}
	if momentum && len(v) < need {
		panic(errShortV)
	}
}

// PathSGD applies pathSGDGeneric's update with the selected implementation:
// y = (W∘W) x on the old weights (and z += (W∘W)^T u when z is not nil),
// then w[r][c] -= rs[r]*(g[r][c]*cs[c]). The column sums z are the
// generic loop's bits on every implementation (each term and sum rounded
// in its order, rows in order). With y nil it only updates w (z and u must
// be nil; x is not read).
func PathSGD(y, z []float64, w, g []float32, ld int, rs, cs []float32, x, u []float64) {
	Current().PathSGD(y, z, w, g, ld, rs, cs, x, u)
}

// PathSGDMomentum applies pathSGDMomentumGeneric's update with the selected
// implementation: y = (W∘W) x on the old weights (and z += (W∘W)^T u when
// z is not nil), then v = mu*v + rs[r]*(g*cs[c]), w -= lr*v; with y nil,
// the update alone.
func PathSGDMomentum(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, lr, mu float32) {
	Current().PathSGDMomentum(y, z, w, g, v, ld, rs, cs, x, u, lr, mu)
}

// pathSumsGeneric is the reference for the two sums of a Path-SGD update
// without the update, for a step that takes the update elsewhere (package
// pathsgd's fused step, where it rides in the weight-gradient product):
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
// that is y = (W∘W) x and z += (W∘W)^T u in one pass over W, with each
// sum accumulated as in pathSGDGeneric. y and u have the layer's rows, x
// and z its columns.
func pathSumsGeneric(y, z []float64, w []float32, ld int, x, u []float64) {
	checkPathSums(y, z, w, ld, x, u)
	for r := range y {
		row := w[r*ld : r*ld+len(x)]
		ur := u[r]
		var s float64
		for c, wi := range row {
			f := float64(wi)
			q := f * f
			s += q * x[c]
			z[c] += float64(q * ur)
		}
		y[r] = s
	}
}

// checkPathSums panics unless the operands of PathSums fit: y and u of
// equal lengths (the rows), x and z of equal lengths (the columns), ld at
// least the columns and w long enough for the rows at stride ld.
func checkPathSums(y, z []float64, w []float32, ld int, x, u []float64) {
	if len(u) != len(y) || len(z) != len(x) {
		panic(errLength)
	}
	if ld < len(x) || ld < 1 {
		panic(errLdw)
	}
	if len(y) > 0 && len(x) > 0 && len(w) < (len(y)-1)*ld+len(x) {
		panic(errShortW)
	}
}

// PathSums sets y = (W∘W) x and adds z += (W∘W)^T u in one pass over W
// (len(y) x len(x), leading dimension ld) with the selected
// implementation: the sums of PathSGD without its update. z is the generic
// loop's bits on every implementation (each product rounded, then added,
// rows in order); y is summed in the implementation's order, as PathMV's.
func PathSums(y, z []float64, w []float32, ld int, x, u []float64) {
	Current().PathSums(y, z, w, ld, x, u)
}
