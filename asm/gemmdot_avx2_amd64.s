//go:build !purego && !noasm

#include "textflag.h"

// The fp32 dot-product kernel on AVX2 (see gemmdot.go): a tile of up to
// 2 x 4 elements of C = alpha * A * B^T (+ C, + bias, ReLU as flags say)
// with the rows of A and of B both read in place along the depth, eight
// depths per step.
//
// Register plan:
//   Y0..Y7    accumulators: A row i against B row j in Y(4i+j), each lane
//             a partial sum over the depths of that lane
//   Y8, Y9    eight depths of A rows 0, 1; Y10 eight depths of a B row
//   Y11       the depth mask of the last, partial step (VMASKMOVPS: lanes
//             past the depth read as zero and touch no memory)
//   R8, R9    A rows 0, 1, R12, R13, BX, SI  B rows 0..3 (rows or columns
//             past the last repeat it; their results are never stored)
//   AX = byte offset of the current depth step, CX = full steps left
//
// Per step: 6 loads, 8 FMAs. Each row's four accumulators are then summed
// across lanes by two horizontal adds, a third, and the sum of the two
// 128-bit halves, into the row's four elements.

// diota holds 0..7 (int32), for the depth and column masks.
DATA diota<>+0(SB)/4, $0
DATA diota<>+4(SB)/4, $1
DATA diota<>+8(SB)/4, $2
DATA diota<>+12(SB)/4, $3
DATA diota<>+16(SB)/4, $4
DATA diota<>+20(SB)/4, $5
DATA diota<>+24(SB)/4, $6
DATA diota<>+28(SB)/4, $7
GLOBL diota<>(SB), RODATA|NOPTR, $32

// func sgemmDotAVX2Asm(k int, a *float32, lda, rows int, b *float32, ldb, cols int, c *float32, ldc int, bias *float32, alpha float32, flags GemmFlags)
TEXT ·sgemmDotAVX2Asm(SB), NOSPLIT, $0-96
	MOVQ a+8(FP), R8
	MOVQ R8, R9
	CMPQ rows+24(FP), $1
	JLE  arow1
	MOVQ lda+16(FP), DX
	LEAQ (R8)(DX*4), R9
arow1:
	MOVQ b+32(FP), R12
	MOVQ ldb+40(FP), DX
	SHLQ $2, DX
	MOVQ cols+48(FP), CX
	MOVQ R12, R13
	CMPQ CX, $1
	JLE  brow1
	ADDQ DX, R13
brow1:
	MOVQ R13, BX
	CMPQ CX, $2
	JLE  brow2
	ADDQ DX, BX
brow2:
	MOVQ BX, SI
	CMPQ CX, $3
	JLE  brow3
	ADDQ DX, SI
brow3:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ AX, AX
	MOVQ k+0(FP), CX
	SHRQ $3, CX
	JEQ  tail

loop:
	VMOVUPS (R8)(AX*1), Y8
	VMOVUPS (R9)(AX*1), Y9
	VMOVUPS (R12)(AX*1), Y10
	VFMADD231PS Y10, Y8, Y0
	VFMADD231PS Y10, Y9, Y4
	VMOVUPS (R13)(AX*1), Y10
	VFMADD231PS Y10, Y8, Y1
	VFMADD231PS Y10, Y9, Y5
	VMOVUPS (BX)(AX*1), Y10
	VFMADD231PS Y10, Y8, Y2
	VFMADD231PS Y10, Y9, Y6
	VMOVUPS (SI)(AX*1), Y10
	VFMADD231PS Y10, Y8, Y3
	VFMADD231PS Y10, Y9, Y7
	ADDQ $32, AX
	DECQ CX
	JNE  loop

tail:
	MOVQ k+0(FP), CX
	ANDQ $7, CX
	JEQ  reduce
	MOVQ CX, X11
	VPBROADCASTD X11, Y11
	VMOVDQU diota<>(SB), Y10
	VPCMPGTD Y10, Y11, Y11
	VMASKMOVPS (R8)(AX*1), Y11, Y8
	VMASKMOVPS (R9)(AX*1), Y11, Y9
	VMASKMOVPS (R12)(AX*1), Y11, Y10
	VFMADD231PS Y10, Y8, Y0
	VFMADD231PS Y10, Y9, Y4
	VMASKMOVPS (R13)(AX*1), Y11, Y10
	VFMADD231PS Y10, Y8, Y1
	VFMADD231PS Y10, Y9, Y5
	VMASKMOVPS (BX)(AX*1), Y11, Y10
	VFMADD231PS Y10, Y8, Y2
	VFMADD231PS Y10, Y9, Y6
	VMASKMOVPS (SI)(AX*1), Y11, Y10
	VFMADD231PS Y10, Y8, Y3
	VFMADD231PS Y10, Y9, Y7

reduce:
	// Row i's sums into X(4i): hadd(Y4i, Y4i+1), hadd(Y4i+2, Y4i+3), their
	// hadd, then the two 128-bit halves added.
	VHADDPS Y1, Y0, Y0
	VHADDPS Y3, Y2, Y2
	VHADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS Y5, Y4, Y4
	VHADDPS Y7, Y6, Y6
	VHADDPS Y6, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPS X5, X4, X4
	VBROADCASTSS alpha+80(FP), X8
	VMULPS X8, X0, X0
	VMULPS X8, X4, X4

	// X11 = the tile's columns (mask), X9 = bias (AddBias), X10 = 0 (ReLU)
	MOVQ cols+48(FP), CX
	MOVQ CX, X11
	VPBROADCASTD X11, X11
	VMOVDQU diota<>(SB), X10
	VPCMPGTD X10, X11, X11
	MOVQ flags+88(FP), R8
	TESTQ $2, R8 // AddBias
	JEQ  nobias
	MOVQ bias+72(FP), R9
	VMASKMOVPS (R9), X11, X9
nobias:
	VXORPS X10, X10, X10
	MOVQ c+56(FP), DI
	MOVQ ldc+64(FP), DX
	SHLQ $2, DX
	TESTQ $1, R8 // Accumulate
	JEQ  bias0
	VMASKMOVPS (DI), X11, X3
	VADDPS X3, X0, X0
bias0:
	TESTQ $2, R8 // AddBias
	JEQ  relu0
	VADDPS X9, X0, X0
relu0:
	TESTQ $4, R8 // ReLU
	JEQ  store0
	VMAXPS X10, X0, X0
store0:
	VMASKMOVPS X0, X11, (DI)
	CMPQ rows+24(FP), $2
	JLT  done
	ADDQ DX, DI
	TESTQ $1, R8 // Accumulate
	JEQ  bias1
	VMASKMOVPS (DI), X11, X3
	VADDPS X3, X4, X4
bias1:
	TESTQ $2, R8 // AddBias
	JEQ  relu1
	VADDPS X9, X4, X4
relu1:
	TESTQ $4, R8 // ReLU
	JEQ  store1
	VMAXPS X10, X4, X4
store1:
	VMASKMOVPS X4, X11, (DI)

done:
	VZEROUPPER
	RET
