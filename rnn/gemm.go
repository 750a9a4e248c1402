package rnn

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
)

// The recurrent products multiply a different small left operand at every
// step (Rows x K) by the same weight matrix (K x N), hundreds of times per
// pass. blas.Sgemm packs both operands on every call; for the recurrent
// shapes (16 x 101 x 100 to 128 x 1001 x 1000) packing the weights costs
// as much as the multiplication. packedB packs the weights once per pass
// into the micro-panel layout of the selected asm micro-kernel, and mul
// runs each step with only the small left operand packed. Threads do not
// split a step (a handoff per step costs more than the step): they split
// the batch's sequences, each running all the steps of its rows (see
// recurTask).

// packedB is a K x N right operand in micro-panels: panel jp holds columns
// [jp*nr, jp*nr+nr) as K groups of nr values (zero-padded), the layout of
// asm.SgemmMicroRef's b.
type packedB struct {
	k, n   int
	mr, nr int
	kern   func(k int, a, b, c []float32, ldc int, bias []float32, flags asm.GemmFlags) // the mr x nr micro-kernel
	b      []float32
}

// mulWS is one thread's workspace for mul: the packed left operand and an
// edge tile.
type mulWS struct {
	a, tmp []float32
}

// pack packs op(B) (K x N) for the selected asm implementation and its
// micro-kernel shape for products of rows rows (asm.Impl.SgemmFor: with the
// AVX-512 kernels, 8-row panels for a batch of 16, 10-row ones for most
// others): B[p][j] = src[j*ld+p] when trans (src is N x K row-major, e.g.
// W for W^T), src[p*ld+j] otherwise.
func (pb *packedB) pack(src []float32, ld, k, n int, trans bool, rows int) {
	impl := asm.Current()
	pb.mr, pb.kern, _ = impl.SgemmFor(rows)
	pb.k, pb.n, pb.nr = k, n, impl.SNR
	nr := pb.nr
	panels := (n + nr - 1) / nr
	pb.b = grow(pb.b, panels*k*nr)
	for jp := 0; jp < panels; jp++ {
		panel := pb.b[jp*k*nr : (jp+1)*k*nr]
		cols := min(nr, n-jp*nr)
		for p := 0; p < k; p++ {
			d := panel[p*nr : (p+1)*nr]
			for j := 0; j < cols; j++ {
				if trans {
					d[j] = src[(jp*nr+j)*ld+p]
				} else {
					d[j] = src[p*ld+jp*nr+j]
				}
			}
			clear(d[cols:])
		}
	}
}

// mul computes C = A B (+ bias, then ReLU, as flags say; with
// asm.Accumulate, C += A B) for A, m x K row-major with leading dimension
// lda, and C, m x N with leading dimension ldc, on the calling goroutine
// with workspace ws.
func (pb *packedB) mul(ws *mulWS, a []float32, lda, m int, c []float32, ldc int, bias []float32, flags asm.GemmFlags) {
	pb.packA(ws, a, lda, m)
	pb.compute(ws.a, ws, m, c, ldc, bias, flags, 0, (pb.n+pb.nr-1)/pb.nr)
}

// packA packs A (m x K, leading dimension lda) into ws.a in micro-panels of
// mr rows.
func (pb *packedB) packA(ws *mulWS, a []float32, lda, m int) {
	k, mr := pb.k, pb.mr
	rowPanels := (m + mr - 1) / mr
	ws.a = grow(ws.a, rowPanels*k*mr)
	for ip := 0; ip < rowPanels; ip++ {
		panel := ws.a[ip*k*mr : (ip+1)*k*mr]
		rows := min(mr, m-ip*mr)
		if rows == mr {
			// A full panel: the transpose kernel interleaves the rows.
			asm.Transpose(panel, a[ip*mr*lda:ip*mr*lda+(mr-1)*lda+k], lda, mr, k)
			continue
		}
		for i := 0; i < rows; i++ {
			src := a[(ip*mr+i)*lda : (ip*mr+i)*lda+k]
			for p, v := range src {
				panel[p*mr+i] = v
			}
		}
		for i := rows; i < mr; i++ {
			for p := 0; p < k; p++ {
				panel[p*mr+i] = 0
			}
		}
	}
}

// compute runs the micro-kernel on column panels [jp0, jp1) of C for the
// packed A pa, with ws's edge tile.
func (pb *packedB) compute(pa []float32, ws *mulWS, m int, c []float32, ldc int, bias []float32, flags asm.GemmFlags, jp0, jp1 int) {
	k, mr, nr := pb.k, pb.mr, pb.nr
	ws.tmp = grow(ws.tmp, mr*nr)
	for jp := jp0; jp < jp1; jp++ {
		bp := pb.b[jp*k*nr : (jp+1)*k*nr]
		j0 := jp * nr
		cols := min(nr, pb.n-j0)
		var bs []float32
		if bias != nil {
			bs = bias[j0 : j0+cols]
		}
		for i0 := 0; i0 < m; i0 += mr {
			ap := pa[i0*k : (i0+mr)*k]
			rows := min(mr, m-i0)
			if rows == mr && cols == nr {
				pb.kern(k, ap, bp, c[i0*ldc+j0:], ldc, bs, flags)
				continue
			}
			// Edge tile: compute into tmp, then apply the epilogue.
			pb.kern(k, ap, bp, ws.tmp, nr, nil, 0)
			for i := 0; i < rows; i++ {
				crow := c[(i0+i)*ldc+j0 : (i0+i)*ldc+j0+cols]
				for j, s := range ws.tmp[i*nr : i*nr+cols] {
					if flags&asm.Accumulate != 0 {
						s += crow[j]
					}
					if flags&asm.AddBias != 0 {
						s += bs[j]
					}
					if flags&asm.ReLU != 0 && !(s > 0) {
						s = 0
					}
					crow[j] = s
				}
			}
		}
	}
}

// colTask is one product split by column panels across threads, for
// weights too large for one core's L2 cache: each thread then reads only
// its share of them at every step.
type colTask struct {
	pb    *packedB
	ws    []mulWS
	m     int
	c     []float32
	ldc   int
	bias  []float32
	flags asm.GemmFlags
}

// RunPart computes part part of parts of the column panels
// (blas.Task).
func (t *colTask) RunPart(part, parts int) {
	panels := (t.pb.n + t.pb.nr - 1) / t.pb.nr
	t.pb.compute(t.ws[0].a, &t.ws[part], t.m, t.c, t.ldc, t.bias, t.flags, part*panels/parts, (part+1)*panels/parts)
}

// mulCols is mul with the column panels split across the thread count on
// the worker pool (blas.Run); A is packed into ws[0], and ws needs one
// workspace per thread.
func (pb *packedB) mulCols(task *colTask, ws []mulWS, a []float32, lda, m int, c []float32, ldc int, bias []float32, flags asm.GemmFlags) {
	pb.packA(&ws[0], a, lda, m)
	*task = colTask{pb: pb, ws: ws, m: m, c: c, ldc: ldc, bias: bias, flags: flags}
	// Always worth splitting (runRecur decides).
	blas.Run(task, len(ws))
	*task = colTask{}
}

// fitsL2 reports whether the packed weights fit in a core's L2 cache,
// where threads can each stream all of them at every step.
func (pb *packedB) fitsL2() bool {
	_, l2, _ := asm.CacheSizes()
	if weightCacheBytes > 0 {
		l2 = weightCacheBytes
	}
	return 4*len(pb.b) <= l2
}

// weightCacheBytes, when positive, replaces the detected L2 size in
// fitsL2 (tests force the column split with it).
var weightCacheBytes int

// rowRange returns part's rows of rows, split in whole row panels of mr.
func rowRange(rows, mr, part, parts int) (r0, r1 int) {
	panels := (rows + mr - 1) / mr
	r0 = part * panels / parts * mr
	r1 = min((part+1)*panels/parts*mr, rows)
	return r0, r1
}
