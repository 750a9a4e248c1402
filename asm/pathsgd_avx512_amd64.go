//go:build !purego && !noasm

package asm

// The AVX-512 Path-SGD sums kernel (asm.PathSums, the dynamic program's
// pass over the meeting layer of a fused Path-SGD step): four rows at a
// time, so that each 16-column stretch of z is loaded and stored once for
// four rows (the AVX2 kernel, one row at a time, loads and stores it per
// row), with the float64 sums on zmm registers. Over a 4000 x 4000 layer on
// two Zen 5 threads: 1.02 ms against 1.52 for the AVX2 kernel (PathMV's
// AVX-512 pass, the bandwidth bound, 1.01 ms).
//
// Update kernels of the same shape (the AVX2 column-sum updates' loop on
// zmm, four rows at a time, the last columns under masks, w and v asked
// for ownership a block of rows ahead) were tried on Zen 5 (2026-12-05,
// sixteenth sitting) and not kept: alone 1.7-1.9x faster in cache (100 x
// 100, 256 x 256) and 1.00-1.09x from memory (4000 x 4000), but in whole
// unfused Path-SGD steps, the two kernel sets toggled in one process
// (medians of 40-300 pairs, ratio to SGD): two threads 0.5-3 points better
// (784-1000-1000-10 1.103 -> 1.087 with momentum, 1.082 -> 1.065 plain),
// one thread 1-4 points worse on 784-1000-1000-10 (1.035 -> 1.077 with
// momentum) and level on 784-4000-4000-10 plain; with w prefetched for
// reading instead of for ownership they were 1-3 points worse on two
// threads as well.

// pathSumsAVX512Asm is pathSumsGeneric's loop (the caller has checked the
// operands), four rows at a time: each 16-column stretch of z stays in
// registers while the four rows add their products to it in row order (so
// z is the reference's bits), and each row's lines are prefetched pf bytes
// ahead into L2. The row sums y are accumulated in sixteen lanes per row
// and reduced at the end.
//
//	for r := range y {
//		var s float64
//		for c := range x {
//			f := float64(w[r*ld+c]); q := f * f
//			s += q * x[c]
//			z[c] += float64(q * u[r])
//		}
//		y[r] = s
//	}
//
//go:noescape
func pathSumsAVX512Asm(y, z []float64, w []float32, ld int, x, u []float64, pf int)

func pathSumsAVX512(y, z []float64, w []float32, ld int, x, u []float64) {
	checkPathSums(y, z, w, ld, x, u)
	pathSumsAVX512Asm(y, z, w, ld, x, u, pathPrefetch(ld))
}
