package blas

import "github.com/fastpath-go/fastpath/asm"

// Packing copies a block of op(A) or op(B) into the contiguous micro-panel
// layout the micro-kernels read (see package asm): transposes, strides and
// alpha are absorbed here, and edges are padded with zeros.

// packA packs rows [i0, i0+mc) and columns [p0, p0+kc) of op(A), scaled by
// alpha, into dst as ceil(mc/mr) micro-panels of kc*mr values:
// dst[ip*kc*mr + p*mr + i] = alpha * op(A)[i0+ip*mr+i][p0+p]. tr, if not
// nil, is the transposing copy (asm.Impl.Transpose) that packs full
// panels of an untransposed A when alpha is 1.
func packA[T float32 | float64](dst []T, a []T, lda int, trans bool, i0, mc, p0, kc, mr int, alpha T, tr func(dst, src []T, lds, rows, kc int)) {
	for ip := 0; ip*mr < mc; ip++ {
		panel := dst[ip*kc*mr : (ip+1)*kc*mr]
		rows := min(mr, mc-ip*mr)
		r0 := i0 + ip*mr
		if trans {
			// op(A)[i][p] = a[p*lda+i]: each p gives mr contiguous values.
			if rows == mr && copyRows(panel, a[(p0)*lda+r0:], lda, kc, mr) {
				if alpha != 1 {
					// Scaling the contiguous panel afterwards is faster than
					// scaling in the gather (LU's and Cholesky's updates
					// have alpha = -1).
					for i := range panel {
						panel[i] *= alpha
					}
				}
				continue
			}
			for p := 0; p < kc; p++ {
				src := a[(p0+p)*lda+r0 : (p0+p)*lda+r0+rows]
				d := panel[p*mr : p*mr+mr]
				for i, v := range src {
					d[i] = alpha * v
				}
				for i := rows; i < mr; i++ {
					d[i] = 0
				}
			}
			continue
		}
		// op(A)[i][p] = a[i*lda+p]: read each row contiguously, with the
		// transpose kernel (tr, float32) where there is one, no scaling and
		// at least eight rows (it transposes 8x8 blocks: BenchmarkPackA,
		// 8 rows 13 -> 39 GB/s, 10 rows 11 -> 21, and 25 on Zen 4 since rows
		// 8 and 9 take the kernel's pair pass instead of a loop (17 there
		// before); with 6 rows it would run its generic loop, slower than
		// packRows: 12 -> 9.4).
		if rows == mr && mr >= 8 && tr != nil && alpha == 1 && kc >= 8 {
			tr(panel, a[r0*lda+p0:r0*lda+p0+(mr-1)*lda+kc], lda, mr, kc)
			continue
		}
		if rows == mr && packRows(panel, a[r0*lda+p0:], lda, kc, mr, alpha) {
			continue
		}
		// A partial panel (the last rows): zero it in one sweep, then
		// scatter the rows into it.
		if rows < mr {
			clear(panel)
		}
		for i := 0; i < rows; i++ {
			src := a[(r0+i)*lda+p0 : (r0+i)*lda+p0+kc]
			for p, v := range src {
				panel[p*mr+i] = alpha * v
			}
		}
	}
}

// packB packs rows [p0, p0+kc) and columns [j0+jp0*nr, j0+jp1*nr) ∩ [j0, j0+nc)
// of op(B) into micro-panels jp0..jp1-1 of dst:
// dst[jp*kc*nr + p*nr + j] = op(B)[p0+p][j0+jp*nr+j].
func packB[T float32 | float64](dst []T, b []T, ldb int, trans bool, p0, kc, j0, nc, nr, jp0, jp1 int) {
	if jp0 >= jp1 {
		return
	}
	if !trans {
		// op(B)[p][j] = b[p*ldb+j]. Walk B row by row (a sequential read the
		// hardware prefetchers follow) and deal each row's full micro-panel
		// widths out to the panels; the last panel may be partial.
		full := min(jp1, jp0+(nc-jp0*nr)/nr) // panels jp0..full-1 are nr wide
		if full > jp0 {
			packPanels(dst[jp0*kc*nr:], b[p0*ldb+j0+jp0*nr:], ldb, kc, nr, full-jp0)
		}
		for jp := full; jp < jp1; jp++ {
			// The last, partial panel: zero it in one sweep, then copy
			// each row's few values with a loop (cheaper than a memmove
			// call per row).
			panel := dst[jp*kc*nr : (jp+1)*kc*nr]
			cols := min(nr, nc-jp*nr)
			clear(panel)
			for p := 0; p < kc; p++ {
				src := b[(p0+p)*ldb+j0+jp*nr : (p0+p)*ldb+j0+jp*nr+cols]
				d := panel[p*nr : p*nr+cols]
				for j, v := range src {
					d[j] = v
				}
			}
		}
		return
	}
	for jp := jp0; jp < jp1; jp++ {
		panel := dst[jp*kc*nr : (jp+1)*kc*nr]
		cols := min(nr, nc-jp*nr)
		c0 := j0 + jp*nr
		// op(B)[p][j] = b[j*ldb+p]: read each column of op(B) contiguously.
		if cols == nr && transposeRows(panel, b[c0*ldb+p0:], ldb, kc, nr) {
			continue
		}
		if cols < nr {
			clear(panel)
		}
		for j := 0; j < cols; j++ {
			src := b[(c0+j)*ldb+p0 : (c0+j)*ldb+p0+kc]
			for p, v := range src {
				panel[p*nr+j] = v
			}
		}
	}
}

// packPanels packs count full micro-panels nr wide from rows rows of a
// row-major source with the selected asm kernel (asm.PackPanelsGeneric32).
func packPanels[T float32 | float64](dst, src []T, lds, rows, nr, count int) {
	switch d := any(dst).(type) {
	case []float32:
		s := any(src).([]float32)
		asm.PackPanels32(d, s[:(rows-1)*lds+count*nr], lds, rows, nr, count)
	case []float64:
		s := any(src).([]float64)
		asm.PackPanels64(d, s[:(rows-1)*lds+count*nr], lds, rows, nr, count)
	}
}

// copyRows copies kc runs of mr values, run p at src[p*lds:], to
// dst[p*mr:], element by element for the micro-kernel row counts in use; it
// reports false, copying nothing, for other counts. (Fixed-size array
// moves, *(*[10]T)(dst) = *(*[10]T)(src), compile to a runtime.memmove
// call per run: BenchmarkPackA, transposed A, Zen 4, 4-9 GB/s against
// 10-17 GB/s element by element; the copy was 6% of the hidden-500 RNN's
// training step, whose weight gradient packs dZ^T this way.)
func copyRows[T float32 | float64](dst, src []T, lds, kc, mr int) bool {
	switch mr {
	case 10:
		for p := 0; p < kc; p++ {
			s := src[p*lds : p*lds+10 : p*lds+10]
			d := dst[p*10 : p*10+10 : p*10+10]
			d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9] = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]
		}
	case 8:
		for p := 0; p < kc; p++ {
			s := src[p*lds : p*lds+8 : p*lds+8]
			d := dst[p*8 : p*8+8 : p*8+8]
			d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
		}
	case 6:
		for p := 0; p < kc; p++ {
			s := src[p*lds : p*lds+6 : p*lds+6]
			d := dst[p*6 : p*6+6 : p*6+6]
			d[0], d[1], d[2], d[3], d[4], d[5] = s[0], s[1], s[2], s[3], s[4], s[5]
		}
	case 4:
		for p := 0; p < kc; p++ {
			s := src[p*lds : p*lds+4 : p*lds+4]
			d := dst[p*4 : p*4+4 : p*4+4]
			d[0], d[1], d[2], d[3] = s[0], s[1], s[2], s[3]
		}
	default:
		return false
	}
	return true
}

// packRows interleaves mr rows of kc values (row i starting at src[i*lds])
// into dst[p*mr+i] = alpha*src[i*lds+p], for the micro-kernel shapes in use;
// reading the mr rows side by side writes dst sequentially. It reports false,
// packing nothing, for other shapes.
func packRows[T float32 | float64](dst, src []T, lds, kc, mr int, alpha T) bool {
	switch mr {
	case 6:
		r0, r1, r2 := src[:kc], src[lds:lds+kc], src[2*lds:2*lds+kc]
		r3, r4, r5 := src[3*lds:3*lds+kc], src[4*lds:4*lds+kc], src[5*lds:5*lds+kc]
		dst = dst[:6*kc]
		if alpha == 1 {
			for p := range r0 {
				d := dst[6*p : 6*p+6 : 6*p+6]
				d[0], d[1], d[2], d[3], d[4], d[5] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
			}
			return true
		}
		for p := range r0 {
			d := dst[6*p : 6*p+6 : 6*p+6]
			d[0], d[1], d[2] = alpha*r0[p], alpha*r1[p], alpha*r2[p]
			d[3], d[4], d[5] = alpha*r3[p], alpha*r4[p], alpha*r5[p]
		}
		return true
	case 10:
		r0, r1, r2, r3, r4 := src[:kc], src[lds:lds+kc], src[2*lds:2*lds+kc], src[3*lds:3*lds+kc], src[4*lds:4*lds+kc]
		r5, r6, r7, r8, r9 := src[5*lds:5*lds+kc], src[6*lds:6*lds+kc], src[7*lds:7*lds+kc], src[8*lds:8*lds+kc], src[9*lds:9*lds+kc]
		dst = dst[:10*kc]
		if alpha == 1 {
			for p := range r0 {
				d := dst[10*p : 10*p+10 : 10*p+10]
				d[0], d[1], d[2], d[3], d[4] = r0[p], r1[p], r2[p], r3[p], r4[p]
				d[5], d[6], d[7], d[8], d[9] = r5[p], r6[p], r7[p], r8[p], r9[p]
			}
			return true
		}
		for p := range r0 {
			d := dst[10*p : 10*p+10 : 10*p+10]
			d[0], d[1], d[2], d[3], d[4] = alpha*r0[p], alpha*r1[p], alpha*r2[p], alpha*r3[p], alpha*r4[p]
			d[5], d[6], d[7], d[8], d[9] = alpha*r5[p], alpha*r6[p], alpha*r7[p], alpha*r8[p], alpha*r9[p]
		}
		return true
	case 8:
		r0, r1, r2, r3 := src[:kc], src[lds:lds+kc], src[2*lds:2*lds+kc], src[3*lds:3*lds+kc]
		r4, r5, r6, r7 := src[4*lds:4*lds+kc], src[5*lds:5*lds+kc], src[6*lds:6*lds+kc], src[7*lds:7*lds+kc]
		dst = dst[:8*kc]
		for p := range r0 {
			d := dst[8*p : 8*p+8 : 8*p+8]
			d[0], d[1], d[2], d[3] = alpha*r0[p], alpha*r1[p], alpha*r2[p], alpha*r3[p]
			d[4], d[5], d[6], d[7] = alpha*r4[p], alpha*r5[p], alpha*r6[p], alpha*r7[p]
		}
		return true
	case 4:
		r0, r1, r2, r3 := src[:kc], src[lds:lds+kc], src[2*lds:2*lds+kc], src[3*lds:3*lds+kc]
		dst = dst[:4*kc]
		for p := range r0 {
			d := dst[4*p : 4*p+4 : 4*p+4]
			d[0], d[1], d[2], d[3] = alpha*r0[p], alpha*r1[p], alpha*r2[p], alpha*r3[p]
		}
		return true
	}
	return false
}

// transposeRows writes dst[p*rows+j] = src[j*lds+p] for a full micro-panel
// of a transposed operand: with the asm kernels for float32, with an
// unrolled loop reading eight rows side by side for float64 panels of a
// multiple of 8. It reports false, packing nothing, where it has neither.
//
// A 32-row float32 panel (the AVX-512 kernels' B micro-panel) takes four
// passes of 8 rows, each writing a quarter of every 128-byte packed row.
// A kernel transposing all 32 rows a step (whole packed rows written at
// once) was tried on Zen 4 and not kept: one thread, interleaved medians,
// 100x4000x4000 with B transposed 96.0 against 95.8 GFLOP/s, 100x784x4000
// 93.3 against 95.0, 128x1000x1000 96.6 against 94.9; two threads, paired
// ratios 1.00 and 1.03 (quartiles 0.97-1.05). The transposition's cost
// (7.5% of a 100x4000x4000 product with B transposed, in the profile) is
// in reading the source rows, not in the partial writes.
func transposeRows[T float32 | float64](dst, src []T, lds, kc, rows int) bool {
	switch d := any(dst).(type) {
	case []float32:
		asm.Transpose(d, any(src).([]float32)[:(rows-1)*lds+kc], lds, rows, kc)
		return true
	case []float64:
		if rows%8 != 0 || rows == 0 {
			return false
		}
		transposeTo(d[:rows*kc], rows, any(src).([]float64), lds, rows, kc)
		return true
	}
	return false
}
