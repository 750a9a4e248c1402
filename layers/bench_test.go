package layers

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// Training-step benchmarks on the thesis's MNIST shapes, batch 100:
//
//	go test -run XXX -bench TrainStep -benchtime 20x ./layers
//
// part=step is one full step (forward, loss, backward, SGD-momentum
// update) by Network.TrainStep as configured (the large layers' weight
// gradients computed into the velocity, FuseVelocity, and otherwise
// Gradient followed by Step, since FuseUpdates is off by default);
// part=fused is the same step with
// FuseUpdates set, the update fused into the backward pass; part=gradient
// leaves out the update, part=update is the update alone and part=forward
// the inference forward pass. GFLOP/s counts the
// conventional 6 x batch x weights flops of a step (2 for the forward pass,
// 4 for the two backward products; the first layer's input gradient, which
// is not computed, is counted too) for every part, so the parts' GFLOP/s
// are rates of the whole step's work, not of their own.
func BenchmarkTrainStep(b *testing.B) {
	for _, sizes := range [][]int{{784, 1000, 1000, 10}, {784, 4000, 4000, 10}} {
		for _, part := range []string{"step", "fused", "gradient", "update", "forward"} {
			name := fmt.Sprintf("net=%s/batch=100/part=%s", netName(sizes), part)
			b.Run(name, func(b *testing.B) { benchStep(b, sizes, 100, 0, part) })
		}
	}
}

// BenchmarkTrainStepDropout is part=step with dropout 0.5 on the hidden
// units (the thesis's dropout setting): the mask draws and products.
func BenchmarkTrainStepDropout(b *testing.B) {
	for _, sizes := range [][]int{{784, 1000, 1000, 10}, {784, 4000, 4000, 10}} {
		name := fmt.Sprintf("net=%s/batch=100/dropout=0.5", netName(sizes))
		b.Run(name, func(b *testing.B) { benchStep(b, sizes, 100, 0.5, "step") })
	}
}

func netName(sizes []int) string {
	return strings.Trim(strings.ReplaceAll(fmt.Sprint(sizes), " ", "-"), "[]")
}

func benchStep(b *testing.B, sizes []int, batch int, dropout float32, part string) {
	net, err := NewMLP(sizes, MLPOptions{Seed: 1, MaxBatch: batch, Dropout: dropout})
	if err != nil {
		b.Fatal(err)
	}
	r := newRand(1)
	x := randMatrix(r, batch, sizes[0], sizes[0])
	y := randLabels(r, batch, sizes[len(sizes)-1])
	opt := ThesisSGD(1e-4)
	net.Gradient(x, y)
	opt.Step(net)
	net.TrainStep(x, y, opt) // its per-thread buffers
	runtime.GC()             // collect the setup's garbage outside the measurement
	b.ReportAllocs()
	for b.Loop() {
		switch part {
		case "step":
			net.TrainStep(x, y, opt)
		case "fused":
			FuseUpdates = true
			net.TrainStep(x, y, opt)
			FuseUpdates = false
		case "gradient":
			net.Gradient(x, y)
		case "update":
			opt.Step(net)
		case "forward":
			net.Forward(x)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(batch)*float64(b.N)/sec, "examples/s")
	b.ReportMetric(6*float64(batch)*float64(net.NumWeights())*float64(b.N)/sec/1e9, "GFLOP/s")
}
