package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
)

// The direct path: products whose op(A) fits in L2 run on a kernel that
// reads op(A) and B in place (asm.Impl.SgemmDirect), with no packing, no
// workspace and no edge tiles: masked loads and stores cover the last
// columns, and a last row tile of fewer than eight rows repeats its last
// row of A and stores only its own rows. Threads split the column panels
// (or, with few of them, the row tiles); every tile is computed the same
// way whichever thread runs it, so the result does not depend on the
// thread count.

// directOff turns the direct path off (tests and A/B runs).
var directOff bool

// directL2Share: op(A) may fill up to 1/directL2Share of L2. Each column
// panel of B (k x 32, read from memory once and from L1 or L2 by the row
// tiles after the first) passes over all of op(A), which must therefore
// stay in L2: measured on Zen 5 (1 MiB L2), one thread, against the
// packed engine: 16x100x100 147 -> 180 GFLOP/s, 128x100x100 136 -> 180,
// 64x64x64 162 -> 212, 256x256x256 191 -> 213, 128x1000x1000 191 -> 203,
// 512x512x512 (op(A) 1 MiB) 192 -> 207; but 1024x1024x1024 (4 MiB) 174 ->
// 94 and 4000x100x4000 (1.6 MiB) 183 -> 136.
const directL2Share = 2

// useDirect reports whether an m x k by k x n float32 product takes the
// direct path: op(A) fits in its share of L2. The choice depends on the
// shape and the cache sizes only.
func useDirect(m, n, k int) bool {
	if directOff || m <= 0 || n <= 0 || k <= 0 {
		return false
	}
	_, l2, _ := asm.CacheSizes()
	return float64(m)*float64(k)*4 <= float64(l2/directL2Share)
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
	kc        int  // depth block
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
	// Column panels outer, then depth blocks: each kc x 32 block of B
	// stays in L1 while the row tiles of op(A) pass over it; the blocks
	// after the first accumulate into C.
	for jp := j0; jp < j1; jp++ {
		j := jp * asm.DirectNR
		cols := min(asm.DirectNR, d.n-j)
		for pc := 0; pc < d.k; pc += d.kc {
			kc := min(d.kc, d.k-pc)
			flags := d.flags
			if pc > 0 {
				flags = asm.Accumulate
			}
			for it := i0; it < i1; it++ {
				i := it * asm.DirectMR
				rows := min(asm.DirectMR, d.m-i)
				d.kern(rows, cols, kc, d.a[i*d.ars+pc*d.aks:], d.ars, d.aks, d.b[pc*d.ldb+j:], d.ldb, d.c[i*d.ldc+j:], d.ldc, d.alpha, flags)
			}
		}
	}
}

// sgemmDirect runs C = alpha*op(A)*B + beta*C on the direct kernel kern.
func sgemmDirect(kern func(rows, cols, k int, a []float32, ars, aks int, b []float32, ldb int, c []float32, ldc int, alpha float32, flags asm.GemmFlags),
	aT bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
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
		kc: newBlocking(asm.DirectMR, asm.DirectNR, 4, k).kc}
	threads := numThreads()
	if 2*float64(m)*float64(n)*float64(k) < float64(parallelMinFlops) {
		threads = 1
	}
	d.splitRows = d.nP < 2*threads && d.mT > d.nP
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
