package layers

import (
	"fmt"
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
)

// TestTrainStepVelocity checks TrainStep's velocity-fused path (SGD with
// momentum and no weight decay, or plain SGD with weight decay; every
// layer fused, or the larger ones only) against Gradient followed by
// Step: the parameters and the velocity (plain SGD: the gradient, which
// the fused layers' DW still holds) agree bit for bit (up to the sign of zeros)
// on every implementation, at 1, 2 and 3 threads, with the momentum
// changing between epochs, with dropout and batch normalization, and on a
// layer large enough for the packed engine's ScaleC epilogue (600 x 700
// weights); with a batch deeper than one depth block of the engine they
// agree within the product's rounding. With weight decay, or FuseVelocity
// off, TrainStep runs Gradient and Step (DW holds the gradient).
func TestTrainStepVelocity(t *testing.T) {
	type netCase struct {
		name  string
		sizes []int
		opts  MLPOptions
		batch int
		exact bool
	}
	nets := []netCase{
		{"mlp", []int{50, 150, 70, 10}, MLPOptions{Seed: 3, Init: InitHe}, 37, true},
		{"dropout", []int{60, 90, 10}, MLPOptions{Seed: 5, Init: InitHe, Dropout: 0.5}, 31, true},
		{"batchnorm", []int{40, 80, 80, 10}, MLPOptions{Seed: 6, Init: InitHe, Norm: NormBatch}, 25, true},
		{"engine", []int{64, 700, 600, 10}, MLPOptions{Seed: 8, Init: InitHe}, 40, true},
		{"deep-batch", []int{32, 700, 600, 10}, MLPOptions{Seed: 9, Init: InitHe}, 300, false},
	}
	defer func(prev, prevPass int) { velocityMinWeights, velocityMinWeightsPass = prev, prevPass }(velocityMinWeights, velocityMinWeightsPass)
	forEachImpl(t, func(t *testing.T) {
		for _, threads := range []int{1, 2, 3} {
			for ni, nc := range nets {
				// Every Dense layer fused, or only those of 100000
				// weights or more (the engine net's second layer).
				minW := 0
				if (threads+ni)%2 == 0 {
					minW = 100000
				}
				if testing.Short() && (threads+ni)%3 != 0 {
					continue
				}
				t.Run(fmt.Sprintf("threads=%d/%s/min=%d/plain=%v", threads, nc.name, minW, (threads+ni)%3 == 1), func(t *testing.T) {
					defer blas.SetThreads(blas.SetThreads(threads))
					velocityMinWeights, velocityMinWeightsPass = minW, minW
					a, err := NewMLP(nc.sizes, nc.opts)
					if err != nil {
						t.Fatal(err)
					}
					b := a.Clone()
					// Momentum, or (every other case) plain SGD with
					// weight decay.
					plain := (threads+ni)%3 == 1
					mk := func() *SGD {
						if plain {
							return &SGD{LR: Constant(0.02), WeightDecay: 1e-3}
						}
						return &SGD{LR: Constant(0.02), Momentum: Linear(0.5, 0.2, 0.9)}
					}
					oa, ob := mk(), mk()
					r := newRand(13)
					for step := 0; step < 5; step++ {
						oa.SetEpoch(step / 2)
						ob.SetEpoch(step / 2)
						x := randMatrix(r, nc.batch, nc.sizes[0], nc.sizes[0])
						y := randLabels(r, nc.batch, nc.sizes[len(nc.sizes)-1])
						la := a.TrainStep(x, y, oa)
						lb := b.Gradient(x, y)
						ob.Step(b)
						if la != lb && (nc.exact || math.Abs(la-lb) > 1e-6*math.Abs(lb)) {
							t.Fatalf("step %d: loss %v fused, %v unfused", step, la, lb)
						}
						pa, pb := a.Params(), b.Params()
						for i := range pa {
							if msg := agree(pa[i].Value, pb[i].Value, nc.exact); msg != "" {
								t.Fatalf("step %d: %s of layer %d: %s", step, pa[i].Name, pa[i].Layer, msg)
							}
							if plain {
								// The fused layers' DW holds the gradient.
								if msg := agree(pa[i].Grad, pb[i].Grad, nc.exact); msg != "" {
									t.Fatalf("step %d: gradient of %s of layer %d: %s", step, pa[i].Name, pa[i].Layer, msg)
								}
								continue
							}
							if msg := agree(oa.velocity[i], ob.velocity[i], nc.exact); msg != "" {
								t.Fatalf("step %d: velocity of %s of layer %d: %s", step, pa[i].Name, pa[i].Layer, msg)
							}
						}
					}
				})
			}
		}
	})
	// Not fused: weight decay, or FuseVelocity off.
	for _, off := range []string{"decay", "switch"} {
		a, err := NewMLP([]int{20, 30, 10}, MLPOptions{Seed: 4, Init: InitHe})
		if err != nil {
			t.Fatal(err)
		}
		b := a.Clone()
		o := &SGD{LR: Constant(0.02), Momentum: Constant(0.9)}
		if off == "decay" {
			o.WeightDecay = 1e-3
		} else {
			FuseVelocity = false
		}
		r := newRand(5)
		x, y := randMatrix(r, 8, 20, 20), randLabels(r, 8, 10)
		a.TrainStep(x, y, o)
		FuseVelocity = true
		b.Gradient(x, y)
		for i, p := range a.Params() {
			if msg := agree(p.Grad, b.Params()[i].Grad, true); msg != "" {
				t.Fatalf("%s: gradient of %s: %s", off, p.Name, msg)
			}
		}
	}
}

// agree compares two parameter vectors: equal values (+0 and -0 alike,
// NaN with NaN) when exact, else within 1e-5 of the larger's largest
// magnitude. It returns "" or a description of the first difference.
func agree(a, b []float32, exact bool) string {
	if len(a) != len(b) {
		return fmt.Sprintf("lengths %d and %d", len(a), len(b))
	}
	var scale float64
	for i := range a {
		scale = max(scale, math.Abs(float64(a[i])), math.Abs(float64(b[i])))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x == y || (x != x && y != y) {
			continue
		}
		if !exact && math.Abs(float64(x)-float64(y)) <= 1e-5*scale {
			continue
		}
		return fmt.Sprintf("[%d] = %v fused, %v unfused", i, x, y)
	}
	return ""
}
