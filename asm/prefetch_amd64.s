//go:build !purego && !noasm

#include "textflag.h"

// func prefetchLines(p uintptr, stride, rows, lines int)
TEXT ·prefetchLines(SB), NOSPLIT, $0-32
	MOVQ p+0(FP), SI
	MOVQ stride+8(FP), DX
	MOVQ rows+16(FP), CX
	MOVQ lines+24(FP), BX
	TESTQ CX, CX
	JLE  done
	TESTQ BX, BX
	JLE  done

row:
	MOVQ SI, DI
	MOVQ BX, AX

line:
	PREFETCHT1 (DI)
	ADDQ $64, DI
	DECQ AX
	JNE  line
	ADDQ DX, SI
	DECQ CX
	JNE  row

done:
	RET
