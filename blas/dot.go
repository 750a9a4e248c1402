package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
)

// The dot path: a product C = alpha*A*B^T + beta*C (float32, or float64
// where the implementation has a float64 dot kernel) with A not
// transposed and B transposed (both stored by rows along the depth) and
// few rows, the forward pass of a dense layer at a small batch, runs on
// the dot-product kernels (asm.Impl.SgemmDot and DgemmDot): every element
// of C is one dot product of a row of A and a row of B read in place, so B
// (the weights, the large operand) streams once from memory with nothing
// packed or transposed, while the few rows of A stay in cache. Each tile
// sums its whole depth in one call, so C does not depend on how the tiles
// are split between threads. On the other paths such a product either
// transposes B into a copy (small B, direct path) or packs it panel by
// panel (the engine): with few rows of A to reuse each element of B, that
// copy costs as much as the arithmetic. The bias and ReLU of a dense
// layer (Affine32) ride in the kernel's epilogue. The depth is not
// blocked, so the path is taken only while all of A fits in half of L2
// (dotAFits).

// useDot reports whether C = op(A) op(B) with these transposes and sizes
// takes the dot path on a kernel of mr-row tiles (mr = 0: none): A not
// transposed, B transposed, and few rows for the depth. Its rivals are the
// transposed copy of a small B (direct path), whose cost per flop falls as
// 1/m, and the engine; the dot kernel's fixed cost per tile, the lane
// reduction, falls as 1/k.
//
// The AVX-512 kernel (4 x 4 tiles, sixteen depths a step, a reduction of
// about 45 instructions against 16 FMAs a step): measured on Zen 5, one
// thread, m x k x n, other path -> dot path, GFLOP/s (interleaved
// medians): 1x1000x1000 8.9 -> 34, 4x1000x1000 37 -> 136, 8x1000x1000 78
// -> 146, 16x1000x1000 100 -> 131, 16x784x1000 111 -> 162, 16x4000x4000 84
// -> 99, 16x200x200 132 -> 168, 16x100x100 107 -> 113, 16x96x300 131 ->
// 136, 24x784x1000 128 -> 169, 32x1000x1000 141 -> 161, 32x512x512 132 ->
// 142, 48x1000x1000 150 -> 170, 8x64x1000 87 -> 107, 4x32x500 50 -> 65,
// 2x64x1000 28 -> 53; two threads 16x1000x1000 190 -> 299, 16x784x4000
// 196 -> 307, 32x1000x1000 227 -> 324, 8x100x100 77 -> 112. Kept off:
// 16x64x1000 127 -> 110, 16x64x256 127 -> 110, 32x100x100 133 -> 115,
// 64x1000x1000 163 -> 168 (level). On a small L1 (Zen 4) products of 9
// to 16 rows need more depth: dotMidKSmallL1.
//
// The AVX2 kernel (2 x 4 tiles, eight depths a step) loses to the
// transposed copy wherever that applies unless the rows are very few or
// the depth large: with AVX-512 masked, 1x1000x1000 7.7 -> 31,
// 2x64x1000 14 -> 26, 4x128x1000 36 -> 67, 8x256x1000 44 -> 76,
// 8x1000x1000 41 -> 69, 16x256x1000 68 -> 83, 16x1000x1000 62 -> 75,
// 16x512x512 57 -> 62, 32x512x512 75 -> 82, 32x1000x1000 74 -> 82; kept
// off: 16x100x100 48 -> 33, 16x96x300 65 -> 56, 8x32x500 40 -> 25,
// 48x1000x1000 90 -> 87.
func useDot(aT, bT bool, m, n, k, mr int) bool {
	if directOff || mr == 0 || aT || !bT || k < 32 || !dotAFits(m, k, 4) {
		return false
	}
	if mr >= 4 {
		mid := 96
		if smallL1() {
			mid = dotMidKSmallL1
		}
		return m <= 8 || m <= 16 && k >= mid || m <= 48 && k >= 512
	}
	_, l2, _ := asm.CacheSizes()
	copyable := float64(k)*float64(directStride(n, 4))*4 <= float64(l2/directL2Share)
	return k >= 64 && (m <= 4 || m <= 32 && (k >= 512 || !copyable))
}

// useDotFew reports whether a product with few columns, C = op(A) op(B)
// with A not transposed and B transposed, of elemSize-byte elements on a
// dot kernel of mr-row tiles (0: none), takes the dot path although
// useDot does not take it (m large): the other paths compute such a C in
// panels of 16 or 32 columns, most of them wasted, packing A (the engine)
// or transposing B (the direct path), where the dot kernel computes 4 x 4
// (AVX-512) or 2 x 4 (AVX2) tiles read in place, with the bias and ReLU of
// a dense layer (epilogue) in its epilogue. That is the classifier layer
// of a network, 100x1000x10 in the forward pass of 784-1000-1000-10. The
// engine's epilogue costs more than the direct path's copy, so with an
// epilogue the dot path is taken further. Zen 5, alternated in one
// process, GFLOP/s, engine (epilogue) or other path (none) -> dot path,
// one thread / two, float32:
//
//	epilogue, AVX-512  100x1000x10 50 -> 145 / 52 -> 224, 100x4000x10 46 -> 99 / 63 -> 222,
//	                   1000x1000x10 59 -> 104 / 110 -> 235, 100x128x10 41 -> 106 / 39 -> 108,
//	                   100x1000x32 138 -> 174 / 129 -> 313, 100x1000x64 152 -> 172 / 170 -> 326,
//	                   100x4000x32 130 -> 131 / 135 -> 256; kept off 100x300x64 156 -> 136 / 152 -> 227
//	epilogue, AVX2     100x1000x10 28 -> 78 / 28 -> 135, 1000x1000x10 32 -> 73 / 56 -> 140,
//	                   100x1000x32 69 -> 93 / 94 -> 165, 100x1000x64 82 -> 92 / 98 -> 147
//	none, AVX-512      100x1000x10 91 -> 148 / 70 -> 211, 100x4000x10 80 -> 107 / 69 -> 213,
//	                   100x1000x16 172 -> 178 / 138 -> 285; kept off 100x100x10 86 -> 76,
//	                   1000x100x10 111 -> 80, 100x1000x32 192 -> 180 (one thread)
//	none, AVX2         100x1000x10 56 -> 76 / 57 -> 131, 1000x1000x10 60 -> 70 / 111 -> 140;
//	                   kept off 100x1000x32 102 -> 91 (one thread)
//
// float64 (the AVX-512 dot kernel, 4 x 4 tiles) only with an epilogue and
// up to 32 columns:
//
//	epilogue           100x1000x10 25 -> 62 / 23 -> 89, 100x4000x10 25 -> 54 / 28 -> 92,
//	                   1000x1000x10 23 -> 48 / 41 -> 97, 100x128x10 19 -> 49 / 23 -> 66,
//	                   100x1000x32 51 -> 53 / 57 -> 96; kept off 100x1000x64 62 -> 58
//	none               kept off: 1000x1000x10 60 -> 48 / 98 -> 92, 100x1000x16 78 -> 52 (one thread)
//
// The dot path sums each element's whole depth in one call, so one of the
// operands must stay in L2 while the other streams: with the columns in
// few tiles (fewer than two a thread) or A too large for L2, the threads
// split the rows of A and each row tile passes over all of B (gemmDot).
func useDotFew(aT, bT bool, m, n, k, mr, elemSize int, epilogue bool) bool {
	if directOff || mr == 0 || aT || !bT || m <= 0 {
		return false
	}
	_, l2, _ := asm.CacheSizes()
	if float64(n)*float64(k)*float64(elemSize) > float64(l2/directL2Share) {
		return false
	}
	if elemSize == 8 {
		return epilogue && k >= 64 && n <= 32
	}
	if epilogue {
		return k >= 64 && (n <= 32 || n <= 64 && k >= 512)
	}
	return k >= 256 && n <= 16
}

// dotMidKSmallL1 is the depth from which products of 9 to 16 rows take
// the AVX-512 float32 dot path on a small L1 (Zen 4, whose 512-bit
// shuffles of the lane reduction run at half rate): below it the
// transposed copy and the direct path win. Zen 4, one thread, paired
// interleaved medians of the other path's speed over the dot path's:
// 16x100x100 1.12-1.16, 16x112x112 1.34, 16x96x300 1.13, 16x100x1000
// 1.20, 16x128x128 1.04-1.08, 16x136x136 1.16, 16x144x144 1.07,
// 16x150x150 1.08-1.19, 14x128x128 1.04; level at 16x160x160 (1.01),
// 10x100x100 and 12x100x100; the dot path ahead from 16x176x176 (0.93),
// 16x192x192 0.93, 16x200x200 0.96, 16x256x256 0.90, and at 16x128x1000
// (0.97) and 16x160x500 (0.96), where n is large. The float64 dot kernels
// win at every depth there (0.57-0.78), and at 8 rows or fewer the float32
// one does too (8x100x100 0.91, 4x100x100 0.67).
const dotMidKSmallL1 = 160

// useDot64 is useDot for float64 products (asm.Impl.DgemmDot: AVX-512,
// 4 x 4 tiles, eight depths a step). Measured as useDot's, one thread:
// 1x1000x1000 3.7 -> 21, 4x64x1000 14 -> 40, 8x1000x1000 31 -> 60,
// 16x100x100 51 -> 77, 16x96x300 53 -> 86, 16x200x200 54 -> 95,
// 16x256x1000 38 -> 63, 16x1000x1000 38 -> 53, 16x4000x4000 33 -> 51,
// 24x512x512 57 -> 83, 24x1000x1000 48 -> 52, 8x32x500 25.6 -> 26.0; kept
// off: 32x1000x1000 53 -> 51, 48x1000x1000 68 -> 66 (32x512x512 gained,
// 54 -> 65: the boundary is not sharp there).
func useDot64(aT, bT bool, m, n, k, mr int) bool {
	if directOff || mr == 0 || aT || !bT || k < 32 || !dotAFits(m, k, 8) {
		return false
	}
	return m <= 8 || m <= 16 && k >= 96 || m <= 24 && k >= 512
}

// dotAFits reports whether the rows of A (m x k) fit in the share of L2
// the direct path gives its resident operand: every column tile of B
// passes over all of A, so an A beyond L2 would stream from memory once
// per four columns (the depth is not blocked).
func dotAFits(m, k, elemSize int) bool {
	_, l2, _ := asm.CacheSizes()
	return float64(m)*float64(k)*float64(elemSize) <= float64(l2/directL2Share)
}

// dotKernel is the signature of asm.Impl.SgemmDot and DgemmDot.
type dotKernel[T float32 | float64] func(rows, cols, k int, a []T, lda int, b []T, ldb int, c []T, ldc int, bias []T, alpha T, flags asm.GemmFlags)

// dotCall is one product on the dot path.
type dotCall[T float32 | float64] struct {
	kern          dotKernel[T]
	m, n, k       int
	a, b, c       []T
	lda, ldb, ldc int
	bias          []T
	alpha         T
	flags         asm.GemmFlags
	mr, nr        int
	nT            int  // column tiles
	rowsOuter     bool // parts split the row tiles, each against every column tile
}

// RunPart computes part part of parts (pool.Task): a contiguous range of
// column tiles, each against every row tile (the tile's rows of B stay in
// L1 while the rows of A pass).
func (d *dotCall[T]) RunPart(part, parts int) {
	mT := (d.m + d.mr - 1) / d.mr
	if d.rowsOuter {
		for it := part * mT / parts; it < (part+1)*mT/parts; it++ {
			i := it * d.mr
			for jt := 0; jt < d.nT; jt++ {
				j := jt * d.nr
				cols := min(d.nr, d.n-j)
				var bias []T
				if d.bias != nil {
					bias = d.bias[j : j+cols]
				}
				d.kern(min(d.mr, d.m-i), cols, d.k, d.a[i*d.lda:], d.lda, d.b[j*d.ldb:], d.ldb, d.c[i*d.ldc+j:], d.ldc, bias, d.alpha, d.flags)
			}
		}
		return
	}
	for jt := part * d.nT / parts; jt < (part+1)*d.nT/parts; jt++ {
		j := jt * d.nr
		cols := min(d.nr, d.n-j)
		var bias []T
		if d.bias != nil {
			bias = d.bias[j : j+cols]
		}
		for it := 0; it < mT; it++ {
			i := it * d.mr
			d.kern(min(d.mr, d.m-i), cols, d.k, d.a[i*d.lda:], d.lda, d.b[j*d.ldb:], d.ldb, d.c[i*d.ldc+j:], d.ldc, bias, d.alpha, d.flags)
		}
	}
}

// gemmDot runs C = alpha*A*B^T + beta*C (+ bias[j] on column j when bias
// is not nil, then the ReLU when relu is set) on the dot kernel kern
// (tiles of up to mr x nr); ws is the free list whose workspace carries
// the call to the workers.
func gemmDot[T float32 | float64](kern dotKernel[T], mr, nr int, ws *workspaceList[T],
	m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, bias []T, relu bool) {
	flags := betaFlags(m, n, beta, c, ldc)
	if bias != nil {
		flags |= asm.AddBias
	}
	if relu {
		flags |= asm.ReLU
	}
	d := dotCall[T]{kern: kern, m: m, n: n, k: k, a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, bias: bias, alpha: alpha, flags: flags,
		mr: mr, nr: nr, nT: (n + nr - 1) / nr}
	threads := numThreads()
	if 2*float64(m)*float64(n)*float64(k) < float64(directParallelMinFlops) {
		threads = 1
	}
	if d.rowsOuter = d.nT < 2*threads || !dotAFits(m, k, sizeOf[T]()); d.rowsOuter {
		threads = min(threads, (m+mr-1)/mr)
	} else {
		threads = min(threads, d.nT)
	}
	if threads <= 1 || !pool.Default.Acquire(threads) {
		d.RunPart(0, 1)
		return
	}
	defer pool.Default.Release()
	w := ws.get()
	w.dot = d
	pool.Default.Run(threads, &w.dot)
	w.dot = dotCall[T]{}
	ws.put(w)
}
