package asm

// transposeGeneric is the reference for the transposing copy used to pack
// a transposed operand for the GEMM micro-kernel:
//
//	for p := 0; p < kc; p++ {
//		for j := 0; j < rows; j++ { dst[p*ldd+j] = src[j*lds+p] }
//	}
//
// rows rows of kc values each (row j starting at src[j*lds]) are
// interleaved so that dst is written sequentially (ldd = rows: a packed
// micro-panel) or as the rows of a k x rows matrix of leading dimension
// ldd >= rows (the elements between are not written).
func transposeGeneric(dst, src []float32, lds, rows, kc, ldd int) {
	checkTranspose(len(dst), len(src), lds, rows, kc, ldd)
	if kc == 0 {
		return
	}
	for j := 0; j < rows; j++ {
		row := src[j*lds : j*lds+kc]
		for p, v := range row {
			dst[p*ldd+j] = v
		}
	}
}

// Transpose performs transposeGeneric's copy with the selected
// implementation, into packed rows (ldd = rows).
func Transpose(dst, src []float32, lds, rows, kc int) {
	Current().Transpose(dst, src, lds, rows, kc, rows)
}

// TransposeTo performs transposeGeneric's copy with the selected
// implementation into the k x rows matrix dst of leading dimension ldd.
func TransposeTo(dst []float32, ldd int, src []float32, lds, rows, kc int) {
	Current().Transpose(dst, src, lds, rows, kc, ldd)
}

func checkTranspose(ldst, lsrc, lds, rows, kc, ldd int) {
	switch {
	case rows < 0 || kc < 0:
		panic(errNegK)
	case ldd < rows:
		panic(errLdd)
	case rows == 0 || kc == 0:
		return
	case lds < kc:
		panic(errLdw)
	case lsrc < (rows-1)*lds+kc:
		panic(errShortW)
	case ldst < (kc-1)*ldd+rows:
		panic(errShortC)
	}
}
