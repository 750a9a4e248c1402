package pathsgd

import (
	"math"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// refNet is a float64 reference MLP (ReLU hidden layers, linear output,
// mean softmax cross-entropy) with the reference optimizers, written
// directly from the formulas of the package documentation.
type refNet struct {
	sizes []int
	w, b  [][]float64 // w[k] is sizes[k+1] x sizes[k], row-major
	dw    [][]float64
	db    [][]float64
	vw    [][]float64 // velocity or AdaGrad accumulator
	vb    [][]float64
}

func fromNet(net *layers.Network) *refNet {
	r := &refNet{}
	for k, l := range net.Dense() {
		if k == 0 {
			r.sizes = append(r.sizes, l.InSize())
		}
		r.sizes = append(r.sizes, l.OutSize())
		w := make([]float64, l.W.Rows*l.W.Cols)
		for v := 0; v < l.W.Rows; v++ {
			for u := 0; u < l.W.Cols; u++ {
				w[v*l.W.Cols+u] = float64(l.W.Data[v*l.W.Stride+u])
			}
		}
		b := make([]float64, len(l.B))
		for v, x := range l.B {
			b[v] = float64(x)
		}
		r.w, r.b = append(r.w, w), append(r.b, b)
		r.dw, r.db = append(r.dw, make([]float64, len(w))), append(r.db, make([]float64, len(b)))
		r.vw, r.vb = append(r.vw, make([]float64, len(w))), append(r.vb, make([]float64, len(b)))
	}
	return r
}

func (r *refNet) clone() *refNet {
	c := &refNet{sizes: r.sizes}
	cp := func(s [][]float64) [][]float64 {
		o := make([][]float64, len(s))
		for i := range s {
			o[i] = append([]float64(nil), s[i]...)
		}
		return o
	}
	c.w, c.b, c.dw, c.db, c.vw, c.vb = cp(r.w), cp(r.b), cp(r.dw), cp(r.db), cp(r.vw), cp(r.vb)
	return c
}

// rescale applies the node rescaling with unit scales s exactly as
// Rescale does, in float64.
func (r *refNet) rescale(s [][]float64) {
	for k, sk := range s {
		in, out := r.sizes[k], r.sizes[k+2]
		for v, c := range sk {
			for u := 0; u < in; u++ {
				r.w[k][v*in+u] *= c
			}
			r.b[k][v] *= c
			for y := 0; y < out; y++ {
				r.w[k+1][y*len(sk)+v] /= c
			}
		}
	}
}

func batch64(x blas32.General) [][]float64 {
	out := make([][]float64, x.Rows)
	for i := range out {
		out[i] = make([]float64, x.Cols)
		for j := range out[i] {
			out[i][j] = float64(x.Data[i*x.Stride+j])
		}
	}
	return out
}

// forward returns the pre-activations z[k] (k = 0..d-1, batch x sizes[k+1])
// and the layer inputs a[k] (k = 0..d-1, batch x sizes[k]) of every example.
func (r *refNet) forward(x [][]float64) (a, z [][][]float64) {
	d := len(r.w)
	cur := x
	for k := 0; k < d; k++ {
		in, out := r.sizes[k], r.sizes[k+1]
		a = append(a, cur)
		zk := make([][]float64, len(x))
		next := make([][]float64, len(x))
		for e := range x {
			zk[e] = make([]float64, out)
			next[e] = make([]float64, out)
			for v := 0; v < out; v++ {
				s := r.b[k][v]
				for u := 0; u < in; u++ {
					s += r.w[k][v*in+u] * cur[e][u]
				}
				zk[e][v] = s
				if k < d-1 {
					next[e][v] = math.Max(s, 0)
				} else {
					next[e][v] = s
				}
			}
		}
		z = append(z, zk)
		cur = next
	}
	return a, z
}

// logits returns the network's outputs.
func (r *refNet) logits(x [][]float64) [][]float64 {
	_, z := r.forward(x)
	return z[len(z)-1]
}

// gradient sets dw, db to the gradient of the mean cross-entropy and
// returns the loss.
func (r *refNet) gradient(x [][]float64, y []int) float64 {
	a, z := r.forward(x)
	d := len(r.w)
	n := float64(len(x))
	loss := 0.0
	dz := make([][]float64, len(x))
	for e, zl := range z[d-1] {
		m := math.Inf(-1)
		for _, v := range zl {
			m = math.Max(m, v)
		}
		s := 0.0
		for _, v := range zl {
			s += math.Exp(v - m)
		}
		lse := m + math.Log(s)
		loss += lse - zl[y[e]]
		dz[e] = make([]float64, len(zl))
		for j, v := range zl {
			dz[e][j] = math.Exp(v-lse) / n
		}
		dz[e][y[e]] -= 1 / n
	}
	for k := d - 1; k >= 0; k-- {
		in, out := r.sizes[k], r.sizes[k+1]
		clear(r.dw[k])
		clear(r.db[k])
		for e := range x {
			for v := 0; v < out; v++ {
				r.db[k][v] += dz[e][v]
				for u := 0; u < in; u++ {
					r.dw[k][v*in+u] += dz[e][v] * a[k][e][u]
				}
			}
		}
		if k == 0 {
			break
		}
		prev := make([][]float64, len(x))
		for e := range x {
			prev[e] = make([]float64, in)
			for u := 0; u < in; u++ {
				if z[k-1][e][u] <= 0 {
					continue
				}
				s := 0.0
				for v := 0; v < out; v++ {
					s += r.w[k][v*in+u] * dz[e][v]
				}
				prev[e][u] = s
			}
		}
		dz = prev
	}
	return loss / n
}

// kappa returns Path-SGD's kappa for every weight and bias, from the
// unscaled float64 dynamic program.
func (r *refNet) kappa() (kw, kb [][]float64) {
	d := len(r.w)
	f := make([][]float64, d+1)
	g := make([][]float64, d+1)
	f[0] = make([]float64, r.sizes[0])
	fill(f[0], 1)
	for k := 0; k < d; k++ {
		in, out := r.sizes[k], r.sizes[k+1]
		f[k+1] = make([]float64, out)
		for v := 0; v < out; v++ {
			s := r.b[k][v] * r.b[k][v]
			for u := 0; u < in; u++ {
				s += r.w[k][v*in+u] * r.w[k][v*in+u] * f[k][u]
			}
			f[k+1][v] = s
		}
	}
	g[d] = make([]float64, r.sizes[d])
	fill(g[d], 1)
	for k := d - 1; k >= 0; k-- {
		in, out := r.sizes[k], r.sizes[k+1]
		g[k] = make([]float64, in)
		for v := 0; v < out; v++ {
			for u := 0; u < in; u++ {
				g[k][u] += r.w[k][v*in+u] * r.w[k][v*in+u] * g[k+1][v]
			}
		}
	}
	for k := 0; k < d; k++ {
		in, out := r.sizes[k], r.sizes[k+1]
		kwk := make([]float64, in*out)
		for v := 0; v < out; v++ {
			for u := 0; u < in; u++ {
				kwk[v*in+u] = f[k][u] * g[k+1][v]
			}
		}
		kw = append(kw, kwk)
		kb = append(kb, append([]float64(nil), g[k+1]...))
	}
	return kw, kb
}

// precondStep applies w -= lr*dw/kappa, or with momentum v = mu*v +
// dw/kappa, w -= lr*v (kappa = 0 leaves the weight alone).
func (r *refNet) precondStep(kw, kb [][]float64, lr, mu float64, momentum bool) {
	upd := func(w, dw, v, k []float64) {
		for i := range w {
			t := 0.0
			if k[i] > 0 {
				t = dw[i] / k[i]
			}
			if momentum {
				v[i] = mu*v[i] + t
				w[i] -= lr * v[i]
			} else {
				w[i] -= lr * t
			}
		}
	}
	for k := range r.w {
		upd(r.w[k], r.dw[k], r.vw[k], kw[k])
		upd(r.b[k], r.db[k], r.vb[k], kb[k])
	}
}

func (r *refNet) pathSGDStep(lr, mu float64, momentum bool) {
	kw, kb := r.kappa()
	r.precondStep(kw, kb, lr, mu, momentum)
}

func (r *refNet) sgdStep(lr float64) {
	for k := range r.w {
		for i := range r.w[k] {
			r.w[k][i] -= lr * r.dw[k][i]
		}
		for i := range r.b[k] {
			r.b[k][i] -= lr * r.db[k][i]
		}
	}
}

func (r *refNet) adaGradStep(lr float64) {
	upd := func(w, dw, h []float64) {
		for i := range w {
			h[i] += dw[i] * dw[i]
			w[i] -= lr * dw[i] / (math.Sqrt(h[i]) + 1e-8)
		}
	}
	for k := range r.w {
		upd(r.w[k], r.dw[k], r.vw[k])
		upd(r.b[k], r.db[k], r.vb[k])
	}
}

// maxRelDiff returns the largest |a-b| over the largest |a| of two sets of
// logits.
func maxRelDiff(a, b [][]float64) float64 {
	num, den := 0.0, 0.0
	for i := range a {
		for j := range a[i] {
			num = math.Max(num, math.Abs(a[i][j]-b[i][j]))
			den = math.Max(den, math.Abs(a[i][j]))
		}
	}
	return num / den
}

// logits32 returns net's inference logits on x as float64.
func logits32(net *layers.Network, x blas32.General) [][]float64 {
	z := net.Forward(x)
	out := make([][]float64, z.Rows)
	for i := range out {
		out[i] = make([]float64, z.Cols)
		for j := range out[i] {
			out[i][j] = float64(z.Data[i*z.Stride+j])
		}
	}
	return out
}
