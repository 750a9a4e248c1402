package pathsgd

import (
	"math"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// Sums holds the two passes of the path-norm dynamic program of one network
// for one p: the forward vectors f_0..f_d and the backward vectors
// g_0..g_d (see the package documentation). A zero Sums is ready to use;
// Compute sizes it on first use and reuses its buffers afterwards.
//
// Each vector is stored as a float64 mantissa vector scaled by a power of
// two so that its largest element lies in [0.5, 1): f_i = F(i) * 2^FExp(i).
// The scaling is exact (multiplication by a power of two), so the sums
// neither overflow nor underflow however deep or unbalanced the network,
// and node rescaling changes each stored value by exactly the factor the
// mathematics says, up to the float64 rounding of the sums themselves.
type Sums struct {
	p      float64
	f, g   [][]float64
	fe, ge []int
	task   dpTask
}

// Compute runs both passes of the dynamic program on net's current weights
// and biases for the given p (p = 2 on the asm path-norm kernels, other p
// with a generic |w|^p pass). It panics if net is nil or p is not finite
// and positive.
func (s *Sums) Compute(net *layers.Network, p float64) {
	if net == nil {
		panic(errNilNet)
	}
	if net.Normalized() {
		panic(errNormNet)
	}
	if !(p > 0) || math.IsInf(p, 0) {
		panic(errP)
	}
	dense := net.Dense()
	s.size(dense)
	s.p = p
	d := len(dense)
	fill(s.f[0], 1)
	s.fe[0] = 0
	for i := 1; i <= d; i++ {
		l := dense[i-1]
		s.task.run(dpForward, p, l.W, s.f[i], s.f[i-1])
		addBias(s.f[i], l.B, p, s.fe[i-1])
		s.fe[i] = s.fe[i-1] + normalize(s.f[i])
	}
	fill(s.g[d], 1)
	s.ge[d] = 0
	for i := d; i >= 1; i-- {
		s.task.run(dpBackward, p, dense[i-1].W, s.g[i-1], s.g[i])
		s.ge[i-1] = s.ge[i] + normalize(s.g[i-1])
	}
}

// size allocates the vectors for the layer sizes of dense (once).
func (s *Sums) size(dense []*layers.Dense) {
	d := len(dense)
	if len(s.f) == d+1 {
		ok := len(s.f[0]) == dense[0].InSize()
		for i := 1; ok && i <= d; i++ {
			ok = len(s.f[i]) == dense[i-1].OutSize()
		}
		if ok {
			return
		}
	}
	s.f, s.g = make([][]float64, d+1), make([][]float64, d+1)
	s.fe, s.ge = make([]int, d+1), make([]int, d+1)
	s.f[0], s.g[0] = make([]float64, dense[0].InSize()), make([]float64, dense[0].InSize())
	for i := 1; i <= d; i++ {
		n := dense[i-1].OutSize()
		s.f[i], s.g[i] = make([]float64, n), make([]float64, n)
	}
}

// P returns the p of the last Compute.
func (s *Sums) P() float64 { return s.p }

// Depth returns d, the number of dense layers.
func (s *Sums) Depth() int { return len(s.f) - 1 }

// F returns the mantissas of the forward vector f_i (i = 0..d, length h_i):
// f_i = F(i) * 2^FExp(i). The slice is owned by s.
func (s *Sums) F(i int) []float64 { return s.f[i] }

// FExp returns the binary exponent of f_i.
func (s *Sums) FExp(i int) int { return s.fe[i] }

// G returns the mantissas of the backward vector g_i (i = 0..d, length h_i):
// g_i = G(i) * 2^GExp(i). The slice is owned by s.
func (s *Sums) G(i int) []float64 { return s.g[i] }

// GExp returns the binary exponent of g_i.
func (s *Sums) GExp(i int) int { return s.ge[i] }

// LogPhiP returns ln(phi_p^p), the logarithm of the sum over all paths
// (bias paths included) of the products of |w|^p; -Inf for a network with
// no non-zero path.
func (s *Sums) LogPhiP() float64 {
	d := len(s.f) - 1
	return math.Log(sumOf(s.f[d])) + float64(s.fe[d])*math.Ln2
}

// Phi returns the path norm phi_p = (sum over paths of prod |w|^p)^(1/p).
// It is +Inf only if phi_p itself exceeds the float64 range.
func (s *Sums) Phi() float64 { return math.Exp(s.LogPhiP() / s.p) }

// Pi returns pi of the weight W_(k+1)[v][u] of dense layer k
// (Network.Dense()[k]): the sum over the paths through that edge of the
// product of |w|^p over the path's other edges, f_k[u] * g_(k+1)[v].
func (s *Sums) Pi(k, v, u int) float64 {
	if k < 0 || k >= len(s.f)-1 {
		panic(errLayer)
	}
	return math.Ldexp(s.f[k][u]*s.g[k+1][v], s.fe[k]+s.ge[k+1])
}

// PiBias returns pi of the bias b_(k+1)[v] of dense layer k: g_(k+1)[v]
// (the bias source contributes a factor 1).
func (s *Sums) PiBias(k, v int) float64 {
	if k < 0 || k >= len(s.f)-1 {
		panic(errLayer)
	}
	return math.Ldexp(s.g[k+1][v], s.ge[k+1])
}

// Phi returns the l_p path norm phi_p of net, biases included (a bias
// is an edge from a constant source unit of value 1), by the float32
// dynamic program Path-SGD runs on (exponents tracked apart, so deep or
// badly scaled networks neither overflow nor underflow). It allocates the
// dynamic program's vectors; use a Sums to reuse them. measures.PathNorm is
// the float64 reference of the same quantity, for capacity measures.
func Phi(net *layers.Network, p float64) float64 {
	var s Sums
	s.Compute(net, p)
	return s.Phi()
}

// MaxNorm returns the per-unit l_p max-norm product
// prod_i max_v ||(W_i[v,:], b_i[v])||_p over the dense layers, the group
// norm that max-norm regularization bounds. Unlike the path norm it changes
// under node rescaling; without biases phi_p^p <= h_d * MaxNorm^p (each
// f_i[v] is at most ||W_i[v,:]||_p^p max_u f_(i-1)[u]). It panics if p is
// not positive (p may be +Inf).
func MaxNorm(net *layers.Network, p float64) float64 {
	if net == nil {
		panic(errNilNet)
	}
	if !(p > 0) {
		panic(errP)
	}
	logProd := 0.0
	for _, l := range net.Dense() {
		best := 0.0
		for v := 0; v < l.W.Rows; v++ {
			row := l.W.Data[v*l.W.Stride : v*l.W.Stride+l.W.Cols]
			best = math.Max(best, lpNorm(row, l.B[v], p))
		}
		logProd += math.Log(best)
	}
	return math.Exp(logProd)
}

// lpNorm returns ||(row, b)||_p, scaled to avoid overflow.
func lpNorm(row []float32, b float32, p float64) float64 {
	m := math.Abs(float64(b))
	for _, w := range row {
		m = math.Max(m, math.Abs(float64(w)))
	}
	if m == 0 || math.IsInf(p, 1) {
		return m
	}
	s := math.Pow(math.Abs(float64(b))/m, p)
	for _, w := range row {
		s += math.Pow(math.Abs(float64(w))/m, p)
	}
	return m * math.Pow(s, 1/p)
}

func fill(x []float64, v float64) {
	for i := range x {
		x[i] = v
	}
}

func sumOf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// normalize scales x by a power of two so that its largest element lies in
// [0.5, 1) and returns the exponent k with x_old = x_new * 2^k. A vector of
// zeros, or one with a non-finite element, is left as it is (k = 0).
func normalize(x []float64) int {
	m, nan := 0.0, false
	for _, v := range x {
		if v > m {
			m = v
		} else if v != v {
			nan = true
		}
	}
	if m == 0 || math.IsInf(m, 0) || nan {
		return 0
	}
	_, k := math.Frexp(m)
	if k == 0 {
		return 0
	}
	scaleBy(x, -k)
	return k
}

// scaleBy multiplies x by 2^k, exactly unless a result is subnormal.
func scaleBy(x []float64, k int) {
	if k >= -1022 && k <= 1023 {
		m := math.Ldexp(1, k)
		for i := range x {
			x[i] *= m
		}
		return
	}
	for i, v := range x {
		x[i] = math.Ldexp(v, k)
	}
}

// addBias adds |b|^p * 2^-e to y: the bias paths of a layer whose input
// vector carries exponent e.
func addBias(y []float64, b []float32, p float64, e int) {
	for v, bv := range b {
		y[v] += math.Ldexp(absPow(float64(bv), p), -e)
	}
}

func absPow(x, p float64) float64 {
	x = math.Abs(x)
	switch p {
	case 1:
		return x
	case 2:
		return x * x
	}
	return math.Pow(x, p)
}

// dpTask is one pass of the dynamic program over a layer, split into parts
// by rows (forward) or columns (backward) for blas.Run.
type dpTask struct {
	backward bool
	p        float64
	w        blas32.General
	y, x     []float64
}

const (
	dpForward  = false
	dpBackward = true
)

// run sets y = |W|^p x (forward) or y = (|W|^p)^T x (backward).
func (t *dpTask) run(backward bool, p float64, w blas32.General, y, x []float64) {
	*t = dpTask{backward: backward, p: p, w: w, y: y, x: x}
	blas.Run(t, blas.ElementwiseParts(w.Rows*w.Cols))
	*t = dpTask{}
}

// RunPart does the rows (forward) or columns (backward) of part part.
func (t *dpTask) RunPart(part, parts int) {
	w := t.w
	if !t.backward {
		lo, hi := split(w.Rows, part, parts)
		if lo == hi {
			return
		}
		if t.p == 2 {
			asm.PathMV(t.y[lo:hi], w.Data[lo*w.Stride:], w.Stride, t.x)
			return
		}
		for v := lo; v < hi; v++ {
			row := w.Data[v*w.Stride : v*w.Stride+w.Cols]
			s := 0.0
			for u, wv := range row {
				s += absPow(float64(wv), t.p) * t.x[u]
			}
			t.y[v] = s
		}
		return
	}
	lo, hi := split(w.Cols, part, parts)
	if lo == hi {
		return
	}
	if t.p == 2 {
		asm.PathMTV(t.y[lo:hi], w.Data[lo:], w.Stride, t.x)
		return
	}
	y := t.y[lo:hi]
	clear(y)
	for v := 0; v < w.Rows; v++ {
		row := w.Data[v*w.Stride+lo : v*w.Stride+hi]
		xv := t.x[v]
		for j, wv := range row {
			y[j] += absPow(float64(wv), t.p) * xv
		}
	}
}

// split returns part's share [lo, hi) of n items split parts ways, in
// multiples of 16 (whole cache lines of float32 columns).
func split(n, part, parts int) (lo, hi int) {
	chunk := ((n+parts-1)/parts + 15) / 16 * 16
	lo = min(part*chunk, n)
	return lo, min(lo+chunk, n)
}
