package asm

import (
	"fmt"
	"testing"
)

// BenchmarkSgemmMicro times the float32 micro-kernel on packed panels that
// stay in L1 (k = 256), the inner loop of the blocked GEMM.
func BenchmarkSgemmMicro(b *testing.B) {
	for _, impl := range AvailableImpls() {
		for _, k := range []int{64, 256} {
			b.Run(fmt.Sprintf("impl=%s/k=%d", impl.Name, k), func(b *testing.B) {
				mr, nr := impl.SMR, impl.SNR
				r := newRand(1)
				pa, pb := make([]float32, k*mr), make([]float32, k*nr)
				randSlice32(r, pa)
				randSlice32(r, pb)
				c := make([]float32, mr*nr)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					impl.Sgemm(k, pa, pb, c, nr, nil, Accumulate)
				}
				b.ReportMetric(float64(2*mr*nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkDgemmMicro is BenchmarkSgemmMicro for float64.
func BenchmarkDgemmMicro(b *testing.B) {
	for _, impl := range AvailableImpls() {
		for _, k := range []int{64, 256} {
			b.Run(fmt.Sprintf("impl=%s/k=%d", impl.Name, k), func(b *testing.B) {
				mr, nr := impl.DMR, impl.DNR
				r := newRand(1)
				pa, pb := make([]float64, k*mr), make([]float64, k*nr)
				randSlice64(r, pa)
				randSlice64(r, pb)
				c := make([]float64, mr*nr)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					impl.Dgemm(k, pa, pb, c, nr, nil, Accumulate)
				}
				b.ReportMetric(float64(2*mr*nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
