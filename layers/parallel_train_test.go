package layers

import (
	"context"
	"math"
	"sync"
	"testing"
)

// memGroup is an in-process allreduce for size goroutines, summing in rank
// order: the data-parallel arithmetic without MPI.
type memGroup struct {
	mu      sync.Mutex
	cond    *sync.Cond
	size    int
	arrived int
	gen     int
	bufs    [][]float32
}

func newMemGroup(size int) *memGroup {
	g := &memGroup{size: size, bufs: make([][]float32, size)}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *memGroup) reduce(rank int, buf []float32) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	gen := g.gen
	g.bufs[rank] = buf
	g.arrived++
	if g.arrived == g.size {
		sum := make([]float32, len(buf))
		for _, b := range g.bufs {
			for i := range sum {
				sum[i] += b[i]
			}
		}
		for _, b := range g.bufs {
			copy(b, sum)
		}
		g.arrived = 0
		g.gen++
		g.cond.Broadcast()
		return nil
	}
	for gen == g.gen {
		g.cond.Wait()
	}
	return nil
}

// TestDataParallelTrain: 2 and 3 processes (goroutines with an in-memory
// allreduce), each training on its share of every global batch, end with
// identical networks equal to single-process training with the same global
// batch within float32 rounding, for SGD with momentum and AdaGrad, with
// a last batch smaller than the number of processes' shares; the per-epoch
// losses agree too. Dropout is refused.
func TestDataParallelTrain(t *testing.T) {
	d := blobs(3, 203, 6, 3)
	for _, optName := range []string{"momentum", "adagrad"} {
		newOpt := func() Optimizer {
			if optName == "adagrad" {
				return &AdaGrad{LR: Constant(0.05)}
			}
			return &SGD{LR: Constant(0.05), Momentum: Constant(0.9)}
		}
		ref, err := NewMLP([]int{6, 16, 8, 3}, MLPOptions{Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		start := ref.Clone()
		cfg := TrainConfig{Epochs: 3, BatchSize: 20, Seed: 9}
		var refLoss []float64
		cfg.OnEpoch = func(st EpochStats) error { refLoss = append(refLoss, st.Loss); return nil }
		if err := Train(context.Background(), ref, newOpt(), d, cfg); err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{2, 3} {
			g := newMemGroup(size)
			nets := make([]*Network, size)
			losses := make([][]float64, size)
			errs := make([]error, size)
			var wg sync.WaitGroup
			for rank := range size {
				nets[rank] = start.Clone()
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := TrainConfig{Epochs: 3, BatchSize: 20, Seed: 9,
						Parallel: &DataParallel{Rank: rank, Size: size, Reduce: func(b []float32) error { return g.reduce(rank, b) }},
						OnEpoch:  func(st EpochStats) error { losses[rank] = append(losses[rank], st.Loss); return nil }}
					errs[rank] = Train(context.Background(), nets[rank], newOpt(), d, c)
				}()
			}
			wg.Wait()
			for rank := range size {
				if errs[rank] != nil {
					t.Fatalf("%s size %d rank %d: %v", optName, size, rank, errs[rank])
				}
				if !sameParams(nets[rank], nets[0]) {
					t.Fatalf("%s size %d: rank %d's network differs from rank 0's", optName, size, rank)
				}
			}
			worst := 0.0
			for i, p := range ref.Params() {
				for j, v := range p.Value {
					w := float64(nets[0].Params()[i].Value[j])
					worst = math.Max(worst, math.Abs(w-float64(v))/(1e-2+math.Abs(float64(v))))
				}
			}
			if worst > 1e-4 {
				t.Errorf("%s size %d: parameters differ from single-process training by %g (relative)", optName, size, worst)
			}
			for e := range refLoss {
				if math.Abs(losses[0][e]-refLoss[e]) > 1e-5*(1+refLoss[e]) {
					t.Errorf("%s size %d epoch %d: loss %v, single process %v", optName, size, e+1, losses[0][e], refLoss[e])
				}
			}
		}
	}
	drop, _ := NewMLP([]int{6, 8, 3}, MLPOptions{Seed: 1, Dropout: 0.5})
	err := Train(context.Background(), drop, &SGD{LR: Constant(0.1)}, d, TrainConfig{Epochs: 1, BatchSize: 20,
		Parallel: &DataParallel{Rank: 0, Size: 2, Reduce: func([]float32) error { return nil }}})
	if err == nil {
		t.Error("data-parallel training with dropout was accepted")
	}
	plain, _ := NewMLP([]int{6, 8, 3}, MLPOptions{Seed: 1})
	if err := Train(context.Background(), plain, &SGD{LR: Constant(0.1)}, d, TrainConfig{Epochs: 1, BatchSize: 20,
		Parallel: &DataParallel{Rank: 2, Size: 2, Reduce: func([]float32) error { return nil }}}); err == nil {
		t.Error("rank 2 of 2 was accepted")
	}
}
