package rnn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	"gonum.org/v1/gonum/blas/blas32"
)

// A float64 reference of the model, written as directly from the formulas
// of doc.go as possible (loops, no GEMM, no chunking), for finite
// differences, for checking the float32 model, and for the exact rescaling
// invariance of RNN-Path.

// refModel holds the parameters in Model.Params order: W = [W_in | W_rec]
// (hidden x (in+hidden)), b, W_out (out x hidden), c.
type refModel struct {
	cfg Config
	p   []float64
}

func (r *refModel) k() int       { return r.cfg.In + r.cfg.Hidden }
func (r *refModel) offB() int    { return r.cfg.Hidden * r.k() }
func (r *refModel) offWout() int { return r.offB() + r.cfg.Hidden }
func (r *refModel) offC() int    { return r.offWout() + r.cfg.Out*r.cfg.Hidden }

// win, wrec, b, wout and c index the parameters.
func (r *refModel) win(v, j int) int  { return v*r.k() + j }
func (r *refModel) wrec(v, u int) int { return v*r.k() + r.cfg.In + u }
func (r *refModel) b(v int) int       { return r.offB() + v }
func (r *refModel) wout(o, v int) int { return r.offWout() + o*r.cfg.Hidden + v }
func (r *refModel) c(o int) int       { return r.offC() + o }

func refFrom(m *Model) *refModel {
	r := &refModel{cfg: m.cfg}
	for _, p := range m.Params() {
		for _, v := range p.Value {
			r.p = append(r.p, float64(v))
		}
	}
	return r
}

// toModel writes r's parameters (rounded to float32) into m.
func (r *refModel) toModel(m *Model) {
	i := 0
	for _, p := range m.Params() {
		for j := range p.Value {
			p.Value[j] = float32(r.p[i])
			i++
		}
	}
}

func (r *refModel) clone() *refModel {
	return &refModel{cfg: r.cfg, p: append([]float64(nil), r.p...)}
}

// refPass is one forward pass: h[t+1][row][v] is h_t (h[0] is H0), y[o][row]
// the outputs at Outputs[o].
type refPass struct {
	h [][][]float64
	y [][][]float64
}

// forward runs the model. When frozen is not nil, the state entering each
// truncation boundary t (t % truncate == 0, t > 0) is taken from frozen
// instead of being computed: the function whose gradient truncated BPTT
// computes.
func (r *refModel) forward(b *Batch, frozen *refPass) *refPass {
	c := r.cfg
	ps := &refPass{h: make([][][]float64, b.Steps+1)}
	ps.h[0] = make([][]float64, b.Rows)
	for row := range ps.h[0] {
		ps.h[0][row] = make([]float64, c.Hidden)
		if b.H0.Data != nil {
			for v := range ps.h[0][row] {
				ps.h[0][row][v] = float64(b.H0.Data[row*b.H0.Stride+v])
			}
		}
	}
	for t := 0; t < b.Steps; t++ {
		prev := ps.h[t]
		if frozen != nil && b.Truncate > 0 && t > 0 && t%b.Truncate == 0 {
			prev = frozen.h[t]
		}
		ps.h[t+1] = make([][]float64, b.Rows)
		for row := 0; row < b.Rows; row++ {
			x := b.X[(t*b.Rows+row)*c.In : (t*b.Rows+row+1)*c.In]
			hv := make([]float64, c.Hidden)
			for v := range hv {
				s := r.p[r.b(v)]
				for j, xj := range x {
					s += r.p[r.win(v, j)] * float64(xj)
				}
				for u, hu := range prev[row] {
					s += r.p[r.wrec(v, u)] * hu
				}
				hv[v] = math.Max(s, 0)
			}
			ps.h[t+1][row] = hv
		}
	}
	for _, s := range b.Outputs {
		yo := make([][]float64, b.Rows)
		for row := range yo {
			yo[row] = make([]float64, c.Out)
			for o := range yo[row] {
				v := r.p[r.c(o)]
				for u, hu := range ps.h[s+1][row] {
					v += r.p[r.wout(o, u)] * hu
				}
				yo[row][o] = v
			}
		}
		ps.y = append(ps.y, yo)
	}
	return ps
}

// lossOf returns the mean loss of a pass and its gradient with respect to
// the outputs.
func (r *refModel) lossOf(b *Batch, ps *refPass) (float64, [][][]float64) {
	n := float64(len(b.Outputs) * b.Rows)
	var total float64
	dy := make([][][]float64, len(ps.y))
	for o, yo := range ps.y {
		dy[o] = make([][]float64, b.Rows)
		for row, y := range yo {
			d := make([]float64, len(y))
			i := o*b.Rows + row
			if r.cfg.Loss == Squared {
				for k, v := range y {
					e := v - float64(b.Targets[i*len(y)+k])
					total += e * e
					d[k] = 2 * e / n
				}
			} else {
				mx := math.Inf(-1)
				for _, v := range y {
					mx = math.Max(mx, v)
				}
				var s float64
				for _, v := range y {
					s += math.Exp(v - mx)
				}
				lse := mx + math.Log(s)
				total += lse - y[b.Labels[i]]
				for k, v := range y {
					d[k] = math.Exp(v-lse) / n
				}
				d[b.Labels[i]] -= 1 / n
			}
			dy[o][row] = d
		}
	}
	return total / n, dy
}

func (r *refModel) loss(b *Batch, frozen *refPass) float64 {
	l, _ := r.lossOf(b, r.forward(b, frozen))
	return l
}

// gradient returns the loss and its gradient by BPTT (truncated as b says).
func (r *refModel) gradient(b *Batch) (float64, []float64) {
	c := r.cfg
	ps := r.forward(b, nil)
	l, dy := r.lossOf(b, ps)
	g := make([]float64, len(r.p))
	outAt := map[int]int{}
	for o, s := range b.Outputs {
		outAt[s] = o
	}
	next := make([][]float64, b.Rows) // dL/dz_(t+1)
	for t := b.Steps - 1; t >= 0; t-- {
		cur := make([][]float64, b.Rows)
		for row := 0; row < b.Rows; row++ {
			dh := make([]float64, c.Hidden)
			if o, ok := outAt[t]; ok {
				for k, d := range dy[o][row] {
					g[r.c(k)] += d
					for v := range dh {
						dh[v] += d * r.p[r.wout(k, v)]
						g[r.wout(k, v)] += d * ps.h[t+1][row][v]
					}
				}
			}
			if t+1 < b.Steps && (b.Truncate == 0 || (t+1)%b.Truncate != 0) {
				for v, d := range next[row] {
					for u := range dh {
						dh[u] += d * r.p[r.wrec(v, u)]
					}
				}
			}
			for v := range dh {
				if ps.h[t+1][row][v] <= 0 {
					dh[v] = 0
				}
				d := dh[v]
				g[r.b(v)] += d
				for j := 0; j < c.In; j++ {
					g[r.win(v, j)] += d * float64(b.X[(t*b.Rows+row)*c.In+j])
				}
				for u := 0; u < c.Hidden; u++ {
					g[r.wrec(v, u)] += d * ps.h[t][row][u]
				}
			}
			cur[row] = dh
		}
		next = cur
	}
	return l, g
}

// kappa1 is the definition of doc.go evaluated with plain loops: fa and gb
// by their recursions, then the sums over steps. It returns one value per
// parameter.
func (r *refModel) kappa1(steps int, outputs []int) []float64 {
	c := r.cfg
	out := make([]bool, steps)
	for _, s := range outputs {
		out[s] = true
	}
	sq := func(i int) float64 { return r.p[i] * r.p[i] }
	fa := make([][]float64, steps)
	gb := make([][]float64, steps+1)
	gb[steps] = make([]float64, c.Hidden)
	for t := 0; t < steps; t++ {
		fa[t] = make([]float64, c.Hidden)
		for v := range fa[t] {
			s := sq(r.b(v))
			for j := 0; j < c.In; j++ {
				s += sq(r.win(v, j))
			}
			if t > 0 {
				for u := 0; u < c.Hidden; u++ {
					s += sq(r.wrec(v, u)) * fa[t-1][u]
				}
			}
			fa[t][v] = s
		}
	}
	for t := steps - 1; t >= 0; t-- {
		gb[t] = make([]float64, c.Hidden)
		for u := range gb[t] {
			var s float64
			if out[t] {
				for o := 0; o < c.Out; o++ {
					s += sq(r.wout(o, u))
				}
			}
			for v := 0; v < c.Hidden; v++ {
				s += sq(r.wrec(v, u)) * gb[t+1][v]
			}
			gb[t][u] = s
		}
	}
	k := make([]float64, len(r.p))
	for t := 0; t < steps; t++ {
		for v := 0; v < c.Hidden; v++ {
			for j := 0; j < c.In; j++ {
				k[r.win(v, j)] += gb[t][v]
			}
			k[r.b(v)] += gb[t][v]
			if t > 0 {
				for u := 0; u < c.Hidden; u++ {
					k[r.wrec(v, u)] += fa[t-1][u] * gb[t][v]
				}
			}
			if out[t] {
				for o := 0; o < c.Out; o++ {
					k[r.wout(o, v)] += fa[t][v]
				}
			}
		}
		if out[t] {
			for o := 0; o < c.Out; o++ {
				k[r.c(o)]++
			}
		}
	}
	return k
}

// pathStep applies one RNN-Path (path = true) or SGD update with momentum
// mu to r, given its gradient, updating the velocity vel.
func (r *refModel) pathStep(g, vel []float64, lr, mu float64, kappa []float64) {
	for i := range r.p {
		s := g[i]
		if kappa != nil {
			if kappa[i] == 0 {
				s = 0
			} else {
				s /= kappa[i]
			}
		}
		vel[i] = mu*vel[i] + s
		r.p[i] -= lr * vel[i]
	}
}

// rescale is Model.Rescale in float64.
func (r *refModel) rescale(s []float64) {
	c := r.cfg
	for v := 0; v < c.Hidden; v++ {
		for j := 0; j < c.In; j++ {
			r.p[r.win(v, j)] *= s[v]
		}
		for u := 0; u < c.Hidden; u++ {
			r.p[r.wrec(v, u)] *= s[v] / s[u]
		}
		r.p[r.b(v)] *= s[v]
		for o := 0; o < c.Out; o++ {
			r.p[r.wout(o, v)] /= s[v]
		}
	}
}

// brutePaths enumerates every path of the unrolled network from a source
// (an input unit x_t[j], the bias source of b at step t, or the bias source
// of c at an output step) to an output y_s[k], as the list of parameter
// indices of its edges, and calls f for each.
func (r *refModel) brutePaths(steps int, outputs []int, f func(path []int)) {
	c := r.cfg
	out := make([]bool, steps)
	for _, s := range outputs {
		out[s] = true
	}
	path := make([]int, 0, steps+2)
	// walk continues a path that has reached h_t[v].
	var walk func(t, v int)
	walk = func(t, v int) {
		if out[t] {
			for o := 0; o < c.Out; o++ {
				f(append(path, r.wout(o, v)))
			}
		}
		if t+1 < steps {
			for u := 0; u < c.Hidden; u++ {
				path = append(path, r.wrec(u, v))
				walk(t+1, u)
				path = path[:len(path)-1]
			}
		}
	}
	for t := 0; t < steps; t++ {
		for v := 0; v < c.Hidden; v++ {
			for j := 0; j < c.In; j++ {
				path = append(path[:0], r.win(v, j))
				walk(t, v)
			}
			path = append(path[:0], r.b(v))
			walk(t, v)
		}
		if out[t] {
			for o := 0; o < c.Out; o++ {
				f([]int{r.c(o)})
			}
		}
	}
}

// bruteKappa returns, by enumeration of all paths, the squared path norm
// gamma = sum_paths prod w_e^2 and for every parameter
//
//	kappa1_e = sum_paths sum_(positions i of e) prod_(j != i) w_j^2
//	kappa2_e = sum_paths sum_(positions i != j of e) 2 w_i w_j prod_(l != i, j) w_l^2
//
// so that kappa1 + kappa2 = (1/2) d^2 gamma / d w_e^2.
func (r *refModel) bruteKappa(steps int, outputs []int) (gamma float64, k1, k2 []float64) {
	k1 = make([]float64, len(r.p))
	k2 = make([]float64, len(r.p))
	r.brutePaths(steps, outputs, func(path []int) {
		prodExcept := func(skip1, skip2 int) float64 {
			s := 1.0
			for i, e := range path {
				if i != skip1 && i != skip2 {
					s *= r.p[e] * r.p[e]
				}
			}
			return s
		}
		gamma += prodExcept(-1, -1)
		for i, e := range path {
			k1[e] += prodExcept(i, -1)
			for j, e2 := range path {
				if j != i && e2 == e {
					k2[e] += 2 * r.p[e] * r.p[e] * prodExcept(i, j)
				}
			}
		}
	})
	return gamma, k1, k2
}

// Test helpers.

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// randomModel returns a model with N(0, scale^2/fan_in) weights and
// N(0, 0.1^2) biases.
func randomModel(t testing.TB, cfg Config, seed uint64, scale float64) *Model {
	t.Helper()
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.InitNormal(seed)
	r := newRand(seed + 1)
	for _, p := range m.Params() {
		for i := range p.Value {
			p.Value[i] *= float32(scale)
			if p.Rows == 1 {
				p.Value[i] = float32(0.1 * r.NormFloat64())
			}
		}
	}
	return m
}

// randomBatch returns a batch with N(0,1) inputs, random labels or targets,
// and, when h0 is set, a random non-negative initial state.
func randomBatch(cfg Config, seed uint64, steps, rows int, outputs []int, h0 bool) *Batch {
	r := newRand(seed)
	b := &Batch{Steps: steps, Rows: rows, Outputs: outputs, X: make([]float32, steps*rows*cfg.In)}
	for i := range b.X {
		b.X[i] = float32(r.NormFloat64())
	}
	n := len(outputs) * rows
	if cfg.Loss == Squared {
		b.Targets = make([]float32, n*cfg.Out)
		for i := range b.Targets {
			b.Targets[i] = float32(r.NormFloat64())
		}
	} else {
		b.Labels = make([]int, n)
		for i := range b.Labels {
			b.Labels[i] = r.IntN(cfg.Out)
		}
	}
	if h0 {
		// A padded stride, to check that H0's stride is honoured.
		s := cfg.Hidden + 3
		b.H0 = blas32.General{Rows: rows, Cols: cfg.Hidden, Stride: s, Data: make([]float32, rows*s)}
		for i := range b.H0.Data {
			b.H0.Data[i] = float32(math.Abs(r.NormFloat64()))
		}
	}
	return b
}

// forEachImpl runs f once per available asm implementation, selected.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, impl := range asm.AvailableImpls() {
		t.Run("impl="+impl.Name, func(t *testing.T) {
			prev, err := asm.Use(impl.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer asm.Restore(prev)
			f(t)
		})
	}
}

// maxAbs returns the largest |x|.
func maxAbs(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}
