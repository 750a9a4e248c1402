package blas

// SetDirectOff turns the direct path off (true) or on, for the external
// tests and benchmarks that compare the two paths.
func SetDirectOff(off bool) { directOff = off }

// SetDirectParallelMin sets directParallelMinFlops and returns the previous value.
func SetDirectParallelMin(n int) int { n, directParallelMinFlops = directParallelMinFlops, n; return n }
