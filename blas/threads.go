package blas

import (
	"runtime"
	"sync/atomic"

	"github.com/fastpath-go/fastpath/internal/pool"
)

// threadSetting is the thread count fixed by SetThreads; 0 means
// runtime.GOMAXPROCS(0) read at each call.
var threadSetting atomic.Int64

// SetThreads fixes the number of threads GEMM and GEMV calls use and
// returns the previous setting. n = 0 restores the default, runtime.GOMAXPROCS(0) read
// at each call. It panics if n is negative.
func SetThreads(n int) (previous int) {
	if n < 0 {
		panic(badThreads)
	}
	return int(threadSetting.Swap(int64(n)))
}

// Threads returns the number of threads the next GEMM or GEMV call will
// use.
func Threads() int { return numThreads() }

// numThreads returns the thread count a call should use: the SetThreads
// setting, or GOMAXPROCS at call time.
func numThreads() int {
	if n := int(threadSetting.Load()); n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// Task is a parallel region for Run: RunPart(part, parts) does part part of
// parts (0 <= part < parts), the parts touching disjoint data. Pointer
// implementations keep Run free of allocations.
type Task = pool.Task

// Run runs t split into parts parts on fastpath's one worker pool — the
// pool the GEMM engine, the Level 2 routines and the optimizer updates
// share — with part 0 on the calling goroutine, and returns when every
// part is done. parts is capped at Threads(); with parts <= 1, or while
// another region holds the pool (a Run inside a GEMM's region, or from
// another goroutine), t runs as one part on the calling goroutine. It
// allocates nothing.
func Run(t Task, parts int) {
	parts = min(parts, numThreads())
	if parts <= 1 || !pool.Default.Acquire(parts) {
		t.RunPart(0, 1)
		return
	}
	defer pool.Default.Release()
	pool.Default.Run(parts, t)
}

// elementwiseMin is the number of elements from which ElementwiseParts
// splits a memory-bound pass: waking a helper costs microseconds, which a
// pass over fewer elements does not repay.
const elementwiseMin = 1 << 16

// ElementwiseParts returns the number of parts worth splitting a
// memory-bound pass over n elements (an optimizer update, a path-norm
// pass) into: Threads() from 65536 elements, 1 below.
func ElementwiseParts(n int) int {
	if n < elementwiseMin {
		return 1
	}
	return numThreads()
}
