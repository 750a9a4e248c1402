package measures

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
)

// TestPACBayesByHand checks the bound's arithmetic on simple numbers:
// spectral norms 2 and 8 (beta = 4), Frobenius norms^2 8 and 64, B = 1,
// h = 4, d = 2, so ||w~||^2 = 16 (8/4 + 64/64) = 48.
func TestPACBayesByHand(t *testing.T) {
	m := 1000
	margins := make([]float64, m)
	for i := range margins {
		margins[i] = float64(i) / 100 // 0, 0.01, ..., 9.99
	}
	gamma := math.Pow(1.1, 3) * 1.05 // gamma' = 1.1^3, j = 3
	bd := pacBayes([]float64{2, 8}, []float64{8, 64}, 1, 4, margins, gamma, 0.1, false)
	g := math.Pow(1.1, 3)
	near(t, "gamma'", bd.Gamma, g, 1e-14)
	sigmaStar := g / (4 * math.E * 1 * 2 * 4 * math.Sqrt(2*4*math.Log(32)))
	k := math.Floor(math.Log(sigmaStar) / math.Log(1.1))
	sigma := math.Pow(1.1, k)
	if !(sigma <= sigmaStar*(1+1e-12) && sigma > sigmaStar/1.1) {
		t.Fatalf("grid sigma %v not in (sigma*/1.1, sigma*] for sigma* = %v", sigma, sigmaStar)
	}
	near(t, "sigma", bd.Sigma, sigma, 1e-12)
	kl := 48 / (2 * sigma * sigma)
	near(t, "KL", bd.KL, kl, 1e-12)
	logTerm := math.Log(6*1000/0.1) + 2*math.Log(math.Pi*math.Pi/3-1) + 2*math.Log(4) + 2*math.Log(math.Abs(k)+1)
	near(t, "log term", bd.LogTerm, logTerm, 1e-12)
	// margins <= 1.331: 0, ..., 1.33 is 134 values.
	near(t, "margin loss", bd.MarginLoss, 0.134, 1e-15)
	near(t, "value", bd.Value, 0.134+4*math.Sqrt((kl+logTerm)/999), 1e-12)
	near(t, "beta", bd.Beta, 4, 1e-15)
	// A non-positive margin bounds nothing.
	if v := pacBayes([]float64{2, 8}, []float64{8, 64}, 1, 4, margins, 0, 0.1, false).Value; !math.IsInf(v, 1) {
		t.Errorf("gamma = 0: value %v, want +Inf", v)
	}
}

// TestAugmentedMatrices checks that the bias-free network built from a
// network with biases computes the same function on inputs (x, 1).
func TestAugmentedMatrices(t *testing.T) {
	net := newNet(t, []int{5, 4, 3, 2}, 6, true)
	mats, aug := boundMatrices(net)
	if !aug {
		t.Fatal("network with biases not augmented")
	}
	if _, aug := boundMatrices(newNet(t, []int{5, 4, 2}, 6, false)); aug {
		t.Error("bias-free network augmented")
	}
	d := randData(3, 20, 5, 2)
	z := net.Forward(d.X)
	for r := range d.X.Rows {
		a := append(toF64(d.X.Data[r*5:r*5+5]), 1)
		for i, w := range mats {
			a = matVec(w, a)
			if i < len(mats)-1 {
				for j := range a {
					a[j] = math.Max(a[j], 0)
				}
			}
		}
		for j, v := range a {
			if math.Abs(v-float64(z.Data[r*2+j])) > 1e-5 {
				t.Fatalf("example %d output %d: augmented %v, network %v", r, j, v, z.Data[r*2+j])
			}
		}
	}
}

func toF64(x []float32) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

func matVec(w blas32.General, x []float64) []float64 {
	y := make([]float64, w.Rows)
	for r := range w.Rows {
		for c := range w.Cols {
			y[r] += float64(w.Data[r*w.Stride+c]) * x[c]
		}
	}
	return y
}

// TestBoundPerturbation checks the step of the proof that sets sigma: with
// the balanced weights w~ perturbed by N(0, sigma^2), the outputs move by
// less than gamma'/4 (in the infinity norm, on every training input) with
// probability at least 1/2. The constants are worst-case: on this network
// every draw passes up to about 100 sigma, and at 1000 sigma most fail,
// which shows the check has teeth.
func TestBoundPerturbation(t *testing.T) {
	ctx := context.Background()
	net := newNet(t, []int{12, 10, 8, 4}, 17, false)
	d := labelByNet(net, randData(9, 100, 12, 4))
	r, err := Compute(ctx, net, d, Options{Power: PowerOptions{Tol: 1e-9}})
	if err != nil {
		t.Fatal(err)
	}
	bd := r.Bound
	// Balance: W~_i = beta W_i / ||W_i||_2.
	bal := net.Clone()
	for i, l := range bal.Dense() {
		c := float32(bd.Beta / r.Layers[i].Spectral.Sigma)
		for j := range l.W.Data {
			l.W.Data[j] *= c
		}
	}
	base := bal.Forward(d.X)
	z0 := append([]float32(nil), base.Data[:base.Rows*base.Cols]...)
	frac := func(sigma float64) float64 {
		rng := rand.New(rand.NewPCG(5, 5))
		ok := 0
		const draws = 40
		for range draws {
			p := bal.Clone()
			for i, l := range p.Dense() {
				for j := range l.W.Data {
					l.W.Data[j] = bal.Dense()[i].W.Data[j] + float32(sigma*rng.NormFloat64())
				}
			}
			z := p.Forward(d.X)
			worst := 0.0
			for j := range z0 {
				worst = math.Max(worst, math.Abs(float64(z.Data[j]-z0[j])))
			}
			if worst <= bd.Gamma/4 {
				ok++
			}
		}
		return float64(ok) / draws
	}
	if f := frac(bd.Sigma); f < 0.5 {
		t.Errorf("at sigma = %v only %.2f of the perturbations keep the outputs within gamma/4 = %v", bd.Sigma, f, bd.Gamma/4)
	}
	if f := frac(1000 * bd.Sigma); f > 0.5 {
		t.Errorf("at 1000 sigma, %.2f of the perturbations still pass: the check is vacuous", f)
	}
}

func TestBoundShrinksWithSamples(t *testing.T) {
	net := newNet(t, []int{6, 5, 3}, 2, false)
	base := []float64{0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5}
	prev := math.Inf(1)
	for _, reps := range []int{10, 100, 1000} {
		var m []float64
		for range reps {
			m = append(m, base...)
		}
		bd, err := SpectralBound(net, m, 1, BoundOptions{InputNorm: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !(bd.Value < prev) || bd.Value < bd.MarginLoss {
			t.Errorf("m = %d: bound %v (previous %v, margin loss %v)", len(m), bd.Value, prev, bd.MarginLoss)
		}
		prev = bd.Value
	}
}

func TestBoundWithBiases(t *testing.T) {
	net := newNet(t, []int{6, 5, 3}, 2, true)
	d := labelByNet(net, randData(1, 50, 6, 3))
	r, err := Compute(context.Background(), net, d, Options{InputNorm: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Bound.Augmented || r.Bound.Width != 7 || math.Abs(r.Bound.InputNorm-math.Sqrt(5)) > 1e-15 {
		t.Errorf("augmented bound: %+v", r.Bound)
	}
	if !(r.Bound.Value > 0) || math.IsInf(r.Bound.Value, 0) {
		t.Errorf("bound %v", r.Bound.Value)
	}
}
