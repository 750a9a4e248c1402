package layers_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// toyData returns n examples of a 3-class problem in 4 features: the class
// is the index of the largest of the first three features.
func toyData(seed uint64, n int) layers.InMemory {
	r := rand.New(rand.NewPCG(seed, 1))
	x := blas32.General{Rows: n, Cols: 4, Stride: 4, Data: make([]float32, 4*n)}
	y := make([]int, n)
	for i := range y {
		row := x.Data[4*i : 4*i+4]
		for j := range row {
			row[j] = float32(r.NormFloat64())
		}
		for j := 1; j < 3; j++ {
			if row[j] > row[y[i]] {
				y[i] = j
			}
		}
	}
	return layers.InMemory{X: x, Y: y}
}

func ExampleNewMLP() {
	net, err := layers.NewMLP([]int{784, 1000, 1000, 10}, layers.MLPOptions{Seed: 1, Dropout: 0.5})
	if err != nil {
		panic(err)
	}
	fmt.Println(net)
	fmt.Println("parameters:", net.NumParams())
	w := net.Dense()[0].W
	fmt.Printf("W_1 is %d x %d\n", w.Rows, w.Cols)
	// Output:
	// dense(784->1000, relu) -> dropout(1000, p=0.5) -> dense(1000->1000, relu) -> dropout(1000, p=0.5) -> dense(1000->10)
	// parameters: 1796010
	// W_1 is 1000 x 784
}

// One training step: gradient of the mean loss of a batch, then an update.
func ExampleNetwork_Gradient() {
	net, err := layers.NewMLP([]int{4, 16, 3}, layers.MLPOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	data := toyData(1, 50)
	opt := &layers.SGD{LR: layers.Constant(0.1), Momentum: layers.Constant(0.9)}
	first := net.Gradient(data.X, data.Y)
	opt.Step(net)
	for range 20 {
		net.Gradient(data.X, data.Y)
		opt.Step(net)
	}
	fmt.Println("loss decreased:", net.Loss(data.X, data.Y) < first/2)
	fmt.Println("gradient of W_1 is", net.Dense()[0].DW.Rows, "x", net.Dense()[0].DW.Cols)
	// Output:
	// loss decreased: true
	// gradient of W_1 is 16 x 4
}

// The same steps with TrainStep and FuseUpdates, which fuses the weight
// updates of SGD and AdaGrad into the backward pass: the parameters come
// out bit for bit those of Gradient followed by Step.
func ExampleNetwork_TrainStep() {
	layers.FuseUpdates = true
	defer func() { layers.FuseUpdates = false }()
	fused, err := layers.NewMLP([]int{4, 16, 3}, layers.MLPOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	plain := fused.Clone()
	data := toyData(1, 50)
	optF := &layers.SGD{LR: layers.Constant(0.1), Momentum: layers.Constant(0.9)}
	optP := &layers.SGD{LR: layers.Constant(0.1), Momentum: layers.Constant(0.9)}
	for range 21 {
		fused.TrainStep(data.X, data.Y, optF)
		plain.Gradient(data.X, data.Y)
		optP.Step(plain)
	}
	same := true
	for i, p := range fused.Params() {
		for j, v := range p.Value {
			same = same && math.Float32bits(v) == math.Float32bits(plain.Params()[i].Value[j])
		}
	}
	fmt.Println("identical parameters:", same)
	// Output:
	// identical parameters: true
}

func ExampleTrain() {
	train, val := toyData(1, 1000), toyData(2, 200)
	net, err := layers.NewMLP([]int{4, 32, 3}, layers.MLPOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	cfg := layers.TrainConfig{
		Epochs: 5, BatchSize: 20, Seed: 1, Validation: val,
		OnEpoch: func(s layers.EpochStats) error {
			fmt.Printf("epoch %d: %d steps, validation accuracy above 90%%: %v\n", s.Epoch, s.Steps, s.ValAccuracy > 0.9)
			return nil
		},
	}
	if err := layers.Train(context.Background(), net, layers.ThesisSGD(0.1), train, cfg); err != nil {
		panic(err)
	}
	// Output:
	// epoch 1: 50 steps, validation accuracy above 90%: true
	// epoch 2: 50 steps, validation accuracy above 90%: true
	// epoch 3: 50 steps, validation accuracy above 90%: true
	// epoch 4: 50 steps, validation accuracy above 90%: true
	// epoch 5: 50 steps, validation accuracy above 90%: true
}

func ExampleLoad() {
	net, err := layers.NewMLP([]int{4, 8, 3}, layers.MLPOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := net.Save(&buf); err != nil {
		panic(err)
	}
	loaded, err := layers.Load(&buf)
	if err != nil {
		panic(err)
	}
	x := toyData(3, 5).X
	a, b := net.Forward(x), loaded.Forward(x)
	same := true
	for i := range a.Data {
		same = same && math.Float32bits(a.Data[i]) == math.Float32bits(b.Data[i])
	}
	fmt.Println(loaded)
	fmt.Println("same outputs:", same)

	// A damaged file is an error, not a panic.
	_, err = layers.Load(bytes.NewReader([]byte("FPNN\x01\x00")))
	fmt.Println(err)
	// Output:
	// dense(4->8, relu) -> dense(8->3)
	// same outputs: true
	// layers: model truncated at offset 6 while reading the header: unexpected EOF
}

func ExampleNetwork_WriteSafetensors() {
	net, err := layers.NewMLP([]int{784, 100, 10}, layers.MLPOptions{Dropout: 0.5})
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := net.WriteSafetensors(&buf); err != nil {
		panic(err)
	}
	// The names and shapes are those of
	// torch.nn.Sequential(Linear(784, 100), ReLU(), Dropout(0.5), Linear(100, 10)).
	fmt.Println(net.TorchNames())
	// Output:
	// [0.weight 3.weight] [0.bias 3.bias]
}

// A run stopped by a crash continues from its last checkpoint to the same
// bits as an uninterrupted run.
func ExampleLoadCheckpoint() {
	dir, err := os.MkdirTemp("", "fastpath-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "run.fpck")
	train := toyData(1, 500)
	newOpt := func() layers.Optimizer { return &layers.SGD{LR: layers.Constant(0.05), Momentum: layers.Constant(0.9)} }
	newNet := func() *layers.Network {
		net, err := layers.NewMLP([]int{4, 16, 3}, layers.MLPOptions{Seed: 1, Dropout: 0.2})
		if err != nil {
			panic(err)
		}
		return net
	}

	// The uninterrupted run, for comparison.
	full := newNet()
	cfg := layers.TrainConfig{Epochs: 4, BatchSize: 25, Seed: 7}
	if err := layers.Train(context.Background(), full, newOpt(), train, cfg); err != nil {
		panic(err)
	}

	// A run that stops after 2 epochs (as a crash would), checkpointing.
	cfg.Checkpoint = path
	cfg.OnEpoch = func(s layers.EpochStats) error {
		if s.Epoch == 2 {
			return layers.ErrStop
		}
		return nil
	}
	if err := layers.Train(context.Background(), newNet(), newOpt(), train, cfg); err != nil {
		panic(err)
	}

	// Resume: the network, the optimizer's velocity and the dropout
	// generators come back from the checkpoint.
	c, err := layers.LoadCheckpoint(path)
	if err != nil {
		panic(err)
	}
	opt := newOpt()
	if err := c.RestoreOptimizer(opt); err != nil {
		panic(err)
	}
	cfg.OnEpoch, cfg.Resume = nil, &c.Progress
	if err := layers.Train(context.Background(), c.Net, opt, train, cfg); err != nil {
		panic(err)
	}
	same := true
	for i, p := range full.Params() {
		for j, v := range p.Value {
			same = same && v == c.Net.Params()[i].Value[j]
		}
	}
	fmt.Println("resumed after epoch", c.Progress.Epoch, "- same weights as the uninterrupted run:", same)
	// Output:
	// resumed after epoch 2 - same weights as the uninterrupted run: true
}
