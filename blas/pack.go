package blas

// Packing copies a block of op(A) or op(B) into the contiguous micro-panel
// layout the micro-kernels read (see package asm): transposes, strides and
// alpha are absorbed here, and edges are padded with zeros.

// packA packs rows [i0, i0+mc) and columns [p0, p0+kc) of op(A), scaled by
// alpha, into dst as ceil(mc/mr) micro-panels of kc*mr values:
// dst[ip*kc*mr + p*mr + i] = alpha * op(A)[i0+ip*mr+i][p0+p].
func packA[T float32 | float64](dst []T, a []T, lda int, trans bool, i0, mc, p0, kc, mr int, alpha T) {
	for ip := 0; ip*mr < mc; ip++ {
		panel := dst[ip*kc*mr : (ip+1)*kc*mr]
		rows := min(mr, mc-ip*mr)
		r0 := i0 + ip*mr
		if trans {
			// op(A)[i][p] = a[p*lda+i]: each p gives mr contiguous values.
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
		// op(A)[i][p] = a[i*lda+p]: read each row contiguously.
		for i := 0; i < rows; i++ {
			src := a[(r0+i)*lda+p0 : (r0+i)*lda+p0+kc]
			for p, v := range src {
				panel[p*mr+i] = alpha * v
			}
		}
		for i := rows; i < mr; i++ {
			for p := 0; p < kc; p++ {
				panel[p*mr+i] = 0
			}
		}
	}
}

// packB packs rows [p0, p0+kc) and columns [j0+jp0*nr, j0+jp1*nr) ∩ [j0, j0+nc)
// of op(B) into micro-panels jp0..jp1-1 of dst:
// dst[jp*kc*nr + p*nr + j] = op(B)[p0+p][j0+jp*nr+j].
func packB[T float32 | float64](dst []T, b []T, ldb int, trans bool, p0, kc, j0, nc, nr, jp0, jp1 int) {
	for jp := jp0; jp < jp1; jp++ {
		panel := dst[jp*kc*nr : (jp+1)*kc*nr]
		cols := min(nr, nc-jp*nr)
		c0 := j0 + jp*nr
		if !trans {
			// op(B)[p][j] = b[p*ldb+j]: each p gives nr contiguous values.
			if cols == nr && copyRows(panel, b[(p0)*ldb+c0:], ldb, kc, nr) {
				continue
			}
			for p := 0; p < kc; p++ {
				src := b[(p0+p)*ldb+c0 : (p0+p)*ldb+c0+cols]
				d := panel[p*nr : p*nr+nr]
				copy(d, src)
				for j := cols; j < nr; j++ {
					d[j] = 0
				}
			}
			continue
		}
		// op(B)[p][j] = b[j*ldb+p]: read each column of op(B) contiguously.
		for j := 0; j < cols; j++ {
			src := b[(c0+j)*ldb+p0 : (c0+j)*ldb+p0+kc]
			for p, v := range src {
				panel[p*nr+j] = v
			}
		}
		for j := cols; j < nr; j++ {
			for p := 0; p < kc; p++ {
				panel[p*nr+j] = 0
			}
		}
	}
}

// copyRows copies kc rows of nr contiguous values, row p starting at
// src[p*lds], into dst[p*nr:]. Fixed-size array copies compile to a few wide
// moves, where copy would call memmove for every 32- or 64-byte row. It
// reports false, copying nothing, for widths it has no fixed-size form for.
func copyRows[T float32 | float64](dst, src []T, lds, kc, nr int) bool {
	switch nr {
	case 16:
		for p := 0; p < kc; p++ {
			*(*[16]T)(dst[p*16:]) = *(*[16]T)(src[p*lds:])
		}
	case 12:
		for p := 0; p < kc; p++ {
			*(*[12]T)(dst[p*12:]) = *(*[12]T)(src[p*lds:])
		}
	case 8:
		for p := 0; p < kc; p++ {
			*(*[8]T)(dst[p*8:]) = *(*[8]T)(src[p*lds:])
		}
	case 4:
		for p := 0; p < kc; p++ {
			*(*[4]T)(dst[p*4:]) = *(*[4]T)(src[p*lds:])
		}
	default:
		return false
	}
	return true
}
