//go:build !purego && !noasm

package asm

// Flops per loop iteration of the AVX2 peak kernels: twelve independent
// 256-bit fused multiply-adds, each 2 flops per lane.
const (
	peakFlopsPerIter32 = 12 * 8 * 2 // 192
	peakFlopsPerIter64 = 12 * 4 * 2 // 96
)

// peak32AVX2Asm runs iters iterations (none if iters <= 0) of
//
//	for r := 0; r < 12; r++ { acc[r] = acc[r]*m + c } // acc[r]: 8 float32 lanes
//
// with VFMADD213PS on twelve ymm accumulators. Two FMA pipes with 4-5 cycles
// of latency need 8-10 independent chains; twelve leave a margin. The
// accumulators converge to c/(1-m) = 0.1, so no denormal ever occurs.
//
//go:noescape
func peak32AVX2Asm(iters int)

// peak64AVX2Asm is peak32AVX2Asm on float64 lanes (VFMADD213PD, 4 lanes, m and c
// converging to 1).
//
//go:noescape
func peak64AVX2Asm(iters int)

// peak32AVX2 runs iters iterations of peak32AVX2Asm and returns the flops
// executed: 192 per iteration.
func peak32AVX2(iters int) int {
	if iters <= 0 {
		return 0
	}
	peak32AVX2Asm(iters)
	return peakFlopsPerIter32 * iters
}

// peak64AVX2 runs iters iterations of peak64AVX2Asm and returns the flops
// executed: 96 per iteration.
func peak64AVX2(iters int) int {
	if iters <= 0 {
		return 0
	}
	peak64AVX2Asm(iters)
	return peakFlopsPerIter64 * iters
}

// Flops per loop iteration of the AVX-512 peak kernels: twelve independent
// 512-bit fused multiply-adds.
const (
	peakFlopsPerIter32AVX512 = 12 * 16 * 2 // 384
	peakFlopsPerIter64AVX512 = 12 * 8 * 2  // 192
)

// peak32AVX512Asm is peak32AVX2Asm's loop on twelve zmm accumulators (16 lanes).
// On CPUs with full-width 512-bit FMA units it runs at twice the AVX2 rate;
// on CPUs that split 512-bit operations in two, at the same rate.
//
//go:noescape
func peak32AVX512Asm(iters int)

// peak64AVX512Asm is peak64AVX2Asm's loop on twelve zmm accumulators (8 lanes).
//
//go:noescape
func peak64AVX512Asm(iters int)

// peak32AVX512 runs iters iterations of peak32AVX512Asm and returns the
// flops executed: 384 per iteration.
func peak32AVX512(iters int) int {
	if iters <= 0 {
		return 0
	}
	peak32AVX512Asm(iters)
	return peakFlopsPerIter32AVX512 * iters
}

// peak64AVX512 runs iters iterations of peak64AVX512Asm and returns the
// flops executed: 192 per iteration.
func peak64AVX512(iters int) int {
	if iters <= 0 {
		return 0
	}
	peak64AVX512Asm(iters)
	return peakFlopsPerIter64AVX512 * iters
}
