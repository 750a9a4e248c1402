package layers

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
)

// poisoned is a Examples that sets the first row of the batch of one call to
// value.
type poisoned struct {
	InMemory
	calls, at int
	value     float32
}

func (p *poisoned) Batch(idx []int, x blas32.General, y []int) {
	p.InMemory.Batch(idx, x, y)
	p.calls++
	if p.calls == p.at {
		for j := 0; j < x.Cols; j++ {
			x.Data[j] = p.value * float32(1-2*(j%2))
		}
	}
}

func smallNet(t *testing.T) *Network {
	net, err := NewMLP([]int{8, 16, 3}, MLPOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// TestTrainDivergence: huge inputs that overflow the activations in epoch 3,
// step 4 stop training with an error naming them, and the checkpoint of
// epoch 2 stays intact.
func TestTrainDivergence(t *testing.T) {
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "ckpt.fpnn")
	data := &poisoned{InMemory: blobs(1, 100, 8, 3), at: 2*10 + 4, value: 3e38} // 10 steps per epoch
	net := smallNet(t)
	var saved []byte
	err := Train(context.Background(), net, ThesisSGD(0.05), data, TrainConfig{
		Epochs: 5, BatchSize: 10, Checkpoint: ckpt,
		OnStep: func(s StepStats) {
			if s.Epoch == 3 && s.Step == 1 { // epoch 2's checkpoint is written
				saved, _ = os.ReadFile(ckpt)
			}
		},
	})
	if saved == nil {
		t.Fatal("no checkpoint after epoch 2")
	}
	var div *DivergedError
	if !errors.As(err, &div) || div.Epoch != 3 || div.Step != 4 || !(math.IsNaN(div.Loss) || math.IsInf(div.Loss, 0)) {
		t.Fatalf("error %v, want divergence at epoch 3, step 4", err)
	}
	if !strings.Contains(err.Error(), "epoch 3, step 4") {
		t.Errorf("message %q does not name the epoch and step", err)
	}
	now, err := os.ReadFile(ckpt)
	if err != nil || !bytes.Equal(now, saved) {
		t.Fatalf("checkpoint changed after the divergence (%v)", err)
	}
	if _, err := LoadFile(ckpt); err != nil {
		t.Fatalf("last good checkpoint: %v", err)
	}
}

// nanAfter is an optimizer that writes a NaN into the first weight after its
// updates in epoch `at` (counting completed epochs).
type nanAfter struct {
	Optimizer
	epoch, at int
}

func (o *nanAfter) SetEpoch(e int) { o.epoch = e; o.Optimizer.SetEpoch(e) }

func (o *nanAfter) Step(net *Network) {
	o.Optimizer.Step(net)
	if o.epoch == o.at {
		net.Dense()[0].W.Data[0] = float32(math.NaN())
	}
}

// TestTrainNonFiniteParameters: parameters that stop being finite without
// the loss showing it are caught at the end of the epoch, before the
// checkpoint is written.
func TestTrainNonFiniteParameters(t *testing.T) {
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "ckpt.fpnn")
	net := smallNet(t)
	err := Train(context.Background(), net, &nanAfter{Optimizer: ThesisSGD(0.01), at: 1}, blobs(1, 50, 8, 3),
		TrainConfig{Epochs: 3, BatchSize: 10, Checkpoint: ckpt})
	var div *DivergedError
	if !errors.As(err, &div) || div.Epoch != 2 || div.Step != 5 {
		t.Fatalf("error %v, want divergence at the end of epoch 2 (step 5)", err)
	}
	m, err := LoadFile(ckpt)
	if err != nil || !m.finite() {
		t.Fatalf("checkpoint of epoch 1: %v", err)
	}
}

// TestTrainBadFeatures: a NaN feature is reported as bad data, naming the
// example, epoch and step.
func TestTrainBadFeatures(t *testing.T) {
	data := &poisoned{InMemory: blobs(1, 100, 8, 3), at: 13, value: float32(math.NaN())}
	err := Train(context.Background(), smallNet(t), ThesisSGD(0.05), data, TrainConfig{Epochs: 3, BatchSize: 10})
	if err == nil || !strings.Contains(err.Error(), "non-finite feature 0") || !strings.Contains(err.Error(), "epoch 2, step 3") {
		t.Fatalf("error %v, want a non-finite feature at epoch 2, step 3", err)
	}
}

func TestTrainCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	net := smallNet(t)
	err := Train(ctx, net, ThesisSGD(0.05), blobs(1, 100, 8, 3), TrainConfig{
		Epochs: 5, BatchSize: 10,
		OnEpoch: func(s EpochStats) error {
			if s.Epoch == 2 {
				cancel()
			}
			return nil
		},
	})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "epoch 3, step 1") {
		t.Fatalf("error %v, want context.Canceled before epoch 3, step 1", err)
	}
}

func TestTrainStopAndStats(t *testing.T) {
	var stats []EpochStats
	data, val := blobs(1, 95, 8, 3), blobs(2, 30, 8, 3)
	err := Train(context.Background(), smallNet(t), ThesisSGD(0.05), data, TrainConfig{
		Epochs: 14, BatchSize: 10, Validation: val, Resume: &Progress{Epoch: 4},
		OnEpoch: func(s EpochStats) error {
			stats = append(stats, s)
			if len(stats) == 3 {
				return ErrStop
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 3 {
		t.Fatalf("%d epochs after ErrStop, want 3", len(stats))
	}
	for i, s := range stats {
		if s.Epoch != 5+i || s.Steps != 10 || s.Examples != 95 || s.ExamplesPerSec <= 0 || math.IsNaN(s.Loss) ||
			math.IsNaN(s.ValLoss) || s.ValAccuracy < 0 || s.ValAccuracy > 1 {
			t.Errorf("stats %+v", s)
		}
	}
	boom := errors.New("callback failed")
	err = Train(context.Background(), smallNet(t), ThesisSGD(0.05), data, TrainConfig{Epochs: 2,
		OnEpoch: func(EpochStats) error { return boom }})
	if !errors.Is(err, boom) {
		t.Errorf("callback error: got %v", err)
	}
}

// TestTrainOnStep: OnStep sees every step of every epoch in order, with
// the epoch's step count, the examples so far (the last batch short) and
// the losses whose example-weighted mean is the epoch's Loss.
func TestTrainOnStep(t *testing.T) {
	var got []StepStats
	var epochs []EpochStats
	err := Train(context.Background(), smallNet(t), ThesisSGD(0.05), blobs(1, 95, 8, 3), TrainConfig{
		Epochs: 5, BatchSize: 10, Resume: &Progress{Epoch: 3},
		OnStep:  func(s StepStats) { got = append(got, s) },
		OnEpoch: func(s EpochStats) error { epochs = append(epochs, s); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 20 || len(epochs) != 2 {
		t.Fatalf("%d steps in %d epochs, want 20 in 2", len(got), len(epochs))
	}
	for e := range 2 {
		var sum float64
		for i := range 10 {
			s := got[e*10+i]
			want := StepStats{Epoch: 4 + e, Step: i + 1, Steps: 10, Examples: min(95, 10*(i+1)), Loss: s.Loss}
			if s != want || math.IsNaN(s.Loss) {
				t.Errorf("step %d of epoch %d: %+v, want %+v", i+1, 4+e, s, want)
			}
			sum += s.Loss * float64(min(10, 95-10*i))
		}
		if m := sum / 95; math.Abs(m-epochs[e].Loss) > 1e-12*math.Abs(m) {
			t.Errorf("epoch %d: mean of step losses %v, epoch loss %v", 4+e, m, epochs[e].Loss)
		}
	}
}

// TestTrainResume: two epochs in one run and one epoch, then one more
// resumed from Progress{Epoch: 1}, give the same bits.
func TestTrainResume(t *testing.T) {
	data := blobs(1, 120, 8, 3)
	a, b := smallNet(t), smallNet(t)
	optA, optB := ThesisSGD(0.05), ThesisSGD(0.05)
	cfg := TrainConfig{Epochs: 2, BatchSize: 16, Seed: 3}
	if err := Train(context.Background(), a, optA, data, cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Epochs = 1
	if err := Train(context.Background(), b, optB, data, cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Epochs, cfg.Resume = 2, &Progress{Epoch: 1}
	if err := Train(context.Background(), b, optB, data, cfg); err != nil {
		t.Fatal(err)
	}
	if !sameParams(a, b) {
		t.Error("resumed run differs from the uninterrupted one")
	}
}

func TestTrainBadInput(t *testing.T) {
	net := smallNet(t)
	opt := ThesisSGD(0.05)
	ctx := context.Background()
	good := blobs(1, 20, 8, 3)
	badLabel := blobs(1, 20, 8, 3)
	badLabel.Y[7] = 3
	for _, c := range []struct {
		name string
		data Examples
		cfg  TrainConfig
		want string
	}{
		{"epochs", good, TrainConfig{}, "0 epochs"},
		{"batch", good, TrainConfig{Epochs: 1, BatchSize: -1}, "negative batch size"},
		{"resume", good, TrainConfig{Epochs: 1, Resume: &Progress{Epoch: -1}}, "negative progress"},
		{"done", good, TrainConfig{Epochs: 3, Resume: &Progress{Epoch: 3}}, "completed 3 epochs already"},
		{"midstep", good, TrainConfig{Epochs: 3, BatchSize: 5, Resume: &Progress{Epoch: 1, Step: 4, BatchSize: 5, Examples: 20}}, "step 4 of an epoch of 4 steps"},
		{"midseed", good, TrainConfig{Epochs: 3, BatchSize: 5, Seed: 2, Resume: &Progress{Epoch: 1, Step: 2, BatchSize: 5, Examples: 20}}, "other settings"},
		{"features", blobs(1, 20, 9, 3), TrainConfig{Epochs: 1}, "training set has 9 features"},
		{"validation", good, TrainConfig{Epochs: 1, Validation: blobs(1, 5, 7, 3)}, "validation set has 7 features"},
		{"label", badLabel, TrainConfig{Epochs: 1, NoShuffle: true, BatchSize: 5}, "example 7 has label 3"},
		{"empty", InMemory{X: blas32.General{Cols: 8}}, TrainConfig{Epochs: 1}, "empty training set"},
	} {
		err := Train(ctx, net, opt, c.data, c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if !strings.Contains(Train(ctx, net, opt, badLabel, TrainConfig{Epochs: 1, NoShuffle: true, BatchSize: 5}).Error(), "epoch 1, step 2") {
		t.Error("a bad label's error does not name the epoch and step")
	}
	if _, _, err := Evaluate(net, badLabel, 0); err == nil {
		t.Error("Evaluate with a bad label did not fail")
	}
	if loss, acc, err := Evaluate(net, good, 7); err != nil || math.IsNaN(loss) || acc < 0 || acc > 1 {
		t.Errorf("Evaluate: %g %g %v", loss, acc, err)
	}
}

// TestNetworkPanics checks the programmer-error panics and their messages.
func TestNetworkPanics(t *testing.T) {
	expect := func(name, msg string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != msg {
				t.Errorf("%s: panic %v, want %q", name, r, msg)
			}
		}()
		f()
	}
	net := smallNet(t)
	x := randMatrix(newRand(1), 4, 8, 8)
	expect("cols", errInputCols, func() { net.Forward(randMatrix(newRand(1), 4, 7, 7)) })
	expect("labels", errLabelCount, func() { net.Gradient(x, []int{0, 1}) })
	expect("label range", errLabelRange, func() { net.Gradient(x, []int{0, 1, 2, 3}) })
	expect("label range loss", errLabelRange, func() { net.Loss(x, []int{0, -1, 2, 0}) })
	expect("predict", errPredictLen, func() { net.Predict(x, make([]int, 3)) })
	expect("reserve", errRows, func() { net.Reserve(-1) })
	expect("dense", errSize, func() { NewDense(0, 3, false) })
	expect("relu", errSize, func() { NewReLU(0) })
	expect("dropout size", errSize, func() { NewDropout(0, 0.5, 0) })
	expect("dropout p", errDropoutP, func() { NewDropout(3, 1, 0) })
	expect("dropout nan", errDropoutP, func() { NewDropout(3, float32(math.NaN()), 0) })
	expect("train nil", errNilNetwork, func() { Train(context.Background(), nil, nil, nil, TrainConfig{}) })
	expect("stride", errInputShape, func() { net.Forward(blas32.General{Rows: 2, Cols: 8, Data: make([]float32, 16)}) })
	expect("short data", errInputShape, func() { net.Forward(blas32.General{Rows: 2, Cols: 8, Stride: 8, Data: make([]float32, 15)}) })
	expect("predict stride", errInputShape, func() { net.Predict(blas32.General{Rows: 2, Cols: 8, Data: make([]float32, 16)}, make([]int, 2)) })
	expect("gradient stride", errInputShape, func() {
		net.Gradient(blas32.General{Rows: 2, Cols: 8, Stride: 4, Data: make([]float32, 16)}, []int{0, 1})
	})
}

// TestTrainValidatesInputs: a dataset matrix without Stride (which would
// make every example row 0), data shorter than its rows, labels of another
// count, a nil optimizer or one without a learning rate are errors from
// Train and Evaluate before any step, never silently wrong results.
func TestTrainValidatesInputs(t *testing.T) {
	net := smallNet(t)
	good := blobs(1, 20, 8, 3)
	noStride := good
	noStride.X.Stride = 0
	short := good
	short.X.Data = short.X.Data[:len(short.X.Data)-1]
	fewLabels := good
	fewLabels.Y = fewLabels.Y[:19]
	for _, c := range []struct {
		name string
		d    InMemory
		want string
	}{
		{"stride", noStride, "stride 0 is smaller than its 8 columns"},
		{"short", short, "data holds 159 values"},
		{"labels", fewLabels, "20 rows and 19 labels"},
	} {
		if _, err := NewInMemory(c.d.X, c.d.Y); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewInMemory %s: %v, want %q", c.name, err, c.want)
		}
		steps := 0
		err := Train(context.Background(), net, ThesisSGD(0.1), c.d, TrainConfig{Epochs: 1, OnStep: func(StepStats) { steps++ }})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "training set") || steps != 0 {
			t.Errorf("Train %s: %v after %d steps, want %q", c.name, err, steps, c.want)
		}
		if err := Train(context.Background(), net, ThesisSGD(0.1), good, TrainConfig{Epochs: 1, Validation: c.d}); err == nil || !strings.Contains(err.Error(), "validation set") {
			t.Errorf("Train validation %s: %v", c.name, err)
		}
		if _, _, err := Evaluate(net, c.d, 0); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Evaluate %s: %v", c.name, err)
		}
	}
	if _, err := NewInMemory(good.X, good.Y); err != nil {
		t.Errorf("NewInMemory of a good dataset: %v", err)
	}
	for _, c := range []struct {
		opt  Optimizer
		want string
	}{
		{nil, "needs an optimizer"},
		{&SGD{}, "SGD has no learning-rate schedule"},
		{&SGD{LR: Constant(0.1), WeightDecay: -1}, "weight decay -1"},
		{&AdaGrad{}, "AdaGrad has no learning-rate schedule"},
	} {
		if err := Train(context.Background(), net, c.opt, good, TrainConfig{Epochs: 1}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("optimizer %T: %v, want %q", c.opt, err, c.want)
		}
	}
}

func TestNewNetworkErrors(t *testing.T) {
	d := NewDense(3, 4, false)
	for _, c := range []struct {
		name   string
		layers []Layer
		want   string
	}{
		{"none", nil, errNoLayers},
		{"chain", []Layer{NewDense(3, 4, true), NewDense(5, 2, false)}, errChain},
		{"reuse", []Layer{d, NewReLU(4), NewDense(4, 4, false), d}, errLayerReused},
		{"nil", []Layer{nil}, errUnknownLayer},
	} {
		if _, err := NewNetwork(c.layers...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	for _, c := range []struct {
		sizes []int
		opts  MLPOptions
		want  string
	}{
		{[]int{3}, MLPOptions{}, "at least two sizes"},
		{[]int{3, 0, 2}, MLPOptions{}, "layer size 0 outside [1, 16777216]"},
		{[]int{784, 1000000, 1000000}, MLPOptions{}, "more than 268435456 parameters"},
		{[]int{3, 1 << 25}, MLPOptions{}, "layer size 33554432 outside"},
		{[]int{3, 2}, MLPOptions{Dropout: 1}, "dropout probability 1"},
		{[]int{3, 2}, MLPOptions{InputDropout: -0.1}, "dropout probability -0.1"},
		{[]int{3, 2}, MLPOptions{MaxBatch: -1}, "MaxBatch -1 outside [0, 16777216]"},
		{[]int{3, 2}, MLPOptions{Init: 7}, "unknown initialisation 7"},
	} {
		if _, err := NewMLP(c.sizes, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewMLP(%v, %+v): error %v, want %q", c.sizes, c.opts, err, c.want)
		}
	}
	// Fusion: Dense then ReLU becomes one fused Dense; ReLU after Dropout
	// stays.
	n, err := NewNetwork(NewDense(3, 4, false), NewReLU(4), NewDropout(4, 0.5, 1), NewReLU(4), NewDense(4, 2, false))
	if err != nil {
		t.Fatal(err)
	}
	if got := n.String(); got != "dense(3->4, relu) -> dropout(4, p=0.5) -> relu(4) -> dense(4->2)" {
		t.Errorf("fused network %q", got)
	}
	if n.NumParams() != 3*4+4+4*2+2 || n.NumWeights() != 3*4+4*2 || n.InSize() != 3 || n.OutSize() != 2 {
		t.Errorf("counts %d %d %d %d", n.NumParams(), n.NumWeights(), n.InSize(), n.OutSize())
	}
}

// TestPredictAndArgmax covers Predict and the NaN rule of argmax.
func TestPredictAndArgmax(t *testing.T) {
	nan := float32(math.NaN())
	for _, c := range []struct {
		z    []float32
		want int
	}{
		{[]float32{1, 3, 2}, 1},
		{[]float32{nan, 3, 2}, 1},
		{[]float32{1, nan, 2}, 2},
		{[]float32{nan, nan}, 0},
		{[]float32{2, 2}, 0},
	} {
		if got := argmax(c.z); got != c.want {
			t.Errorf("argmax(%v) = %d, want %d", c.z, got, c.want)
		}
	}
	net := smallNet(t)
	x := randMatrix(newRand(2), 5, 8, 8)
	pred := make([]int, 5)
	net.Predict(x, pred)
	z := net.Forward(x)
	for r, p := range pred {
		if p != argmax(z.Data[r*3:r*3+3]) {
			t.Errorf("row %d: predicted %d", r, p)
		}
	}
}

// TestCrossEntropyStable feeds huge logits: the loss stays finite and the
// gradient rows sum to zero.
func TestCrossEntropyStable(t *testing.T) {
	z := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: []float32{1e30, -1e30, 0, 88, 89, 90}}
	dz := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: make([]float32, 6)}
	loss := crossEntropy(z, []int{1, 2}, dz)
	// Row 0: the label's logit is 2e30 below the maximum: loss 2e30/2 per
	// row average; row 1: log(1 + e^-1 + e^-2).
	want := (2e30 + math.Log(1+math.Exp(-1)+math.Exp(-2))) / 2
	if math.Abs(loss-want) > 1e-6*want {
		t.Errorf("loss %g, want %g", loss, want)
	}
	for r := 0; r < 2; r++ {
		s := 0.0
		for _, v := range dz.Data[3*r : 3*r+3] {
			s += float64(v)
		}
		if math.Abs(s) > 1e-7 {
			t.Errorf("row %d: gradient sums to %g", r, s)
		}
	}
	z.Data[4] = float32(math.Inf(1))
	if l := crossEntropy(z, []int{1, 2}, dz); !math.IsNaN(l) && !math.IsInf(l, 0) {
		t.Errorf("infinite logit: loss %g, want NaN or Inf", l)
	}
}

func TestInMemoryPanics(t *testing.T) {
	expect := func(name, msg string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != msg {
				t.Errorf("%s: panic %v, want %q", name, r, msg)
			}
		}()
		f()
	}
	d := blobs(1, 10, 4, 2)
	x := blas32.General{Rows: 2, Cols: 4, Stride: 4, Data: make([]float32, 8)}
	y := make([]int, 2)
	expect("labels", errDataShape, func() { InMemory{X: d.X, Y: d.Y[:3]}.Batch([]int{0, 1}, x, y) })
	expect("rows", errBatchShape, func() { d.Batch([]int{0}, x, y) })
	expect("y", errBatchShape, func() { d.Batch([]int{0, 1}, x, y[:1]) })
	expect("data", errBatchShape, func() { d.Batch([]int{0, 1}, blas32.General{Rows: 2, Cols: 4, Stride: 4, Data: x.Data[:7]}, y) })
	expect("index", errBatchIndex, func() { d.Batch([]int{0, 10}, x, y) })
	expect("negative", errBatchIndex, func() { d.Batch([]int{-1, 0}, x, y) })
	d.Batch([]int{3, 7}, x, y)
	if y[0] != d.Y[3] || y[1] != d.Y[7] || x.Data[4] != d.X.Data[7*4] {
		t.Error("Batch copied the wrong examples")
	}
}

// TestEmptyBatchAndClone covers a zero-row batch and Clone's independence.
func TestEmptyBatchAndClone(t *testing.T) {
	net := smallNet(t)
	x := blas32.General{Rows: 0, Cols: 8, Stride: 8}
	if loss := net.Gradient(x, nil); loss != 0 {
		t.Errorf("empty batch: loss %g", loss)
	}
	if z := net.Forward(x); z.Rows != 0 || z.Cols != 3 {
		t.Errorf("empty batch: logits %dx%d", z.Rows, z.Cols)
	}
	c := net.Clone()
	if !sameParams(c, net) || c.String() != net.String() {
		t.Fatal("clone differs")
	}
	c.Dense()[0].W.Data[0]++
	if sameParams(c, net) {
		t.Error("clone shares storage with the original")
	}
	drop, err := NewMLP([]int{8, 16, 3}, MLPOptions{Seed: 1, Dropout: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	dc := drop.Clone()
	r := newRand(3)
	xb, yb := randMatrix(r, 10, 8, 8), randLabels(r, 10, 3)
	if a, b := drop.Gradient(xb, yb), dc.Gradient(xb, yb); a != b {
		t.Errorf("a clone's dropout masks differ: loss %g vs %g", a, b)
	}
}
