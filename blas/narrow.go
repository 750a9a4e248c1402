package blas

import (
	"unsafe"

	"github.com/fastpath-go/fastpath/asm"
)

// The narrow path serves calls whose rows all fit in one A block (m <= MC):
// the batch-sized GEMMs of training (100 x 784 x 4000, 100 x 4000 x 4000,
// their transposed-B twins). Each element of B is used by only m/MR kernel
// calls there, so the shared B panel of the general path (packed by all
// threads, a barrier per depth block, C re-read from L3 once per depth block)
// costs more than it saves. Instead:
//
//   - all of op(A) is packed, depth block after depth block: once, by all
//     threads together (the call's only barrier follows), or with B
//     transposed by each thread into its own copy (no barrier: a shared
//     copy had the threads read panels another core wrote);
//   - the threads then claim groups of narrowGroup B micro-panels from a
//     shared counter, and each runs its group through the whole depth k:
//     per depth block it packs the group's kc x (narrowGroup*NR) slice of
//     op(B) into its own buffer (L1/L2) and multiplies all row panels with
//     it, so the group's m x (narrowGroup*NR) tile of C stays in L2 from the
//     first depth block to the last, and is written to memory once;
//   - while it computes one slice, the thread prefetches the source rows of
//     the next (the next depth block of the group, or the first of the group
//     it has already claimed next), where it packs B: on a small L1 (Zen 4)
//     inside the in-place kernel calls, one line per multiply-add step
//     (narrowStream), where there are at least two row panels; otherwise a
//     share of the slice before each kernel call;
//   - where the implementation has a micro-kernel that reads B in place
//     (asm.Impl.SgemmStrided, DgemmStrided), B is not transposed and its
//     row stride suits it (stridedFriendly, or conflictInPlace), full
//     micro-panels are not packed at all: the first kernel call on a panel
//     streams it from B (prefetching eight rows ahead), the calls after it
//     find it in L1; a last, partial micro-panel of at most nr/2 columns is
//     read in place as well, through the masked half-width kernel
//     (asm.Impl.SgemmHalfMask), when at most maskMaxPanels row panels use
//     it (otherwise it is packed once and runs on the packed half-width
//     kernel).
//
// Every tile of C is computed by the same sequence of kernel calls whichever
// thread claims it, so results do not depend on the thread count.

// narrowGroup is the number of B micro-panels packed and multiplied at once on
// the narrow path: 4 x 32 fp32 columns = 512-byte rows of B, which suit the
// hardware prefetchers.
const narrowGroup = 4

// maskMaxPanels is the largest number of row panels for which the narrow
// path reads a last micro-panel of at most nr/2 columns in place through
// the masked half-width kernel instead of packing it.
const maskMaxPanels = 4

// narrowShallowK: a product this shallow takes the narrow path only with
// as many rows as an A block of full depth (packedBlocking at depth maxKC)
// holds. At a small depth the block sizes would admit thousands of rows
// (MC grows as KC shrinks), but the general path was as fast or faster
// there: Zen 4, one thread, paired interleaved medians, general / narrow:
// float32 1000x64x1000 1.05, 1.06 and 1.04, with A transposed 1.07 and
// 1.08, 1000x32x1000 1.06 and 1.02, 700x64x1000 1.04 and 1.01, level
// (within 1%) at 1000x64x4000, 2000x64x1000, float64 1000x64x1000,
// 1000x32x1000 and 2000x64x2000; from depth 100 the narrow path keeps them
// (784x100x4000 0.96, 1000x100x1000 0.98, 600x128x2000 0.96 for the
// general path). On a larger L1 (Zen 5, 48 KiB) the general path also won
// float32 products at depths 80-100, and for them the rule extends to
// narrowShallowKLargeL1 (see narrowShallowDepth).
const narrowShallowK = 64

// narrowShallowKLargeL1 is narrowShallowK on an L1 larger than
// deepKCMaxL1. Zen 5, paired interleaved medians of the general path
// over the narrow one, float32 (2026-12-04): AVX-512, one thread,
// 784x100x4000 1.020-1.027, 784x100x2000 1.039, 784x100x1000 1.062,
// 784x96x2000 1.036, 784x80x4000 1.032, 500x100x4000 1.015, 400x100x4000
// 1.012, 600x100x4000 1.004; two threads 784x100x4000 0.968-1.012 in
// four runs (median 1.00), 784x100x2000 1.046-1.104, 784x100x1000 1.14,
// 784x96x2000 1.06, 400-600x100x4000 0.99-1.01; AVX2, one thread
// 1.050-1.064 on all of those (350x100x4000 1.049), two threads
// 1.018-1.053 (784x100x4000 0.997 in an earlier run). At depth 112-128
// the two paths were level (784x112x4000 0.991-0.997, 784x120x4000
// 1.007-1.012, 784x128x4000 0.998-1.019). Float64 keeps narrowShallowK:
// the rule would move its products of 251-430 rows at depth 100 (the
// general path's A block holds 430 there), which measured mixed, one
// thread / two: 300x100x4000 0.99-1.00 / 0.96, 260x100x4000 0.98-0.99 /
// 1.00, 400x100x4000 1.00 / 0.99, 400x100x1000 1.01-1.02 / 1.11,
// 400x80x2000 1.00-1.01 / 1.09.
const narrowShallowKLargeL1 = 104

// narrowShallowDepth is the depth up to which useNarrow bounds the rows
// of elements of elemSize bytes by the full-depth A block:
// narrowShallowKLargeL1 for float32 on an L1 larger than deepKCMaxL1,
// narrowShallowK otherwise.
func narrowShallowDepth(elemSize int) int {
	if smallL1() || elemSize != 4 {
		return narrowShallowK
	}
	return narrowShallowKLargeL1
}

// narrowStreamMaxPanels is the most row panels for which the in-place
// kernel calls carry the next slice's prefetches (narrowStream). With few
// row panels the bursts of prefetches before each call stalled the core.
// Zen 4, paired interleaved medians of stream over bursts, AVX-512 float32,
// one thread: 16x1000x1000 1.11-1.13, 32x1000x1000 1.05-1.07,
// 16x2000x2000 1.15-1.47, 32x2000x2000 1.14, 16x784x4000 1.12-1.56,
// 16x4000x4000 1.28, 60x784x4000 1.03, 64x1000x1000 1.02; two threads
// 1.03-1.34 on the same shapes; float64 16x1000x1000 1.13, 16x2000x2000
// 1.38; AVX2 float32 16x1000x1000 1.07, 32x1000x1000 1.05, 36-48 rows
// 1.00-1.05. From about eight row panels the two are level (AVX-512
// 100x784x4000 1.00-1.03, 128x1000x1000 0.97-1.00) or the stream loses
// (AVX2 60x784x4000, ten panels: 0.95). On a larger L1 (Zen 5), where
// in-place slices get no bursts (runNarrow), the stream runs for any
// number of row panels: old and new test binaries' rule forced per
// process, alternated three times, medians of stream over none, one
// thread: AVX-512 100x4000x4000 1.046 (1.044-1.082), AVX2 1.038; level
// (0.98-1.01) at 100x784x4000, 100x1000x1000, 128x1000x1000,
// 16x1000x1000, 64x1000x1000 and 32x2000x2000; two threads level
// (1.00-1.02) but 16x1000x1000 1.037 (1.006-1.136). Old and new test
// binaries alternated three times, one thread / two: 100x4000x4000 1.020
// (1.007-1.042) / 1.008, 100x784x4000 0.986 (0.985-1.000) / 1.001,
// 16x1000x1000 1.015 / 1.051 (0.952-1.072).
const narrowStreamMaxPanels = 8

// narrowMaxPackedA bounds the packed copy of A (bytes) the narrow path keeps;
// larger calls take the general path.
const narrowMaxPackedA = 16 << 20

// stridedFriendly reports whether rows ldb elements apart are safe to read in
// place by kernels whose micro-panel rows hold nr elements: a row stride
// that is a multiple of 256 bytes maps the rows of a micro-panel to half
// or fewer of the L1 sets, and a panel whose rows are one cache line (the
// AVX2 kernels) would not stay in L1 between kernel calls. A panel whose
// rows span two lines (the AVX-512 kernels) keeps the 64 sets covered
// in pairs; for it only multiples of 2048 bytes are kept off. Zen 5, the
// narrow path, paired runs of in place over packed, one thread / two:
// float64 100x4000x4000 (a 256-byte multiple) 1.12-1.16 / 1.06-1.35,
// 100x4000x4032 and 100x4000x3968 (512) 1.06-1.22, 100x4000x3712 (1024)
// 1.06-1.20, 100x4000x3840 (2048) 1.01-1.14 / 1.24-1.26; float32
// 100x4000x4032 (256) 1.02-1.11 / 1.31, 100x4000x3840 (1024) 1.06-1.10 /
// 1.25-1.27, 100x4000x3584 (2048) 0.94-1.07, 100x2000x2048 (8 KiB)
// 0.75-0.89, float64 64x2000x2048 (16 KiB) 0.78-0.86; with the AVX2
// kernels level (float32 0.98-1.01, float64 0.98-1.06).
func stridedFriendly(ldb, elemSize, nr int) bool {
	if nr*elemSize >= 2*lineBytes {
		return ldb*elemSize%2048 != 0
	}
	return ldb*elemSize%256 != 0
}

// conflictInPlace reports whether a B whose row stride is not
// stridedFriendly is read in place all the same: with at most
// conflictMaxPanels row panels each element of B meets only a few kernel
// calls, so a micro-panel that cannot stay in L1 costs those calls less
// than the pass packing would (the next slice arrives in L2 through the
// kernels' prefetch stream), provided the rows are at most
// conflictMaxStride bytes apart and a micro-panel row spans two cache
// lines (the AVX-512 kernels). Zen 4, paired interleaved medians of in
// place over packed, one thread: float32 16x1024x1024 1.27, 24x1024x1024
// 1.10, 32x1024x1024 1.06, 40x1024x1024 1.12, 16x2048x2048 1.19,
// 32x2048x2048 1.03; float64 16x1024x1024 1.34, 24x1024x1024 1.11,
// 32x1024x1024 1.17, 16x4096x1024 1.13; two threads float32 1.07-1.26,
// float64 1.13-1.26. Kept packed: 16 KiB strides (float32 16x4096x4096
// 0.87, float64 16x2048x2048 0.85-0.92, 32x2048x2048 0.88), more row
// panels (float32 64x1024x1024 0.97, 128x1024x1024 1.00; float64
// 128x1024x1024 0.97) and the AVX2 kernels, whose micro-panel row is one
// line (16x1024x1024 0.75, 16x2048x2048 0.70).
func conflictInPlace(m, mr, nr, ldb, elemSize int) bool {
	return (m+mr-1)/mr <= conflictMaxPanels && ldb*elemSize <= conflictMaxStride && nr*elemSize >= 2*lineBytes
}

// conflictMaxPanels and conflictMaxStride bound conflictInPlace.
const (
	conflictMaxPanels = 4
	conflictMaxStride = 8 << 10
)

// useNarrow reports whether a call of these dimensions takes the narrow path
// with the given number of threads.
func useNarrow(m, k, nP, threads, elemSize int, bl blocking) bool {
	if m > bl.mc {
		return false
	}
	if k <= narrowShallowDepth(elemSize) && m > packedBlocking(bl.mr, bl.nr, elemSize, maxKC).mc {
		return false
	}
	mPad := (m + bl.mr - 1) / bl.mr * bl.mr
	if mPad*k*elemSize > narrowMaxPackedA {
		return false
	}
	groups := (nP + narrowGroup - 1) / narrowGroup
	// With several threads the columns are the only thing split: keep enough
	// groups to balance them (else the general path splits rows as well).
	return threads == 1 || groups >= 2*threads
}

// runNarrow is thread tid's share of a narrow-path call.
func (g *gemmCall[T]) runNarrow(tid int) {
	bl := g.bl
	mr, nr, kc := bl.mr, bl.nr, bl.kc
	mP := (g.m + mr - 1) / mr
	mPad := mP * mr
	kBlocks := (g.k + kc - 1) / kc
	// Pack op(A): unit u is row panel u%mP of depth block u/mP. With B
	// transposed and several threads, each thread packs all of it into its
	// own copy; otherwise the threads pack a share each of one copy and
	// meet at the call's only barrier. On Zen 5 (cache lines ~200 ns apart
	// between the two vCPUs), two threads, paired interleaved ratios of
	// own copies over the shared one: B transposed 100x1000x1000 1.01-1.09,
	// 100x784x1000 1.03-1.06, 100x4000x4000 1.02-1.04; B not transposed
	// 100x784x4000 0.95-0.99, 100x1000x1000 0.97-1.06, 128x1000x1000
	// 0.92-1.08, 16x1000x1000 0.97-1.11, 100x4000x4000 1.00-1.03.
	private := g.bT && g.threads > 1
	pa := g.ws.aAll[0]
	units := kBlocks * mP
	u0, u1 := tid*units/g.threads, (tid+1)*units/g.threads
	if private {
		pa, u0, u1 = g.ws.aAll[tid], 0, units
	}
	for u := u0; u < u1; u++ {
		blk, ip := u/mP, u%mP
		pc := blk * kc
		kcb := min(kc, g.k-pc)
		off := mPad*pc + ip*kcb*mr
		packA(pa[off:off+kcb*mr], g.a, g.lda, g.aT, ip*mr, min(mr, g.m-ip*mr), pc, kcb, mr, g.alpha, g.trans)
	}
	if g.threads > 1 && !private {
		g.sync.wait()
	}

	nP := (g.n + nr - 1) / nr
	groups := (nP + narrowGroup - 1) / narrowGroup
	// On a small L1 (Zen 4) in-place slices are prefetched in bursts where
	// the kernel calls cannot carry the stream; on a larger one (Zen 5)
	// they carry it for any number of row panels, and there are no bursts.
	pfInPlace := smallL1()
	var zero T
	elemSize := int(unsafe.Sizeof(zero))
	bm, tmp := g.ws.bm[tid], g.ws.tmp[tid]
	grp := int(g.claim.Add(1)) - 1
	for grp < groups {
		next := int(g.claim.Add(1)) - 1
		jp0 := grp * narrowGroup
		jp1 := min(jp0+narrowGroup, nP)
		cj0 := jp0 * nr
		w := min(g.n, jp1*nr) - cj0
		if g.beta != 0 && g.beta != 1 {
			for i := 0; i < g.m; i++ {
				row := g.c[i*g.ldc+cj0 : i*g.ldc+cj0+w]
				for j := range row {
					row[j] *= g.beta
				}
			}
		}
		for pc := 0; pc < g.k; pc += kc {
			kcb := min(kc, g.k-pc)
			// Pack the slice, or with the in-place kernel only a last,
			// partial micro-panel.
			pk0 := jp0
			if g.kernS != nil {
				pk0 = max(jp0, g.n/nr)
				// A narrow last panel is read in place too, masked, when few
				// row panels use it (m = 16: 126 against 106 GFLOP/s at
				// 16x100x100); with many, packing it once wins (128x100x100:
				// 126 packed against 108 masked).
				if rem := g.n % nr; rem != 0 && 2*rem <= nr && g.halfMask != nil && mP <= maskMaxPanels {
					pk0 = jp1
				}
			}
			if pk0 < jp1 {
				packB(bm, g.b, g.ldb, g.bT, pc, kcb, cj0, w, nr, pk0-jp0, jp1-jp0)
			}
			var flags asm.GemmFlags
			if pc > 0 || g.beta != 0 {
				flags |= asm.Accumulate
			}
			last := pc+kcb == g.k
			if last && g.bias != nil {
				flags |= asm.AddBias
			}
			if last && g.relu {
				flags |= asm.ReLU
			}
			// The slice to prefetch while this one is multiplied.
			npc, ncj := pc+kcb, cj0
			if last {
				npc, ncj = 0, next*narrowGroup*nr
			}
			pf := narrowPrefetch{pc: npc, kc: min(kc, g.k-npc), cj: ncj, calls: (jp1 - jp0) * mP}
			// The in-place kernel calls carry the prefetches as a stream
			// (narrowStream) where that suits them: at most
			// narrowStreamMaxPanels row panels on a small L1, any number
			// on a larger one.
			stream := g.kernS != nil && mP >= 2 && nr*elemSize >= lineBytes && (mP <= narrowStreamMaxPanels || !pfInPlace)
			if ncj >= g.n || g.kernS != nil && !pfInPlace && !stream {
				// Nothing follows; or B is read in place, and on Zen 5 the
				// in-place kernel's own prefetches (eight rows ahead) served
				// better than bursts of these (measured +10-17% without
				// them, when they still went to L1; into L2, 100x4000x4000
				// 0.93-0.96 against none). On a 32 KiB L1 (Zen 4), with the
				// prefetches going to L2, they pay for in-place slices
				// too: paired interleaved medians, float32 one thread /
				// two, 100x784x4000 1.09 / 1.05, 100x4000x4000 1.04 /
				// 1.07, 128x1000x1000 1.07 / 1.00; float64 one thread
				// 100x1000x1000 1.07, 128x2000x2000 1.05, 100x784x4000
				// 1.01; the AVX2 kernels (float32, one thread)
				// 100x784x4000 1.13, 100x4000x4000 1.10, 128x1000x1000
				// 1.10.
				pf.calls = 0
			} else {
				pf.w = min(narrowGroup*nr, g.n-ncj)
			}
			// On the in-place kernel calls instead, where every line column
			// of the slice gets at least one call.
			var st narrowStream
			if pf.calls > 0 && stream {
				st.lines = narrowGroup * nr * elemSize / lineBytes
				st.h = (jp1 - jp0) * mP / st.lines
				if st.h > 0 {
					st.pc, st.kc, st.cj, st.w = pf.pc, pf.kc, pf.cj, pf.w
					pf.calls = 0
				} else if !pfInPlace {
					pf.calls = 0 // a short last group: no bursts on a large L1
				}
			}
			pa := pa[mPad*pc:]
			call := 0
			for jp := jp0; jp < jp1; jp++ {
				cj := jp * nr
				cols := min(nr, g.n-cj)
				bp := bm[(jp-jp0)*kcb*nr : (jp-jp0+1)*kcb*nr]
				var bias []T
				if flags&asm.AddBias != 0 {
					bias = g.bias[cj : cj+cols]
				}
				for ip := 0; ip < mP; ip++ {
					g.prefetchSlice(&pf, call)
					pfs, pfRows := g.streamShare(&st, call, kcb)
					call++
					ci := ip * mr
					rows := min(mr, g.m-ci)
					ap := pa[ip*kcb*mr : (ip+1)*kcb*mr]
					if jp < pk0 {
						// In place: rows pc.. of B, columns cj..cj+cols.
						bs := g.b[pc*g.ldb+cj : (pc+kcb-1)*g.ldb+cj+cols]
						if cols < nr {
							g.halfMask(kcb, ap, bs, g.ldb, tmp, nr, cols)
							edgeTile(g.c[ci*g.ldc+cj:], g.ldc, tmp, nr, rows, cols, bias, flags)
							continue
						}
						if rows == mr {
							g.kernS(kcb, ap, bs, g.ldb, g.c[ci*g.ldc+cj:], g.ldc, bias, flags, pfs, pfRows)
							continue
						}
						if g.lowS != nil && rows <= g.lowMR {
							g.lowS(kcb, ap, bs, g.ldb, tmp, nr, pfs, pfRows)
						} else {
							g.kernS(kcb, ap, bs, g.ldb, tmp, nr, nil, 0, pfs, pfRows)
						}
						edgeTile(g.c[ci*g.ldc+cj:], g.ldc, tmp, nr, rows, cols, bias, flags)
						continue
					}
					if rows == mr && cols == nr {
						g.kern(kcb, ap, bp, g.c[ci*g.ldc+cj:], g.ldc, bias, flags)
						continue
					}
					g.edgeKernel(rows, cols, nr, kcb, ap, bp, tmp)
					edgeTile(g.c[ci*g.ldc+cj:], g.ldc, tmp, nr, rows, cols, bias, flags)
				}
			}
		}
		grp = next
	}
}

// narrowPrefetch is the slice of op(B) (depth rows [pc, pc+kc), columns
// [cj, cj+w)) whose source a group's kernel calls prefetch, a share each.
type narrowPrefetch struct {
	pc, kc, cj, w int
	calls         int // kernel calls to spread the prefetches over; 0: none
}

// lineBytes is the cache line size the prefetch streams count in.
const lineBytes = 64

// narrowStream is the slice of B (depth rows [pc, pc+kc), columns [cj,
// cj+w), not transposed) whose prefetches the in-place kernel calls of a
// group carry, one line per multiply-add step: its lines line columns
// (narrowGroup*nr values of a row, lineBytes each) are split in h parts of
// kc/h rows, one part per call; h = 0: none.
type narrowStream struct {
	pc, kc, cj, w int
	lines, h      int
}

// streamShare returns kernel call number call's part of the stream s, as
// the pf and pfRows arguments of the in-place kernel that runs steps
// multiply-add steps; rows beyond steps (a short last depth block) are
// prefetched here.
func (g *gemmCall[T]) streamShare(s *narrowStream, call, steps int) ([]T, int) {
	if s.h == 0 {
		return nil, 0
	}
	col, part := call%s.lines, call/s.lines
	var zero T
	lineElems := lineBytes / int(unsafe.Sizeof(zero))
	if part >= s.h || col*lineElems >= s.w {
		return nil, 0
	}
	r0, r1 := part*s.kc/s.h, (part+1)*s.kc/s.h
	off := (s.pc+r0)*g.ldb + s.cj + col*lineElems
	if r1-r0 > steps {
		g.prefetchRows(off+steps*g.ldb, r1-r0-steps, 1)
		r1 = r0 + steps
	}
	return g.b[off:], r1 - r0
}

// prefetchRows hints rows x cols elements of B from offset off into L2.
func (g *gemmCall[T]) prefetchRows(off, rows, cols int) {
	var zero T
	switch any(zero).(type) {
	case float32:
		asm.Prefetch32(any(g.b[off:]).([]float32), g.ldb, rows, cols)
	case float64:
		asm.Prefetch64(any(g.b[off:]).([]float64), g.ldb, rows, cols)
	}
}

// prefetchSlice issues kernel call number call's share of the prefetches of
// the slice p.
func (g *gemmCall[T]) prefetchSlice(p *narrowPrefetch, call int) {
	if p.calls == 0 {
		return
	}
	// The source is kc rows x w columns of B, or w rows x kc columns of B^T.
	rows, cols, off := p.kc, p.w, p.pc*g.ldb+p.cj
	if g.bT {
		rows, cols, off = p.w, p.kc, p.cj*g.ldb+p.pc
	}
	per := (rows + p.calls - 1) / p.calls
	r0 := call * per
	if r0 >= rows {
		return
	}
	g.prefetchRows(off+r0*g.ldb, min(per, rows-r0), cols)
}
