package measures

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestWorstCaseSharpness(t *testing.T) {
	ctx := context.Background()
	net := newNet(t, []int{6, 8, 3}, 4, true)
	d := randData(8, 60, 6, 3)
	before := slices.Clone(net.Dense()[0].W.Data)

	s0, err := WorstCaseSharpness(ctx, net, d, SharpnessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	none, err := WorstCaseSharpness(ctx, net, d, SharpnessOptions{Steps: 1, Alpha: 1e-300})
	if err != nil || none.Value != 0 {
		t.Errorf("alpha ~ 0: %+v, %v", none, err)
	}

	// One full step from nu = 0 lands on the corner r sign(g), where the
	// loss rises by sum_i r_i |g_i| to first order.
	const alpha = 1e-4
	one, err := WorstCaseSharpness(ctx, net, d, SharpnessOptions{Alpha: alpha, Steps: 1, StepSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := net.Clone()
	c.Gradient(d.X, d.Y)
	var first float64
	for _, p := range c.Params() {
		for j, w := range p.Value {
			first += alpha * (math.Abs(float64(w)) + 1) * math.Abs(float64(p.Grad[j]))
		}
	}
	near(t, "first-order sharpness", one.PerturbedLoss-one.Loss, first, 2e-2)

	// More steps and a larger box find at least as much.
	more, err := WorstCaseSharpness(ctx, net, d, SharpnessOptions{Alpha: alpha})
	if err != nil {
		t.Fatal(err)
	}
	if more.Value < one.Value*(1-1e-3) {
		t.Errorf("10 steps (%v) found less than 1 (%v)", more.Value, one.Value)
	}
	big, err := WorstCaseSharpness(ctx, net, d, SharpnessOptions{Alpha: 1e-2})
	if err != nil {
		t.Fatal(err)
	}
	if !(big.Value > more.Value) {
		t.Errorf("alpha 1e-2 gives %v, alpha 1e-4 gives %v", big.Value, more.Value)
	}
	near(t, "normalization", big.Value, (big.PerturbedLoss-big.Loss)/(1+big.Loss), 1e-15)
	if s0.Value <= 0 {
		t.Errorf("default sharpness %v not positive", s0.Value)
	}
	// Batches of 7 give the same mean gradient up to rounding.
	b7, err := WorstCaseSharpness(ctx, net, d, SharpnessOptions{BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "batch-size independence", b7.Value, s0.Value, 1e-3)
	again, _ := WorstCaseSharpness(ctx, net, d, SharpnessOptions{})
	if again != s0 {
		t.Errorf("not reproducible: %+v, %+v", again, s0)
	}
	if !slices.Equal(before, net.Dense()[0].W.Data) {
		t.Error("the network was modified")
	}
}

func TestExpectedSharpness(t *testing.T) {
	ctx := context.Background()
	net := newNet(t, []int{6, 8, 3}, 4, true)
	d := randData(8, 60, 6, 3)
	var w2 float64
	for _, p := range net.Params() {
		for _, w := range p.Value {
			w2 += float64(w) * float64(w)
		}
	}
	e, err := ExpectedSharpness(ctx, net, d, ExpectedOptions{Sigma: 0.05, Samples: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "KL", e.KL, w2/(2*0.05*0.05), 1e-12)
	if e.Samples != 20 || !(e.StdErr > 0) {
		t.Errorf("%+v", e)
	}
	again, _ := ExpectedSharpness(ctx, net, d, ExpectedOptions{Sigma: 0.05, Samples: 20, Seed: 1})
	if again != e {
		t.Errorf("not reproducible: %+v, %+v", again, e)
	}
	// Near a generic point the mean change grows with sigma; a huge
	// perturbation destroys the function.
	small, _ := ExpectedSharpness(ctx, net, d, ExpectedOptions{Sigma: 1e-4, Samples: 20, Seed: 1})
	large, _ := ExpectedSharpness(ctx, net, d, ExpectedOptions{Sigma: 1, Samples: 20, Seed: 1})
	if !(math.Abs(small.Value) < 1e-3 && large.Value > 0.1) {
		t.Errorf("sigma 1e-4: %v, sigma 1: %v", small.Value, large.Value)
	}
	zero, _ := ExpectedSharpness(ctx, net, d, ExpectedOptions{})
	if zero.Samples != 10 {
		t.Errorf("default samples %d", zero.Samples)
	}
}

// TestExpectedSharpnessScaled: with Alpha set, every parameter is
// perturbed with standard deviation Alpha (10 |w| + 1), the same draws as
// the fixed-sigma mode (PCG(Seed, sample)), and the KL term is
// sum w^2 / (2 sigma_i^2): both recomputed here from the definition.
func TestExpectedSharpnessScaled(t *testing.T) {
	ctx := context.Background()
	net := newNet(t, []int{5, 7, 3}, 6, true)
	d := randData(9, 40, 5, 3)
	const alpha = 0.003
	e, err := ExpectedSharpness(ctx, net, d, ExpectedOptions{Alpha: alpha, Samples: 4, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var kl float64
	for _, p := range net.Params() {
		for _, w := range p.Value {
			s := alpha * (10*math.Abs(float64(w)) + 1)
			kl += float64(w) * float64(w) / (2 * s * s)
		}
	}
	near(t, "KL", e.KL, kl, 1e-12)
	l0, err := datasetLoss(ctx, net, d, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for s := range 4 {
		c := net.Clone()
		r := rand.New(rand.NewPCG(3, uint64(s)))
		for i, p := range c.Params() {
			for j, w := range net.Params()[i].Value {
				p.Value[j] = float32(float64(w) + alpha*(10*math.Abs(float64(w))+1)*r.NormFloat64())
			}
		}
		l, err := datasetLoss(ctx, c, d, 0)
		if err != nil {
			t.Fatal(err)
		}
		sum += l - l0
	}
	near(t, "expected sharpness", e.Value, sum/4, 1e-12)
	if _, err := ExpectedSharpness(ctx, net, d, ExpectedOptions{Alpha: -1}); err == nil {
		t.Error("negative alpha accepted")
	}
}
