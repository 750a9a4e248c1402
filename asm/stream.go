package asm

// The streaming-read kernels are the yardstick of the memory-bound kernels:
// they read a buffer once and do as little as possible with it, so their
// bandwidth is what the path-norm passes (which read W once) can hope for.
// Benchmarks only; see BenchmarkStreamRead.

// streamSumGeneric is the reference streaming read:
//
//	var s float32
//	for _, v := range w { s += v }
//	return s
//
// with four partial sums so the loop is not bound by addition latency.
func streamSumGeneric(w []float32) float32 {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(w); i += 4 {
		v := w[i : i+4 : i+4]
		s0 += v[0]
		s1 += v[1]
		s2 += v[2]
		s3 += v[3]
	}
	for ; i < len(w); i++ {
		s0 += w[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// streamSums maps an implementation name to its streaming-read kernel;
// implementations without one are absent.
var streamSums = map[string]func(w []float32) float32{"generic": streamSumGeneric}
