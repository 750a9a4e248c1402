package blas

import (
	"fmt"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
)

// BenchmarkPackA measures packing a block of op(A) for 8- and 10-row
// panels with alpha = 1: row-major (the forward and input-gradient
// products) with the Go loop (tr=go) and with the asm transpose (tr=asm),
// and transposed (the weight gradients).
func BenchmarkPackA(b *testing.B) {
	for _, trans := range []bool{false, true} {
		for _, sh := range [][2]int{{100, 1000}, {450, 100}, {16, 100}} {
			for _, mr := range []int{6, 8, 10} {
				for _, tr := range []string{"go", "asm"} {
					if trans && tr == "asm" {
						continue
					}
					m, k := sh[0], sh[1]
					b.Run(fmt.Sprintf("trans=%v/m=%d/k=%d/mr=%d/tr=%s", trans, m, k, mr, tr), func(b *testing.B) {
						a := make([]float32, m*k)
						lda := k
						if trans {
							lda = m
						}
						var f func(dst, src []float32, lds, rows, kc int)
						if tr == "asm" {
							f = asm.Transpose
						}
						dst := make([]float32, (m+mr-1)/mr*mr*k)
						b.SetBytes(int64(4 * m * k))
						for b.Loop() {
							packA(dst, a, lda, trans, 0, m, 0, k, mr, float32(1), f)
						}
					})
				}
			}
		}
	}
}
