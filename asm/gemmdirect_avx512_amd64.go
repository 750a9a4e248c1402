//go:build !purego && !noasm

package asm

import "unsafe"

// The AVX-512 direct kernels' tiles: 8 x 32 (float32) and 8 x 16 (float64).
const avx512DirectMR, avx512SDirectNR, avx512DDirectNR = 8, 32, 16

// sgemmDirectAVX512Asm is sgemmDirectRef on raw pointers: rows (any
// count, in tiles of 8) x cols (1..32) of C from A (row i, depth p at
// a[i*ars+p*aks]) and B (rows ldb apart), all strides in elements; flags:
// Accumulate only.
//
//go:noescape
func sgemmDirectAVX512Asm(k int, a *float32, ars, aks, rows int, b *float32, ldb int, c *float32, ldc, cols int, alpha float32, flags GemmFlags)

// sgemmDirectAVX512 checks its operands and runs the direct fp32 kernel.
func sgemmDirectAVX512(rows, cols, k int, a []float32, ars, aks int, b []float32, ldb int, c []float32, ldc int, alpha float32, flags GemmFlags) {
	checkDirect(avx512SDirectNR, rows, cols, k, len(a), ars, aks, len(b), ldb, len(c), ldc)
	sgemmDirectAVX512Asm(k, unsafe.SliceData(a), ars, aks, rows, unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, cols, alpha, flags)
}

// dgemmDirectAVX512Asm is dgemmDirectRef on raw pointers: rows (any
// count, in tiles of 8) x cols (1..16) of C, as sgemmDirectAVX512Asm.
//
//go:noescape
func dgemmDirectAVX512Asm(k int, a *float64, ars, aks, rows int, b *float64, ldb int, c *float64, ldc, cols int, alpha float64, flags GemmFlags)

// dgemmDirectAVX512 checks its operands and runs the direct fp64 kernel.
func dgemmDirectAVX512(rows, cols, k int, a []float64, ars, aks int, b []float64, ldb int, c []float64, ldc int, alpha float64, flags GemmFlags) {
	checkDirect(avx512DDirectNR, rows, cols, k, len(a), ars, aks, len(b), ldb, len(c), ldc)
	dgemmDirectAVX512Asm(k, unsafe.SliceData(a), ars, aks, rows, unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, cols, alpha, flags)
}
