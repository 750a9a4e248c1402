package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
)

// The direct path: products with B not transposed and op(A) or B small
// enough to stay in L2 run on a kernel that reads op(A) and B in place
// (asm.Impl.SgemmDirect, DgemmDirect), with no packing, no workspace and
// no edge tiles: masked loads and stores cover the last columns, and a
// last row tile of fewer rows than the kernel's repeats its last row of A
// and stores only its own rows. Threads split the column panels or the row tiles; every
// tile is computed the same way whichever thread runs it, so the result
// does not depend on the thread count.

// directOff turns the direct path off (tests and A/B runs).
var directOff bool

// directL2Share: the operand that every tile pass re-reads may fill up to
// 1/directL2Share of L2. With op(A) there (column panels outer), each
// depth block of a column panel of B (kc x 32, L1-resident) meets all the
// row tiles of op(A) from L2: measured on Zen 5 (1 MiB L2), one thread,
// against the packed engine: 16x100x100 147 -> 176 GFLOP/s, 128x100x100
// 137 -> 178, 64x64x64 162 -> 205, 256x256x256 183 -> 206, 128x1000x1000
// 178 -> 207; with op(A) at 1 MiB (512x512x512) level, and beyond L2 much
// slower (1024x1024x1024 174 -> 94, 4000x100x4000 183 -> 136). With B there
// instead (row tiles outer: a product with few columns), op(A) streams
// from memory once, each depth block of a row tile L1-resident while it
// meets all the column panels of B: against the engine (which runs these
// as their transpose, fewColumns), one thread / two: 1000x1000x64 (m x k x
// n) 163 -> 208 / 261 -> 391 GFLOP/s, 2000x1000x32 138 -> 207 / 243 -> 405,
// 4000x256x64 168 -> 198 / 280 -> 385, 1000x1000x100 138 -> 159 / 265 ->
// 322.
const directL2Share = 2

// directParallelMinFlops is the product size (2mnk) below which the
// direct path runs on one thread: with nothing to pack or share, it splits
// smaller products than the engine does (parallelMinFlops, 4 Mi), which
// paid on two threads of Zen 5 from 0.5 Mi: 128x100x100 172 -> 242
// GFLOP/s, 100x100x100 175 -> 252, 64x100x100 175 -> 229, 64x64x64 201 ->
// 217 (at 0.25 Mi 16x100x100 fell from 172 to 138).
var directParallelMinFlops = 1 << 19

// directOrder is how the direct path walks the tiles.
type directOrder int

const (
	directNone       directOrder = iota // not on the direct path
	directColsOuter                     // column panels outer: op(A) stays in L2
	directRowsOuter                     // row tiles outer: B stays in L2
	directDepthOuter                    // depth blocks outer: a depth block of B stays in L2
)

// The depth-outer order serves deep products with few columns whose op(A)
// and B both exceed the L2 share (100 x 4000 x 100: the input gradient of
// a layer of 100 units fed by 4000 at batch 100), which went to the
// packed engine, where a single group of B micro-panels kept the narrow
// path off on two threads and the general path packed all of B for ten
// row panels: per depth block of directDepthKC rows (B's block in L2),
// the row tiles of the part's rows pass over the block's column panels,
// reading op(A) in place once and accumulating into C (which
// directMaxCL2Depth keeps within two L2s). Threads split the row tiles, each reading every
// block of B. Zen 5, paired interleaved medians, depth-outer direct path
// over the engine, one thread / two: float32 100x4000x100 1.288-1.312 /
// 2.058-2.189, 100x2000x200 1.088-1.091 / 1.939-1.979, 64x4000x128 1.112
// / 2.630-2.715, 128x2000x100 1.291-1.310 / 1.962-2.097, 256x4000x100
// 1.325 / 1.233, 1000x4000x100 1.147-1.167 / 1.172-1.302, 2000x2000x100
// 1.172 / 1.294, 256x2000x256 1.057-1.071 / 1.074-1.398, 300x3000x300
// 1.074 / 1.176, 1024x1024x256 1.006 / 1.052, 2000x4000x100 1.138 /
// 1.200, 3000x3000x128 1.104 / 1.156, 4000x4000x64 (the engine's
// transposed narrow path before) 1.191 / 1.218; with A transposed
// 100x4000x100:TN 1.148 / 1.821, 1000x4000x100:TN 1.405 / 1.434; float64
// 100x4000x100 1.238 / 2.166, 100x784x100 1.214 / 2.261, 64x4000x128
// 1.298 / 2.882, 1000x4000x100 1.108 / 1.177, 500x1000x200 1.065 /
// 1.252, 2000x1000x128 1.068 / 1.036.

// directConflictStride: a row stride of B that is a multiple of this many
// bytes maps the rows of a column panel to so few L1 sets that a depth
// block of the panel does not stay in L1 while the row tiles pass over it
// (and spreads it over as many pages as rows): with more than two row
// tiles the direct path then lost to the packed engine on Zen 5, one
// thread: ldb = 1024 floats, 128x1024x1024 183 -> 147 GFLOP/s, 512x64x1024
// 193 -> 135 with column panels outer and 185 -> 126 with row tiles outer,
// 64x256x1024 178 -> 148; ldb = 512 doubles, 512x64x512 86 -> 62 (while
// 16x1024x1024, two row tiles, gained: 121 -> 141).
const directConflictStride = 2048

// directMaxCL2 bounds C on the direct path, in multiples of L2: with no
// blocking of C, the strips of a large C (column panels outer: 32 columns
// down all the rows) touch more pages than the TLB holds, and a large C
// with a small k was faster on the engine (m x k x n, one thread / two:
// 2000x64x2000, C 16 MiB, 187 -> 170 / 364 -> 315 GFLOP/s column panels
// outer, and about 0.6x the engine row tiles outer; 1000x64x1000, C 4 MiB,
// level to 8% slower).
//
// Four L2s since 2026-12-04 (eleventh sitting): on Zen 5 C from two to
// four L2s measured faster on the direct path than on the engine, paired
// interleaved medians, one thread / two: float32 1000x100x784:TN (the
// weight gradient of 784-1000-1000-10) 1.040 / 1.090-1.114,
// 1000x100x1000:TN 1.002-1.034 / 1.046-1.056, 784x100x1000:TN
// 1.023-1.039 / 1.051-1.063, 1000x100x1000 1.008-1.036 / 1.053-1.067,
// 1000x64x1000 1.044-1.051 / 1.059-1.101, 1000x64x1000:TN 1.032 / 1.068,
// 1000x128x1000 1.031 / 1.051, 900x100x1100 0.917 and 1.016 / 1.037 and
// 1.060, 800x100x1200 1.032 / 1.089, 8000x1000x100 (rows outer) 1.242 /
// 1.236; float64 1000x64x500 1.100 / 1.176, 700x64x700 1.086 / 1.112,
// 500x100x1000:TN 1.076 / 1.043; the AVX2 kernels 1000x100x784:TN 1.030
// / 1.075, 1000x100x1000 1.085 / 1.102, 1000x64x1000 1.021 / 1.141. At
// eight L2s the larger Cs lost (1500x100x1300 0.953 / 0.664,
// 2000x100x1000:TN 0.932 / 0.843, 4000x100x500:TN 0.969 / 0.725). The
// depth-outer order keeps two L2s (directMaxCL2Depth: at four,
// 2000x2000x400 0.878 / 1.022, 2500x3000x300 0.884 / 0.959), and so does
// a transposed B, copied before the threads start (directMaxCL2TransposedB:
// 1000x100x1000:NT 1.029 / 0.911-0.915 at four).
const (
	directMaxCL2            = 4
	directMaxCL2Depth       = 2
	directMaxCL2TransposedB = 2
)

// directMaxKSmallL1 is the deepest product the direct path takes with
// column panels outer on a CPU whose L1 holds at most deepKCMaxL1 bytes
// (with row tiles outer, B in L2 and few columns, it keeps every depth:
// engine / direct 1000x1000x64 0.80, 2000x1000x32 0.67, 16x1000x64 0.76
// there). With column panels outer the packed engine, with
// its deep depth blocks (packedBlocking), won from depth 784 on Zen 4 (32
// KiB L1), paired interleaved medians, engine / direct, one thread: float32
// 100x784x4000 1.10, 100x784x1000 1.07, 16x784x1000 1.07, 16x1000x1000
// 1.06, 64x1000x1000 1.06, 128x1000x1000 1.04 (32x784x4000 0.98); two
// threads 1.03-1.04; and after the narrow path's L2 prefetches
// (narrow.go), float32 100x784x4000 1.20, 16x1000x1000 1.01, float64
// 16x1000x1000 1.08, 64x1000x1000 1.18. Up to
// depth 512 the direct path stays ahead or level (16x512x512: the engine
// 0.76; 100x512x512 1.00; 256³ 0.95; depth 100 0.82-0.88).
const directMaxKSmallL1 = 640

// useDirect reports whether and how an m x k by k x n product of elements
// of elemSize bytes, B's rows ldb elements apart, takes the direct path of
// a kernel with mr-row tiles that wins up to depth maxK (0: any depth): k
// is at most maxK, B's row stride does not conflict, C is at most
// directMaxCL2 L2s, and op(A) fits in its share of L2 (column panels
// outer; on a small L1 only up to depth directMaxKSmallL1) or else B does
// (row tiles outer), or else a depth block of at least directDepthMinKC
// rows of B does (depth blocks outer). The choice depends on the
// shape, ldb, the kernel and the cache sizes only, never on the thread
// count.
func useDirect(m, n, k, ldb, elemSize, mr, maxK int) directOrder {
	if directOff || m <= 0 || n <= 0 || k <= 0 || maxK > 0 && k > maxK {
		return directNone
	}
	_, l2, _ := cacheSizes()
	deep := smallL1() && k > directMaxKSmallL1
	share := float64(l2 / directL2Share)
	cBytes := float64(m) * float64(n) * float64(elemSize)
	if ldb*elemSize%directConflictStride == 0 && m > 2*mr || cBytes > float64(directMaxCL2*l2) {
		return directNone
	}
	switch {
	case !deep && float64(m)*float64(k)*float64(elemSize) <= share:
		return directColsOuter
	case float64(k)*float64(n)*float64(elemSize) <= share:
		return directRowsOuter
	case cBytes <= float64(directMaxCL2Depth*l2) && directDepthRows(n, elemSize) >= directDepthMinKC:
		return directDepthOuter
	}
	return directNone
}

// useDirectTransposedB is useDirect for a product whose B is stored
// transposed (n x k): the direct path takes it when op(B) is small enough
// (k x n in its share of L2) to be transposed once into scratch space
// (row stride directStride(n)) and read from there, under useDirect's
// other conditions. Larger transposed Bs stay on the engine, whose packing
// transposes them panel by panel. Measured on Zen 5, one thread, engine ->
// transposed copy + direct path, GFLOP/s (interleaved medians): float32
// m x k x n with B transposed 16x100x100 73 -> 86 (Sgemm with NoTrans B:
// 177), 128x100x100 113 -> 144, 64x64x64 126 -> 149, 100x100x100 141 ->
// 161, 100x500x200 143 -> 157; with the copy's row stride n instead of
// directStride(n), 32x256x256 fell from 159 to 85 (L1 set conflicts, as
// directConflictStride describes).
func useDirectTransposedB(m, n, k, elemSize, mr, maxK int) directOrder {
	_, l2, _ := asm.CacheSizes()
	if float64(k)*float64(directStride(n, elemSize))*float64(elemSize) > float64(l2/directL2Share) ||
		float64(m)*float64(n)*float64(elemSize) > float64(directMaxCL2TransposedB*l2) {
		return directNone
	}
	return useDirect(m, n, k, directStride(n, elemSize), elemSize, mr, maxK)
}

// directStride is the row stride, in elements, of a scratch copy of a
// matrix with n columns: n rounded up to whole 64-byte lines, and one line
// more when that makes an even number of lines, so that consecutive rows
// start in different L1 sets and a column panel spreads over all of them.
func directStride(n, elemSize int) int {
	per := 64 / elemSize
	ld := (n + per - 1) / per * per
	if ld/per%2 == 0 {
		ld += per
	}
	return ld
}

// transposeTo writes dst[p*ldd+j] = src[j*lds+p] for rows rows of kc
// values (the float64 twin of asm.TransposeTo), eight rows at a time so
// that each pass reads eight sequential streams and writes runs of eight.
func transposeTo(dst []float64, ldd int, src []float64, lds, rows, kc int) {
	j := 0
	for ; j+8 <= rows; j += 8 {
		s := src[j*lds:]
		r0, r1, r2, r3 := s[:kc], s[lds:lds+kc], s[2*lds:2*lds+kc], s[3*lds:3*lds+kc]
		r4, r5, r6, r7 := s[4*lds:4*lds+kc], s[5*lds:5*lds+kc], s[6*lds:6*lds+kc], s[7*lds:7*lds+kc]
		for p := range r0 {
			o := dst[p*ldd+j : p*ldd+j+8 : p*ldd+j+8]
			o[0], o[1], o[2], o[3] = r0[p], r1[p], r2[p], r3[p]
			o[4], o[5], o[6], o[7] = r4[p], r5[p], r6[p], r7[p]
		}
	}
	for ; j < rows; j++ {
		for p, v := range src[j*lds : j*lds+kc] {
			dst[p*ldd+j] = v
		}
	}
}

// directWholeDepth is the deepest product whose depth the direct path does
// not block: each kernel call runs the whole depth, the column panel's
// rows of B (up to 128 KiB with the AVX-512 kernels) streaming from L2
// into L1 (the kernel prefetches eight rows ahead) for every row tile
// after the first, instead of depth blocks of a third of L1
// (newBlocking's KC, 250 at k = 1000) whose partial sums of C each tile
// reloads. Zen 5, paired interleaved medians, whole depth over
// newBlocking's blocks, one thread / two, float32 AVX-512: 16x1000x1000
// 1.027 / 1.018, 32x1000x1000 1.043 / 1.026, 64x1000x1000 1.016 / 1.033,
// 100x1000x1000 0.994 / 1.028, 128x1000x1000 1.025 / 1.025,
// 16x784x1000 1.047 / 1.052, 100x784x1000 1.022 / 1.035, 256x1000x100
// 1.064 / 1.064, 32x1000x100 1.029 / 1.055, 100x784x100 1.020 / 1.025,
// 64x500x500 1.011 / 1.037; float64 16x1000x1000 1.082 / 1.075,
// 64x1000x1000 1.121 / 1.103, 32x1000x100 1.049 / 1.097, 100x784x1000
// 1.009 / 0.999, 64x500x500 0.992 / 1.014; the AVX2 kernels level
// (0.986-1.016). Deeper products keep the blocks (at depth 2000-4000
// blocks of 1000 measured 0.87-1.07).
const directWholeDepth = 1024

// directKC is the direct path's depth block for an m x k product on a
// kernel of mr x nr tiles: the whole depth up to directWholeDepth, else
// newBlocking's.
func directKC(mr, nr, elemSize, k int) int {
	if k <= directWholeDepth {
		return max(k, 1)
	}
	return newBlocking(mr, nr, elemSize, k).kc
}

// directCall is one product on the direct path: C = alpha*op(A)*B (+ C
// with Accumulate), A addressed by its row stride ars and depth stride aks.
type directCall[T float32 | float64] struct {
	kern      directKernel[T]
	m, n, k   int
	a, b, c   []T
	ars, aks  int
	ldb, ldc  int
	alpha     T
	flags     asm.GemmFlags
	kc        int // depth block
	order     directOrder
	splitRows bool // parts split the row tiles instead of the column panels
	mT, nP    int  // row tiles and column panels
	mr, nr    int  // the kernel's largest tile

	// The last column panel on the dot kernel (directDotTail): a buffer
	// for each part's transposed copy of its columns of B (cols x k, the
	// copies btStride apart), nil if the panel runs on kern.
	dot      directDot[T]
	bt       []T
	btStride int // elements from one part's copy to the next
}

// directDot is a dot-product kernel (asm.Impl.SgemmDot) and its tile, for
// the direct path's last column panel; the zero value: none.
type directDot[T float32 | float64] struct {
	kern   dotKernel[T]
	mr, nr int
}

// directKernel is the signature of asm.Impl.SgemmDirect and DgemmDirect.
type directKernel[T float32 | float64] func(rows, cols, k int, a []T, ars, aks int, b []T, ldb int, c []T, ldc int, alpha T, flags asm.GemmFlags)

// RunPart computes part part of parts (pool.Task): a contiguous range of
// column panels, or of row tiles.
func (d *directCall[T]) RunPart(part, parts int) {
	i0, i1, j0, j1 := 0, d.mT, 0, d.nP
	if d.splitRows {
		i0, i1 = part*d.mT/parts, (part+1)*d.mT/parts
	} else {
		j0, j1 = part*d.nP/parts, (part+1)*d.nP/parts
	}
	if d.bt != nil && j1 == d.nP {
		// The last column panel on the dot kernel, over this part's rows.
		j1--
		defer d.dotTail(i0, i1, d.bt[part*d.btStride:])
	}
	if d.order == directDepthOuter {
		for pc := 0; pc < d.k; pc += d.kc {
			for it := i0; it < i1; it++ {
				for jp := j0; jp < j1; jp++ {
					d.tile(it, jp, pc)
				}
			}
		}
		return
	}
	if d.order == directRowsOuter {
		// Row tiles outer, then depth blocks: each mr x kc block of op(A)
		// stays in L1 while it meets every column panel of B.
		for it := i0; it < i1; it++ {
			for pc := 0; pc < d.k; pc += d.kc {
				for jp := j0; jp < j1; jp++ {
					d.tile(it, jp, pc)
				}
			}
		}
		return
	}
	// Column panels outer, then depth blocks: each kc x nr block of B
	// stays in L1 while the row tiles of op(A) pass over it, in one kernel
	// call.
	for jp := j0; jp < j1; jp++ {
		for pc := 0; pc < d.k; pc += d.kc {
			d.tiles(i0, i1, jp, pc)
		}
	}
}

// dotTail computes the last column panel's rows of row tiles [i0, i1) on
// the dot kernel: it transposes the panel's columns of B into bt, then
// each element of C is the whole depth's dot product of a row of op(A)
// (not transposed) and a row of bt, whichever part computes it.
func (d *directCall[T]) dotTail(i0, i1 int, bt []T) {
	j := (d.nP - 1) * d.nr
	cols := d.n - j
	r1 := min(i1*d.mr, d.m)
	transposeTail(bt, d.b[j:], d.ldb, d.k, cols)
	for jt := 0; jt < cols; jt += d.dot.nr {
		nc := min(d.dot.nr, cols-jt)
		for i := i0 * d.mr; i < r1; i += d.dot.mr {
			d.dot.kern(min(d.dot.mr, r1-i), nc, d.k, d.a[i*d.ars:], d.ars, bt[jt*d.k:], d.k, d.c[i*d.ldc+j+jt:], d.ldc, nil, d.alpha, d.flags)
		}
	}
}

// tiles runs the kernel on row tiles [i0, i1) of column panel jp and the
// depth block from pc, in one call (the kernel walks the row tiles).
func (d *directCall[T]) tiles(i0, i1, jp, pc int) {
	i, j := i0*d.mr, jp*d.nr
	rows, cols, kc := min(i1*d.mr, d.m)-i, min(d.nr, d.n-j), min(d.kc, d.k-pc)
	flags := d.flags
	if pc > 0 {
		flags = asm.Accumulate
	}
	d.kern(rows, cols, kc, d.a[i*d.ars+pc*d.aks:], d.ars, d.aks, d.b[pc*d.ldb+j:], d.ldb, d.c[i*d.ldc+j:], d.ldc, d.alpha, flags)
}

// tile runs the kernel on row tile it, column panel jp and the depth block
// from pc; the blocks after the first accumulate into C.
func (d *directCall[T]) tile(it, jp, pc int) { d.tiles(it, it+1, jp, pc) }

// directSplitRows reports whether the direct path splits the row tiles
// between threads threads rather than the column panels: the outer loop's
// dimension, unless the column panels are too few to share, or they
// balance worse than the row tiles and B is small (directRowSplitMaxB).
func directSplitRows(order directOrder, m, n, k, mr, nr, elemSize, threads int) bool {
	if order != directColsOuter {
		return true
	}
	mT, nP := (m+mr-1)/mr, (n+nr-1)/nr
	if nP < 2*threads && mT > nP {
		return true
	}
	return threads > 1 && k*n*elemSize <= directRowSplitMaxB() &&
		splitImbalance(mT, m-(mT-1)*mr, mr, threads) < splitImbalance(nP, n-(nP-1)*nr, nr, threads)
}

// directRowSplitMaxB is the largest B (bytes) for which the direct path,
// walking the column panels outer, splits the row tiles between the
// threads where that balances better (splitImbalance): split by rows,
// every thread streams all of B, which costs little while B stays in
// the cache (the measurements at splitImbalance, B of 40-160 KB) and
// more than the imbalance saves beyond it. Zen 5, two threads, each
// split forced for a whole process, processes alternated twice,
// columns over rows: 16x1000x1000 (B 4 MB) 1.09, 1.08; 16x1000x500
// 1.25, 1.21; 32x1000x1000 1.09, 0.98; 64x1000x1000 1.09, 1.07;
// 64x500x500 (1 MB) 1.10, 1.13; 128x1000x1000 1.00, 1.03. Each had
// split by rows: the last column panel (8 or 20 of 32 columns) made the
// columns' split look worse balanced than the duplicated stream of B is
// dear. Old and new binaries alternated twice, new over old: 16x1000x1000
// 1.14, 1.13; 16x1000x500 1.09, 1.09; 32x1000x1000 1.04, 1.04;
// 64x1000x1000 0.99, 1.05; 128x1000x1000 1.01, 1.02. 16x300x300 (360 KB)
// measured 1.03 and 1.04 forced but 0.95 and 0.99 between binaries, so
// the bar is half of L2 and it keeps the rows. The AVX2 kernels, at half
// the rate, are not held back by the stream: 16x1000x1000, 64x500x500
// and 16x1000x500 level (0.98-1.03) between the binaries. Float64, two
// threads, binaries alternated twice: 16x1000x1000 1.17, 1.16;
// 32x1000x500 1.16, 1.06; 64x500x500 1.01, 1.02; 128x1000x1000 0.99,
// 1.01; 16x300x300 (720 KB, now split by columns) 0.95, 1.02.
func directRowSplitMaxB() int {
	_, l2, _ := cacheSizes()
	return l2 / 2
}

// splitImbalance is the largest part's share of the work over the mean
// share when count tiles (the last of them last of full wide) are split
// into parts contiguous ranges as RunPart splits them, each tile weighing
// its width. The direct path splits the row tiles instead of the column
// panels where that balances better: a last column panel of 4 of 32
// columns left one thread of two with 2 of the 3.125 panels' work at
// 128x100x100. Zen 4, two threads, paired interleaved medians of the row
// split over the column split: AVX-512 128x100x100 1.10, 100x100x100
// 1.10, 64x100x100 1.08, 48x100x100 1.14, 256x100x100 1.13, 128x200x200
// 1.03; AVX2 128x100x100 1.08, 48x100x100 1.06, 256x100x100 1.05; where
// the columns split evenly the column split was as fast or faster
// (128x128x128 0.99 / 1.00 AVX-512 / AVX2, 96x256x256 0.95 / 0.97,
// 256x256x256 0.98 / 1.00), and so it stays on ties (AVX2 64x100x100,
// where the rows balance worse, measured 0.91-1.00 split by rows).
func splitImbalance(count, last, full, parts int) float64 {
	if count <= 0 || parts <= 1 {
		return 1
	}
	parts = min(parts, count)
	total := float64(count-1) + float64(last)/float64(full)
	return largestPart((count-1)*full+last, full, parts) / (total / float64(parts))
}

// betaFlags prepares C for a kernel whose epilogue either overwrites C or
// adds to it: with beta = 0 it returns no flag (C is written without being
// read), otherwise asm.Accumulate, after scaling C by beta (scaleRows)
// when beta is not 1.
func betaFlags[T float32 | float64](m, n int, beta T, c []T, ldc int) asm.GemmFlags {
	if beta == 0 {
		return 0
	}
	if beta != 1 {
		scaleRows(m, n, beta, c, ldc)
	}
	return asm.Accumulate
}

// gemmDirect runs C = alpha*op(A)*B + beta*C on the direct kernel kern,
// tiles of up to mr x nr, walking them in the given order; ws is the free
// list whose workspace carries the call to the workers.
func gemmDirect[T float32 | float64](kern directKernel[T], mr, nr, elemSize int, ws *workspaceList[T],
	order directOrder, aT bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, dot directDot[T]) {
	flags := betaFlags(m, n, beta, c, ldc)
	ars, aks := lda, 1
	if aT {
		ars, aks = 1, lda
	}
	d := directCall[T]{kern: kern, m: m, n: n, k: k, a: a, b: b, c: c, ars: ars, aks: aks, ldb: ldb, ldc: ldc, alpha: alpha, flags: flags,
		mT: (m + mr - 1) / mr, nP: (n + nr - 1) / nr, mr: mr, nr: nr,
		kc: directKC(mr, nr, elemSize, k), order: order}
	useDot := dot.kern != nil && !aT && directDotTail(m, n, k, nr, dot.nr)
	threads := numThreads()
	if 2*float64(m)*float64(n)*float64(k) < float64(directParallelMinFlops) {
		threads = 1
	}
	if order == directDepthOuter {
		d.kc = directDepthKC(n, k, elemSize)
	}
	d.splitRows = directSplitRows(order, m, n, k, mr, nr, elemSize, threads)
	if d.splitRows {
		threads = min(threads, d.mT)
	} else {
		threads = min(threads, d.nP)
	}
	if threads > 1 && !pool.Default.Acquire(threads) {
		threads = 1
	}
	if useDot {
		// A transposed copy of the last panel's columns for each part
		// that computes some of its rows.
		d.dot = dot
		d.btStride = tailStride(k*(n-(d.nP-1)*nr), elemSize)
		d.bt = getTail[T](threads * d.btStride)
		defer putTail(d.bt)
	}
	if threads <= 1 {
		d.RunPart(0, 1)
		return
	}
	defer pool.Default.Release()
	w := ws.get()
	w.direct = d
	pool.Default.Run(threads, &w.direct)
	w.direct = directCall[T]{}
	ws.put(w)
}

// directDotTailOff turns the dot kernel's last column panel off (tests and
// A/B runs).
var directDotTailOff bool

// The direct path computes the last column panel of a product on the dot
// kernel (directCall.dotTail) where the panel holds at most one dot tile
// of columns (n mod nr <= dotNR) and the direct kernel's panels are at
// least eight such tiles wide (nr >= 8 dotNR: the AVX-512 float32 kernel,
// 32 columns): the direct kernel computes a panel of at most 8 columns
// on 256-bit vectors, at half the rate of its 512-bit ones, so that 4
// columns cost half as much as 32 (at n = 100 the last 4 columns took
// 1/7 of the product), while the dot kernel's 4 x 4 tiles sum sixteen
// depths a step on full vectors. The panel's columns of B are first
// transposed (k x cols, cols <= 4: a few hundred nanoseconds at k = 100)
// by each part that computes some of its rows. Products with few rows or
// little depth keep the direct kernel: with up to 24 rows per part the
// copy and the dot tiles' reductions cost as much as they save.
// Measured on Zen 5 (2026-12-04, eleventh sitting), float32 A not
// transposed, paired interleaved medians, dot tail over direct kernel,
// one thread / two: 100x100x100 1.078-1.097 / 0.995-1.007, 128x100x100
// 1.089-1.093 / 0.999-1.011, 256x100x100 1.112 / 1.051-1.075,
// 32x300x100 1.086 / 0.984, 128x300x100 1.121 / 1.085-1.092,
// 32x1000x100 1.112-1.124 / 1.047-1.059, 256x1000x100 1.121-1.131 /
// 1.123-1.156, 100x784x100 1.140-1.149 / 1.116-1.125, 200x200x196
// 1.061-1.069 / 1.096-1.104, 1000x1000x100 1.100 / 1.111-1.130; B
// transposed (the direct path's transposed copy) 128x100x100:NT 1.082 /
// 0.989, 256x200x100:NT 1.123 / 1.044; n mod 32 = 2: 100x100x98 1.077,
// 100x400x98 1.138 (one thread). Kept on the direct kernel: 6 or 8
// columns (two dot tiles: 100x100x102 0.970, 32x100x102 0.933,
// 16x1000x1000 0.982, 100x1000x1000 0.977 on one thread), fewer than 32
// rows (16x100x100 0.93-0.95, 16x400x100 0.974), depth below 64
// (32x32x100 0.943, 48x32x100 0.981), and m*k below 8192 (one thread /
// two: 64x100x100 1.078 / 0.941, 48x64x100 1.053 / 0.924, 32x100x100
// 1.048 / 0.870; level once the rule excluded them); float64 (16-column
// panels: 1.013-1.035 on one thread, 0.945-1.030 on two) and the AVX2
// kernels (16-column panels: 0.999-1.021 / 0.987-1.012) measured too
// little to take it.
const (
	directDotTailMinM    = 32
	directDotTailMinK    = 64
	directDotTailMinWork = 8192 // m*k
)

// directDotTail reports whether the direct path computes the last column
// panel of an m x k by k x n product, on a direct kernel nr columns wide,
// on a dot kernel of tiles dotNR columns wide (0: none) instead.
func directDotTail(m, n, k, nr, dotNR int) bool {
	rem := n % nr
	return !directDotTailOff && dotNR > 0 && nr >= 8*dotNR && n > nr && rem > 0 && rem <= dotNR &&
		m >= directDotTailMinM && k >= directDotTailMinK && m*k >= directDotTailMinWork
}

// transposeTail writes the k x cols block of b (rows ldb apart) to dst
// transposed: cols rows of k values. A plain loop: asm.Transpose, built
// for blocks of eight rows, took twice as long for four columns (2.6
// against 1.2 µs at k = 1000).
func transposeTail[T float32 | float64](dst, b []T, ldb, k, cols int) {
	if cols == 4 {
		d0, d1, d2, d3 := dst[:k], dst[k:2*k], dst[2*k:3*k], dst[3*k:4*k]
		for p := range d0 {
			v := b[p*ldb : p*ldb+4 : p*ldb+4]
			d0[p], d1[p], d2[p], d3[p] = v[0], v[1], v[2], v[3]
		}
		return
	}
	for p := 0; p < k; p++ {
		for j, v := range b[p*ldb : p*ldb+cols] {
			dst[j*k+p] = v
		}
	}
}

// tailStride is the distance, in elements, between the parts' copies of n
// elements in one buffer: n and two cache lines more, so that no line
// holds two parts' elements (a line written by both cores bounces between
// them, ~200 ns a crossing on the Zen 5 machine: it made the copy of the
// part on the other core 10% slower at 64x100x100).
func tailStride(n, elemSize int) int { return n + 128/elemSize }

// getTail returns a scratch buffer of n elements, which putTail returns.
func getTail[T float32 | float64](n int) []T {
	var t T
	if _, ok := any(t).(float32); ok {
		return any(scratch32.get(n)).([]T)
	}
	return any(scratch64.get(n)).([]T)
}

// putTail returns a getTail buffer to its free list.
func putTail[T float32 | float64](t []T) {
	switch s := any(t).(type) {
	case []float32:
		scratch32.put(s)
	case []float64:
		scratch64.put(s)
	}
}

// directDepthMinKC is the shallowest depth block of the depth-outer order
// (directDepthOuter): a product takes that order only if a block of this
// many rows of B fits in directDepthRows (n at most 409 float32 columns
// on a 1 MiB L2). Zen 5, float32, paired interleaved medians, depth-outer
// direct path over the engine, one thread / two: 500x1000x400 (243 rows
// a block) 1.016 / 1.126, 700x700x300 1.001 / 1.072, 1024x1024x256 1.006
// / 1.052, 2000x1000x256 1.026 / 1.035, but at 500 columns (196 rows)
// 1000x2000x500 0.971 / 0.926 and 1000x1000x500 0.960 / 0.909.
const directDepthMinKC = 240

// directDepthRows is the rows of B (n columns of elemSize bytes) in a
// depth block of the depth-outer order: three quarters of the L2 share
// (384 KiB on a 1 MiB L2). Zen 5, float32, paired interleaved medians
// against blocks of half the share (229 KiB at n = 100), one thread /
// two, by the rows of B per block: 100x4000x100 1000 rows 1.025 / 1.017,
// 1334 rows 1.029 / 0.996; 512x4000x100 1000 rows 1.032 / 1.010;
// 1000x4000x100 1000 rows 1.050 / 1.035; 256x2000x256 400 rows 1.087 /
// 1.059, 1000 rows 0.999 / 1.063, 1334 rows 0.917 / 0.971; 100x2000x200
// 400 rows 1.030 / 1.074, 1000 rows 1.028 / 0.996; 256 rows 0.94-1.08.
func directDepthRows(n, elemSize int) int {
	_, l2, _ := cacheSizes()
	return l2 / directL2Share * 3 / 4 / max(n*elemSize, 1)
}

// directDepthKC is the depth-outer order's depth block for a product of
// depth k with n columns: directDepthRows, shortened to make the blocks
// equal.
func directDepthKC(n, k, elemSize int) int {
	kc := max(directDepthRows(n, elemSize), 1)
	blocks := (k + kc - 1) / kc
	return (k + blocks - 1) / blocks
}
