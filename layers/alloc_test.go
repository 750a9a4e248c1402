package layers

import (
	"context"
	"fmt"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
)

// TestStepAllocs proves that a training step (forward, loss, backward,
// update; Gradient and Step, and the fused TrainStep) allocates nothing once the buffers exist, for a full batch and a
// short last batch, with and without dropout, for every optimizer.
func TestStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer blas.SetThreads(blas.SetThreads(0))
	threadCounts, dropouts := []int{1, 2}, []float32{0, 0.5}
	if testing.Short() { // the slowest test under emulation (qemu)
		threadCounts, dropouts = threadCounts[1:], dropouts[1:]
	}
	for _, threads := range threadCounts {
		blas.SetThreads(threads)
		for _, dropout := range dropouts {
			// 66,000 parameters: enough for the parallel update.
			net, err := NewMLP([]int{400, 160, 10}, MLPOptions{Seed: 1, Dropout: dropout, InputDropout: dropout / 2})
			if err != nil {
				t.Fatal(err)
			}
			if net.NumParams() < parallelMin {
				t.Fatalf("%d parameters: the parallel update is not exercised", net.NumParams())
			}
			r := newRand(1)
			x := randMatrix(r, 100, 400, 400)
			y := randLabels(r, 100, 10)
			opts := map[string]Optimizer{
				"sgd":      &SGD{LR: Constant(0.01)},
				"momentum": ThesisSGD(0.01),
				"adagrad":  &AdaGrad{LR: Constant(0.01)},
			}
			for name, opt := range opts {
				for _, rows := range []int{100, 37} {
					xv := x
					xv.Rows = rows
					step := func() {
						net.Gradient(xv, y[:rows])
						opt.Step(net)
					}
					fused := func() { net.TrainStep(xv, y[:rows], opt) }
					step()
					fused()
					if a := testing.AllocsPerRun(5, step); a != 0 {
						t.Errorf("threads=%d dropout=%g %s rows=%d: %v allocations per step", threads, dropout, name, rows, a)
					}
					if a := testing.AllocsPerRun(5, fused); a != 0 {
						t.Errorf("threads=%d dropout=%g %s rows=%d: TrainStep: %v allocations per step", threads, dropout, name, rows, a)
					}
				}
			}
			inf := func() { net.Forward(x) }
			if a := testing.AllocsPerRun(5, inf); a != 0 {
				t.Errorf("threads=%d dropout=%g: Forward: %v allocations", threads, dropout, a)
			}
		}
	}
}

// TestTrainAllocsPerStep checks that Train's allocations do not grow with
// the number of steps, with an OnStep hook set: everything it allocates is
// per run or per epoch.
func TestTrainAllocsPerStep(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	count := func(examples int) float64 {
		data := blobs(3, examples, 20, 4)
		net, err := NewMLP([]int{20, 16, 4}, MLPOptions{Seed: 2, Dropout: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		opt := ThesisSGD(0.01)
		var seen int
		cfg := TrainConfig{Epochs: 1, BatchSize: 10, OnStep: func(s StepStats) { seen += s.Step }}
		return testing.AllocsPerRun(3, func() {
			if err := Train(context.Background(), net, opt, data, cfg); err != nil {
				t.Fatal(err)
			}
		})
	}
	few, many := count(50), count(1000) // 5 and 100 steps
	if many != few {
		t.Errorf("Train allocations: %v with 5 steps, %v with 100 steps: steps allocate", few, many)
	}
}

// TestReproducible checks that the same seeds give bit-identical training
// runs, for every thread count, and that the result does not depend on the
// thread count (the GEMM's results do not).
func TestReproducible(t *testing.T) {
	defer blas.SetThreads(blas.SetThreads(0))
	data := blobs(5, 300, 40, 5)
	run := func(threads int, seed uint64) *Network {
		blas.SetThreads(threads)
		net, err := NewMLP([]int{40, 64, 32, 5}, MLPOptions{Seed: seed, Dropout: 0.5, InputDropout: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		if err := Train(context.Background(), net, ThesisSGD(0.05), data, TrainConfig{Epochs: 2, BatchSize: 32, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return net
	}
	for _, threads := range []int{1, 2} {
		a, b := run(threads, 7), run(threads, 7)
		if !sameParams(a, b) {
			t.Errorf("threads=%d: two runs with the same seed differ", threads)
		}
		if c := run(threads, 8); sameParams(a, c) {
			t.Errorf("threads=%d: different seeds give the same parameters", threads)
		}
	}
	if !sameParams(run(1, 7), run(2, 7)) {
		t.Errorf("1 and 2 threads give different parameters")
	}
}

// TestInitialize checks the initialisers' scale, seeding and biases.
func TestInitialize(t *testing.T) {
	net, err := NewMLP([]int{400, 300, 10}, MLPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []Init{InitBalanced, InitHe, InitZeros} {
		t.Run(kind.String(), func(t *testing.T) {
			net.Initialize(kind, 3)
			for i, d := range net.Dense() {
				var s, s2 float64
				for _, v := range d.W.Data {
					s += float64(v)
					s2 += float64(v) * float64(v)
				}
				n := float64(len(d.W.Data))
				variance := s2/n - (s/n)*(s/n)
				want := map[Init]float64{InitBalanced: 1, InitHe: 2, InitZeros: 0}[kind] / float64(d.InSize())
				if kind == InitZeros && s2 != 0 || kind != InitZeros && (variance < 0.9*want || variance > 1.1*want) {
					t.Errorf("layer %d: variance %g, want %g", i, variance, want)
				}
				for _, b := range d.B {
					if b != 0 {
						t.Fatalf("layer %d: non-zero bias %g", i, b)
					}
				}
			}
		})
	}
	a, b := net.Clone(), net.Clone()
	a.Initialize(InitBalanced, 42)
	b.Initialize(InitBalanced, 42)
	if !sameParams(a, b) {
		t.Error("same seed, different weights")
	}
	b.Initialize(InitBalanced, 43)
	if sameParams(a, b) {
		t.Error("different seeds, same weights")
	}
	for _, s := range []string{"balanced", "he", "zeros"} {
		if k, err := ParseInit(s); err != nil || k.String() != s {
			t.Errorf("ParseInit(%q) = %v, %v", s, k, err)
		}
	}
	if _, err := ParseInit("glorot"); err == nil {
		t.Error("ParseInit(glorot) did not fail")
	}
	if got := Init(9).String(); got != "Init(9)" {
		t.Errorf("Init(9).String() = %q", got)
	}
	func() {
		defer func() {
			if r := recover(); r != errUnknownInit {
				t.Errorf("Initialize(9): panic %v", r)
			}
		}()
		net.Initialize(9, 0)
	}()
}

// TestDropoutMask checks the mask statistics and the inverted scaling.
func TestDropoutMask(t *testing.T) {
	for _, p := range []float32{0.1, 0.5, 0.8} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			l := NewDropout(1000, p, 1)
			l.reserve(50, true)
			x := randMatrix(newRand(2), 50, 1000, 1000)
			y := l.forward(x, true)
			kept := 0
			scale := float32(1 / (1 - float64(p)))
			for i, v := range y.Data {
				switch m := l.mask[i]; m {
				case 0:
					if v != 0 {
						t.Fatalf("dropped element %d = %g", i, v)
					}
				case scale:
					kept++
					if v != x.Data[i]*scale {
						t.Fatalf("kept element %d = %g, want %g", i, v, x.Data[i]*scale)
					}
				default:
					t.Fatalf("mask value %g", m)
				}
			}
			frac := float64(kept) / 50000
			if want := 1 - float64(p); frac < want-0.01 || frac > want+0.01 {
				t.Errorf("kept %.4f of the elements, want %.2f", frac, want)
			}
			if z := l.forward(x, false); &z.Data[0] != &x.Data[0] {
				t.Error("inference dropout is not the identity")
			}
		})
	}
}
