package layers

import (
	"sync"

	"github.com/fastpath-go/fastpath/blas"
)

// The optimizer updates are memory-bound passes over every parameter; one
// core does not saturate the memory system, so large updates are split
// across the GEMM thread count (blas.Threads). Each element is updated by
// exactly one thread with the same kernel, so the results do not depend on
// the split.

// parallelMin is the number of parameters below which an update runs on
// the calling goroutine: waking a helper costs microseconds.
const parallelMin = 1 << 16

// splitAlign keeps parts of a tensor on separate cache lines (16 float32s).
const splitAlign = 16

// PartTask is a pass that can run split into parts: RunPart(part, parts)
// does part part of parts (0 <= part < parts), the parts touching disjoint
// data, so that they may run concurrently. Optimizers outside this package
// (package pathsgd) split their updates with RunParallel the way SGD and
// AdaGrad do.
type PartTask interface {
	RunPart(part, parts int)
}

// partRange returns part's share [lo, hi) of n elements split parts ways
// in multiples of splitAlign. Tensors too small to be worth splitting go
// entirely to part 0.
func partRange(n, part, parts int) (lo, hi int) {
	if n < parallelMin/4 {
		if part == 0 {
			return 0, n
		}
		return 0, 0
	}
	chunk := ((n+parts-1)/parts + splitAlign - 1) / splitAlign * splitAlign
	lo = min(part*chunk, n)
	hi = min(lo+chunk, n)
	return lo, hi
}

// helperPool runs PartTasks on persistent helper goroutines, so that a
// parallel update allocates nothing.
type helperPool struct {
	mu   sync.Mutex
	jobs []chan helperJob
	done chan struct{}
}

type helperJob struct {
	t           PartTask
	part, parts int
}

var helpers = helperPool{done: make(chan struct{})}

// run runs t as parts parts, part 0 on the calling goroutine. If another
// goroutine is using the pool, t runs serially instead.
func (p *helperPool) run(t PartTask, parts int) {
	if parts <= 1 || !p.mu.TryLock() {
		t.RunPart(0, 1)
		return
	}
	defer p.mu.Unlock()
	for len(p.jobs) < parts-1 {
		ch := make(chan helperJob)
		p.jobs = append(p.jobs, ch)
		go helper(ch, p.done)
	}
	for i := 1; i < parts; i++ {
		p.jobs[i-1] <- helperJob{t, i, parts}
	}
	t.RunPart(0, parts)
	for i := 1; i < parts; i++ {
		<-p.done
	}
}

func helper(jobs <-chan helperJob, done chan<- struct{}) {
	for j := range jobs {
		j.t.RunPart(j.part, j.parts)
		done <- struct{}{}
	}
}

// RunParallel runs t split into blas.Threads() parts on persistent helper
// goroutines (part 0 on the calling goroutine) when params, the number of
// parameters the pass touches, is at least 65536, and as one part on the
// calling goroutine otherwise (or when another RunParallel is in
// progress). It returns when every part is done and allocates nothing.
func RunParallel(t PartTask, params int) { runParallel(t, params) }

// runParallel runs t split across the GEMM thread count when the update
// touches at least parallelMin parameters.
func runParallel(t PartTask, params int) {
	threads := 1
	if params >= parallelMin {
		threads = blas.Threads()
	}
	helpers.run(t, threads)
}
