package layers

import (
	"fmt"
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
)

// TestTrainStepFused checks that TrainStep's fused updates give the
// parameters (and optimizer state) of Gradient followed by Step bit for bit,
// on every implementation, with one and two threads, for SGD with and
// without momentum and weight decay and for AdaGrad, on networks whose
// layers span several blocks (and a partial last one), with dropout and
// batch normalization, and with a batch deeper than one depth block of the
// GEMM engine.
func TestTrainStepFused(t *testing.T) {
	type netCase struct {
		name  string
		sizes []int
		opts  MLPOptions
		batch int
	}
	nets := []netCase{
		{"mlp", []int{50, 150, 70, 10}, MLPOptions{Seed: 3, Init: InitHe}, 37},
		{"wide-input", []int{2100, 40, 10}, MLPOptions{Seed: 4, Init: InitHe}, 20},
		{"dropout", []int{60, 90, 10}, MLPOptions{Seed: 5, Init: InitHe, Dropout: 0.5}, 31},
		{"batchnorm", []int{40, 80, 80, 10}, MLPOptions{Seed: 6, Init: InitHe, Norm: NormBatch}, 25},
		{"deep-batch", []int{30, 70, 10}, MLPOptions{Seed: 7, Init: InitHe}, 300},
	}
	opts := map[string]func() Optimizer{
		"sgd":          func() Optimizer { return &SGD{LR: Constant(0.05)} },
		"sgd-momentum": func() Optimizer { return &SGD{LR: Constant(0.02), Momentum: Constant(0.9), WeightDecay: 1e-3} },
		"adagrad":      func() Optimizer { return &AdaGrad{LR: Constant(0.01)} },
	}
	forEachImpl(t, func(t *testing.T) {
		for _, threads := range []int{1, 2} {
			for _, nc := range nets {
				for oname, mk := range opts {
					t.Run(fmt.Sprintf("threads=%d/%s/%s", threads, nc.name, oname), func(t *testing.T) {
						defer blas.SetThreads(blas.SetThreads(threads))
						a, err := NewMLP(nc.sizes, nc.opts)
						if err != nil {
							t.Fatal(err)
						}
						b := a.Clone()
						oa, ob := mk(), mk()
						r := newRand(11)
						for step := 0; step < 4; step++ {
							x := randMatrix(r, nc.batch, nc.sizes[0], nc.sizes[0])
							y := randLabels(r, nc.batch, nc.sizes[len(nc.sizes)-1])
							FuseUpdates = true
							la := a.TrainStep(x, y, oa)
							FuseUpdates = false
							lb := b.TrainStep(x, y, ob)
							if math.Float64bits(la) != math.Float64bits(lb) {
								t.Fatalf("step %d: loss %v fused, %v unfused", step, la, lb)
							}
							if !sameParams(a, b) {
								t.Fatalf("step %d: parameters differ between the fused and the unfused step", step)
							}
						}
						if !sameState(oa, ob) {
							t.Fatal("optimizer state differs between the fused and the unfused step")
						}
					})
				}
			}
		}
	})
}

func sameState(a, b Optimizer) bool {
	var sa, sb [][]float32
	switch a := a.(type) {
	case *SGD:
		sa, sb = a.velocity, b.(*SGD).velocity
	case *AdaGrad:
		sa, sb = a.accum, b.(*AdaGrad).accum
	}
	if len(sa) != len(sb) {
		return false
	}
	for i := range sa {
		for j := range sa[i] {
			if math.Float32bits(sa[i][j]) != math.Float32bits(sb[i][j]) {
				return false
			}
		}
	}
	return true
}

// TestTrainStepNotFinite checks that a step whose loss is not finite
// updates nothing, fused or not.
func TestTrainStepNotFinite(t *testing.T) {
	for _, fuse := range []bool{true, false} {
		net, err := NewMLP([]int{20, 30, 5}, MLPOptions{Seed: 1, Init: InitHe})
		if err != nil {
			t.Fatal(err)
		}
		before := net.Clone()
		r := newRand(2)
		x := randMatrix(r, 8, 20, 20)
		x.Data[3] = float32(math.Inf(1))
		FuseUpdates = fuse
		loss := net.TrainStep(x, randLabels(r, 8, 5), &SGD{LR: Constant(0.1), Momentum: Constant(0.9)})
		FuseUpdates = false
		if !math.IsNaN(loss) && !math.IsInf(loss, 0) {
			t.Fatalf("fuse=%v: loss %v, want a non-finite loss", fuse, loss)
		}
		if !sameParams(net, before) {
			t.Fatalf("fuse=%v: a step with a non-finite loss changed the parameters", fuse)
		}
	}
}
