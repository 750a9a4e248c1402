package blas

import (
	"runtime"
	"sync/atomic"
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
