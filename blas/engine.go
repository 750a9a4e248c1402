package blas

import (
	"sync"

	"github.com/fastpath-go/fastpath/asm"
)

// microKernel is the signature shared by asm.Impl.Sgemm and asm.Impl.Dgemm.
type microKernel[T float32 | float64] func(k int, a, b, c []T, ldc int, bias []T, flags asm.GemmFlags)

// parallelMinFlops is the problem size (2mnk) below which a call runs on one
// thread: waking workers costs a few microseconds.
var parallelMinFlops = 4 << 20

// workspace holds the packing buffers of one call; calls take one from a
// sync.Pool so that steady-state GEMM performs no allocation.
type workspace[T float32 | float64] struct {
	b   []T   // shared packed panel of B, kc x nc
	a   [][]T // per-thread packed block of A, mc x kc
	tmp [][]T // per-thread edge tile, mr x nr
}

func (w *workspace[T]) size(threads int, bl blocking) {
	nb := bl.kc * ((bl.nc + bl.nr - 1) / bl.nr) * bl.nr
	if cap(w.b) < nb {
		w.b = make([]T, nb)
	}
	w.b = w.b[:nb]
	for len(w.a) < threads {
		w.a = append(w.a, nil)
		w.tmp = append(w.tmp, nil)
	}
	na := bl.mc * bl.kc
	for t := 0; t < threads; t++ {
		if cap(w.a[t]) < na {
			w.a[t] = make([]T, na)
		}
		w.a[t] = w.a[t][:na]
		if cap(w.tmp[t]) < bl.mr*bl.nr {
			w.tmp[t] = make([]T, bl.mr*bl.nr)
		}
		w.tmp[t] = w.tmp[t][:bl.mr*bl.nr]
	}
}

var (
	workspaces32 = sync.Pool{New: func() any { return new(workspace[float32]) }}
	workspaces64 = sync.Pool{New: func() any { return new(workspace[float64]) }}
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

	kern    microKernel[T]
	bl      blocking
	threads int
	tm, tn  int // threads split rows (loop 3) tm ways and columns (loop 2) tn ways
	ws      *workspace[T]

	packing     bool // the region packs B (else it computes)
	jc, nc      int  // loop 5: current B panel columns
	pc, kc      int  // loop 4: current depth block
	first, last bool // first / last depth block
}

// gemm runs C = alpha*op(A)*op(B) + beta*C [+ bias, then ReLU] for arguments
// already checked by the caller.
func gemm[T float32 | float64](g *gemmCall[T], kern microKernel[T], mr, nr, elemSize int) {
	if g.m == 0 || g.n == 0 {
		return
	}
	if g.alpha == 0 || g.k == 0 {
		scaleEpilogue(g)
		return
	}
	g.kern = kern
	g.bl = newBlocking(mr, nr, elemSize, g.k)
	threads := numThreads()
	mP, nP := (g.m+mr-1)/mr, (g.n+nr-1)/nr
	if 2*float64(g.m)*float64(g.n)*float64(g.k) < float64(parallelMinFlops) {
		threads = 1
	}
	threads = min(threads, mP*nP)
	if threads > 1 && !gemmPool.acquire(threads) {
		threads = 1 // another call holds the pool: run serially
	} else if threads > 1 {
		defer gemmPool.release()
	}
	g.threads = threads
	g.tm, g.tn = splitThreads(threads, mP, nP)

	var wsPool *sync.Pool
	if elemSize == 4 {
		wsPool = &workspaces32
	} else {
		wsPool = &workspaces64
	}
	g.ws = wsPool.Get().(*workspace[T])
	g.ws.size(threads, g.bl)
	defer wsPool.Put(g.ws)

	bl := g.bl
	for jc := 0; jc < g.n; jc += bl.nc {
		g.jc, g.nc = jc, min(bl.nc, g.n-jc)
		for pc := 0; pc < g.k; pc += bl.kc {
			g.pc, g.kc = pc, min(bl.kc, g.k-pc)
			g.first, g.last = pc == 0, pc+g.kc == g.k
			g.packing = true
			g.region()
			g.packing = false
			g.region()
		}
	}
	g.ws = nil
}

// region runs the current phase on all threads.
func (g *gemmCall[T]) region() {
	if g.threads == 1 {
		g.run(0)
		return
	}
	gemmPool.run(g.threads, g)
}

// splitThreads factors threads = tm*tn to balance the per-thread tile count
// of an mP x nP grid of micro-tiles, preferring to split rows (loop 3), which
// lets each thread pack its own A block while all share B.
func splitThreads(threads, mP, nP int) (tm, tn int) {
	best := -1
	for t := threads; t >= 1; t-- {
		if threads%t != 0 {
			continue
		}
		cost := ((mP + t - 1) / t) * ((nP + threads/t - 1) / (threads / t))
		if best < 0 || cost < best {
			best, tm, tn = cost, t, threads/t
		}
	}
	return tm, tn
}

func (g *gemmCall[T]) run(tid int) {
	bl := g.bl
	nPanels := (g.nc + bl.nr - 1) / bl.nr
	if g.packing {
		jp0, jp1 := tid*nPanels/g.threads, (tid+1)*nPanels/g.threads
		packB(g.ws.b, g.b, g.ldb, g.bT, g.pc, g.kc, g.jc, g.nc, bl.nr, jp0, jp1)
		return
	}
	ti, tj := tid/g.tn, tid%g.tn
	mPanels := (g.m + bl.mr - 1) / bl.mr
	r0 := ti * mPanels / g.tm * bl.mr
	r1 := min((ti+1)*mPanels/g.tm*bl.mr, g.m)
	jp0, jp1 := tj*nPanels/g.tn, (tj+1)*nPanels/g.tn
	if r0 >= r1 || jp0 >= jp1 {
		return
	}
	var flags asm.GemmFlags
	if !g.first || g.beta != 0 {
		flags |= asm.Accumulate
	}
	if g.last && g.bias != nil {
		flags |= asm.AddBias
	}
	if g.last && g.relu {
		flags |= asm.ReLU
	}
	pa, pb, tmp := g.ws.a[tid], g.ws.b, g.ws.tmp[tid]
	mr, nr, kc := bl.mr, bl.nr, g.kc
	cj0, cj1 := g.jc+jp0*nr, min(g.jc+jp1*nr, g.jc+g.nc)
	for ic := r0; ic < r1; ic += bl.mc {
		mc := min(bl.mc, r1-ic)
		packA(pa, g.a, g.lda, g.aT, ic, mc, g.pc, kc, mr, g.alpha)
		if g.first && g.beta != 0 && g.beta != 1 {
			for i := ic; i < ic+mc; i++ {
				row := g.c[i*g.ldc+cj0 : i*g.ldc+cj1]
				for j := range row {
					row[j] *= g.beta
				}
			}
		}
		for jp := jp0; jp < jp1; jp++ {
			cj := g.jc + jp*nr
			cols := min(nr, g.jc+g.nc-cj)
			bp := pb[jp*kc*nr : (jp+1)*kc*nr]
			var bias []T
			if flags&asm.AddBias != 0 {
				bias = g.bias[cj : cj+cols]
			}
			for ip := 0; ip*mr < mc; ip++ {
				ci := ic + ip*mr
				rows := min(mr, ic+mc-ci)
				ap := pa[ip*kc*mr : (ip+1)*kc*mr]
				if rows == mr && cols == nr {
					g.kern(kc, ap, bp, g.c[ci*g.ldc+cj:], g.ldc, bias, flags)
					continue
				}
				g.kern(kc, ap, bp, tmp, nr, nil, 0)
				edgeTile(g.c[ci*g.ldc+cj:], g.ldc, tmp, nr, rows, cols, bias, flags)
			}
		}
	}
}

// edgeTile applies a partial rows x cols tile computed into tmp to C with the
// micro-kernel's epilogue semantics.
func edgeTile[T float32 | float64](c []T, ldc int, tmp []T, ldt, rows, cols int, bias []T, flags asm.GemmFlags) {
	for i := 0; i < rows; i++ {
		crow := c[i*ldc : i*ldc+cols]
		trow := tmp[i*ldt : i*ldt+cols]
		for j, s := range trow {
			if flags&asm.Accumulate != 0 {
				s += crow[j]
			}
			if flags&asm.AddBias != 0 {
				s += bias[j]
			}
			if flags&asm.ReLU != 0 && !(s > 0) {
				s = 0
			}
			crow[j] = s
		}
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
