package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
)

// PackedB32 is a K x N right operand packed once into the micro-panel
// layout of the selected micro-kernel, for many products with different
// left operands: the recurrent steps of an RNN multiply a new small
// matrix (a batch of states) by the same weights hundreds of times per
// pass, and packing the weights at every call (as Sgemm must) costs as
// much as the multiplication at those shapes. A product then packs only
// its left operand.
//
// A PackedB32 holds the layout of the implementation selected when Pack
// ran; pack again after asm.Use. The zero value is empty; Pack fills it,
// reusing its memory.
type PackedB32 struct {
	k, n, mr, nr int
	kern         func(k int, a, b, c []float32, ldc int, bias []float32, flags asm.GemmFlags)
	half         func(k int, a, b, c []float32, ldc int) // nil, or the half-width edge kernel
	low          func(k int, a, b, c []float32, ldc int) // nil, or the low-row edge kernel
	lowMR        int
	// direct is the implementation's direct kernel (asm.Impl.SgemmDirect)
	// where it spans a whole micro-panel, or nil: MulSplit then reads A in
	// place instead of packing it.
	direct func(rows, cols, k int, a []float32, ars, aks int, b []float32, ldb int, c []float32, ldc int, alpha float32, flags asm.GemmFlags)
	b      []float32
	task   packedTask
}

// PackedWorkspace32 is one goroutine's scratch for products with a
// PackedB32: the packed left operand and an edge tile. The zero value is
// ready; it grows on first use and is reused after.
type PackedWorkspace32 struct {
	a, tmp []float32
}

// Pack packs op(B), K x N, where op(B) is B (row-major with leading
// dimension ldb, K x N) or, with tB = Trans, B^T (B N x K). rows is the
// typical row count of the left operands, which picks the micro-kernel
// shape (asm.Impl.SgemmFor). It panics, with a "blas:" message, on a bad
// shape, a short slice or a bad transpose.
func (p *PackedB32) Pack(tB gblas.Transpose, k, n int, b []float32, ldb int, rows int) {
	trans := tB == gblas.Trans || tB == gblas.ConjTrans
	switch {
	case !trans && tB != gblas.NoTrans:
		panic(badTranspose)
	case k < 1 || n < 1 || rows < 0:
		panic(errPackedShape)
	case !trans && ldb < max(1, n), trans && ldb < max(1, k):
		panic(errPackedShape)
	case !trans && len(b) < (k-1)*ldb+n, trans && len(b) < (n-1)*ldb+k:
		panic(shortB)
	}
	impl := asm.Current()
	p.mr, p.kern, _ = impl.SgemmFor(max(rows, 1))
	p.half, _ = impl.SgemmHalfFor(max(rows, 1))
	p.lowMR, p.low, _ = impl.SgemmLowFor(p.mr)
	if lowOff {
		p.low = nil
	}
	p.k, p.n, p.nr = k, n, impl.SNR
	p.direct = nil
	if impl.SgemmDirect != nil && impl.SDirectNR >= impl.SNR && (impl.DirectMaxK == 0 || k <= impl.DirectMaxK) {
		p.direct = impl.SgemmDirect
	}
	nr := p.nr
	panels := (n + nr - 1) / nr
	p.b = growSlice(p.b, panels*k*nr)
	for jp := 0; jp < panels; jp++ {
		panel := p.b[jp*k*nr : (jp+1)*k*nr]
		cols := min(nr, n-jp*nr)
		for q := 0; q < k; q++ {
			d := panel[q*nr : (q+1)*nr]
			if trans {
				for j := 0; j < cols; j++ {
					d[j] = b[(jp*nr+j)*ldb+q]
				}
			} else {
				copy(d[:cols], b[q*ldb+jp*nr:q*ldb+jp*nr+cols])
			}
			clear(d[cols:])
		}
	}
}

// Dims returns K and N.
func (p *PackedB32) Dims() (k, n int) { return p.k, p.n }

// PanelRows returns the micro-kernel's row count: products split across
// goroutines by rows should split in multiples of it.
func (p *PackedB32) PanelRows() int { return p.mr }

// Bytes returns the size of the packed operand (to decide whether it fits
// a core's cache).
func (p *PackedB32) Bytes() int { return 4 * len(p.b) }

// Mul computes C = A op(B) for A, m x K (row-major, leading dimension
// lda), and C, m x N (leading dimension ldc), then adds bias (length N,
// to every row) when it is not nil and applies ReLU (x > 0 ? x : 0) when
// relu is set; with accumulate, C += A op(B) (before the bias and ReLU).
// C is not read otherwise. It runs on the calling goroutine with the
// workspace ws and allocates nothing once ws has grown. It panics, with a
// "blas:" message, on short slices or a bad leading dimension.
func (p *PackedB32) Mul(ws *PackedWorkspace32, m int, a []float32, lda int, c []float32, ldc int, bias []float32, relu, accumulate bool) {
	flags := p.check(m, a, lda, c, ldc, bias, relu, accumulate)
	p.packA(ws, a, lda, m)
	p.compute(ws.a, ws, m, c, ldc, bias, flags, 0, (p.n+p.nr-1)/p.nr)
}

// MulSplit is Mul with the column panels of C split across len(ws)
// goroutines of the worker pool (Run): each reads only its share of the
// packed operand, which pays when that does not fit one core's cache.
// Where the implementation has a direct kernel as wide as a micro-panel
// (asm.Impl.SgemmDirect: AVX-512, AVX2) each goroutine reads A in place;
// otherwise A is packed once, into ws[0], before the split. The results
// are Mul's, bit for bit. A PackedB32 runs one MulSplit at a time.
func (p *PackedB32) MulSplit(ws []PackedWorkspace32, m int, a []float32, lda int, c []float32, ldc int, bias []float32, relu, accumulate bool) {
	flags := p.check(m, a, lda, c, ldc, bias, relu, accumulate)
	if len(ws) == 0 {
		panic(errPackedWorkspace)
	}
	if p.direct != nil && len(ws) > 1 {
		// The split reads A in place: packing it is serial work on the
		// calling goroutine while the others wait.
		p.task = packedTask{p: p, ws: ws, m: m, a: a, lda: lda, c: c, ldc: ldc, bias: bias, flags: flags}
	} else {
		p.packA(&ws[0], a, lda, m)
		p.task = packedTask{p: p, ws: ws, m: m, c: c, ldc: ldc, bias: bias, flags: flags}
	}
	Run(&p.task, len(ws))
	p.task = packedTask{}
}

// check validates a product's arguments and returns its epilogue flags.
func (p *PackedB32) check(m int, a []float32, lda int, c []float32, ldc int, bias []float32, relu, accumulate bool) asm.GemmFlags {
	switch {
	case p.kern == nil:
		panic(errPackedEmpty)
	case m < 0:
		panic(errPackedShape)
	case lda < max(1, p.k):
		panic(badLdA)
	case ldc < max(1, p.n):
		panic(badLdC)
	case m > 0 && p.k > 0 && len(a) < (m-1)*lda+p.k:
		panic(shortA)
	case m > 0 && p.n > 0 && len(c) < (m-1)*ldc+p.n:
		panic(shortC)
	case bias != nil && len(bias) < p.n:
		panic(shortBias)
	}
	var flags asm.GemmFlags
	if accumulate {
		flags |= asm.Accumulate
	}
	if bias != nil {
		flags |= asm.AddBias
	}
	if relu {
		flags |= asm.ReLU
	}
	return flags
}

// packedTask is one MulSplit, split by column panels.
type packedTask struct {
	p     *PackedB32
	ws    []PackedWorkspace32
	m     int
	a     []float32 // A in place (the direct kernel), or nil: A packed in ws[0]
	lda   int
	c     []float32
	ldc   int
	bias  []float32
	flags asm.GemmFlags
}

// RunPart computes part part of parts of the column panels (Task).
func (t *packedTask) RunPart(part, parts int) {
	panels := (t.p.n + t.p.nr - 1) / t.p.nr
	jp0, jp1 := part*panels/parts, (part+1)*panels/parts
	if t.a != nil {
		t.p.computeDirect(t.a, t.lda, &t.ws[part], t.m, t.c, t.ldc, t.bias, t.flags, jp0, jp1)
		return
	}
	t.p.compute(t.ws[0].a, &t.ws[part], t.m, t.c, t.ldc, t.bias, t.flags, jp0, jp1)
}

// computeDirect is compute for A in place (m x K, leading dimension lda),
// with the direct kernel: each full column panel's product goes straight
// to C (adding to it with Accumulate), the last, narrower one to ws's edge
// tile at the full panel width (the packed panel's padding columns are
// zeros), so that every sum runs over the same depths in the same order as
// the packed kernel's and the results are the same bit for bit. The bias
// and ReLU then pass over the full panels' rows, as the kernel's epilogue
// would have applied them.
func (p *PackedB32) computeDirect(a []float32, lda int, ws *PackedWorkspace32, m int, c []float32, ldc int, bias []float32, flags asm.GemmFlags, jp0, jp1 int) {
	if m == 0 || jp0 >= jp1 {
		return
	}
	k, nr := p.k, p.nr
	full := max(jp0, min(jp1, p.n/nr)) // panels [jp0, full) are full
	for jp := jp0; jp < jp1; jp++ {
		bp := p.b[jp*k*nr : (jp+1)*k*nr]
		j0 := jp * nr
		if jp < full {
			p.direct(m, nr, k, a, lda, 1, bp, nr, c[j0:], ldc, 1, flags&asm.Accumulate)
			continue
		}
		cols := p.n - j0
		ws.tmp = growSlice(ws.tmp, m*nr)
		p.direct(m, nr, k, a, lda, 1, bp, nr, ws.tmp, nr, 1, 0)
		var bs []float32
		if bias != nil {
			bs = bias[j0 : j0+cols]
		}
		edgeTile(c[j0:], ldc, ws.tmp, nr, m, cols, bs, flags)
	}
	if flags&(asm.AddBias|asm.ReLU) == 0 || full == jp0 {
		return
	}
	c0, c1 := jp0*nr, full*nr
	for i := 0; i < m; i++ {
		row := c[i*ldc+c0 : i*ldc+c1]
		switch {
		case flags&asm.AddBias != 0 && flags&asm.ReLU != 0:
			asm.BiasRelu(row, row, bias[c0:c1])
		case flags&asm.ReLU != 0:
			asm.Relu(row, row)
		default:
			for j, b := range bias[c0:c1] {
				row[j] += b
			}
		}
	}
}

// packA packs A (m x K, leading dimension lda) into ws.a in micro-panels
// of mr rows.
func (p *PackedB32) packA(ws *PackedWorkspace32, a []float32, lda, m int) {
	k, mr := p.k, p.mr
	rowPanels := (m + mr - 1) / mr
	ws.a = growSlice(ws.a, rowPanels*k*mr)
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
			for q, v := range src {
				panel[q*mr+i] = v
			}
		}
		for i := rows; i < mr; i++ {
			for q := 0; q < k; q++ {
				panel[q*mr+i] = 0
			}
		}
	}
}

// compute runs the micro-kernel on column panels [jp0, jp1) of C for the
// packed A pa, with ws's edge tile (the engine's edgeTile epilogue).
func (p *PackedB32) compute(pa []float32, ws *PackedWorkspace32, m int, c []float32, ldc int, bias []float32, flags asm.GemmFlags, jp0, jp1 int) {
	k, mr, nr := p.k, p.mr, p.nr
	ws.tmp = growSlice(ws.tmp, mr*nr)
	for jp := jp0; jp < jp1; jp++ {
		bp := p.b[jp*k*nr : (jp+1)*k*nr]
		j0 := jp * nr
		cols := min(nr, p.n-j0)
		var bs []float32
		if bias != nil {
			bs = bias[j0 : j0+cols]
		}
		for i0 := 0; i0 < m; i0 += mr {
			ap := pa[i0*k : (i0+mr)*k]
			rows := min(mr, m-i0)
			if rows == mr && cols == nr {
				p.kern(k, ap, bp, c[i0*ldc+j0:], ldc, bs, flags)
				continue
			}
			if p.half != nil && 2*cols <= nr {
				p.half(k, ap, bp, ws.tmp, nr)
			} else if p.low != nil && cols == nr && rows <= p.lowMR {
				p.low(k, ap, bp, ws.tmp, nr)
			} else {
				p.kern(k, ap, bp, ws.tmp, nr, nil, 0)
			}
			edgeTile(c[i0*ldc+j0:], ldc, ws.tmp, nr, rows, cols, bs, flags)
		}
	}
}

// growSlice returns s with length n, reallocated only when too short.
func growSlice(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}
