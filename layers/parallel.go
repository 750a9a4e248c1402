package layers

import (
	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/internal/pool"
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
type PartTask = pool.Task

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

// RunParallel runs t split into blas.Threads() parts on the GEMM engine's
// worker pool (part 0 on the calling goroutine) when params, the number of
// parameters the pass touches, is at least 65536, and as one part on the
// calling goroutine otherwise (or when another call holds the pool). It
// returns when every part is done and allocates nothing.
func RunParallel(t PartTask, params int) { runParallel(t, params) }

// runParallel runs t split across the GEMM thread count when the update
// touches at least parallelMin parameters.
func runParallel(t PartTask, params int) {
	threads := 1
	if params >= parallelMin {
		threads = blas.Threads()
	}
	if threads <= 1 || !pool.Default.Acquire(threads) {
		t.RunPart(0, 1)
		return
	}
	defer pool.Default.Release()
	pool.Default.Run(threads, t)
}
