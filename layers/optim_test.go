package layers

import (
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
)

func TestSchedules(t *testing.T) {
	for _, c := range []struct {
		name string
		s    Schedule
		e    int
		want float64
	}{
		{"constant", Constant(0.3), 17, 0.3},
		{"exp0", Exponential(0.1, 0.99), 0, 0.1},
		{"exp2", Exponential(0.1, 0.99), 2, 0.1 * 0.99 * 0.99},
		{"exp100", Exponential(0.1, 0.99), 100, float64(float32(0.1)) * math.Pow(float64(float32(0.99)), 100)},
		{"ramp0", Linear(0.5, 0.02, 0.9), 0, 0.5},
		{"ramp10", Linear(0.5, 0.02, 0.9), 10, 0.7},
		{"ramp20", Linear(0.5, 0.02, 0.9), 20, 0.9},
		{"ramp50", Linear(0.5, 0.02, 0.9), 50, 0.9},
		{"down", Linear(1, -0.25, 0.5), 1, 0.75},
		{"downClamp", Linear(1, -0.25, 0.5), 9, 0.5},
	} {
		if got := c.s(c.e); math.Abs(float64(got)-c.want) > 1e-7*c.want {
			t.Errorf("%s(%d) = %g, want %g", c.name, c.e, got, c.want)
		}
	}
}

// optimNet returns a small network with gradients from one batch.
func optimNet(t *testing.T) *Network {
	net, err := NewMLP([]int{6, 5, 3}, MLPOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	randomBiases(net, 2)
	r := newRand(3)
	net.Gradient(randMatrix(r, 8, 6, 6), randLabels(r, 8, 3))
	return net
}

func snapshot(net *Network) (w, g [][]float32) {
	for _, p := range net.Params() {
		w = append(w, append([]float32(nil), p.Value...))
		g = append(g, append([]float32(nil), p.Grad...))
	}
	return w, g
}

// TestSGDStep checks SGD and momentum updates element by element against
// the documented formulas (in float64, to a few ulps), over two steps and an
// epoch change, with weight decay on weights only.
func TestSGDStep(t *testing.T) {
	for _, momentum := range []bool{false, true} {
		net := optimNet(t)
		opt := &SGD{LR: Exponential(0.5, 0.5), WeightDecay: 0.1}
		if momentum {
			opt.Momentum = Linear(0.5, 0.25, 0.9)
		}
		vel := map[[2]int]float64{}
		for step := 0; step < 3; step++ {
			epoch := step / 2 // an epoch change between steps 2 and 3
			opt.SetEpoch(epoch)
			lr := 0.5 * math.Pow(0.5, float64(epoch))
			mu := math.Min(0.5+0.25*float64(epoch), 0.9)
			w0, g := snapshot(net)
			opt.Step(net)
			for i, p := range net.Params() {
				wd := 0.0
				if p.Name == "W" {
					wd = 0.1
				}
				for j, v := range p.Value {
					d := float64(g[i][j]) + wd*float64(w0[i][j])
					if momentum {
						k := [2]int{i, j}
						vel[k] = mu*vel[k] + d
						d = vel[k]
					}
					want := float64(w0[i][j]) - lr*d
					if math.Abs(float64(v)-want) > 1e-6*(1+math.Abs(want)) {
						t.Fatalf("momentum=%v step %d %s%d[%d] = %g, want %g", momentum, step, p.Name, p.Layer, j, v, want)
					}
				}
			}
		}
	}
}

func TestAdaGradStep(t *testing.T) {
	net := optimNet(t)
	opt := &AdaGrad{LR: Constant(0.1)}
	acc := map[[2]int]float64{}
	for step := 0; step < 3; step++ {
		w0, g := snapshot(net)
		opt.Step(net)
		for i, p := range net.Params() {
			for j, v := range p.Value {
				k := [2]int{i, j}
				gi := float64(g[i][j])
				acc[k] += gi * gi
				want := float64(w0[i][j]) - 0.1*gi/(math.Sqrt(acc[k])+1e-8)
				if math.Abs(float64(v)-want) > 1e-6*(1+math.Abs(want)) {
					t.Fatalf("step %d %s%d[%d] = %g, want %g", step, p.Name, p.Layer, j, v, want)
				}
			}
		}
	}
}

func TestOptimizerPanics(t *testing.T) {
	expect := func(name, msg string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != msg {
				t.Errorf("%s: panic %v, want %q", name, r, msg)
			}
		}()
		f()
	}
	net := optimNet(t)
	other, err := NewMLP([]int{6, 4, 3}, MLPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	expect("sgd no lr", errNoLR, func() { (&SGD{}).Step(net) })
	expect("adagrad no lr", errNoLR, func() { (&AdaGrad{}).Step(net) })
	sgd := ThesisSGD(0.1)
	sgd.Step(net)
	expect("sgd other net", errOptimizerNet, func() { sgd.Step(other) })
	sgd.Reset()
	sgd.Step(other) // fresh state fits
	ada := &AdaGrad{LR: Constant(0.1)}
	ada.Step(net)
	expect("adagrad other net", errOptimizerNet, func() { ada.Step(other) })
	ada.Reset()
	ada.Step(other)
}

// TestTrainingLearns trains on separable blobs with every optimizer and
// checks the validation accuracy.
func TestTrainingLearns(t *testing.T) {
	train, val := blobSamples(1, 1, 600, 10, 3), blobSamples(1, 2, 200, 10, 3)
	for name, opt := range map[string]Optimizer{
		"sgd":      &SGD{LR: Constant(0.1)},
		"momentum": ThesisSGD(0.05),
		"adagrad":  &AdaGrad{LR: Constant(0.05)},
	} {
		t.Run(name, func(t *testing.T) {
			net, err := NewMLP([]int{10, 32, 3}, MLPOptions{Seed: 1, Dropout: 0.2})
			if err != nil {
				t.Fatal(err)
			}
			var last EpochStats
			err = Train(t.Context(), net, opt, train, TrainConfig{Epochs: 5, BatchSize: 20, Validation: val,
				OnEpoch: func(s EpochStats) error { last = s; return nil }})
			if err != nil {
				t.Fatal(err)
			}
			if last.ValAccuracy < 0.95 {
				t.Errorf("validation accuracy %.3f after 5 epochs (loss %.3f)", last.ValAccuracy, last.ValLoss)
			}
		})
	}
}

func TestPartRange(t *testing.T) {
	for _, n := range []int{0, 1, 100, parallelMin/4 - 1, parallelMin / 4, 100003, 1 << 20} {
		for parts := 1; parts <= 5; parts++ {
			next := 0
			for part := 0; part < parts; part++ {
				lo, hi := partRange(n, part, parts)
				if lo == hi {
					continue
				}
				if lo != next || hi < lo || (lo%splitAlign != 0) {
					t.Fatalf("n=%d parts=%d part=%d: [%d, %d) after %d", n, parts, part, lo, hi, next)
				}
				next = hi
			}
			if next != n {
				t.Fatalf("n=%d parts=%d: parts cover [0, %d)", n, parts, next)
			}
		}
	}
}

// TestParallelUpdate checks that splitting the updates across threads
// gives the serial update's bits, for every optimizer.
func TestParallelUpdate(t *testing.T) {
	defer blas.SetThreads(blas.SetThreads(0))
	for name, mk := range map[string]func() Optimizer{
		"sgd":      func() Optimizer { return &SGD{LR: Constant(0.01), WeightDecay: 1e-3} },
		"momentum": func() Optimizer { return ThesisSGD(0.01) },
		"adagrad":  func() Optimizer { return &AdaGrad{LR: Constant(0.01)} },
	} {
		var nets []*Network
		for _, threads := range []int{1, 2, 3} {
			blas.SetThreads(threads)
			net, err := NewMLP([]int{300, 250, 10}, MLPOptions{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			r := newRand(2)
			x, y := randMatrix(r, 20, 300, 300), randLabels(r, 20, 10)
			opt := mk()
			for step := 0; step < 3; step++ {
				net.Gradient(x, y)
				opt.Step(net)
			}
			nets = append(nets, net)
		}
		if !sameParams(nets[0], nets[1]) || !sameParams(nets[0], nets[2]) {
			t.Errorf("%s: parallel updates differ from the serial one", name)
		}
	}
}
