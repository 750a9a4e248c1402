package asm

// transposeGeneric is the reference for the transposing copy used to pack
// a transposed operand for the GEMM micro-kernel:
//
//	for p := 0; p < kc; p++ {
//		for j := 0; j < rows; j++ { dst[p*rows+j] = src[j*lds+p] }
//	}
//
// rows rows of kc values each (row j starting at src[j*lds]) are
// interleaved so that dst is written sequentially.
func transposeGeneric(dst, src []float32, lds, rows, kc int) {
	checkTranspose(len(dst), len(src), lds, rows, kc)
	for j := 0; j < rows; j++ {
		row := src[j*lds : j*lds+kc]
		for p, v := range row {
			dst[p*rows+j] = v
		}
	}
}

// Transpose performs transposeGeneric's copy with the selected
// implementation.
func Transpose(dst, src []float32, lds, rows, kc int) { Current().Transpose(dst, src, lds, rows, kc) }

func checkTranspose(ldst, lsrc, lds, rows, kc int) {
	switch {
	case rows < 0 || kc < 0:
		panic(errNegK)
	case rows == 0 || kc == 0:
		return
	case lds < kc:
		panic(errLdw)
	case lsrc < (rows-1)*lds+kc:
		panic(errShortW)
	case ldst < rows*kc:
		panic(errShortC)
	}
}
