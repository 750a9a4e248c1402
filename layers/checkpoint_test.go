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

	"github.com/fastpath-go/fastpath/checkpoint"
)

// dropNet is a small network with dropout, so that a resumed run must also
// continue the dropout generators exactly.
func dropNet(t *testing.T) *Network {
	t.Helper()
	net, err := NewMLP([]int{8, 16, 12, 3}, MLPOptions{Seed: 7, Dropout: 0.3, InputDropout: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// TestCheckpointMidEpochResume: a run cancelled at any step (including the
// first step of an epoch and right after an epoch's last step) saves a
// checkpoint from which the resumed run ends with exactly the bits of the
// uninterrupted run and reports the same epoch losses. Dropping the saved
// dropout generator states changes the result, so the test can tell.
func TestCheckpointMidEpochResume(t *testing.T) {
	data := blobs(1, 100, 8, 3)
	newOpt := func() Optimizer { return &SGD{LR: Constant(0.05), Momentum: Constant(0.9)} }
	base := TrainConfig{Epochs: 3, BatchSize: 16, Seed: 5}
	full := dropNet(t)
	var fullLoss []float64
	cfg := base
	cfg.OnEpoch = func(s EpochStats) error { fullLoss = append(fullLoss, s.Loss); return nil }
	if err := Train(context.Background(), full, newOpt(), data, cfg); err != nil {
		t.Fatal(err)
	}
	const steps = 7 // ceil(100/16)
	for _, stop := range [][2]int{{1, 1}, {1, 4}, {1, steps}, {2, 3}, {3, 6}} {
		ckpt := filepath.Join(t.TempDir(), "run.fpck")
		ctx, cancel := context.WithCancel(context.Background())
		cfg := base
		cfg.Checkpoint = ckpt
		cfg.CheckpointMeta = []byte("meta record")
		cfg.OnStep = func(s StepStats) {
			if s.Epoch == stop[0] && s.Step == stop[1] {
				cancel()
			}
		}
		err := Train(ctx, dropNet(t), newOpt(), data, cfg)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("stop %v: error %v, want context.Canceled", stop, err)
		}
		for _, dropRNG := range []bool{false, true} {
			c, err := LoadCheckpoint(ckpt)
			if err != nil {
				t.Fatal(err)
			}
			wantEpoch, wantStep := stop[0]-1, stop[1]
			if stop[1] == steps {
				wantEpoch, wantStep = stop[0], 0
			}
			if c.Progress.Epoch != wantEpoch || c.Progress.Step != wantStep || string(c.Meta) != "meta record" {
				t.Fatalf("stop %v: progress %+v meta %q, want epoch %d step %d", stop, c.Progress, c.Meta, wantEpoch, wantStep)
			}
			if dropRNG {
				for _, l := range c.Net.Layers() {
					if d, ok := l.(*Dropout); ok {
						d.Seed(99)
					}
				}
			}
			opt := newOpt()
			if err := c.RestoreOptimizer(opt); err != nil {
				t.Fatal(err)
			}
			var losses []float64
			cfg := base
			cfg.Resume = &c.Progress
			cfg.OnEpoch = func(s EpochStats) error { losses = append(losses, s.Loss); return nil }
			if err := Train(context.Background(), c.Net, opt, data, cfg); err != nil {
				t.Fatal(err)
			}
			same := sameParams(full, c.Net)
			if dropRNG {
				if same {
					t.Errorf("stop %v: resumed with reseeded dropout equals the uninterrupted run: the test cannot tell", stop)
				}
				continue
			}
			if !same {
				t.Errorf("stop %v: resumed run differs from the uninterrupted one", stop)
			}
			if got, want := losses, fullLoss[len(fullLoss)-len(losses):]; !equalFloats(got, want) {
				t.Errorf("stop %v: epoch losses %v, want %v", stop, got, want)
			}
		}
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCheckpointRefuses: a checkpoint loads whole or not at all. Every
// truncation and every flipped byte is an error; a model file is named as
// such; an optimizer of another type is refused, leaving it unchanged;
// LoadFile reads the checkpoint's model.
func TestCheckpointRefuses(t *testing.T) {
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "c.fpck")
	net := dropNet(t)
	d := blobs(2, 16, 8, 3)
	net.Gradient(d.X, d.Y)
	opt := &SGD{LR: Constant(0.01), Momentum: Constant(0.9)}
	opt.Step(net)
	if err := SaveCheckpoint(ckpt, net, opt, Progress{Epoch: 2}, nil); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadFile(ckpt)
	if err != nil || !sameParams(m, net) {
		t.Fatalf("LoadFile of a checkpoint: %v", err)
	}
	bad := filepath.Join(dir, "bad")
	step := max(1, len(good)/300)
	for n := 0; n < len(good); n += step {
		os.WriteFile(bad, good[:n], 0o644)
		if _, err := LoadCheckpoint(bad); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(good))
		}
	}
	for i := 0; i < len(good); i += step {
		b := bytes.Clone(good)
		b[i] ^= 0x04
		os.WriteFile(bad, b, 0o644)
		if _, err := LoadCheckpoint(bad); !errors.Is(err, checkpoint.ErrFormat) {
			t.Fatalf("byte %d flipped: error %v, want checkpoint.ErrFormat", i, err)
		}
	}
	os.WriteFile(bad, append(bytes.Clone(good), 0), 0o644)
	if _, err := LoadCheckpoint(bad); !errors.Is(err, checkpoint.ErrFormat) {
		t.Errorf("trailing byte: error %v", err)
	}
	model := filepath.Join(dir, "m.fpnn")
	if err := net.SaveFile(model); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCheckpoint(model); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "is a model file") {
		t.Errorf("model file as checkpoint: %v", err)
	}
	c, err := LoadCheckpoint(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	ada := &AdaGrad{LR: Constant(0.01)}
	if err := c.RestoreOptimizer(ada); !errors.Is(err, ErrStateMismatch) || ada.accum != nil {
		t.Errorf("AdaGrad from an SGD checkpoint: %v", err)
	}
	var sgd SGD
	if err := c.RestoreOptimizer(&sgd); err != nil || !sameFloats(sgd.velocity, opt.velocity) {
		t.Errorf("SGD restore: %v", err)
	}
}

func sameFloats(a, b [][]float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(f32bytes(a[i]), f32bytes(b[i])) {
			return false
		}
	}
	return true
}

func f32bytes(s []float32) []byte {
	var b bytes.Buffer
	for _, v := range s {
		u := math.Float32bits(v)
		b.Write([]byte{byte(u), byte(u >> 8), byte(u >> 16), byte(u >> 24)})
	}
	return b.Bytes()
}
