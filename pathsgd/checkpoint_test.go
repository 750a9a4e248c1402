package pathsgd

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fastpath-go/fastpath/layers"
)

// TestCheckpointResume: Path-SGD and DDP-SGD (alpha 0 and 0.5) with
// momentum, trained by layers.Train into a checkpoint, cancelled in the
// middle of an epoch and resumed from it, end with exactly the bits of the
// uninterrupted run; with the velocity dropped they do not.
func TestCheckpointResume(t *testing.T) {
	r := newRand(3)
	x := randMatrix(r, 60, invSizes[0])
	data, err := layers.NewInMemory(x, randLabels(r, 60, invSizes[len(invSizes)-1]))
	if err != nil {
		t.Fatal(err)
	}
	for name, newOpt := range map[string]func() layers.Optimizer{
		"pathsgd":    func() layers.Optimizer { return &PathSGD{LR: layers.Constant(0.01), Momentum: layers.Constant(0.9)} },
		"ddp-alpha0": func() layers.Optimizer { return &DDPSGD{LR: layers.Constant(0.01), Momentum: layers.Constant(0.9)} },
		"ddp-alpha.5": func() layers.Optimizer {
			return &DDPSGD{LR: layers.Constant(0.01), Momentum: layers.Constant(0.9), Alpha: 0.5}
		},
	} {
		cfg := layers.TrainConfig{Epochs: 3, BatchSize: 8, Seed: 2}
		full := newNet(t, invSizes, 5, true, 0.2)
		if err := layers.Train(context.Background(), full, newOpt(), data, cfg); err != nil {
			t.Fatal(err)
		}
		ckpt := filepath.Join(t.TempDir(), "c")
		ctx, cancel := context.WithCancel(context.Background())
		c := cfg
		c.Checkpoint = ckpt
		c.OnStep = func(s layers.StepStats) {
			if s.Epoch == 2 && s.Step == 3 {
				cancel()
			}
		}
		if err := layers.Train(ctx, newNet(t, invSizes, 5, true, 0.2), newOpt(), data, c); !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: %v", name, err)
		}
		cancel()
		for _, restore := range []bool{true, false} {
			ck, err := layers.LoadCheckpoint(ckpt)
			if err != nil {
				t.Fatal(err)
			}
			opt := newOpt()
			if restore {
				if err := ck.RestoreOptimizer(opt); err != nil {
					t.Fatal(err)
				}
			}
			c := cfg
			c.Resume = &ck.Progress
			if err := layers.Train(context.Background(), ck.Net, opt, data, c); err != nil {
				t.Fatal(err)
			}
			same := true
			for i, p := range full.Params() {
				for j, v := range p.Value {
					if math.Float32bits(v) != math.Float32bits(ck.Net.Params()[i].Value[j]) {
						same = false
					}
				}
			}
			if same != restore {
				t.Errorf("%s: restored=%v, equal to the uninterrupted run=%v", name, restore, same)
			}
		}
	}
}

// TestValidate: Train refuses Path-SGD and DDP-SGD without a learning rate
// or with Alpha outside [0, 1], before any step.
func TestValidate(t *testing.T) {
	r := newRand(3)
	data, _ := layers.NewInMemory(randMatrix(r, 10, invSizes[0]), randLabels(r, 10, invSizes[len(invSizes)-1]))
	for _, c := range []struct {
		opt  layers.Optimizer
		want string
	}{
		{&PathSGD{}, "PathSGD has no learning-rate schedule"},
		{&DDPSGD{}, "DDPSGD has no learning-rate schedule"},
		{&DDPSGD{LR: layers.Constant(0.1), Alpha: 1.5}, "Alpha 1.5 outside [0, 1]"},
		{&DDPSGD{LR: layers.Constant(0.1), Alpha: math.NaN()}, "Alpha NaN"},
	} {
		err := layers.Train(context.Background(), newNet(t, invSizes, 1, true, 0), c.opt, data, layers.TrainConfig{Epochs: 1})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: %v, want %q", c.opt, err, c.want)
		}
	}
}
