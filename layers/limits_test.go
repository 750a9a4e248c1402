package layers

import (
	"math"
	"runtime"
	"testing"
)

// TestTrainingMemory: the estimate matches what a network with dropout and
// SGD with momentum allocates through a training step (within 15%: the
// estimate leaves out small buffers and packing scratch).
func TestTrainingMemory(t *testing.T) {
	sizes, batch := []int{300, 500, 400, 10}, 200
	d := blobs(1, batch, sizes[0], sizes[len(sizes)-1])
	net0, _ := NewMLP(sizes, MLPOptions{Seed: 1, Dropout: 0.5, MaxBatch: batch})
	net0.Gradient(d.X, d.Y) // warm the GEMM's scratch before measuring
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	net, err := NewMLP(sizes, MLPOptions{Seed: 1, Dropout: 0.5, MaxBatch: batch})
	if err != nil {
		t.Fatal(err)
	}
	opt := &SGD{LR: Constant(0.01), Momentum: Constant(0.9)}
	net.Gradient(d.X, d.Y)
	opt.Step(net)
	runtime.ReadMemStats(&after)
	got := float64(after.TotalAlloc - before.TotalAlloc)
	// The estimate counts the input batch buffer, which the caller owns here.
	want := TrainingMemory(sizes, batch, 1, true) - 4*float64(batch*sizes[0])
	if math.Abs(got-want) > 0.15*want {
		t.Errorf("allocated %s, estimated %s", FormatBytes(got), FormatBytes(want))
	}
	t.Logf("allocated %s, estimated %s", FormatBytes(got), FormatBytes(want))
}

func TestDenseTooLargePanics(t *testing.T) {
	for _, c := range [][2]int{{1 << 25, 1}, {1, 1 << 25}, {1 << 15, 1 << 14}} {
		func() {
			defer func() {
				if r := recover(); r != errTooLarge {
					t.Errorf("NewDense(%d, %d): panic %v, want %q", c[0], c[1], r, errTooLarge)
				}
			}()
			NewDense(c[0], c[1], false)
		}()
	}
}
