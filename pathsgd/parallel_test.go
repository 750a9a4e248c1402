package pathsgd

import (
	"context"
	"math"
	"sync"
	"testing"

	"github.com/fastpath-go/fastpath/dist"
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// TestPathSGDDataParallel: Path-SGD's scaling kappa depends only on the
// weights, so data-parallel Path-SGD needs no communication beyond the
// gradient sum: 2 and 3 goroutine ranks (dist.NewGroup) training on their
// shares of each global batch end where single-process Path-SGD with the
// same global batch does (within float32 rounding), with momentum, from
// the unbalanced initialisation.
func TestPathSGDDataParallel(t *testing.T) {
	r := newRand(3)
	const n, f, k = 157, 5, 3
	x := make([]float32, n*f)
	y := make([]int, n)
	for i := range n {
		y[i] = r.IntN(k)
		for j := range f {
			x[i*f+j] = float32(r.NormFloat64()) + float32(y[i]*(j%2))
		}
	}
	d, err := layers.NewInMemory(blas32.General{Rows: n, Cols: f, Stride: f, Data: x}, y)
	if err != nil {
		t.Fatal(err)
	}
	start := newNet(t, []int{f, 12, 7, k}, 4, true, 0)
	Unbalanced(start, 5)
	newOpt := func() layers.Optimizer {
		return &PathSGD{LR: layers.Constant(0.01), Momentum: layers.Constant(0.9)}
	}
	ref := start.Clone()
	cfg := layers.TrainConfig{Epochs: 3, BatchSize: 16, Seed: 2}
	if err := layers.Train(context.Background(), ref, newOpt(), d, cfg); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{2, 3} {
		comms := dist.NewGroup(size)
		nets := make([]*layers.Network, size)
		errs := make([]error, size)
		var wg sync.WaitGroup
		for rank, c := range comms {
			nets[rank] = start.Clone()
			wg.Add(1)
			go func() {
				defer wg.Done()
				pc := cfg
				pc.Parallel = &layers.DataParallel{Rank: rank, Size: size, Reduce: c.AllreduceSum32}
				errs[rank] = layers.Train(context.Background(), nets[rank], newOpt(), d, pc)
			}()
		}
		wg.Wait()
		for rank := range size {
			if errs[rank] != nil {
				t.Fatalf("size %d rank %d: %v", size, rank, errs[rank])
			}
		}
		worst := 0.0
		for i, p := range ref.Params() {
			for j, v := range p.Value {
				for rank := range size {
					w := float64(nets[rank].Params()[i].Value[j])
					worst = math.Max(worst, math.Abs(w-float64(v))/(1e-2+math.Abs(float64(v))))
				}
			}
		}
		if worst > 1e-4 {
			t.Errorf("size %d: data-parallel Path-SGD differs from one process by %g (relative)", size, worst)
		}
	}
}
