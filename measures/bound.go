package measures

import (
	"fmt"
	"math"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// Constants of the PAC-Bayes bound (see doc.go for the derivation).
const (
	// gridRatio is r: the margin and the prior's standard deviation are
	// rounded down to powers of r, over which the bound takes a union.
	gridRatio = 1.1
	// gridMass is c = sum over integers k of 1/(|k|+1)^2 = pi^2/3 - 1,
	// which normalizes the union bound's weights.
	gridMass = math.Pi*math.Pi/3 - 1
)

// BoundOptions configures SpectralBound.
type BoundOptions struct {
	// InputNorm is B, a bound on every input's Euclidean norm (required,
	// positive).
	InputNorm float64
	// Delta is the confidence parameter (default 0.05).
	Delta float64
	// Power configures the spectral norms.
	Power PowerOptions
}

// Bound is the PAC-Bayes spectrally-normalized margin bound of Neyshabur,
// Bhojanapalli and Srebro (ICLR 2018) with explicit constants:
//
//	L_0(f_w) <= Value = MarginLoss + 4 sqrt((KL + LogTerm) / (m - 1))
//
// with probability at least 1 - Delta over the m training examples,
// simultaneously for every network of the architecture and every margin.
// L_0 is the expected classification error (ties count as errors).
type Bound struct {
	// Value is the bound on the expected classification error; above 1
	// it is vacuous, and +Inf when the margin is not positive.
	Value float64
	// Gamma is the margin used, the given margin rounded down to a power
	// of 1.1, and MarginLoss the fraction of training margins <= Gamma.
	Gamma, MarginLoss float64
	// Sigma is the standard deviation of the prior and posterior, and KL
	// = ||w~||^2 / (2 Sigma^2) their divergence, w~ the balanced weights.
	Sigma, KL float64
	// LogTerm is ln(6 m / delta_jk), the union bound's price.
	LogTerm float64
	// Examples is m, Delta the confidence parameter.
	Examples int
	Delta    float64
	// InputNorm and Width are the B and h of the bound (h the largest
	// layer size, input included); Depth is d.
	InputNorm float64
	Width     int
	Depth     int
	// Augmented reports that the biases were folded into the matrices.
	Augmented bool
	// Beta is the geometric mean of the layers' spectral norms.
	Beta float64
}

// SpectralBound computes the PAC-Bayes bound on the expected error of net
// from its training margins and a margin gamma (typically a low percentile
// of the margins). A network with non-zero biases is first written as the
// bias-free network that computes the same function on inputs (x, 1): each
// hidden layer's matrix becomes [[W_i, b_i], [0, 1]], the last [W_d, b_d],
// B becomes sqrt(B^2 + 1) and every width grows by one (Augmented is then
// true). It returns an error for bad options or fewer than two margins.
func SpectralBound(net *layers.Network, margins []float64, gamma float64, opt BoundOptions) (Bound, error) {
	if net == nil {
		panic(errNilNetwork)
	}
	if opt.Delta == 0 {
		opt.Delta = 0.05
	}
	opt.Power = opt.Power.withDefaults()
	if !(opt.Delta > 0 && opt.Delta < 1) {
		return Bound{}, fmt.Errorf("measures: confidence delta %v outside (0, 1)", opt.Delta)
	}
	if !(opt.InputNorm > 0) || math.IsInf(opt.InputNorm, 0) {
		return Bound{}, fmt.Errorf("measures: input norm %v is not positive and finite", opt.InputNorm)
	}
	if err := opt.Power.check(); err != nil {
		return Bound{}, err
	}
	m := len(margins)
	if m < 2 {
		return Bound{}, fmt.Errorf("measures: the bound needs at least two examples, got %d", m)
	}
	mats, aug := boundMatrices(net)
	b := opt.InputNorm
	if aug {
		b = math.Sqrt(b*b + 1)
	}
	h := 0
	for _, w := range mats {
		h = max(h, w.Rows, w.Cols)
	}
	spec := make([]float64, len(mats))
	frob2 := make([]float64, len(mats))
	for i, w := range mats {
		o := opt.Power
		o.Seed += uint64(i)
		s, err := SpectralNorm(w, o)
		if err != nil {
			return Bound{}, err
		}
		spec[i], frob2[i] = s.Sigma, frobenius2(w)
	}
	return pacBayes(spec, frob2, b, h, margins, gamma, opt.Delta, aug), nil
}

// boundMatrices returns the weight matrices of net, augmented with the
// biases when any is non-zero.
func boundMatrices(net *layers.Network) ([]blas32.General, bool) {
	ds := net.Dense()
	mats := make([]blas32.General, len(ds))
	aug := false
	for _, d := range ds {
		for _, x := range d.B {
			if x != 0 {
				aug = true
			}
		}
	}
	for i, d := range ds {
		if !aug {
			mats[i] = d.W
			continue
		}
		last := i == len(ds)-1
		rows, cols := d.OutSize(), d.InSize()+1
		if !last {
			rows++
		}
		a := blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: make([]float32, rows*cols)}
		for v := range d.OutSize() {
			copy(a.Data[v*cols:], d.W.Data[v*d.W.Stride:v*d.W.Stride+d.W.Cols])
			a.Data[v*cols+cols-1] = d.B[v]
		}
		if !last {
			a.Data[rows*cols-1] = 1
		}
		mats[i] = a
	}
	return mats, aug
}

// pacBayes evaluates the bound from the spectral norms s_i, the squared
// Frobenius norms F_i^2, the input bound B and the width h (doc.go).
func pacBayes(spec, frob2 []float64, b float64, h int, margins []float64, gamma, delta float64, aug bool) Bound {
	m := len(margins)
	d := len(spec)
	bd := Bound{Examples: m, Delta: delta, InputNorm: b, Width: h, Depth: d, Augmented: aug,
		Value: math.Inf(1), Gamma: gamma, MarginLoss: MarginLoss(margins, gamma)}
	var logBeta, ratio float64
	for i, s := range spec {
		if !(s > 0) {
			return bd // the zero function: every margin is 0
		}
		logBeta += math.Log(s)
		ratio += frob2[i] / (s * s)
	}
	logBeta /= float64(d)
	bd.Beta = math.Exp(logBeta)
	if !(gamma > 0) || math.IsInf(gamma, 0) {
		return bd
	}
	lr := math.Log(gridRatio)
	// gamma' = r^j <= gamma < r^(j+1).
	j := math.Floor(math.Log(gamma) / lr)
	for math.Exp(j*lr) > gamma {
		j--
	}
	g := math.Exp(j * lr)
	// sigma* = gamma' / (4 e B d beta^(d-1) sqrt(2 h ln(4 d h))), then
	// sigma = r^k <= sigma* < r^(k+1).
	fd, fh := float64(d), float64(h)
	logSigmaStar := math.Log(g) - math.Log(4*math.E*b*fd*math.Sqrt(2*fh*math.Log(4*fd*fh))) - float64(d-1)*logBeta
	k := math.Floor(logSigmaStar / lr)
	for k*lr > logSigmaStar {
		k--
	}
	sigma := math.Exp(k * lr)
	// ||w~||^2 = beta^2 sum_i F_i^2 / s_i^2; KL = ||w~||^2 / (2 sigma^2).
	kl := math.Exp(2*logBeta-2*k*lr) * ratio / 2
	logTerm := math.Log(6*float64(m)/delta) + 2*math.Log(gridMass) +
		2*math.Log(math.Abs(j)+1) + 2*math.Log(math.Abs(k)+1)
	bd.Gamma, bd.Sigma, bd.KL, bd.LogTerm = g, sigma, kl, logTerm
	bd.MarginLoss = MarginLoss(margins, g)
	bd.Value = bd.MarginLoss + 4*math.Sqrt((kl+logTerm)/float64(m-1))
	return bd
}
