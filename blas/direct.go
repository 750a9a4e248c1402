package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
)

// The direct path: float32 products with B not transposed and op(A) or B
// small enough to stay in L2 run on a kernel that reads op(A) and B in
// place (asm.Impl.SgemmDirect), with no packing, no workspace and no edge
// tiles: masked loads and stores cover the last columns, and a last row
// tile of fewer than eight rows repeats its last row of A and stores only
// its own rows. Threads split the column panels or the row tiles; every
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

// directOrder is how the direct path walks the tiles.
type directOrder int

const (
	directNone      directOrder = iota // not on the direct path
	directColsOuter                    // column panels outer: op(A) stays in L2
	directRowsOuter                    // row tiles outer: B stays in L2
)

// useDirect reports whether and how an m x k by k x n float32 product takes
// the direct path: op(A) fits in its share of L2 (column panels outer), or
// else B does (row tiles outer). The choice depends on the shape and the
// cache sizes only.
func useDirect(m, n, k int) directOrder {
	if directOff || m <= 0 || n <= 0 || k <= 0 {
		return directNone
	}
	_, l2, _ := asm.CacheSizes()
	share := float64(l2 / directL2Share)
	switch {
	case float64(m)*float64(k)*4 <= share:
		return directColsOuter
	case float64(k)*float64(n)*4 <= share:
		return directRowsOuter
	}
	return directNone
}

// directCall is one product on the direct path: C = alpha*op(A)*B (+ C
// with Accumulate), A addressed by its row stride ars and depth stride aks.
type directCall struct {
	kern      func(rows, cols, k int, a []float32, ars, aks int, b []float32, ldb int, c []float32, ldc int, alpha float32, flags asm.GemmFlags)
	m, n, k   int
	a, b, c   []float32
	ars, aks  int
	ldb, ldc  int
	alpha     float32
	flags     asm.GemmFlags
	kc        int // depth block
	order     directOrder
	splitRows bool // parts split the row tiles instead of the column panels
	mT, nP    int  // row tiles and column panels
}

// RunPart computes part part of parts (pool.Task): a contiguous range of
// column panels, or of row tiles.
func (d *directCall) RunPart(part, parts int) {
	i0, i1, j0, j1 := 0, d.mT, 0, d.nP
	if d.splitRows {
		i0, i1 = part*d.mT/parts, (part+1)*d.mT/parts
	} else {
		j0, j1 = part*d.nP/parts, (part+1)*d.nP/parts
	}
	if d.order == directRowsOuter {
		// Row tiles outer, then depth blocks: each 8 x kc block of op(A)
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
	// Column panels outer, then depth blocks: each kc x 32 block of B
	// stays in L1 while the row tiles of op(A) pass over it.
	for jp := j0; jp < j1; jp++ {
		for pc := 0; pc < d.k; pc += d.kc {
			for it := i0; it < i1; it++ {
				d.tile(it, jp, pc)
			}
		}
	}
}

// tile runs the kernel on row tile it, column panel jp and the depth block
// from pc; the blocks after the first accumulate into C.
func (d *directCall) tile(it, jp, pc int) {
	i, j := it*asm.DirectMR, jp*asm.DirectNR
	rows, cols, kc := min(asm.DirectMR, d.m-i), min(asm.DirectNR, d.n-j), min(d.kc, d.k-pc)
	flags := d.flags
	if pc > 0 {
		flags = asm.Accumulate
	}
	d.kern(rows, cols, kc, d.a[i*d.ars+pc*d.aks:], d.ars, d.aks, d.b[pc*d.ldb+j:], d.ldb, d.c[i*d.ldc+j:], d.ldc, d.alpha, flags)
}

// sgemmDirect runs C = alpha*op(A)*B + beta*C on the direct kernel kern,
// walking the tiles in the given order.
func sgemmDirect(kern func(rows, cols, k int, a []float32, ars, aks int, b []float32, ldb int, c []float32, ldc int, alpha float32, flags asm.GemmFlags),
	order directOrder, aT bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	flags := asm.Accumulate
	switch beta {
	case 0:
		flags = 0
	case 1:
	default:
		for i := range m {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] *= beta
			}
		}
	}
	ars, aks := lda, 1
	if aT {
		ars, aks = 1, lda
	}
	d := directCall{kern: kern, m: m, n: n, k: k, a: a, b: b, c: c, ars: ars, aks: aks, ldb: ldb, ldc: ldc, alpha: alpha, flags: flags,
		mT: (m + asm.DirectMR - 1) / asm.DirectMR, nP: (n + asm.DirectNR - 1) / asm.DirectNR,
		kc: newBlocking(asm.DirectMR, asm.DirectNR, 4, k).kc, order: order}
	threads := numThreads()
	if 2*float64(m)*float64(n)*float64(k) < float64(parallelMinFlops) {
		threads = 1
	}
	// Split the outer loop's dimension, unless it has too few tiles to
	// share.
	d.splitRows = order == directRowsOuter
	if order == directColsOuter && d.nP < 2*threads && d.mT > d.nP {
		d.splitRows = true
	}
	if d.splitRows {
		threads = min(threads, d.mT)
	} else {
		threads = min(threads, d.nP)
	}
	if threads <= 1 || !pool.Default.Acquire(threads) {
		d.RunPart(0, 1)
		return
	}
	defer pool.Default.Release()
	ws := workspaces32.get()
	ws.direct = d
	pool.Default.Run(threads, &ws.direct)
	ws.direct = directCall{}
	workspaces32.put(ws)
}
