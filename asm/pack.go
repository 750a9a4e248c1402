package asm

// packPanelsGeneric32 is the reference for the copy that packs a block of a
// non-transposed GEMM operand into count micro-panels nr values wide:
//
//	for c := 0; c < count; c++ {
//		for p := 0; p < rows; p++ {
//			for j := 0; j < nr; j++ { dst[c*rows*nr+p*nr+j] = src[p*lds+c*nr+j] }
//		}
//	}
//
// It walks src row by row (a sequential read the hardware prefetchers
// follow) and deals each row's chunks out to the panels.
func packPanelsGeneric32(dst, src []float32, lds, rows, nr, count int) {
	packPanelsGeneric(dst, src, lds, rows, nr, count)
}

// packPanelsGeneric64 is packPanelsGeneric32 on float64.
func packPanelsGeneric64(dst, src []float64, lds, rows, nr, count int) {
	packPanelsGeneric(dst, src, lds, rows, nr, count)
}

func packPanelsGeneric[T float32 | float64](dst, src []T, lds, rows, nr, count int) {
	checkPackPanels(len(dst), len(src), lds, rows, nr, count)
	for p := 0; p < rows; p++ {
		row := src[p*lds : p*lds+count*nr]
		for c := 0; c < count; c++ {
			copy(dst[c*rows*nr+p*nr:c*rows*nr+p*nr+nr], row[c*nr:c*nr+nr])
		}
	}
}

// PackPanels32 performs packPanelsGeneric32's copy with the selected
// implementation.
func PackPanels32(dst, src []float32, lds, rows, nr, count int) {
	Current().PackPanels32(dst, src, lds, rows, nr, count)
}

// PackPanels64 performs packPanelsGeneric64's copy with the selected
// implementation.
func PackPanels64(dst, src []float64, lds, rows, nr, count int) {
	Current().PackPanels64(dst, src, lds, rows, nr, count)
}

func checkPackPanels(ldst, lsrc, lds, rows, nr, count int) {
	switch {
	case rows < 0 || nr < 0 || count < 0:
		panic(errNegK)
	case rows == 0 || nr == 0 || count == 0:
		return
	case lds < count*nr:
		panic(errLdw)
	case lsrc < (rows-1)*lds+count*nr:
		panic(errShortW)
	case ldst < count*rows*nr:
		panic(errShortC)
	}
}
