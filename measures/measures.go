package measures

import (
	"context"
	"fmt"
	"math"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// Layer holds the norms of one dense layer's weight matrix W_i (h_i x
// h_(i-1), biases excluded) and of its bias.
type Layer struct {
	// In and Out are h_(i-1) and h_i.
	In, Out int
	// Frobenius is ||W_i||_F.
	Frobenius float64
	// Spectral is ||W_i||_2, estimated by SpectralNorm.
	Spectral PowerResult
	// RowNormSum is ||W_i^T||_(2,1) = sum_v ||W_i[v,:]||_2.
	RowNormSum float64
	// Bias is ||b_i||_2.
	Bias float64
}

// LayerNorms returns the norms of every dense layer of net, the spectral
// norms by SpectralNorm with opt (layer i's starting vector seeded with
// opt.Seed + i). It panics if net is nil and returns an error for invalid
// options.
func LayerNorms(net *layers.Network, opt PowerOptions) ([]Layer, error) {
	if net == nil {
		panic(errNilNetwork)
	}
	ds := net.Dense()
	out := make([]Layer, len(ds))
	for i, d := range ds {
		o := opt
		o.Seed += uint64(i)
		s, err := SpectralNorm(d.W, o)
		if err != nil {
			return nil, err
		}
		out[i] = Layer{
			In: d.InSize(), Out: d.OutSize(),
			Frobenius:  math.Sqrt(frobenius2(d.W)),
			Spectral:   s,
			RowNormSum: rowNormSum(d.W),
			Bias:       norm32(d.B),
		}
	}
	return out, nil
}

// Measures holds the capacity measures of the thesis's generalization
// chapter (pathsgd.md, section 6), either raw or divided by the squared
// margin gamma^2. With d dense layers, h_i the number of units of layer i
// (h_d the number of classes), W_i the weights:
//
//	L2        prod_i 4 ||W_i||_F^2
//	L1Path    (sum over paths of prod over edges e of 2 |w_e|)^2
//	L2Path    sum over paths of prod over edges e in layer i of 4 h_i w_e^2
//	Spectral  prod_i h_i ||W_i||_2^2
//	Bartlett  prod_i ||W_i||_2^2 (sum_i (||W_i^T||_(2,1) / ||W_i||_2)^(2/3))^3
//	PACBayes  B^2 d^2 h ln(d h) prod_i ||W_i||_2^2 sum_i ||W_i||_F^2 / ||W_i||_2^2
//
// The path sums run over the paths of PathNorm, bias paths included; the
// matrix measures read the weight matrices only. B bounds the inputs'
// Euclidean norm and h = max(h_0, ..., h_d).
type Measures struct {
	L2, L1Path, L2Path, Spectral, Bartlett, PACBayes float64
}

// Names returns the measures' names in the order of Values.
func (Measures) Names() []string {
	return []string{"l2", "l1-path", "l2-path", "spectral", "bartlett", "pac-bayes"}
}

// Values returns the measures in the order of Names.
func (m Measures) Values() []float64 {
	return []float64{m.L2, m.L1Path, m.L2Path, m.Spectral, m.Bartlett, m.PACBayes}
}

// Normalize returns every measure divided by gamma^2, or +Inf when gamma
// is not positive (a margin that is not positive bounds nothing).
func (m Measures) Normalize(gamma float64) Measures {
	div := func(x float64) float64 {
		if !(gamma > 0) {
			return math.Inf(1)
		}
		return x / (gamma * gamma)
	}
	return Measures{div(m.L2), div(m.L1Path), div(m.L2Path), div(m.Spectral), div(m.Bartlett), div(m.PACBayes)}
}

// Widths returns h_0, ..., h_d: the input size, then every dense layer's
// output size.
func Widths(net *layers.Network) []int {
	if net == nil {
		panic(errNilNetwork)
	}
	ds := net.Dense()
	h := make([]int, len(ds)+1)
	h[0] = ds[0].InSize()
	for i, d := range ds {
		h[i+1] = d.OutSize()
	}
	return h
}

// L1PathMeasure returns (sum over paths of prod over edges of 2|w_e|)^2 =
// 4^d phi_1^2 without biases (a bias path from layer i has d-i+1 edges and
// gets 2^(d-i+1)). It is invariant to node rescaling.
func L1PathMeasure(net *layers.Network) float64 {
	s := pathSum(net, 1, constScale(len(net.Dense()), 2))
	return s * s
}

// L2PathMeasure returns the sum over paths of the product over the path's
// edges of 4 h_i w_e^2, h_i being the number of units of the layer the
// edge enters. It is invariant to node rescaling.
func L2PathMeasure(net *layers.Network) float64 {
	h := Widths(net)
	c := make([]float64, len(h)-1)
	for i := range c {
		c[i] = 4 * float64(h[i+1])
	}
	return pathSum(net, 2, c)
}

func constScale(n int, c float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = c
	}
	return s
}

// Capacities returns the raw measures of net from its layer norms
// (LayerNorms) and the input-norm bound B (used by PACBayes only).
func Capacities(net *layers.Network, norms []Layer, inputNorm float64) Measures {
	if net == nil {
		panic(errNilNetwork)
	}
	h := Widths(net)
	if len(norms) != len(h)-1 {
		panic(errNorms)
	}
	d := float64(len(norms))
	hmax := 0
	for _, x := range h {
		hmax = max(hmax, x)
	}
	m := Measures{L2: 1, Spectral: 1, L1Path: L1PathMeasure(net), L2Path: L2PathMeasure(net)}
	prodSpec2 := 1.0
	var ratio23, ratioF float64
	for i, l := range norms {
		s := l.Spectral.Sigma
		m.L2 *= 4 * l.Frobenius * l.Frobenius
		m.Spectral *= float64(h[i+1]) * s * s
		prodSpec2 *= s * s
		ratio23 += math.Pow(l.RowNormSum/s, 2.0/3)
		ratioF += l.Frobenius * l.Frobenius / (s * s)
	}
	m.Bartlett = prodSpec2 * ratio23 * ratio23 * ratio23
	m.PACBayes = inputNorm * inputNorm * d * d * float64(hmax) * math.Log(d*float64(hmax)) * prodSpec2 * ratioF
	if prodSpec2 == 0 {
		// A zero layer: the network is the zero function, whatever the
		// other layers, and the ratios are 0/0.
		m.Bartlett, m.PACBayes = 0, 0
	}
	return m
}

// Options configures Compute.
type Options struct {
	// Percentile is the percentile of the training margins taken as the
	// margin gamma, in percent (default 5).
	Percentile float64
	// Delta is the confidence parameter of the PAC-Bayes bound: it holds
	// with probability at least 1 - Delta over the training sample
	// (default 0.05).
	Delta float64
	// InputNorm is B, a bound on the Euclidean norm of every input; 0
	// means the largest norm in the training set. The bound is a theorem
	// only when B bounds the inputs of the whole distribution (for pixels
	// in [0, 1], sqrt of the number of features always does).
	InputNorm float64
	// Power configures the spectral norms.
	Power PowerOptions
}

func (o Options) withDefaults() Options {
	if o.Percentile == 0 {
		o.Percentile = 5
	}
	if o.Delta == 0 {
		o.Delta = 0.05
	}
	o.Power = o.Power.withDefaults()
	return o
}

func (o Options) check() error {
	if !(o.Percentile > 0 && o.Percentile <= 100) {
		return fmt.Errorf("measures: margin percentile %v outside (0, 100]", o.Percentile)
	}
	if !(o.Delta > 0 && o.Delta < 1) {
		return fmt.Errorf("measures: confidence delta %v outside (0, 1)", o.Delta)
	}
	if !(o.InputNorm >= 0) || math.IsInf(o.InputNorm, 0) {
		return fmt.Errorf("measures: input norm %v is negative or not finite", o.InputNorm)
	}
	return o.Power.check()
}

// Report is the outcome of Compute for one network and training set.
type Report struct {
	// Examples is the training-set size m.
	Examples int
	// Widths are h_0, ..., h_d.
	Widths []int
	// Layers holds each layer's norms.
	Layers []Layer
	// Margins are the training margins, in example order.
	Margins []float64
	// Gamma is the Options.Percentile-th percentile of Margins.
	Gamma float64
	// TrainError is the fraction of training examples with margin <= 0.
	TrainError float64
	// MarginLoss is the fraction with margin <= Gamma.
	MarginLoss float64
	// InputNorm is the B used.
	InputNorm float64
	// PathNorm1 and PathNorm2 are phi_1 and phi_2 (PathNorm).
	PathNorm1, PathNorm2 float64
	// Raw holds the capacity measures, Normalized the same divided by
	// Gamma^2.
	Raw, Normalized Measures
	// Bound is the PAC-Bayes spectrally-normalized margin bound.
	Bound Bound
}

// Compute evaluates every margin-based measure of net on its training set
// train: the margins and their percentile gamma, the layer norms, the raw
// and margin-normalized capacity measures and the PAC-Bayes bound. Its cost
// is one forward pass over train plus the power iterations. It returns an
// error for bad options, a dataset that does not fit net, a label out of
// range, or when ctx is done; it panics if net is nil.
func Compute(ctx context.Context, net *layers.Network, train layers.Examples, opt Options) (*Report, error) {
	if net == nil {
		panic(errNilNetwork)
	}
	opt = opt.withDefaults()
	if err := opt.check(); err != nil {
		return nil, err
	}
	margins, err := Margins(ctx, net, train)
	if err != nil {
		return nil, err
	}
	b := opt.InputNorm
	if b == 0 {
		if b, err = MaxInputNorm(ctx, train); err != nil {
			return nil, err
		}
	}
	norms, err := LayerNorms(net, opt.Power)
	if err != nil {
		return nil, err
	}
	r := &Report{
		Examples:  len(margins),
		Widths:    Widths(net),
		Layers:    norms,
		Margins:   margins,
		Gamma:     Percentile(margins, opt.Percentile),
		InputNorm: b,
		PathNorm1: PathNorm(net, 1),
		PathNorm2: PathNorm(net, 2),
	}
	r.TrainError = MarginLoss(margins, 0)
	r.MarginLoss = MarginLoss(margins, r.Gamma)
	r.Raw = Capacities(net, norms, b)
	r.Normalized = r.Raw.Normalize(r.Gamma)
	r.Bound, err = SpectralBound(net, margins, r.Gamma, BoundOptions{InputNorm: b, Delta: opt.Delta, Power: opt.Power})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// MaxInputNorm returns the largest Euclidean norm of an example of d.
func MaxInputNorm(ctx context.Context, d layers.Examples) (float64, error) {
	if d == nil {
		return 0, fmt.Errorf("measures: nil dataset")
	}
	n, dim := d.Len(), d.Dim()
	bs := max(1, min(defaultBatch, n))
	x := blas32.General{Rows: bs, Cols: dim, Stride: dim, Data: make([]float32, bs*dim)}
	y := make([]int, bs)
	idx := make([]int, bs)
	var b float64
	for lo := 0; lo < n; lo += bs {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("measures: stopped at example %d: %w", lo, err)
		}
		rows := min(bs, n-lo)
		for i := range rows {
			idx[i] = lo + i
		}
		xv := x
		xv.Rows, xv.Data = rows, x.Data[:rows*dim]
		d.Batch(idx[:rows], xv, y[:rows])
		for r := range rows {
			b = math.Max(b, norm32(xv.Data[r*dim:(r+1)*dim]))
		}
	}
	return b, nil
}
