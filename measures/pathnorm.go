package measures

import (
	"math"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/layers"
)

// This file holds a weighted variant of the forward pass of pathsgd's
// path-norm dynamic program (pathsgd.md, section 2): a per-layer factor c_i
// on every edge of layer i, which the capacity measures need because bias
// paths are shorter than input paths. pathsgd.Sums has no such factors and
// works in the log domain (exact path sums such as phi_1 = 25 come back as
// 24.999999999999996), so the measures keep this small direct sum.

// pathSum returns the sum over all paths of the product over the path's
// edges e of c_(layer of e) |w_e|^p, where a path starts at an input unit or
// at the constant bias source of some layer and ends at an output unit, and
// c_i = scale[i] (nil: all ones). The forward recursion is
//
//	f_0 = 1,  f_i = c_i (|W_i|^p f_(i-1) + |b_i|^p),  result = sum_j f_d[j],
//
// accumulated in float64. For p = 2 the product |W_i|^2 f_(i-1) runs on
// asm.PathMV, which squares the float32 weights exactly inside the kernel;
// other exponents use a plain loop.
func pathSum(net *layers.Network, p float64, scale []float64) float64 {
	if net == nil {
		panic(errNilNetwork)
	}
	if !(p > 0) || math.IsInf(p, 0) {
		panic(errPathP)
	}
	ds := net.Dense()
	f := make([]float64, ds[0].InSize())
	for j := range f {
		f[j] = 1
	}
	for i, d := range ds {
		g := make([]float64, d.OutSize())
		w := d.W
		switch p {
		case 2:
			asm.PathMV(g, w.Data, w.Stride, f)
		case 1:
			for v := range g {
				var s float64
				for u, x := range w.Data[v*w.Stride : v*w.Stride+w.Cols] {
					s += math.Abs(float64(x)) * f[u]
				}
				g[v] = s
			}
		default:
			for v := range g {
				var s float64
				for u, x := range w.Data[v*w.Stride : v*w.Stride+w.Cols] {
					s += math.Pow(math.Abs(float64(x)), p) * f[u]
				}
				g[v] = s
			}
		}
		c := 1.0
		if scale != nil {
			c = scale[i]
		}
		for v, b := range d.B {
			g[v] = c * (g[v] + powAbs(float64(b), p))
		}
		f = g
	}
	var s float64
	for _, x := range f {
		s += x
	}
	return s
}

// powAbs returns |x|^p, exactly for p = 1 and p = 2.
func powAbs(x, p float64) float64 {
	switch p {
	case 1:
		return math.Abs(x)
	case 2:
		return x * x
	}
	return math.Pow(math.Abs(x), p)
}

// PathNorm returns the l_p path norm of net (p > 0) in float64, the reference
// of pathsgd.Phi (the float32 dynamic program Path-SGD steps with),
//
//	phi_p(w) = ( sum over paths of prod over the path's edges of |w_e|^p )^(1/p),
//
// where paths run from every input unit, and from the constant unit-valued
// bias source of every layer, to every output unit (a bias is an edge from
// that source). Without biases phi_p^p = 1^T |W_d|^p ... |W_1|^p 1. It is
// invariant to node rescaling (a hidden unit's incoming weights and bias
// times c > 0, its outgoing weights divided by c). It panics if net is nil
// or p is not positive and finite.
func PathNorm(net *layers.Network, p float64) float64 {
	return math.Pow(pathSum(net, p, nil), 1/p)
}
