//go:build !purego && !noasm

package asm

// The AVX-512 path-norm kernels are the AVX2 ones (pathnorm_amd64.go) on
// zmm registers: eight float32 weights widened per VCVTPS2PD instead of
// four, which is what bounds the passes when W is in cache (a 100-unit
// RNN's recurrent weights: RNN-Path's kappa1 makes two such products per
// time step). From DRAM both widths run at the memory's pace. The last
// len%8 columns go through masked loads (and, in PathMTV, a masked store),
// which do not touch the masked-off elements, so no access goes past the
// end of a row, of x or of y.

// pathMVAVX512Asm is pathMVGeneric's loop, W being len(y) x len(x) with row
// stride ldw (the caller has checked that W fits in w):
//
//	for i := range y {
//		var s float64
//		for j := range x { f := float64(w[i*ldw+j]); s += f * f * x[j] }
//		y[i] = s
//	}
//
// pf is the prefetch distance in bytes, as for pathMVAVX2Asm. Blocks of four
// rows keep eight accumulators (two per row, 16 columns per step).
//
//go:noescape
func pathMVAVX512Asm(y []float64, w []float32, ldw int, x []float64, pf int)

// pathMTVAVX512Asm is pathMTVGeneric's loop, W being len(x) x len(y) with
// row stride ldw:
//
//	for j := range y { y[j] = 0 }
//	for i := range x {
//		for j := range y { f := float64(w[i*ldw+j]); y[j] += f * f * x[i] }
//	}
//
// pf is as for pathMVAVX2Asm. Each pass over y applies four rows (x[i..i+3]
// broadcast), 32 columns per step: four independent accumulator chains.
//
//go:noescape
func pathMTVAVX512Asm(y []float64, w []float32, ldw int, x []float64, pf int)

func pathMVAVX512(y []float64, w []float32, ldw int, x []float64) {
	checkPath(len(y), len(x), len(w), ldw)
	pathMVAVX512Asm(y, w, ldw, x, pathPrefetch(ldw))
}

func pathMTVAVX512(y []float64, w []float32, ldw int, x []float64) {
	checkPath(len(x), len(y), len(w), ldw)
	pathMTVAVX512Asm(y, w, ldw, x, pathPrefetch(ldw))
}
