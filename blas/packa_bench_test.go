package blas

import (
	"fmt"
	"testing"
)

// BenchmarkPackA measures packing a block of op(A) for 10-row panels with
// alpha = 1: row-major (the forward and input-gradient products) and
// transposed (the weight gradients).
func BenchmarkPackA(b *testing.B) {
	for _, trans := range []bool{false, true} {
		for _, sh := range [][2]int{{100, 1000}, {450, 100}} {
			m, k := sh[0], sh[1]
			b.Run(fmt.Sprintf("trans=%v/m=%d/k=%d", trans, m, k), func(b *testing.B) {
				const mr = 10
				a := make([]float32, m*k)
				lda := k
				if trans {
					lda = m
				}
				dst := make([]float32, (m+mr-1)/mr*mr*k)
				b.SetBytes(int64(4 * m * k))
				for b.Loop() {
					packA(dst, a, lda, trans, 0, m, 0, k, mr, float32(1))
				}
			})
		}
	}
}
