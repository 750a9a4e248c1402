package blas

import (
	"sync"
	"sync/atomic"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
)

// microKernel is the signature shared by asm.Impl.Sgemm and asm.Impl.Dgemm.
type microKernel[T float32 | float64] func(k int, a, b, c []T, ldc int, bias []T, flags asm.GemmFlags)

// stridedKernel is the signature of asm.Impl.SgemmStrided: a micro-kernel
// reading its B micro-panel in place, rows ldb apart, and prefetching the
// rows pf[0], pf[ldb], ... (pfRows of them) into L2 as it goes.
type stridedKernel[T float32 | float64] func(k int, a, b []T, ldb int, c []T, ldc int, bias []T, flags asm.GemmFlags, pf []T, pfRows int)

// lowOff, set by tests and benchmarks, keeps the low-row kernels
// (asm.Impl.SgemmLowFor) out of the engine: a last row panel of few rows
// then runs on the full kernel, padded. With them (AVX2: 4 of 6 rows),
// Zen 4, AVX-512 masked, paired interleaved medians of on over off, one
// thread: 16x1000x1000 1.14, 16x784x4000 1.06, 100x784x4000 1.04,
// 128x1000x1000 1.03, 40x1000x1000 1.01; two threads: 16x1000x1000 1.08,
// 16x784x4000 1.11, 100x784x4000 1.00. They change no bit of C
// (TestLowRowKernels).
var lowOff bool

// parallelMinFlops is the problem size (2mnk) below which a call runs on one
// thread: waking workers costs a few microseconds.
var parallelMinFlops = 4 << 20

// workspace holds the packing buffers of one call; calls take one from a
// free list (workspaceList) so that steady-state GEMM performs no
// allocation.
type workspace[T float32 | float64] struct {
	call gemmCall[T] // the call itself, so that handing it to workers does not allocate
	b    [2][]T      // shared packed panels of B, kc x nc, double-buffered
	a    [][]T       // per-thread packed block of A, mc x kc
	aAll [][]T       // narrow path: all of op(A), packed depth block after depth block (with B transposed, a copy per thread)
	bm   [][]T       // narrow path: per-thread packed group of narrowGroup B micro-panels
	tmp  [][]T       // per-thread edge tile, mr x nr

	direct directCall[T] // the direct path (direct.go), here so that handing it to workers does not allocate
	dot    dotCall[T]    // the dot path (dot.go), likewise

	// The rows path (rows.go, float32 only): the call, per-thread packed Aᵀ
	// and tail tiles, and Cᵀ.
	rows     rowsCall
	rowsAT   [][]float32
	rowsTail [][]float32
	rowsCT   []float32
}

// size makes the buffers a call of m x k needs large enough: the shared B
// panels and per-thread A blocks of the general path (its tn column groups
// of B panels each rounded up to a whole share of the panels), or the
// packed A (one copy, or with privateA one per thread) and per-thread B
// groups of the narrow path.
func (w *workspace[T]) size(threads, tn int, bl blocking, m, k int, narrow, privateA bool) {
	nb, na, nAll, ng := 0, 0, 0, 0
	if narrow {
		nAll = (m + bl.mr - 1) / bl.mr * bl.mr * k
		ng = narrowGroup * bl.kc * bl.nr
	} else {
		nb = bl.kc * bl.nr * tn * groupPanels(bl, tn)
		na = bl.mc * bl.kc
	}
	for i := range w.b {
		w.b[i] = grow(w.b[i], nb)
	}
	for len(w.a) < threads {
		w.a = append(w.a, nil)
		w.aAll = append(w.aAll, nil)
		w.bm = append(w.bm, nil)
		w.tmp = append(w.tmp, nil)
	}
	for t := 0; t < threads; t++ {
		w.a[t] = grow(w.a[t], na)
		if t == 0 || privateA {
			w.aAll[t] = grow(w.aAll[t], nAll)
		}
		w.bm[t] = grow(w.bm[t], ng)
		if cap(w.tmp[t]) < bl.mr*bl.nr {
			w.tmp[t] = make([]T, bl.mr*bl.nr)
		}
		w.tmp[t] = w.tmp[t][:bl.mr*bl.nr]
	}
}

// grow returns s with length n, reallocated only when its capacity is short
// (the contents are not kept then).
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		s = make([]T, n)
	}
	return s[:n]
}

// workspaceList is a free list of workspaces. Unlike a sync.Pool it is not
// emptied by garbage collection, so a training loop that allocates elsewhere
// still finds its multi-megabyte packing buffers ready.
type workspaceList[T float32 | float64] struct {
	mu   sync.Mutex
	free []*workspace[T]
}

func (l *workspaceList[T]) get() *workspace[T] {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.free); n > 0 {
		w := l.free[n-1]
		l.free = l.free[:n-1]
		return w
	}
	return new(workspace[T])
}

// maxFreeWorkspaces bounds the memory kept for concurrent callers.
const maxFreeWorkspaces = 8

func (l *workspaceList[T]) put(w *workspace[T]) {
	w.call = gemmCall[T]{} // drop references to the caller's matrices
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.free) < maxFreeWorkspaces {
		l.free = append(l.free, w)
	}
}

var (
	workspaces32 workspaceList[float32]
	workspaces64 workspaceList[float64]
)

// gemmCall is one GEMM in flight: its arguments, blocking, thread layout
// and the loop-5/loop-4 position the parallel regions work on.
type gemmCall[T float32 | float64] struct {
	aT, bT      bool
	m, n, k     int
	alpha, beta T
	a, b, c     []T
	lda, ldb    int
	ldc         int
	bias        []T // nil, or n values added to every row on the last k block
	relu        bool

	kern  microKernel[T]
	kernS stridedKernel[T] // nil, or the kernel reading B in place (narrow path, B not transposed)
	// half, if not nil, is the half-width edge kernel (asm.Impl.SgemmHalf)
	// for a last micro-panel of at most nr/2 columns.
	half func(k int, a, b, c []T, ldc int)
	// halfMask, if not nil, is its masked in-place form
	// (asm.Impl.SgemmHalfMask), used with kernS for that panel.
	halfMask func(k int, a, b []T, ldb int, c []T, ldc, cols int)
	// low and lowS, if not nil, are the low-row kernels
	// (asm.Impl.SgemmLowFor) for a last row panel of at most lowMR rows.
	low   func(k int, a, b, c []T, ldc int)
	lowS  func(k int, a, b []T, ldb int, c []T, ldc int, pf []T, pfRows int)
	lowMR int
	// scaleC says whether kern takes asm.ScaleC (asm.Impl.SgemmScaleC):
	// C is then scaled by beta in the first depth block's epilogue (beta
	// passed as betaS) instead of in a pass over C's rows before it.
	scaleC bool
	betaS  [1]T
	// kernD, if not nil, is the descent kernel (asm.Impl.SgemmDescend,
	// the shape of kern): on the last depth block every tile of C is
	// followed by the SGD step on the same tile of descW (Descent32),
	// descCoef holding beta, lr and wd.
	kernD    func(k int, a, b, c []T, ldc int, w, coef []T, flags asm.GemmFlags)
	descW    []T
	descCoef [3]T
	// trans, if not nil, is the transposing copy that packs A
	// (asm.Impl.Transpose; float32 only).
	trans   func(dst, src []T, lds, rows, kc int)
	bl      blocking
	threads int
	tm, tn  int // threads split rows (loop 3) tm ways and columns (loop 2) tn ways
	ws      *workspace[T]

	narrow bool         // the narrow path (narrow.go): A packed up front, threads claim column groups
	sync   barrier      // separates packing a shared operand from computing with it
	claim  atomic.Int64 // narrow path: column groups claimed so far
}

// blockPos is one iteration of loops 5 and 4: the B panel's columns, the
// depth block, and the shared packed panel (double-buffered, so that a thread
// may pack the next panel while others still compute with the current one).
type blockPos[T float32 | float64] struct {
	jc, nc      int
	pc, kc      int
	first, last bool
	b           []T
}

// gemm runs C = alpha*op(A)*op(B) + beta*C [+ bias, then ReLU] for arguments
// already checked by the caller.
func gemm[T float32 | float64](g *gemmCall[T], kern microKernel[T], mr, nr, elemSize int) {
	// g lives in a pooled workspace (see sgemm), so that passing it to the
	// workers as a task does not allocate.
	if g.m == 0 || g.n == 0 {
		g.kernD = nil
		return
	}
	if g.alpha == 0 || g.k == 0 {
		g.kernD = nil
		scaleEpilogue(g)
		return
	}
	g.kern = kern
	g.betaS[0] = g.beta
	if g.bT || !stridedFriendly(g.ldb, elemSize, nr) && !conflictInPlace(g.m, mr, nr, g.ldb, elemSize) {
		g.kernS, g.halfMask, g.lowS = nil, nil, nil
	}
	if lowOff {
		g.low, g.lowS = nil, nil
	}
	g.bl = packedBlocking(mr, nr, elemSize, g.k)
	threads := numThreads()
	mP, nP := (g.m+mr-1)/mr, (g.n+nr-1)/nr
	if 2*float64(g.m)*float64(g.n)*float64(g.k) < float64(parallelMinFlops) {
		threads = 1
	}
	threads = min(threads, mP*nP)
	g.narrow = useNarrow(g.m, g.k, nP, threads, elemSize, g.bl)
	if g.narrow {
		g.kernD = nil // the narrow path has no descent epilogue: the caller steps W
	}
	if threads > 1 && !pool.Default.Acquire(threads) {
		threads = 1 // another call holds the pool: run serially
	} else if threads > 1 {
		defer pool.Default.Release()
	}
	g.threads = threads
	g.tm, g.tn = splitThreads(threads, g.m, g.n, mr, nr, dearPackA(g.aT, g.m, g.k, elemSize))
	g.ws.size(threads, g.tn, g.bl, g.m, g.k, g.narrow, g.narrow && g.bT)
	g.sync.reset(threads)
	g.claim.Store(0)
	if threads == 1 {
		g.run(0)
		return
	}
	// One parallel region per call: threads walk loops 5 and 4 in step,
	// meeting at a barrier once per depth block.
	pool.Default.Run(threads, g)
}

// splitThreads factors threads = tm*tn to balance the per-thread work on
// the grid of micro-tiles of an m x n product (mr x nr tiles). A thread's
// work is its tiles, the packing of its row panels of A (packCost tiles
// each: with the columns split, every thread packs all of A) and, with the
// rows split, the cost of sharing B: each thread then computes with
// micro-panels of B that other threads packed (their lines cross between
// cores) and waits at a barrier once per depth block, shareCost per tile
// it computes with another thread's panel. A thread's rows and columns are
// those the engine gives it (compute, run), a last partial panel counted
// by its share of mr or nr. dearA says whether packing A is dearer
// (dearPackA).
func splitThreads(threads, m, n, mr, nr int, dearA bool) (tm, tn int) {
	pack, share := splitPackCost, splitShareCost
	if dearA {
		pack, share = splitPackCostT, splitShareCostT
	}
	best := -1.0
	for t := threads; t >= 1; t-- {
		if threads%t != 0 {
			continue
		}
		rows, cols := largestPart(m, mr, t), largestPart(n, nr, threads/t)
		cost := rows*(cols+pack) + share*rows*cols*(1-1/float64(t))
		if best < 0 || cost < best {
			best, tm, tn = cost, t, threads/t
		}
	}
	return tm, tn
}

// largestPart is the largest of the parts parts of total elements in
// panels of unit, split as the engine splits them (part p takes panels
// p*panels/parts up to (p+1)*panels/parts), in units of whole panels.
func largestPart(total, unit, parts int) float64 {
	panels := (total + unit - 1) / unit
	most := 0
	for p := range parts {
		lo := p * panels / parts * unit
		hi := min((p+1)*panels/parts*unit, total)
		most = max(most, hi-lo)
	}
	return float64(most) / float64(unit)
}

// The costs splitThreads weighs, in micro-tiles of the same depth, measured
// on Zen 5 (AVX-512, 8x32 tiles; two vCPUs whose cache lines take ~200 ns
// to cross, a 400 ns round trip). splitPackCost: packing one row panel of
// A, untransposed (with the transpose kernel), 0.85-0.9 of a tile on one
// thread. splitPackCostT: transposed A (strided copies of mr values) larger
// than L2 (dearPackA), 2.0
// on one thread; two threads each packing all of A contend for memory, and
// the columns lost on every shape with A transposed tried (512³ 0.96-0.99,
// 1024³ 0.95-1.06, 100x1000x1000 0.98), so it counts 2.5, which keeps the
// rows there. splitShareCost: a tile computed with a B micro-panel another
// thread packed, and its share of the barrier, 0.15 (fitted to the ratios
// below; it ranged 0.07-0.35 across shapes). Two threads, columns over
// rows, paired interleaved ratios: 512³ 1.13, 1.05, 1.16; 1024³ 1.05,
// 1.04, 0.98; 1000x64x1000 1.13, 1.10, 1.02; 250x1000x256 1.12, 1.15,
// 1.19; 2048³, 128x1000x1000, 784x100x4000, 4000x100x4000 and 490x1000x250
// level (0.98-1.06). On Zen 4 an earlier model without the sharing term
// (packing 0.5) had measured the rows ahead on 490x1000x250 (1.08) and
// 250x1000x256 (1.02); the RNN's weight gradient at 250 hidden units
// (250x12544x251 with A transposed) keeps the rows on both.
//
// Refit on Zen 5 (2026-12-05, seventeenth sitting), each split forced for
// a whole process (about a second of products), processes alternated
// twice, columns over rows: 513³ 1.12, 1.12 (the model then chose the
// rows: it counted the last column panel, one column wide, as a whole
// one, so the columns' split of 17 panels looked like 9 against 8.5);
// 512³ 1.09, 1.08; 640³ 1.06, 1.09; 777x333x555 1.03, 1.03; 1000³ 1.01,
// 1.03; 300³ 0.99, 1.02; with A transposed and beyond L2 1000³:TN 0.97,
// 0.99, 4000x100x784:TN 1.01, 0.96, 250x12544x251:TN 1.01, 0.94. Partial
// panels now count by their share, and the sharing cost is 0.25 where A
// is cheap to pack (fitted to the ratios, the untransposed shapes above
// give 0.24-0.37, and choose the columns from 0.17; 300³ and 1000³ give
// 0.17 and 0.10, and are within 2% either way) and stays 0.15 where it
// is dear (1000³:TN keeps the rows up to 0.156).
const (
	splitPackCost   = 0.85
	splitPackCostT  = 2.5
	splitShareCost  = 0.25
	splitShareCostT = 0.15
)

// dearPackA reports whether packing A costs splitPackCostT rather than
// splitPackCost in splitThreads: when A is transposed and larger than L2.
// The strided copies of a transposed A that fits in L2 cost little more
// than the untransposed copy, and there the columns won: Zen 5, AVX-512,
// two threads, paired interleaved medians of the columns over the rows
// (2026-12-04, two runs each): float32 1000x100x1000:TN 1.06 and 1.06,
// 1000x100x784:TN (the weight gradients of 784-1000-1000-10) 1.05 and
// 1.08, 512x512x512:TN 1.02 and 1.06, 400x500x1000:TN 1.14 and 1.13,
// 700x300x700:TN 1.01 and 1.04, 1000x200x1000:TN 1.01 and 1.02; float64
// (1000x100x1000:TN, 400x300x1000:TN, 1000x64x1000:TN) and the AVX2
// kernels level (0.98-1.03). With A beyond L2 the rows keep winning:
// float32 4000x100x784:TN 0.96-0.97 and 1000x1000x1000:TN 0.97-0.99 for
// the columns. (512³:TN, whose A is exactly 1 MiB, had measured
// 0.96-0.99 for the columns in an earlier sitting: the host's noise
// exceeds that difference.) Inside whole training steps of
// 784-1000-1000-10 on two threads, whose two weight-gradient products
// changed sides, the steps were level (new over old 0.998-0.999, three
// runs of 300 paired steps): the gain is the isolated product's.
func dearPackA(aT bool, m, k, elemSize int) bool {
	_, l2, _ := cacheSizes()
	return aT && m*k*elemSize > l2
}

// RunPart runs thread part's share of the call (pool.Task).
func (g *gemmCall[T]) RunPart(part, _ int) { g.run(part) }

// run is thread tid's share of the whole call: loops 5 and 4, packing its
// part of each shared B panel, then its tiles.
func (g *gemmCall[T]) run(tid int) {
	if g.narrow {
		g.runNarrow(tid)
		return
	}
	bl := g.bl
	iter := 0
	for jc := 0; jc < g.n; jc += bl.nc {
		for pc := 0; pc < g.k; pc += bl.kc {
			pos := blockPos[T]{jc: jc, nc: min(bl.nc, g.n-jc), pc: pc, kc: min(bl.kc, g.k-pc)}
			pos.first, pos.last = pc == 0, pc+pos.kc == g.k
			// Pack this thread's share of the panel into the buffer not
			// used by the previous iteration. Every thread finished
			// computing with this buffer two iterations ago: it passed
			// the barrier of the previous iteration only after that (or,
			// without barriers, it is the only thread using its panels).
			pos.b = g.ws.b[iter%2]
			// The tm threads of a column group pack its panels between
			// them. With one thread per group (tm = 1) a thread computes
			// only with the panels it packed itself and meets no barrier,
			// so threads may be iterations apart: each then packs into
			// its own region of the buffer, whatever this block's width
			// and depth.
			nPanels := (pos.nc + bl.nr - 1) / bl.nr
			ti, tj := tid/g.tn, tid%g.tn
			g0, g1 := tj*nPanels/g.tn, (tj+1)*nPanels/g.tn
			jp0, jp1 := g0+ti*(g1-g0)/g.tm, g0+(ti+1)*(g1-g0)/g.tm
			if g.tm == 1 {
				pos.b = pos.b[tj*groupPanels(bl, g.tn)*bl.kc*bl.nr-g0*pos.kc*bl.nr:]
			}
			packB(pos.b, g.b, g.ldb, g.bT, pc, pos.kc, jc, pos.nc, bl.nr, jp0, jp1)
			if g.tm > 1 {
				g.sync.wait()
			}
			g.compute(tid, &pos)
			iter++
		}
	}
}

// groupPanels is the most B micro-panels of a column group when the
// panels of a kc x nc block are split between tn groups.
func groupPanels(bl blocking, tn int) int {
	return ((bl.nc+bl.nr-1)/bl.nr + tn - 1) / tn
}

// compute runs thread tid's micro-tiles of one depth block: a fixed share
// of the tile grid.
func (g *gemmCall[T]) compute(tid int, pos *blockPos[T]) {
	bl := g.bl
	nPanels := (pos.nc + bl.nr - 1) / bl.nr
	ti, tj := tid/g.tn, tid%g.tn
	mPanels := (g.m + bl.mr - 1) / bl.mr
	r0 := ti * mPanels / g.tm * bl.mr
	r1 := min((ti+1)*mPanels/g.tm*bl.mr, g.m)
	jp0, jp1 := tj*nPanels/g.tn, (tj+1)*nPanels/g.tn
	g.tiles(tid, pos, r0, r1, jp0, jp1)
}

// tiles runs the micro-tiles of rows [r0, r1) and B micro-panels [jp0, jp1)
// of one depth block, packing each A block first.
//
// Tried on Zen 5 (2026-12-04, tenth sitting) and not kept, paired
// interleaved medians in one process, one thread / two: (1) writing C with
// non-temporal stores (VMOVNTPS/VMOVNTPD of whole aligned tile rows, no C
// prefetch) where beta = 0, the depth is one block and C holds 8 MiB or
// more: float32 4000x100x4000 0.95 / 0.90, 4000x100x4000:TN 0.98 / 0.92,
// 4000x100x784:TN 1.00 / 1.01, float64 4000x100x4000 0.95 / 0.92,
// 784x100x4000 0.98 / 1.01, although a plain fill of 64 MB ran at 66 GB/s
// with such stores against 37-40 GB/s with ordinary ones: the tiles'
// bursts of 20 rows stall on the write-combining buffers, and the read for
// ownership that they save was hidden anyway; (2) for a depth of at most
// 128, the tiles walked along the rows (each A micro-panel against every B
// micro-panel: C written row by row) instead of down the columns: float32
// 4000x100x4000 0.95-0.97 / 0.95-1.00, 784x100x4000 0.996-1.00, float64
// 0.94-0.97 / 0.94-0.96 (AVX2 level); (3) an assembly loop running the
// 10x32 kernel over all the full row panels of an A block against one B
// micro-panel (one call instead of one per tile, the Go call and its
// checks saved): float32 4000x100x4000, its :TN twin, 1000x100x1000:TN,
// 1000³ and 2000³ 1.004-1.009 on one thread, 1.011-1.018 on two, too
// little for a loop per micro-kernel shape; (4) (2026-12-05, seventeenth
// sitting) the 10x32 kernel also prefetching the next tile's C (ten rows
// down, where the next call writes) at its start, so that a C written
// once has two calls' time to arrive: float32 4000x100x4000, its :TN
// twin, 2048³ and 784x100x4000 on one thread, old and new binaries
// alternated three times, level (0.97-1.01 but for a first round that
// ran slow for the old binary on every shape).
func (g *gemmCall[T]) tiles(tid int, pos *blockPos[T], r0, r1, jp0, jp1 int) {
	bl := g.bl
	if r0 >= r1 || jp0 >= jp1 {
		return
	}
	var flags asm.GemmFlags
	if !pos.first || g.beta != 0 {
		flags |= asm.Accumulate
	}
	scale := pos.first && g.beta != 0 && g.beta != 1
	if scale && g.scaleC && g.bias == nil {
		flags |= asm.ScaleC
		scale = false
	}
	if pos.last && g.bias != nil {
		flags |= asm.AddBias
	}
	if pos.last && g.relu {
		flags |= asm.ReLU
	}
	descend := pos.last && g.kernD != nil
	pa, tmp := g.ws.a[tid], g.ws.tmp[tid]
	mr, nr, kc := bl.mr, bl.nr, pos.kc
	cj0, cj1 := pos.jc+jp0*nr, min(pos.jc+jp1*nr, pos.jc+pos.nc)
	// Equal A blocks (a multiple of mr rows each): a short last block would
	// stream every B micro-panel from L3 for only a few kernel calls.
	blocks := (r1 - r0 + bl.mc - 1) / bl.mc
	mcEq := ((r1-r0+blocks-1)/blocks + mr - 1) / mr * mr
	for ic := r0; ic < r1; ic += mcEq {
		mc := min(mcEq, r1-ic)
		packA(pa, g.a, g.lda, g.aT, ic, mc, pos.pc, kc, mr, g.alpha, g.trans)
		if scale {
			for i := ic; i < ic+mc; i++ {
				row := g.c[i*g.ldc+cj0 : i*g.ldc+cj1]
				for j := range row {
					row[j] *= g.beta
				}
			}
		}
		for jp := jp0; jp < jp1; jp++ {
			cj := pos.jc + jp*nr
			cols := min(nr, pos.jc+pos.nc-cj)
			bp := pos.b[jp*kc*nr : (jp+1)*kc*nr]
			var bias []T
			if flags&asm.AddBias != 0 {
				bias = g.bias[cj : cj+cols]
			} else if flags&asm.ScaleC != 0 {
				bias = g.betaS[:]
			}
			for ip := 0; ip*mr < mc; ip++ {
				ci := ic + ip*mr
				rows := min(mr, ic+mc-ci)
				ap := pa[ip*kc*mr : (ip+1)*kc*mr]
				if rows == mr && cols == nr {
					if descend {
						g.kernD(kc, ap, bp, g.c[ci*g.ldc+cj:], g.ldc, g.descW[ci*g.ldc+cj:], g.descCoef[:], flags)
						continue
					}
					g.kern(kc, ap, bp, g.c[ci*g.ldc+cj:], g.ldc, bias, flags)
					continue
				}
				g.edgeKernel(rows, cols, nr, kc, ap, bp, tmp)
				edgeTile(g.c[ci*g.ldc+cj:], g.ldc, tmp, nr, rows, cols, bias, flags)
				if descend {
					descendEdge(g.c[ci*g.ldc+cj:], g.descW[ci*g.ldc+cj:], g.ldc, rows, cols, g.descCoef[1], g.descCoef[2])
				}
			}
		}
	}
}

// edgeKernel computes an edge tile of rows x cols into tmp (leading
// dimension nr, no epilogue): on the half-width kernel when the tile has
// at most nr/2 columns and the implementation has one, on the low-row
// kernel when it has all nr columns and at most lowMR rows, on the full
// kernel otherwise. Each computes an element as the full kernel does.
func (g *gemmCall[T]) edgeKernel(rows, cols, nr, k int, ap, bp, tmp []T) {
	if g.half != nil && 2*cols <= nr {
		g.half(k, ap, bp, tmp, nr)
		return
	}
	if g.low != nil && cols == nr && rows <= g.lowMR {
		g.low(k, ap, bp, tmp, nr)
		return
	}
	g.kern(k, ap, bp, tmp, nr, nil, 0)
}

// edgeTile applies a partial rows x cols tile computed into tmp to C with the
// micro-kernel's epilogue semantics (with asm.ScaleC, beta in bias[0]).
func edgeTile[T float32 | float64](c []T, ldc int, tmp []T, ldt, rows, cols int, bias []T, flags asm.GemmFlags) {
	acc, addBias, relu := flags&asm.Accumulate != 0, flags&asm.AddBias != 0, flags&asm.ReLU != 0
	for i := 0; i < rows; i++ {
		crow := c[i*ldc : i*ldc+cols]
		trow := tmp[i*ldt : i*ldt+cols]
		switch {
		case flags&asm.ScaleC != 0:
			beta := bias[0]
			for j, s := range trow {
				// The conversion rounds the product before the sum.
				s += T(beta * crow[j])
				if relu && !(s > 0) {
					s = 0
				}
				crow[j] = s
			}
		case !acc && !addBias && !relu:
			for j, s := range trow {
				crow[j] = s
			}
		case acc && !addBias && !relu:
			for j, s := range trow {
				crow[j] += s
			}
		default:
			for j, s := range trow {
				if acc {
					s += crow[j]
				}
				if addBias {
					s += bias[j]
				}
				if relu && !(s > 0) {
					s = 0
				}
				crow[j] = s
			}
		}
	}
}

// descendEdge is the descent kernels' SGD step on a partial rows x cols
// tile (asm's sgemmDescendRef): w = w - lr*(c + wd*w), each product and
// sum rounded, as asm.SGD steps each row (float32: the engine sets kernD
// for float32 products alone).
func descendEdge[T float32 | float64](c, w []T, ld, rows, cols int, lr, wd T) {
	c32, w32 := any(c).([]float32), any(w).([]float32)
	for i := 0; i < rows; i++ {
		asm.SGD(w32[i*ld:i*ld+cols], c32[i*ld:i*ld+cols], float32(lr), float32(wd))
	}
}

// scaleEpilogue handles alpha = 0 or k = 0, where C = beta*C (C not read
// when beta = 0), followed by the optional bias and ReLU.
func scaleEpilogue[T float32 | float64](g *gemmCall[T]) {
	for i := 0; i < g.m; i++ {
		row := g.c[i*g.ldc : i*g.ldc+g.n]
		for j := range row {
			var s T
			if g.beta != 0 {
				s = g.beta * row[j]
			}
			if g.bias != nil {
				s += g.bias[j]
			}
			if g.relu && !(s > 0) {
				s = 0
			}
			row[j] = s
		}
	}
}
