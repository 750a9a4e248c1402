//go:build !purego && !noasm

package asm

// The AVX2 path-norm kernels widen four float32 weights at a time to float64
// (VCVTPS2PD), square them (VMULPD, exact) and accumulate w²·x with one fused
// multiply-add (VFMADD231PD), so each term rounds once where the generic loop
// rounds twice; the partial sums are added in a different order. Both passes
// are memory-bound on W: they work on four rows of W at a time so each load
// of x (PathMV) or of y (PathMTV) serves four rows, and W is read exactly once
// as four sequential streams.
//
// VCVTPS2PD issues once per cycle, so in cache the kernels convert about four
// weights per cycle; from DRAM the hardware prefetchers alone leave them at
// about 60% of a plain streaming read, because the conversions delay the
// demand loads that train them. The kernels therefore prefetch each row
// stream pf bytes ahead into L2 (see pathPrefetch).

// pathMVAVX2Asm is pathMVGeneric's loop, W being len(y) x len(x) with row stride
// ldw (the caller has checked that W fits in w):
//
//	for i := range y {
//		var s float64
//		for j := range x { f := float64(w[i*ldw+j]); s += f * f * x[j] }
//		y[i] = s
//	}
//
// pf is the prefetch distance in bytes, a hint that does not change the
// result (prefetches never fault, so it may point past the end of w). Blocks
// of four rows keep eight accumulators (two per row, 16 columns per step),
// reduced with VHADDPD/VPERM2F128 into one store of four y values. The last
// len(x)%4 columns are loaded with VMASKMOVPS/VMASKMOVPD, which do not touch
// the masked-off elements, so no load goes past the end of a row (or of w).
//
//go:noescape
func pathMVAVX2Asm(y []float64, w []float32, ldw int, x []float64, pf int)

// pathMTVAVX2Asm is pathMTVGeneric's loop, W being len(x) x len(y) with row
// stride ldw:
//
//	for j := range y { y[j] = 0 }
//	for i := range x {
//		for j := range y { f := float64(w[i*ldw+j]); y[j] += f * f * x[i] }
//	}
//
// pf is as for pathMVAVX2Asm. Each pass over y applies four rows (x[i..i+3]
// broadcast in registers), 16 columns per step, so y (which stays in L1 for
// layer widths up to a few thousand) is loaded and stored once per four rows;
// the last len(y)%4 columns are done one at a time.
//
//go:noescape
func pathMTVAVX2Asm(y []float64, w []float32, ldw int, x []float64, pf int)

func pathMVAVX2(y []float64, w []float32, ldw int, x []float64) {
	checkPath(len(y), len(x), len(w), ldw)
	pathMVAVX2Asm(y, w, ldw, x, pathPrefetch(ldw))
}

func pathMTVAVX2(y []float64, w []float32, ldw int, x []float64) {
	checkPath(len(x), len(y), len(w), ldw)
	pathMTVAVX2Asm(y, w, ldw, x, pathPrefetch(ldw))
}

// pathPrefetch returns the prefetch distance in bytes for a W of leading
// dimension ldw. The kernels walk W in blocks of four rows, so a distance
// that is a multiple of the block stride (16*ldw bytes) prefetches the same
// columns of a later block: every line exactly once, whatever the row length.
// The smallest such multiple of at least 64 KiB keeps about 256 KiB in flight
// or waiting in L2 (measured best on Zen; 16 KiB or a one-block distance on
// narrow rows is too short). Rows so wide that one block exceeds 256 KiB
// would overflow L2 before use; they are prefetched 1 KiB ahead within each
// row instead.
func pathPrefetch(ldw int) int {
	const minDist, maxBlock, inRow = 64 << 10, 256 << 10, 1 << 10
	block := 16 * ldw
	if block > maxBlock {
		return inRow
	}
	return (minDist + block - 1) / block * block
}
