package measures

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/layers"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// The conditions of the perturbation bound for deep ReLU networks (the
// thesis's chapter on sharpness and PAC-Bayes; Neyshabur, Bhojanapalli,
// McAllester and Srebro, "Exploring Generalization in Deep Learning",
// 2017, appendix), which the thesis checks on a 10-layer perceptron
// trained on MNIST (its Figures 3-5).
//
// # Which reading is implemented
//
// The text of the theorem was not available while this was written (the
// NIPS version's ten pages stop before the appendix; no stored copy of the
// arXiv appendix or the thesis chapter could be read), so the definitions
// below are a reconstruction from what the bound needs and from the
// figures' description, not a transcription:
//
// Notation: x_0 is the input, h_i = W_i x_(i-1) + b_i, x_i = D_i h_i with
// D_i the diagonal 0/1 ReLU mask of layer i at the given input (D_d = I:
// the output layer is linear). The Jacobian from layer a to layer b,
// 0 <= a < b <= d, is
//
//	J^(a,b)(x) = d x_b / d x_a = D_b W_b D_(b-1) W_(b-1) ... D_(a+1) W_(a+1),
//
// with J^(a,a) = I. It factors through any layer a <= c <= b-1 as
// J^(a,b) = J^(c+1,b) D_(c+1) W_(c+1) J^(a,c), so
//
//	||J^(a,b)||_2 <= ||J^(c+1,b)||_2 ||W_(c+1)||_2 ||J^(a,c)||_2.
//
// A perturbation U_(c+1) of layer c+1 moves x_b by about J^(c+1,b) D_(c+1)
// U_(c+1) x_c, which the bound controls by the right-hand side's product;
// the bound is tight when the product is close to ||J^(a,b)||_2.
//
//	C1: mu_(a,c,b)(x) = ||J^(a,b)||_2 / (||J^(c+1,b)||_2 ||W_(c+1)||_2 ||J^(a,c)||_2),
//
// in (0, 1]; 1/mu is the "condition number" the figures plot, over
// examples and triples, split into interior splits (a < c < b-1, two
// Jacobian factors) and end splits (c = a or c = b-1, one factor being the
// identity). Small 1/mu means the network composes its layers without
// losing scale between them.
//
//	C2: the fraction of hidden units whose ReLU state (h > 0 or not)
//	    differs between the network and the network with every weight
//	    matrix perturbed, W_i + U_i, U_i with i.i.d. N(0, s_i^2) entries,
//	    s_i = sigma ||W_i||_F / sqrt(h_i h_(i-1)) (so ||U_i||_F is about
//	    sigma ||W_i||_F; biases unperturbed), against sigma.
//
//	C3: each hidden unit j of layer i: ||W_i[j,:]||_2 over the layer's
//	    root-mean-square row norm ||W_i||_F / sqrt(h_i).
//
// The bound needs C1's mu bounded away from 0, C2's fraction small at the
// perturbation size of the PAC-Bayes posterior, and C3's ratios bounded
// (no unit carries most of its layer's weight).
//
// # Computation
//
// The spectral norms of the J^(a,b)(x) are estimated by power iteration on
// J^T J for a batch of examples at once, never forming the products: a
// block of vectors (one row per example) is pushed through the layers a+1
// .. b with one GEMM per layer (blas.Sgemm, the SIMD engine) followed by
// each example's mask, and back through the transposes. Every pair (a, b)
// is computed once and all triples read them.

// ConditionOptions configures Conditions.
type ConditionOptions struct {
	// Power configures the power iterations of the Jacobians' norms: Tol
	// (default 1e-4) applies to every example of a batch, MaxIter
	// (default 300) bounds them, Seed seeds the starting vectors.
	Power PowerOptions
	// Sigmas are the relative perturbation sizes of C2 (default 1e-3,
	// 3e-3, 1e-2, 3e-2, 0.1, 0.3).
	Sigmas []float64
	// Draws is the number of perturbations per sigma (default 3).
	Draws int
	// Seed seeds the perturbations.
	Seed uint64
	// BatchSize is the number of examples per pass (default 256).
	BatchSize int
}

func (o ConditionOptions) withDefaults() ConditionOptions {
	if o.Power.Tol == 0 {
		o.Power.Tol = 1e-4
	}
	if o.Power.MaxIter == 0 {
		o.Power.MaxIter = 300
	}
	if o.Sigmas == nil {
		o.Sigmas = []float64{1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3}
	}
	if o.Draws == 0 {
		o.Draws = 3
	}
	if o.BatchSize == 0 {
		o.BatchSize = 256
	}
	return o
}

// MuSample is C1 for one example and one triple a <= c <= b-1.
type MuSample struct {
	Example, A, C, B int
	Mu               float64
}

// Interior reports whether the split is interior (a < c < b-1), where both
// Jacobian factors of the denominator are products of layers.
func (s MuSample) Interior() bool { return s.A < s.C && s.C < s.B-1 }

// FlipSample is C2 for one sigma and one hidden layer (1-based), averaged
// over the examples and draws.
type FlipSample struct {
	Sigma    float64
	Layer    int
	Fraction float64
}

// ConditionReport holds C1, C2 and C3 for a network on a set of examples.
type ConditionReport struct {
	// Mu holds C1 for every example and triple, in example order.
	Mu []MuSample
	// JacobianNorms[e][a][b] is ||J^(a,b)(x_e)||_2 (a < b; 1 on the
	// diagonal).
	JacobianNorms [][][]float64
	// WeightNorms[i-1] is ||W_i||_2.
	WeightNorms []float64
	// Flips holds C2 per sigma and hidden layer; FlipTotal per sigma over
	// all hidden units (in Sigmas order).
	Flips     []FlipSample
	FlipTotal []float64
	// RowRatios[i-1][j] is C3 for unit j of hidden layer i.
	RowRatios [][]float64
	// PowerIters is the largest number of power iterations a batch ran;
	// Unconverged counts the (example, pair) norms that stopped at
	// MaxIter.
	PowerIters, Unconverged int
}

// Conditions computes C1, C2 and C3 of net on the examples of d (package
// doc of conditions.go: which reading of the conditions this is). The
// network must be a plain stack of dense layers (ReLU on every hidden
// layer, dropout off at inference; no normalization layers). It returns an
// error for bad data or options, or when ctx is cancelled.
func Conditions(ctx context.Context, net *layers.Network, d layers.Examples, opt ConditionOptions) (*ConditionReport, error) {
	if net == nil {
		panic(errNilNetwork)
	}
	opt = opt.withDefaults()
	if err := opt.Power.check(); err != nil {
		return nil, err
	}
	if opt.Draws < 0 || opt.BatchSize < 0 {
		return nil, fmt.Errorf("measures: negative draws or batch size")
	}
	for _, s := range opt.Sigmas {
		if !(s >= 0) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("measures: perturbation size %v is not finite and non-negative", s)
		}
	}
	if net.Normalized() {
		return nil, fmt.Errorf("measures: the conditions are defined for plain ReLU networks; this one has normalization layers")
	}
	dense := net.Dense()
	if len(dense) < 2 {
		return nil, fmt.Errorf("measures: the conditions need a hidden layer; this network has %d dense layer(s)", len(dense))
	}
	for i, l := range dense {
		if l.ReLU != (i < len(dense)-1) {
			return nil, fmt.Errorf("measures: dense layer %d: the conditions need ReLU on every hidden layer and a linear output", i+1)
		}
	}
	nl := len(dense)
	r := &ConditionReport{WeightNorms: make([]float64, nl)}
	for i, l := range dense {
		pr, err := SpectralNorm(l.W, PowerOptions{Tol: 1e-6, MaxIter: 2000, Seed: opt.Power.Seed + uint64(i)})
		if err != nil {
			return nil, err
		}
		r.WeightNorms[i] = pr.Sigma
	}
	for i := 0; i < nl-1; i++ {
		r.RowRatios = append(r.RowRatios, rowRatios(dense[i].W))
	}
	flipCount := make([][]float64, len(opt.Sigmas))
	for s := range flipCount {
		flipCount[s] = make([]float64, nl-1)
	}
	c := newCondState(dense)
	err := batches(ctx, net, d, opt.BatchSize, func(lo int, x blas32.General, _ []int) error {
		c.forward(x, c.masks, nil)
		iters, unconv, norms := c.jacobianNorms(x.Rows, opt.Power, lo)
		r.PowerIters = max(r.PowerIters, iters)
		r.Unconverged += unconv
		for e := range x.Rows {
			r.JacobianNorms = append(r.JacobianNorms, norms[e])
			for a := 0; a < nl; a++ {
				for b := a + 1; b <= nl; b++ {
					for cc := a; cc <= b-1; cc++ {
						den := norms[e][cc+1][b] * r.WeightNorms[cc] * norms[e][a][cc]
						mu := math.NaN()
						if den > 0 {
							mu = norms[e][a][b] / den
						}
						r.Mu = append(r.Mu, MuSample{Example: lo + e, A: a, C: cc, B: b, Mu: mu})
					}
				}
			}
		}
		for si, sigma := range opt.Sigmas {
			for draw := range opt.Draws {
				c.perturb(sigma, rand.New(rand.NewPCG(opt.Seed, uint64(si)<<32|uint64(draw))))
				c.forward(x, c.pmasks, c.pert)
				for i := 0; i < nl-1; i++ {
					n := 0
					for k, m := range c.masks[i][:x.Rows*dense[i].W.Rows] {
						if m != c.pmasks[i][k] {
							n++
						}
					}
					flipCount[si][i] += float64(n)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Draws is at least 1 here (0 became the default, negatives were
	// rejected), and every network has a hidden layer.
	n := float64(d.Len() * opt.Draws)
	for si, sigma := range opt.Sigmas {
		var flips, units float64
		for i := 0; i < nl-1; i++ {
			h := float64(dense[i].W.Rows)
			r.Flips = append(r.Flips, FlipSample{Sigma: sigma, Layer: i + 1, Fraction: flipCount[si][i] / (n * h)})
			flips += flipCount[si][i]
			units += n * h
		}
		r.FlipTotal = append(r.FlipTotal, flips/units)
	}
	return r, nil
}

// rowRatios returns C3 for the rows of w.
func rowRatios(w blas32.General) []float64 {
	out := make([]float64, w.Rows)
	var fro float64
	for j := range w.Rows {
		var s float64
		for _, v := range w.Data[j*w.Stride : j*w.Stride+w.Cols] {
			s += float64(v) * float64(v)
		}
		out[j] = math.Sqrt(s)
		fro += s
	}
	rms := math.Sqrt(fro / float64(w.Rows))
	for j := range out {
		if rms > 0 {
			out[j] /= rms
		} else {
			out[j] = math.NaN()
		}
	}
	return out
}

// condState holds a network's dense layers and the buffers of the
// condition computations.
type condState struct {
	dense []*layers.Dense
	// acts[i] is x_i for a batch (acts[0] unused: the input is a view).
	acts [][]float32
	// masks[i] and pmasks[i] are hidden layer i+1's ReLU states (h > 0) for
	// the network and a perturbed one.
	masks, pmasks [][]bool
	// pert holds the perturbed weight matrices.
	pert []blas32.General
	// t0, t1 are scratch blocks of vectors for the power iterations.
	t0, t1 []float32
}

func newCondState(dense []*layers.Dense) *condState {
	c := &condState{dense: dense}
	nl := len(dense)
	c.acts = make([][]float32, nl+1)
	c.masks = make([][]bool, nl-1)
	c.pmasks = make([][]bool, nl-1)
	for _, l := range dense {
		c.pert = append(c.pert, blas32.General{Rows: l.W.Rows, Cols: l.W.Cols, Stride: l.W.Cols, Data: make([]float32, l.W.Rows*l.W.Cols)})
	}
	return c
}

// width returns h_i (h_0 the input size).
func (c *condState) width(i int) int {
	if i == 0 {
		return c.dense[0].W.Cols
	}
	return c.dense[i-1].W.Rows
}

// grow returns s with at least n elements.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// forward runs the batch x through the network (weights w, or the
// network's own when w is nil) and records the hidden layers' ReLU states
// in masks.
func (c *condState) forward(x blas32.General, masks [][]bool, w []blas32.General) {
	rows := x.Rows
	in, ld := x.Data, x.Stride
	for i, l := range c.dense {
		W := l.W
		if w != nil {
			W = w[i]
		}
		h := W.Rows
		c.acts[i+1] = grow(c.acts[i+1], rows*h)
		out := c.acts[i+1]
		blas.Sgemm(gblas.NoTrans, gblas.Trans, rows, h, W.Cols, 1, in, ld, W.Data, W.Stride, 0, out, h)
		for r := range rows {
			row := out[r*h : (r+1)*h]
			for j := range row {
				row[j] += l.B[j]
			}
		}
		if i < len(c.dense)-1 {
			masks[i] = grow(masks[i], rows*h)
			m := masks[i]
			for k, v := range out {
				m[k] = v > 0
				if !m[k] {
					out[k] = 0
				}
			}
		}
		in, ld = out, h
	}
}

// applyMask zeroes the entries of the rows x h block t where hidden layer
// i's mask (1-based; none for the output layer) is off.
func (c *condState) applyMask(t []float32, i int) {
	if i >= len(c.dense) {
		return
	}
	for k, on := range c.masks[i-1][:len(t)] {
		if !on {
			t[k] = 0
		}
	}
}

// jacobianNorms estimates ||J^(a,b)(x_e)||_2 for every example e of the
// batch last passed to forward and every pair a < b, by power iteration on
// blocks of vectors. It returns the largest iteration count, the number of
// unconverged norms and norms[e][a][b].
func (c *condState) jacobianNorms(rows int, po PowerOptions, lo int) (iters, unconv int, norms [][][]float64) {
	nl := len(c.dense)
	norms = make([][][]float64, rows)
	for e := range norms {
		norms[e] = make([][]float64, nl+1)
		for a := range norms[e] {
			norms[e][a] = make([]float64, nl+1)
			norms[e][a][a] = 1
		}
	}
	maxW := 0
	for i := 0; i <= nl; i++ {
		maxW = max(maxW, c.width(i))
	}
	c.t0 = grow(c.t0, rows*maxW)
	c.t1 = grow(c.t1, rows*maxW)
	v := make([]float32, rows*maxW)
	s, prev := make([]float64, rows), make([]float64, rows)
	done := make([]bool, rows)
	for a := 0; a < nl; a++ {
		for b := a + 1; b <= nl; b++ {
			ha := c.width(a)
			rng := rand.New(rand.NewPCG(po.Seed, uint64(lo)<<16|uint64(a)<<8|uint64(b)))
			v = v[:rows*ha]
			for k := range v {
				v[k] = float32(rng.NormFloat64())
			}
			normalizeRows(v, rows, ha, s)
			clear(prev)
			clear(done)
			k := 0
			for ; k < po.MaxIter; k++ {
				u := c.applyJ(v, rows, a, b)
				normalizeRows(u, rows, c.width(b), s)
				w := c.applyJT(u, rows, a, b)
				copy(v, w[:rows*ha])
				normalizeRows(v, rows, ha, s)
				all := true
				for e := range rows {
					if !done[e] {
						done[e] = k > 0 && math.Abs(s[e]-prev[e]) <= po.Tol*s[e]
						all = all && done[e]
					}
					prev[e] = s[e]
				}
				if all {
					k++
					break
				}
			}
			iters = max(iters, k)
			for e := range rows {
				norms[e][a][b] = s[e]
				if !done[e] {
					unconv++
				}
			}
		}
	}
	return iters, unconv, norms
}

// applyJ returns J^(a,b) applied to each row of the rows x h_a block v (a
// view of a scratch buffer).
func (c *condState) applyJ(v []float32, rows, a, b int) []float32 {
	in, out := v, c.t0
	for i := a + 1; i <= b; i++ {
		W := c.dense[i-1].W
		out = out[:rows*W.Rows]
		blas.Sgemm(gblas.NoTrans, gblas.Trans, rows, W.Rows, W.Cols, 1, in, W.Cols, W.Data, W.Stride, 0, out, W.Rows)
		c.applyMask(out, i)
		if i == a+1 {
			in, out = out, c.t1
		} else {
			in, out = out, in
		}
	}
	return in
}

// applyJT returns J^(a,b)^T applied to each row of the rows x h_b block u,
// which it may overwrite.
func (c *condState) applyJT(u []float32, rows, a, b int) []float32 {
	c.applyMask(u, b)
	in := u
	out := c.t1
	if &u[0] == &c.t1[0] {
		out = c.t0
	}
	for i := b; i > a; i-- {
		W := c.dense[i-1].W
		out = out[:rows*W.Cols]
		blas.Sgemm(gblas.NoTrans, gblas.NoTrans, rows, W.Cols, W.Rows, 1, in, W.Rows, W.Data, W.Stride, 0, out, W.Cols)
		if i-1 > a {
			c.applyMask(out, i-1)
		}
		in, out = out, in[:cap(in)]
	}
	return in
}

// normalizeRows scales each of the rows of the rows x n block t to unit
// length, leaving zero rows as they are, and records the norms in s.
func normalizeRows(t []float32, rows, n int, s []float64) {
	for r := range rows {
		row := t[r*n : (r+1)*n]
		var q float64
		for _, x := range row {
			q += float64(x) * float64(x)
		}
		s[r] = math.Sqrt(q)
		if s[r] > 0 {
			inv := float32(1 / s[r])
			for j := range row {
				row[j] *= inv
			}
		}
	}
}

// perturb sets c.pert to the network's weights plus Gaussian noise of
// relative size sigma (C2).
func (c *condState) perturb(sigma float64, rng *rand.Rand) {
	for i, l := range c.dense {
		W := l.W
		var fro float64
		for r := range W.Rows {
			for _, x := range W.Data[r*W.Stride : r*W.Stride+W.Cols] {
				fro += float64(x) * float64(x)
			}
		}
		std := sigma * math.Sqrt(fro/float64(W.Rows*W.Cols))
		p := c.pert[i]
		for r := range W.Rows {
			for j, x := range W.Data[r*W.Stride : r*W.Stride+W.Cols] {
				p.Data[r*p.Stride+j] = x + float32(std*rng.NormFloat64())
			}
		}
	}
}
