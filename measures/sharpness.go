package measures

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// datasetLoss returns the mean softmax cross-entropy of net on d
// (inference mode).
func datasetLoss(ctx context.Context, net *layers.Network, d layers.Examples, bs int) (float64, error) {
	var sum float64
	err := batches(ctx, net, d, bs, func(_ int, x blas32.General, y []int) error {
		sum += net.Loss(x, y) * float64(len(y))
		return nil
	})
	return sum / float64(d.Len()), err
}

// datasetGradient sets grad[p] to the gradient of the mean loss over d
// with respect to parameter tensor p of net.Params(), in float64.
func datasetGradient(ctx context.Context, net *layers.Network, d layers.Examples, bs int, grad [][]float64) error {
	for _, g := range grad {
		clear(g)
	}
	n := float64(d.Len())
	ps := net.Params()
	return batches(ctx, net, d, bs, func(_ int, x blas32.General, y []int) error {
		net.Gradient(x, y)
		w := float64(len(y)) / n
		for i, p := range ps {
			for j, g := range p.Grad {
				grad[i][j] += w * float64(g)
			}
		}
		return nil
	})
}

// SharpnessOptions configures WorstCaseSharpness.
type SharpnessOptions struct {
	// Alpha sets the box |nu_i| <= Alpha (|w_i| + 1) (default 5e-4).
	Alpha float64
	// Steps is the number of ascent steps (default 10).
	Steps int
	// StepSize is each step's length as a fraction of the box half-width
	// Alpha (|w_i| + 1) (default 0.5).
	StepSize float64
	// BatchSize is the number of examples per forward pass (default 256).
	BatchSize int
}

func (o SharpnessOptions) withDefaults() SharpnessOptions {
	if o.Alpha == 0 {
		o.Alpha = 5e-4
	}
	if o.Steps == 0 {
		o.Steps = 10
	}
	if o.StepSize == 0 {
		o.StepSize = 0.5
	}
	return o
}

// Sharpness is the outcome of WorstCaseSharpness.
type Sharpness struct {
	// Value is (PerturbedLoss - Loss) / (1 + Loss).
	Value float64
	// Loss is L(w), PerturbedLoss the largest L(w + nu) found.
	Loss, PerturbedLoss float64
}

// WorstCaseSharpness estimates the worst-case sharpness of net on d
// (Keskar et al., 2017, as normalized in the thesis),
//
//	zeta_alpha(w) = (max_(|nu_i| <= alpha (|w_i| + 1)) L(w + nu) - L(w)) / (1 + L(w)),
//
// L the mean cross-entropy over d and nu ranging over every parameter,
// weights and biases. The maximum is approached by projected signed
// gradient ascent, the steepest ascent for a box: from nu = 0, Steps times,
//
//	g = dL/dw at w + nu (mean over all of d)
//	nu_i = clip(nu_i + StepSize r_i sign(g_i), -r_i, r_i),  r_i = alpha (|w_i| + 1)
//
// keeping the largest loss seen, so the result is a lower bound on the
// true maximum. Each step costs one gradient and one loss pass over d.
// Gradients run in training mode (dropout on, for networks with dropout);
// losses in inference mode. net itself is not modified (the work is done
// on a Clone). Sharpness is not invariant to node rescaling.
func WorstCaseSharpness(ctx context.Context, net *layers.Network, d layers.Examples, opt SharpnessOptions) (Sharpness, error) {
	if net == nil {
		panic(errNilNetwork)
	}
	opt = opt.withDefaults()
	if !(opt.Alpha > 0) || math.IsInf(opt.Alpha, 0) || opt.Steps < 0 || !(opt.StepSize > 0) || math.IsInf(opt.StepSize, 0) || opt.BatchSize < 0 {
		return Sharpness{}, fmt.Errorf("measures: invalid sharpness options %+v", opt)
	}
	if err := checkData(net, d); err != nil {
		return Sharpness{}, err
	}
	c := net.Clone()
	ps := c.Params()
	w0 := make([][]float32, len(ps))
	nu := make([][]float64, len(ps))
	grad := make([][]float64, len(ps))
	for i, p := range ps {
		w0[i] = append([]float32(nil), p.Value...)
		nu[i] = make([]float64, len(p.Value))
		grad[i] = make([]float64, len(p.Value))
	}
	l0, err := datasetLoss(ctx, c, d, opt.BatchSize)
	if err != nil {
		return Sharpness{}, err
	}
	best := l0
	for range opt.Steps {
		if err := datasetGradient(ctx, c, d, opt.BatchSize, grad); err != nil {
			return Sharpness{}, err
		}
		for i, p := range ps {
			for j, w := range w0[i] {
				r := opt.Alpha * (math.Abs(float64(w)) + 1)
				g := grad[i][j]
				step := 0.0
				switch {
				case g > 0:
					step = opt.StepSize * r
				case g < 0:
					step = -opt.StepSize * r
				}
				v := math.Max(-r, math.Min(r, nu[i][j]+step))
				nu[i][j] = v
				p.Value[j] = float32(float64(w) + v)
			}
		}
		l, err := datasetLoss(ctx, c, d, opt.BatchSize)
		if err != nil {
			return Sharpness{}, err
		}
		best = math.Max(best, l)
	}
	return Sharpness{Value: (best - l0) / (1 + l0), Loss: l0, PerturbedLoss: best}, nil
}

// ExpectedOptions configures ExpectedSharpness.
type ExpectedOptions struct {
	// Sigma is the standard deviation of the perturbation (default 0.01),
	// the same for every parameter, unless Alpha is set.
	Sigma float64
	// Alpha, if positive, scales each parameter's perturbation to its
	// magnitude instead: sigma_i = Alpha (10 |w_i| + 1), the choice of
	// Neyshabur et al. 2017 (NIPS, Figure 2), and the KL term becomes
	// sum_i w_i^2 / (2 sigma_i^2).
	Alpha float64
	// Samples is the number of perturbations drawn (default 10).
	Samples int
	// Seed seeds the perturbations: sample s draws from PCG(Seed, s).
	Seed uint64
	// BatchSize is the number of examples per forward pass (default 256).
	BatchSize int
}

// Expected is the outcome of ExpectedSharpness.
type Expected struct {
	// Value is the mean over the samples of L(w + nu) - L(w), and StdErr
	// its standard error.
	Value, StdErr float64
	// Loss is L(w).
	Loss float64
	// KL is ||w||^2 / (2 sigma^2), the divergence KL(N(w, sigma^2 I) ||
	// N(0, sigma^2 I)) of the PAC-Bayes bound in which expected sharpness
	// appears, over every parameter; with Alpha set, sum_i w_i^2 /
	// (2 sigma_i^2), the divergence between the posterior N(w, diag
	// sigma_i^2) and the prior N(0, diag sigma_i^2).
	KL float64
	// Samples is the number of perturbations.
	Samples int
}

// ExpectedSharpness estimates the expected sharpness of net on d,
//
//	E_(nu ~ N(0, sigma^2 I)) L(w + nu) - L(w),
//
// by the mean over Samples seeded Gaussian perturbations of every
// parameter (weights and biases), L the mean cross-entropy over d in
// inference mode, and reports the PAC-Bayes KL term ||w||^2/(2 sigma^2)
// beside it; with opt.Alpha set, each parameter's standard deviation is
// Alpha (10 |w_i| + 1) and the KL term sum_i w_i^2 / (2 sigma_i^2). net is
// not modified. Not invariant to node rescaling.
func ExpectedSharpness(ctx context.Context, net *layers.Network, d layers.Examples, opt ExpectedOptions) (Expected, error) {
	if net == nil {
		panic(errNilNetwork)
	}
	if opt.Sigma == 0 {
		opt.Sigma = 0.01
	}
	if opt.Samples == 0 {
		opt.Samples = 10
	}
	if !(opt.Sigma > 0) || math.IsInf(opt.Sigma, 0) || !(opt.Alpha >= 0) || math.IsInf(opt.Alpha, 0) || opt.Samples < 0 || opt.BatchSize < 0 {
		return Expected{}, fmt.Errorf("measures: invalid expected-sharpness options %+v", opt)
	}
	if err := checkData(net, d); err != nil {
		return Expected{}, err
	}
	c := net.Clone()
	ps := c.Params()
	w0 := make([][]float32, len(ps))
	// std returns parameter w's standard deviation.
	std := func(w float32) float64 {
		if opt.Alpha > 0 {
			return opt.Alpha * (10*math.Abs(float64(w)) + 1)
		}
		return opt.Sigma
	}
	var kl float64
	for i, p := range ps {
		w0[i] = append([]float32(nil), p.Value...)
		for _, w := range p.Value {
			s := std(w)
			kl += float64(w) * float64(w) / (2 * s * s)
		}
	}
	l0, err := datasetLoss(ctx, c, d, opt.BatchSize)
	if err != nil {
		return Expected{}, err
	}
	var sum, sum2 float64
	for s := range opt.Samples {
		r := rand.New(rand.NewPCG(opt.Seed, uint64(s)))
		for i, p := range ps {
			for j, w := range w0[i] {
				p.Value[j] = float32(float64(w) + std(w)*r.NormFloat64())
			}
		}
		l, err := datasetLoss(ctx, c, d, opt.BatchSize)
		if err != nil {
			return Expected{}, err
		}
		sum += l - l0
		sum2 += (l - l0) * (l - l0)
	}
	e := Expected{Loss: l0, KL: kl, Samples: opt.Samples}
	if opt.Samples > 0 {
		n := float64(opt.Samples)
		e.Value = sum / n
		if opt.Samples > 1 {
			v := (sum2 - sum*sum/n) / (n - 1)
			e.StdErr = math.Sqrt(math.Max(v, 0) / n)
		}
	}
	return e, nil
}
