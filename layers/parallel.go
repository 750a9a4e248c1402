package layers

import (
	"github.com/fastpath-go/fastpath/blas"
)

// The optimizer updates are memory-bound passes over every parameter; one
// core does not saturate the memory system, so large updates are split
// across the GEMM thread count (blas.Threads). Each element is updated by
// exactly one thread with the same kernel, so the results do not depend on
// the split.

// parallelMin is the number of parameters below which an update runs on
// the calling goroutine (blas.ElementwiseParts's threshold).
const parallelMin = 1 << 16

// splitAlign keeps parts of a tensor on separate cache lines (16 float32s).
const splitAlign = 16

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

// runParallel runs t on the worker pool, split across the thread count
// when the update touches enough parameters to repay it.
func runParallel(t blas.Task, params int) { blas.Run(t, blas.ElementwiseParts(params)) }
