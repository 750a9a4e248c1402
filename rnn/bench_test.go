package rnn

import (
	"fmt"
	"testing"
	"time"

	"github.com/fastpath-go/fastpath/asm"
)

// Sequential-MNIST shapes: one input per step (a pixel), T = 784 steps, ten
// classes read at the last step. The PyTorch twin is bench/pytorch_rnn.py.
var benchShapes = []struct{ hidden, batch int }{
	{100, 16}, {100, 32}, {100, 64}, {100, 128},
	{250, 16}, {500, 16},
	{1000, 16}, {1000, 128},
}

const benchSteps = 784

func benchModel(b *testing.B, hidden, batch int) (*Model, *Batch) {
	cfg := Config{In: 1, Hidden: hidden, Out: 10}
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	m.InitIRNN(0.001, 1)
	r := newRand(2)
	x := &Batch{Steps: benchSteps, Rows: batch, X: make([]float32, benchSteps*batch), Outputs: LastStep(benchSteps), Labels: make([]int, batch)}
	for i := range x.X {
		x.X[i] = float32(r.Float64())
	}
	for i := range x.Labels {
		x.Labels[i] = r.IntN(10)
	}
	return m, x
}

// reportStep reports milliseconds per step and the GFLOP/s of the three
// recurrent products per step (forward, BPTT, weight gradient).
func reportStep(b *testing.B, hidden, batch int) {
	ms := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
	b.ReportMetric(ms, "ms/step")
	flops := 3 * 2 * float64(batch) * float64(hidden) * float64(hidden+1) * benchSteps
	b.ReportMetric(flops/(ms*1e6), "GFLOP/s")
}

func benchName(hidden, batch int) string {
	return fmt.Sprintf("impl=%s/hidden=%d/batch=%d/T=%d", asm.Current().Name, hidden, batch, benchSteps)
}

// BenchmarkGradient times forward + BPTT on one batch (PyTorch's
// forward+backward).
func BenchmarkGradient(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(benchName(s.hidden, s.batch), func(b *testing.B) {
			m, x := benchModel(b, s.hidden, s.batch)
			m.Gradient(x)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Gradient(x)
			}
			reportStep(b, s.hidden, s.batch)
		})
	}
}

// BenchmarkStep times a whole RNN-Path training step: forward, BPTT,
// clipping, kappa1 and the update.
func BenchmarkStep(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(benchName(s.hidden, s.batch), func(b *testing.B) {
			m, x := benchModel(b, s.hidden, s.batch)
			opt := &PathSGD{LR: 1e-4, Momentum: 0.9}
			step := func() {
				m.Gradient(x)
				m.ClipGradNorm(10)
				opt.Step(m)
			}
			step()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
			reportStep(b, s.hidden, s.batch)
		})
	}
}

// BenchmarkKappa1 times RNN-Path's scaling alone: independent of the
// batch, about the cost of forward + backward of one sequence.
func BenchmarkKappa1(b *testing.B) {
	for _, hidden := range []int{100, 1000} {
		b.Run(fmt.Sprintf("impl=%s/hidden=%d/T=%d", asm.Current().Name, hidden, benchSteps), func(b *testing.B) {
			m, _ := benchModel(b, hidden, 1)
			var k Kappa
			out := LastStep(benchSteps)
			m.Kappa1(&k, benchSteps, out)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				m.Kappa1(&k, benchSteps, out)
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/1e6, "ms/op")
		})
	}
}
