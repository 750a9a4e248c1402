//go:build !purego && !noasm

package asm

import "unsafe"

// The AVX2 direct kernels' tiles: 6 x 16 (float32) and 6 x 8 (float64).
// Against the packed 6x16 kernels (Zen 5 with AVX-512 masked, one thread,
// GFLOP/s) they won at small depths: float32 16x100x100 67 -> 80,
// 128x100x100 79 -> 88, 64x64x64 73 -> 91, 1000x1000x64 (m x k x n) 80 ->
// 92, float64 16x100x100 38 -> 43; but lost 5-8% at k = 1000
// (16x1000x1000 87 -> 82, 128x1000x1000 95 -> 88) and were level at 256,
// so avx2DirectMaxK kept deeper products on the packed kernels until the
// direct path ran depths up to 1024 unblocked and gained its depth-outer
// order (blas/direct.go, 2026-12-04): then, paired interleaved medians,
// direct path at any depth over the packed kernels, one thread / two,
// float32 100x1000x1000 1.061 / 1.083, 16x1000x1000 1.071 / 1.198,
// 64x1000x1000 1.043 / 1.127, 128x1000x1000 1.044 / 1.121, 100x784x1000
// 1.069 / 1.121, 100x500x500 1.057 / 1.160, 16x784x4000 1.083 / 1.245,
// 100x4000x100 1.270 / 1.634, 1000x1000x64 1.328 / 1.461, 16x2000x1000
// 1.071 / 1.162, 16x4000x4000 1.085 / 1.020, 32x4000x1000 1.075 / 1.067,
// 128x1500x300 1.056 / 1.227; float64 100x1000x1000 1.037 / 1.035,
// 16x1000x1000 1.256 / 1.276, 100x4000x100 1.302 / 1.637, 1000x1000x64
// 1.114 / 1.135, 64x2000x500 1.084 / 0.999. It is 0 (any depth) since.
const (
	avx2DirectMR, avx2SDirectNR, avx2DDirectNR = 6, 16, 8
	avx2DirectMaxK                             = 0
)

// sgemmDirectAVX2Asm is sgemmDirectRef on raw pointers: rows (any
// count, in tiles of 6) x cols (1..16) of C from A (row i, depth p at
// a[i*ars+p*aks]) and B (rows ldb apart), all strides in elements; flags:
// Accumulate only.
//
//go:noescape
func sgemmDirectAVX2Asm(k int, a *float32, ars, aks, rows int, b *float32, ldb int, c *float32, ldc, cols int, alpha float32, flags GemmFlags)

// sgemmDirectAVX2 checks its operands and runs the AVX2 direct fp32 kernel.
func sgemmDirectAVX2(rows, cols, k int, a []float32, ars, aks int, b []float32, ldb int, c []float32, ldc int, alpha float32, flags GemmFlags) {
	checkDirect(avx2SDirectNR, rows, cols, k, len(a), ars, aks, len(b), ldb, len(c), ldc)
	sgemmDirectAVX2Asm(k, unsafe.SliceData(a), ars, aks, rows, unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, cols, alpha, flags)
}

// dgemmDirectAVX2Asm is dgemmDirectRef on raw pointers: rows (any
// count, in tiles of 6) x cols (1..8) of C, as sgemmDirectAVX2Asm.
//
//go:noescape
func dgemmDirectAVX2Asm(k int, a *float64, ars, aks, rows int, b *float64, ldb int, c *float64, ldc, cols int, alpha float64, flags GemmFlags)

// dgemmDirectAVX2 checks its operands and runs the AVX2 direct fp64 kernel.
func dgemmDirectAVX2(rows, cols, k int, a []float64, ars, aks int, b []float64, ldb int, c []float64, ldc int, alpha float64, flags GemmFlags) {
	checkDirect(avx2DDirectNR, rows, cols, k, len(a), ars, aks, len(b), ldb, len(c), ldc)
	dgemmDirectAVX2Asm(k, unsafe.SliceData(a), ars, aks, rows, unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, cols, alpha, flags)
}
