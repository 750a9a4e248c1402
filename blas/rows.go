package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
)

// The rows path: a float32 product C = A·Bᵀ (+ bias, then ReLU) with A not
// transposed and few rows, the forward pass of a dense layer at a small
// batch (B = W, the layer's weights, n x k by rows), runs as its transpose
// Cᵀ = B·Aᵀ on the row-reading kernel (asm.Impl.SgemmRows): each kernel
// call broadcasts ten rows of B where they lie, contiguous along the depth,
// against a packed panel of 32 rows of A (16 for a last, narrow panel:
// asm.Impl.SgemmRowsHalf; up to 8 rows past the last whole panel go to
// the dot kernel, asm.Impl.SgemmDot, instead: rowsSplit). B, the large operand, is read
// once from memory and neither transposed nor packed (the engine's narrow
// path transposes it while packing, about a tenth of such a product's
// time); only A is packed (into Aᵀ panels, a copy per thread). The threads
// take contiguous ranges of B's row tiles, compute their rows of Cᵀ into a
// buffer, and transpose them into their columns of C, applying the bias
// and the ReLU there. Every element of Cᵀ is the same chain of kernel calls
// whichever thread computes it, so C does not depend on the thread count.

// rowsOff, set by tests and benchmarks, keeps products off the rows path.
var rowsOff bool

// useRows reports whether C = alpha·op(A)·op(B) + beta·C takes the rows
// path on an implementation with a row-reading kernel of mr rows and a dot
// kernel of dotMR rows (0: none).
func useRows(aT, bT bool, m, n, k int, alpha, beta float32, mr, nr, dotMR int) bool {
	if rowsOff || mr == 0 || aT || !bT || alpha != 1 || beta != 0 {
		return false
	}
	main, pad := rowsSplit(m, nr, dotMR)
	return m <= rowsMaxM && rowsWaste*(pad-main) <= pad && k >= rowsMinK && n >= rowsMinTiles*mr
}

// rowsSplit returns how the rows path computes the m rows of A: the first
// main rows on the row-reading kernel, as pad rows (rowsPad), and the
// last m-main on the dot kernel (dotMR rows a tile; 0: none) when they
// are at most rowsDotRows past a whole panel.
func rowsSplit(m, nr, dotMR int) (main, pad int) {
	full, rem := m/nr, m%nr
	if dotMR > 0 && full > 0 && rem > 0 && rem <= rowsDotRows {
		return full * nr, full * nr
	}
	return m, rowsPad(m, nr)
}

// rowsDotRows is the most rows past a whole panel that the rows path
// leaves to the dot kernel: after the row-reading kernel has passed over a
// tile of ten rows of B (one depth block), the dot kernel multiplies the
// last rows of A by the same rows of B, still in L1, in 4 x 4 tiles
// summed along the depth, straight into C (each depth block after the
// first accumulated there). A batch of 100 then runs as 96 + 4 rows instead
// of 112 padded ones (the half-width panel computes 16 rows for 4). Zen 5,
// paired interleaved runs, rows path (dot remainder) over the engine, one
// thread / two: 100x4000x4000:NT 1.02-1.08 / 1.07-1.09, 100x784x4000:NT
// 1.04-1.08 / 1.12-1.19, 100x1000x1000:NT 1.04-1.16 / 1.16-1.21,
// 97x1000x1000:NT 1.09-1.16 (one thread), 66x1000x1000:NT 1.21-1.23;
// with up to 8 rows (two dot tiles) against up to 4 (the engine then),
// one thread / two: 104x1000x1000:NT 1.07-1.11, 104x4000x4000:NT
// 1.04-1.11 / 1.06-1.11, 70x4000x4000:NT 1.00-1.01 / 1.10-1.14,
// 38x4000x4000:NT (two threads) 1.37-1.38.
var rowsDotRows = 8

// rowsPad is the rows of A the rows path computes: whole panels of nr
// rows (the kernel's width), the last one half as wide when that suffices.
func rowsPad(m, nr int) int {
	full, rem := m/nr, m%nr
	switch {
	case rem == 0:
		return m
	case 2*rem <= nr:
		return full*nr + nr/2
	}
	return (full + 1) * nr
}

// rowsWaste: the padding may be at most 1/rowsWaste of the rows computed.
var rowsWaste = 16

// The rows path's bounds (see useRows): at most rowsMaxM rows of A, padded
// to whole panels (rowsPad) by at most a sixteenth unless the dot kernel
// takes the last rows (rowsSplit; the kernel computes the padding too:
// a batch of 100 run as 112 rows measured level with the engine, below;
// as 128, before the half-width panel, 0.83-0.96 of it), depth from
// rowsMinK, at least rowsMinTiles row tiles of B. Zen 5, paired interleaved runs, rows path over the engine,
// one thread / two: 128x4000x4000:NT 1.06-1.11 / 1.08-1.12,
// 128x784x4000:NT 1.07-1.09 / 1.12-1.16, 128x1000x1000:NT 1.06-1.08,
// 96x1000x1000:NT 1.11-1.12 / 1.17-1.25, 64x4000x4000:NT 1.23-1.24 /
// 1.20-1.23, 64x1000x1000:NT 1.38-1.39 / 1.18-1.37; with a half-width
// last panel 80x1000x1000:NT 1.15-1.16 / 1.17-1.18, and a batch of 100
// (112 rows computed) level: 100x4000x4000:NT 0.98-1.00 / 0.99-1.06,
// 100x784x4000:NT 0.98-1.01 / 1.01, 100x1000x1000:NT 1.04 / 0.99-1.00.
const (
	rowsMaxM     = 128
	rowsMinK     = 256
	rowsMinTiles = 8
)

// rowsCall is one product on the rows path.
type rowsCall struct {
	kern, half    func(k int, a []float32, lda int, b, c []float32, ldc int, flags asm.GemmFlags) // 32 and 16 rows of A a call
	dot           dotKernel[float32]                                                              // the last m-main rows of A
	m, n, k       int
	main          int // rows of A on the row-reading kernels
	dotMR, dotNR  int
	a, b, c       []float32
	lda, ldb, ldc int
	bias          []float32
	relu          bool
	mr, nr        int
	mPad, kc, nT  int
	at            [][]float32 // per thread: Aᵀ packed, depth block after depth block
	ct            []float32   // Cᵀ, nT*mr rows of mPad values
	tail          [][]float32 // per thread: a last, partial tile's rows of B, zero-padded to mr rows
}

// Tried and not kept (Zen 5, 2026-12-04): prefetching the next tile's ten
// rows of B (asm.Prefetch32, into L2) before each tile's kernel calls:
// 100x4000x4000:NT, 100x784x4000:NT, 100x1000x1000:NT 0.99-1.00 on one
// thread, 0.98-1.00 on two (the kernel itself is ~89% of such a product's
// time in a CPU profile, the dot rows 5%, packing and the transpose 4%).
//
// RunPart computes part part of parts (pool.Task): row tiles [t0, t1) of B,
// that is columns [t0*mr, t1*mr) of C.
func (r *rowsCall) RunPart(part, parts int) {
	t0, t1 := part*r.nT/parts, (part+1)*r.nT/parts
	if t0 >= t1 {
		return
	}
	at := r.at[part]
	panels, half := r.mPad/r.nr, r.mPad%r.nr != 0
	for pc := 0; pc < r.k; pc += r.kc {
		kb := min(r.kc, r.k-pc)
		blk := at[r.mPad*pc:]
		packB(blk, r.a, r.lda, true, pc, kb, 0, min(r.main, panels*r.nr), r.nr, 0, panels)
		if half {
			packB(blk[panels*kb*r.nr:], r.a, r.lda, true, pc, kb, panels*r.nr, r.main-panels*r.nr, r.nr/2, 0, 1)
		}
	}
	tail := r.tail[part]
	for pc := 0; pc < r.k; pc += r.kc {
		kb := min(r.kc, r.k-pc)
		var flags asm.GemmFlags
		if pc > 0 {
			flags = asm.Accumulate
		}
		blk := at[r.mPad*pc : r.mPad*(pc+kb)]
		for t := t0; t < t1; t++ {
			j0 := t * r.mr
			rows := min(r.mr, r.n-j0)
			w, ldw := r.b[j0*r.ldb+pc:], r.ldb
			if rows < r.mr {
				for i := 0; i < rows; i++ {
					copy(tail[i*kb:(i+1)*kb], r.b[(j0+i)*r.ldb+pc:])
				}
				clear(tail[rows*kb : r.mr*kb])
				w, ldw = tail[:r.mr*kb], kb
			}
			w = w[:(r.mr-1)*ldw+kb]
			for p := 0; p < panels; p++ {
				r.kern(kb, w, ldw, blk[p*kb*r.nr:(p+1)*kb*r.nr], r.ct[j0*r.mPad+p*r.nr:], r.mPad, flags)
			}
			if half {
				r.half(kb, w, ldw, blk[panels*kb*r.nr:panels*kb*r.nr+kb*r.nr/2], r.ct[j0*r.mPad+panels*r.nr:], r.mPad, flags)
			}
			// The last rows of A against the tile's rows of B, still in
			// L1, as dot products straight into C.
			for i := r.main; i < r.m; i += r.dotMR {
				for j := j0; j < j0+rows; j += r.dotNR {
					r.dot(min(r.dotMR, r.m-i), min(r.dotNR, j0+rows-j), kb, r.a[i*r.lda+pc:], r.lda, r.b[j*r.ldb+pc:], r.ldb, r.c[i*r.ldc+j:], r.ldc, nil, 1, flags)
				}
			}
		}
	}
	// Cᵀ's rows [j0, j1) become C's columns [j0, j1), then the epilogue.
	j0, j1 := t0*r.mr, min(t1*r.mr, r.n)
	asm.TransposeTo(r.c[j0:], r.ldc, r.ct[j0*r.mPad:], r.mPad, j1-j0, r.main)
	if r.bias == nil && !r.relu {
		return
	}
	for i := 0; i < r.m; i++ {
		row := r.c[i*r.ldc+j0 : i*r.ldc+j1]
		switch {
		case r.relu && r.bias != nil:
			asm.BiasRelu(row, row, r.bias[j0:j1])
		case r.relu:
			asm.Relu(row, row)
		default:
			for j, b := range r.bias[j0:j1] {
				row[j] += b
			}
		}
	}
}

// gemmRows runs C = A·Bᵀ (+ bias[j] on column j when bias is not nil, then
// the ReLU when relu is set) on the rows path; the caller has checked
// useRows.
func gemmRows(impl *asm.Impl, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, bias []float32, relu bool) {
	mr, nr := impl.SRowsMR, impl.SNR
	main, pad := rowsSplit(m, nr, rowsDotMR(impl))
	r := rowsCall{kern: impl.SgemmRows, half: impl.SgemmRowsHalf, dot: impl.SgemmDot, m: m, n: n, k: k, main: main, a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, bias: bias, relu: relu,
		mr: mr, nr: nr, dotMR: impl.DotMR, dotNR: impl.DotNR, mPad: pad, kc: rowsDepth(k), nT: (n + mr - 1) / mr}
	threads := min(numThreads(), r.nT)
	if 2*float64(m)*float64(n)*float64(k) < float64(parallelMinFlops) {
		threads = 1
	}
	if threads > 1 && !pool.Default.Acquire(threads) {
		threads = 1
	} else if threads > 1 {
		defer pool.Default.Release()
	}
	w := workspaces32.get()
	defer workspaces32.put(w)
	for len(w.rowsAT) < threads {
		w.rowsAT = append(w.rowsAT, nil)
		w.rowsTail = append(w.rowsTail, nil)
	}
	for t := 0; t < threads; t++ {
		w.rowsAT[t] = grow(w.rowsAT[t], r.mPad*k)
		w.rowsTail[t] = grow(w.rowsTail[t], mr*r.kc)
	}
	w.rowsCT = grow(w.rowsCT, r.nT*mr*r.mPad)
	r.at, r.tail, r.ct = w.rowsAT, w.rowsTail, w.rowsCT
	if threads == 1 {
		r.RunPart(0, 1)
		return
	}
	w.rows = r
	pool.Default.Run(threads, &w.rows)
	w.rows = rowsCall{}
}

// rowsDepth is the rows path's depth block: the whole depth up to
// rowsMaxKC, else equal blocks of at most that many steps (a block of Aᵀ,
// at most kc x 128 values, stays in L2).
func rowsDepth(k int) int {
	nb := (k + rowsMaxKC - 1) / rowsMaxKC
	return (k + nb - 1) / nb
}

// rowsMaxKC bounds the rows path's depth block. Every depth block after
// the first reads back and rewrites all of Cᵀ (n x 112 values at a batch
// of 100: 1.8 MB for 4000 columns, beyond L2), and each kernel call's
// accumulation waits on its tile of it; 512 (which kept ten rows of B, 20
// KiB, in L1) made 784 and 1000 deep products two blocks and 4000 deep
// ones eight. Zen 5, paired interleaved medians of 9-25, 1024 over 512,
// one thread / two: 100x784x1000:NT 1.052-1.077 / 1.004-1.060,
// 100x1000x1000:NT 1.053-1.066 / 1.002-1.031, 100x784x4000:NT 1.083-1.116
// / 1.081-1.144, 100x4000x4000:NT 1.072-1.079 / 1.090-1.118,
// 100x1000x4000:NT 1.097 / 1.056, 64x4000x4000:NT 1.079 / 1.062,
// 100x600x2000:NT 1.083 / 1.001, 128x1000x1000:NT 1.024-1.055 /
// 0.957-1.010, 100x1500x1000:NT 1.023 / 1.000, 100x3000x500:NT 1.009 /
// 1.013. One block of the whole depth (4096) measured about the same as
// 1024 (100x4000x4000:NT 1.109 / 1.134 over 512), with Aᵀ beyond L2; 768,
// which changes few depths' blocks, level.
var rowsMaxKC = 1024

// rowsDotMR is the dot kernel's row count that the rows path may use: 0
// when the implementation has none.
func rowsDotMR(impl *asm.Impl) int {
	if impl.SgemmDot == nil {
		return 0
	}
	return impl.DotMR
}
