package asm

// PackPanelsGeneric32 is the reference for the copy that packs rows of a
// non-transposed GEMM operand into count micro-panels nr values wide, the
// panels pstride values apart (pstride >= rows*nr; a panel of depth kc
// filled in slices of rows has pstride = kc*nr):
//
//	for c := 0; c < count; c++ {
//		for p := 0; p < rows; p++ {
//			for j := 0; j < nr; j++ { dst[c*pstride+p*nr+j] = src[p*lds+c*nr+j] }
//		}
//	}
//
// It walks src row by row (a sequential read the hardware prefetchers
// follow) and deals each row's chunks out to the panels.
func PackPanelsGeneric32(dst, src []float32, lds, rows, nr, count, pstride int) {
	checkPackPanels(len(dst), len(src), lds, rows, nr, count, pstride)
	for p := 0; p < rows; p++ {
		row := src[p*lds : p*lds+count*nr]
		for c := 0; c < count; c++ {
			copy(dst[c*pstride+p*nr:c*pstride+p*nr+nr], row[c*nr:c*nr+nr])
		}
	}
}

// PackPanelsGeneric64 is PackPanelsGeneric32 on float64.
func PackPanelsGeneric64(dst, src []float64, lds, rows, nr, count, pstride int) {
	checkPackPanels(len(dst), len(src), lds, rows, nr, count, pstride)
	for p := 0; p < rows; p++ {
		row := src[p*lds : p*lds+count*nr]
		for c := 0; c < count; c++ {
			copy(dst[c*pstride+p*nr:c*pstride+p*nr+nr], row[c*nr:c*nr+nr])
		}
	}
}

// PackPanels32 performs PackPanelsGeneric32's copy with the selected
// implementation.
func PackPanels32(dst, src []float32, lds, rows, nr, count, pstride int) {
	Current().PackPanels32(dst, src, lds, rows, nr, count, pstride)
}

// PackPanels64 performs PackPanelsGeneric64's copy with the selected
// implementation.
func PackPanels64(dst, src []float64, lds, rows, nr, count, pstride int) {
	Current().PackPanels64(dst, src, lds, rows, nr, count, pstride)
}

func checkPackPanels(ldst, lsrc, lds, rows, nr, count, pstride int) {
	switch {
	case rows < 0 || nr < 0 || count < 0:
		panic(errNegK)
	case rows == 0 || nr == 0 || count == 0:
		return
	case lds < count*nr:
		panic(errLdw)
	case pstride < rows*nr:
		panic(errPstride)
	case lsrc < (rows-1)*lds+count*nr:
		panic(errShortW)
	case ldst < (count-1)*pstride+rows*nr:
		panic(errShortC)
	}
}
