//go:build !purego && !noasm

#include "textflag.h"

// Register plan (both kernels):
//   SI = source row, DI = destination of the row's first chunk,
//   R8 = lds, R9 = width, R10 = rows*width (distance between panels),
//   CX = rows left, BX = chunks left, DX = bytes left in the chunk,
//   R11/R12 = chunk source/destination cursors.

// func packPanelsAVX2Asm(dst, src unsafe.Pointer, lds, rows, width, count int)
TEXT ·packPanelsAVX2Asm(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	MOVQ rows+24(FP), CX
	MOVQ width+32(FP), R9
	MOVQ R9, R10
	IMULQ CX, R10

row2:
	MOVQ SI, R11
	MOVQ DI, R12
	MOVQ count+40(FP), BX

chunk2:
	MOVQ R9, DX
	XORQ AX, AX

move2:
	VMOVUPS (R11)(AX*1), Y0
	VMOVUPS Y0, (R12)(AX*1)
	ADDQ    $32, AX
	CMPQ    AX, DX
	JLT     move2
	ADDQ    R9, R11
	ADDQ    R10, R12
	DECQ    BX
	JNE     chunk2
	ADDQ    R8, SI
	ADDQ    R9, DI
	DECQ    CX
	JNE     row2
	VZEROUPPER
	RET

// func packPanelsAVX512Asm(dst, src unsafe.Pointer, lds, rows, width, count int)
TEXT ·packPanelsAVX512Asm(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	MOVQ rows+24(FP), CX
	MOVQ width+32(FP), R9
	MOVQ R9, R10
	IMULQ CX, R10
	CMPQ R9, $128
	JEQ  row128

row5:
	MOVQ SI, R11
	MOVQ DI, R12
	MOVQ count+40(FP), BX

chunk5:
	MOVQ R9, DX
	XORQ AX, AX

move5:
	VMOVUPS (R11)(AX*1), Z0
	VMOVUPS Z0, (R12)(AX*1)
	ADDQ    $64, AX
	CMPQ    AX, DX
	JLT     move5
	ADDQ    R9, R11
	ADDQ    R10, R12
	DECQ    BX
	JNE     chunk5
	ADDQ    R8, SI
	ADDQ    R9, DI
	DECQ    CX
	JNE     row5
	VZEROUPPER
	RET

	// 128-byte chunks (fp32 panels of 32, fp64 panels of 16): two moves.
row128:
	MOVQ SI, R11
	MOVQ DI, R12
	MOVQ count+40(FP), BX

chunk128:
	VMOVUPS (R11), Z0
	VMOVUPS 64(R11), Z1
	VMOVUPS Z0, (R12)
	VMOVUPS Z1, 64(R12)
	ADDQ    $128, R11
	ADDQ    R10, R12
	DECQ    BX
	JNE     chunk128
	ADDQ    R8, SI
	ADDQ    R9, DI
	DECQ    CX
	JNE     row128
	VZEROUPPER
	RET
