package layers

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestOptimizerStateResume: a run interrupted after epoch 1 and resumed from
// its checkpoint ends with exactly the parameters of the uninterrupted run,
// for SGD with momentum and AdaGrad; with the optimizer state dropped
// (velocity restarted) it does not, so the test can tell.
func TestOptimizerStateResume(t *testing.T) {
	data := blobs(1, 120, 8, 3)
	for _, kind := range []string{"sgd", "adagrad"} {
		newOpt := func() Optimizer {
			if kind == "sgd" {
				return &SGD{LR: Constant(0.05), Momentum: Constant(0.9)}
			}
			return &AdaGrad{LR: Constant(0.05)}
		}
		ckpt := filepath.Join(t.TempDir(), "ckpt.fpnn")
		full := smallNet(t)
		cfg := TrainConfig{Epochs: 3, BatchSize: 16, Seed: 3}
		if err := Train(context.Background(), full, newOpt(), data, cfg); err != nil {
			t.Fatal(err)
		}
		first := smallNet(t)
		cfg.Epochs, cfg.Checkpoint = 1, ckpt
		if err := Train(context.Background(), first, newOpt(), data, cfg); err != nil {
			t.Fatal(err)
		}
		resume := func(withState bool) *Network {
			c, err := LoadCheckpoint(ckpt)
			if err != nil {
				t.Fatal(err)
			}
			if c.Progress.Epoch != 1 || c.Progress.Step != 0 {
				t.Fatalf("progress %+v, want epoch 1 step 0", c.Progress)
			}
			opt := newOpt()
			if withState {
				if err := c.RestoreOptimizer(opt); err != nil {
					t.Fatal(err)
				}
			}
			cf := TrainConfig{Epochs: 3, BatchSize: 16, Seed: 3, Resume: &c.Progress}
			if err := Train(context.Background(), c.Net, opt, data, cf); err != nil {
				t.Fatal(err)
			}
			return c.Net
		}
		if !sameParams(full, resume(true)) {
			t.Errorf("%s: resumed run with the saved state differs from the uninterrupted one", kind)
		}
		if sameParams(full, resume(false)) {
			t.Errorf("%s: resumed run without the state equals the uninterrupted one: the test cannot tell", kind)
		}
	}
}

// TestOptimizerStateErrors: every truncation and every flipped byte of a
// state file is an error (never a panic or a silently wrong state), and an
// intact file of another optimizer or network shape is ErrStateMismatch.
func TestOptimizerStateErrors(t *testing.T) {
	net := smallNet(t)
	d := blobs(2, 16, 8, 3)
	net.Gradient(d.X, d.Y)
	opt := &SGD{LR: Constant(0.01), Momentum: Constant(0.9)}
	opt.Step(net)
	var buf bytes.Buffer
	if err := opt.SaveState(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for n := 0; n < len(good); n++ {
		if err := new(SGD).LoadState(bytes.NewReader(good[:n]), net); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(good))
		}
	}
	for i := range good {
		bad := bytes.Clone(good)
		bad[i] ^= 0x10
		if err := new(SGD).LoadState(bytes.NewReader(bad), net); err == nil {
			t.Fatalf("byte %d flipped: no error", i)
		}
	}
	// A damaged kind is reported as damage, not as another optimizer's
	// state (the checksum is checked before any field).
	kind := bytes.Clone(good)
	kind[12] ^= 0x20 // "sgd" -> "Sgd"
	if err := new(SGD).LoadState(bytes.NewReader(kind), net); err == nil || errors.Is(err, ErrStateMismatch) || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("damaged kind: %v, want a checksum error", err)
	}
	if err := new(AdaGrad).LoadState(bytes.NewReader(good), net); !errors.Is(err, ErrStateMismatch) {
		t.Errorf("SGD state into AdaGrad: %v, want ErrStateMismatch", err)
	}
	other, err := NewMLP([]int{8, 12, 3}, MLPOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := new(SGD).LoadState(bytes.NewReader(good), other); !errors.Is(err, ErrStateMismatch) {
		t.Errorf("state of another shape: %v, want ErrStateMismatch", err)
	}
	// Before the first Step there is no state: the file loads as none.
	var empty bytes.Buffer
	if err := new(SGD).SaveState(&empty); err != nil {
		t.Fatal(err)
	}
	o := &SGD{velocity: [][]float32{{1}}}
	if err := o.LoadState(bytes.NewReader(empty.Bytes()), net); err != nil || o.velocity != nil {
		t.Errorf("empty state: err %v, velocity %v", err, o.velocity)
	}
}
