//go:build !purego && !noasm

#include "textflag.h"

// The fp32 dot-product kernel (see gemmdot.go): a tile of up to 4 x 4
// elements of C = alpha * A * B^T with the rows of A and of B both read in
// place along the depth, sixteen depths per step.
//
// Register plan:
//   Z0..Z15   accumulators: A row i against B row j in Z(4j+i), each lane
//             a partial sum over the depths of that lane
//   Z16..Z19  sixteen depths of A rows 0..3
//   Z20..Z23  sixteen depths of B rows 0..3
//   R8..R11   A rows 0..3, R12, R13, BX, SI  B rows 0..3 (rows or columns
//             past the last repeat it; their results are never stored)
//   AX = byte offset of the current depth step, CX = full steps left,
//   K1 = the last partial step's mask, K2 = the tile's columns
//
// Per step: 8 loads, 16 FMAs. The epilogue scales by alpha, then per row
// adds C (Accumulate), the bias (AddBias: bias[j] for column j) and
// applies the ReLU (x > 0 ? x : 0), as sgemmDotRef. The sixteen accumulators are then summed
// across lanes by a transpose-and-add network (4 levels, 45 instructions)
// into one register whose lane 4i+j is element (i, j) of the tile.

// func sgemmDotAVX512Asm(k int, a *float32, lda, rows int, b *float32, ldb, cols int, c *float32, ldc int, bias *float32, alpha float32, flags GemmFlags)
TEXT ·sgemmDotAVX512Asm(SB), NOSPLIT, $0-96
	MOVQ a+8(FP), R8
	MOVQ lda+16(FP), DX
	SHLQ $2, DX
	MOVQ rows+24(FP), CX
	MOVQ R8, R9
	CMPQ CX, $1
	JLE  arow1
	ADDQ DX, R9
arow1:
	MOVQ R9, R10
	CMPQ CX, $2
	JLE  arow2
	ADDQ DX, R10
arow2:
	MOVQ R10, R11
	CMPQ CX, $3
	JLE  arow3
	ADDQ DX, R11
arow3:
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
	// K2: the tile's columns
	MOVL $1, DX
	SHLL CX, DX
	DECL DX
	KMOVW DX, K2
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	XORQ AX, AX
	MOVQ k+0(FP), CX
	SHRQ $4, CX
	JEQ  tail

loop:
	VMOVUPS (R8)(AX*1), Z16
	VMOVUPS (R9)(AX*1), Z17
	VMOVUPS (R10)(AX*1), Z18
	VMOVUPS (R11)(AX*1), Z19
	VMOVUPS (R12)(AX*1), Z20
	VFMADD231PS Z20, Z16, Z0
	VFMADD231PS Z20, Z17, Z1
	VFMADD231PS Z20, Z18, Z2
	VFMADD231PS Z20, Z19, Z3
	VMOVUPS (R13)(AX*1), Z21
	VFMADD231PS Z21, Z16, Z4
	VFMADD231PS Z21, Z17, Z5
	VFMADD231PS Z21, Z18, Z6
	VFMADD231PS Z21, Z19, Z7
	VMOVUPS (BX)(AX*1), Z22
	VFMADD231PS Z22, Z16, Z8
	VFMADD231PS Z22, Z17, Z9
	VFMADD231PS Z22, Z18, Z10
	VFMADD231PS Z22, Z19, Z11
	VMOVUPS (SI)(AX*1), Z23
	VFMADD231PS Z23, Z16, Z12
	VFMADD231PS Z23, Z17, Z13
	VFMADD231PS Z23, Z18, Z14
	VFMADD231PS Z23, Z19, Z15
	ADDQ $64, AX
	DECQ CX
	JNE  loop

tail:
	MOVQ k+0(FP), CX
	ANDQ $15, CX
	JEQ  reduce
	MOVL $1, DX
	SHLL CX, DX
	DECL DX
	KMOVW DX, K1
	VMOVUPS.Z (R8)(AX*1), K1, Z16
	VMOVUPS.Z (R9)(AX*1), K1, Z17
	VMOVUPS.Z (R10)(AX*1), K1, Z18
	VMOVUPS.Z (R11)(AX*1), K1, Z19
	VMOVUPS.Z (R12)(AX*1), K1, Z20
	VFMADD231PS Z20, Z16, Z0
	VFMADD231PS Z20, Z17, Z1
	VFMADD231PS Z20, Z18, Z2
	VFMADD231PS Z20, Z19, Z3
	VMOVUPS.Z (R13)(AX*1), K1, Z21
	VFMADD231PS Z21, Z16, Z4
	VFMADD231PS Z21, Z17, Z5
	VFMADD231PS Z21, Z18, Z6
	VFMADD231PS Z21, Z19, Z7
	VMOVUPS.Z (BX)(AX*1), K1, Z22
	VFMADD231PS Z22, Z16, Z8
	VFMADD231PS Z22, Z17, Z9
	VFMADD231PS Z22, Z18, Z10
	VFMADD231PS Z22, Z19, Z11
	VMOVUPS.Z (SI)(AX*1), K1, Z23
	VFMADD231PS Z23, Z16, Z12
	VFMADD231PS Z23, Z17, Z13
	VFMADD231PS Z23, Z18, Z14
	VFMADD231PS Z23, Z19, Z15

reduce:
	VSHUFF32X4 $0x44, Z1, Z0, Z24
	VSHUFF32X4 $0xEE, Z1, Z0, Z25
	VADDPS Z25, Z24, Z16
	VSHUFF32X4 $0x44, Z3, Z2, Z24
	VSHUFF32X4 $0xEE, Z3, Z2, Z25
	VADDPS Z25, Z24, Z17
	VSHUFF32X4 $0x44, Z5, Z4, Z24
	VSHUFF32X4 $0xEE, Z5, Z4, Z25
	VADDPS Z25, Z24, Z18
	VSHUFF32X4 $0x44, Z7, Z6, Z24
	VSHUFF32X4 $0xEE, Z7, Z6, Z25
	VADDPS Z25, Z24, Z19
	VSHUFF32X4 $0x44, Z9, Z8, Z24
	VSHUFF32X4 $0xEE, Z9, Z8, Z25
	VADDPS Z25, Z24, Z20
	VSHUFF32X4 $0x44, Z11, Z10, Z24
	VSHUFF32X4 $0xEE, Z11, Z10, Z25
	VADDPS Z25, Z24, Z21
	VSHUFF32X4 $0x44, Z13, Z12, Z24
	VSHUFF32X4 $0xEE, Z13, Z12, Z25
	VADDPS Z25, Z24, Z22
	VSHUFF32X4 $0x44, Z15, Z14, Z24
	VSHUFF32X4 $0xEE, Z15, Z14, Z25
	VADDPS Z25, Z24, Z23
	VSHUFF32X4 $0x88, Z17, Z16, Z24
	VSHUFF32X4 $0xDD, Z17, Z16, Z25
	VADDPS Z25, Z24, Z0
	VSHUFF32X4 $0x88, Z19, Z18, Z24
	VSHUFF32X4 $0xDD, Z19, Z18, Z25
	VADDPS Z25, Z24, Z1
	VSHUFF32X4 $0x88, Z21, Z20, Z24
	VSHUFF32X4 $0xDD, Z21, Z20, Z25
	VADDPS Z25, Z24, Z2
	VSHUFF32X4 $0x88, Z23, Z22, Z24
	VSHUFF32X4 $0xDD, Z23, Z22, Z25
	VADDPS Z25, Z24, Z3
	VSHUFPS $0x44, Z1, Z0, Z24
	VSHUFPS $0xEE, Z1, Z0, Z25
	VADDPS Z25, Z24, Z16
	VSHUFPS $0x44, Z3, Z2, Z24
	VSHUFPS $0xEE, Z3, Z2, Z25
	VADDPS Z25, Z24, Z17
	VSHUFPS $0x88, Z17, Z16, Z24
	VSHUFPS $0xDD, Z17, Z16, Z25
	VADDPS Z25, Z24, Z0
	VBROADCASTSS alpha+80(FP), Z1
	VMULPS Z1, Z0, Z0

	// Row i of the tile is 128-bit lane i of Z0.
	MOVQ c+56(FP), DI
	MOVQ ldc+64(FP), DX
	SHLQ $2, DX
	MOVQ rows+24(FP), CX
	MOVQ flags+88(FP), R8
	// X1 = bias[0..cols) (AddBias), X4 = 0 (ReLU)
	TESTQ $2, R8 // AddBias
	JEQ  nobias
	MOVQ bias+72(FP), R9
	VMOVUPS.Z (R9), K2, X1
nobias:
	VXORPS X4, X4, X4
	VMOVAPS X0, X2
	TESTQ $1, R8 // Accumulate
	JEQ  bias0
	VMOVUPS.Z (DI), K2, X3
	VADDPS X3, X2, X2
bias0:
	TESTQ $2, R8 // AddBias
	JEQ  relu0
	VADDPS X1, X2, X2
relu0:
	TESTQ $4, R8 // ReLU
	JEQ  store0
	VMAXPS X4, X2, X2
store0:
	VMOVUPS X2, K2, (DI)
	CMPQ CX, $2
	JLT  done
	ADDQ DX, DI
	VEXTRACTF32X4 $1, Z0, X2
	TESTQ $1, R8 // Accumulate
	JEQ  bias1
	VMOVUPS.Z (DI), K2, X3
	VADDPS X3, X2, X2
bias1:
	TESTQ $2, R8 // AddBias
	JEQ  relu1
	VADDPS X1, X2, X2
relu1:
	TESTQ $4, R8 // ReLU
	JEQ  store1
	VMAXPS X4, X2, X2
store1:
	VMOVUPS X2, K2, (DI)
	CMPQ CX, $3
	JLT  done
	ADDQ DX, DI
	VEXTRACTF32X4 $2, Z0, X2
	TESTQ $1, R8 // Accumulate
	JEQ  bias2
	VMOVUPS.Z (DI), K2, X3
	VADDPS X3, X2, X2
bias2:
	TESTQ $2, R8 // AddBias
	JEQ  relu2
	VADDPS X1, X2, X2
relu2:
	TESTQ $4, R8 // ReLU
	JEQ  store2
	VMAXPS X4, X2, X2
store2:
	VMOVUPS X2, K2, (DI)
	CMPQ CX, $4
	JLT  done
	ADDQ DX, DI
	VEXTRACTF32X4 $3, Z0, X2
	TESTQ $1, R8 // Accumulate
	JEQ  bias3
	VMOVUPS.Z (DI), K2, X3
	VADDPS X3, X2, X2
bias3:
	TESTQ $2, R8 // AddBias
	JEQ  relu3
	VADDPS X1, X2, X2
relu3:
	TESTQ $4, R8 // ReLU
	JEQ  store3
	VMAXPS X4, X2, X2
store3:
	VMOVUPS X2, K2, (DI)

done:
	VZEROUPPER
	RET

// The fp64 dot-product kernel (see gemmdot.go): a tile of up to 4 x 4
// elements of C = alpha * A * B^T (+ C, + bias, ReLU as flags say) with the
// rows of A and of B both read in place along the depth, eight depths per
// step.
//
// Register plan:
//   Z0..Z15   accumulators, each lane a partial sum over the depths of
//             that lane: A row i against B row j in the register that the
//             reduction below brings to lane 4(i%2)+j of its result (see
//             DACC)
//   Z16..Z19  eight depths of A rows 0..3, Z20..Z23 of B rows 0..3
//   R8..R11   A rows 0..3, R12, R13, BX, SI  B rows 0..3 (rows or columns
//             past the last repeat it; their results are never stored)
//   AX = byte offset of the current depth step, CX = full steps left,
//   K1 = the last partial step's mask, K2 = the tile's columns
//
// Per step: 8 loads, 16 FMAs. The sixteen accumulators are then summed
// across lanes by a transpose-and-add network (3 levels) into two
// registers: rows 0 and 1 of the tile in Z0 (four lanes each), rows 2 and
// 3 in Z1.

// func dgemmDotAVX512Asm(k int, a *float64, lda, rows int, b *float64, ldb, cols int, c *float64, ldc int, bias *float64, alpha float64, flags GemmFlags)
TEXT ·dgemmDotAVX512Asm(SB), NOSPLIT, $0-96
	MOVQ a+8(FP), R8
	MOVQ lda+16(FP), DX
	SHLQ $3, DX
	MOVQ rows+24(FP), CX
	MOVQ R8, R9
	CMPQ CX, $1
	JLE  darow1
	ADDQ DX, R9
darow1:
	MOVQ R9, R10
	CMPQ CX, $2
	JLE  darow2
	ADDQ DX, R10
darow2:
	MOVQ R10, R11
	CMPQ CX, $3
	JLE  darow3
	ADDQ DX, R11
darow3:
	MOVQ b+32(FP), R12
	MOVQ ldb+40(FP), DX
	SHLQ $3, DX
	MOVQ cols+48(FP), CX
	MOVQ R12, R13
	CMPQ CX, $1
	JLE  dbrow1
	ADDQ DX, R13
dbrow1:
	MOVQ R13, BX
	CMPQ CX, $2
	JLE  dbrow2
	ADDQ DX, BX
dbrow2:
	MOVQ BX, SI
	CMPQ CX, $3
	JLE  dbrow3
	ADDQ DX, SI
dbrow3:
	// K2: the tile's columns
	MOVL $1, DX
	SHLL CX, DX
	DECL DX
	KMOVW DX, K2
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	VPXORQ Z15, Z15, Z15
	XORQ AX, AX
	MOVQ k+0(FP), CX
	SHRQ $3, CX
	JEQ  dtail

dloop:
	VMOVUPD (R8)(AX*1), Z16
	VMOVUPD (R9)(AX*1), Z17
	VMOVUPD (R10)(AX*1), Z18
	VMOVUPD (R11)(AX*1), Z19
	VMOVUPD (R12)(AX*1), Z20
	VFMADD231PD Z20, Z16, Z0
	VFMADD231PD Z20, Z17, Z2
	VFMADD231PD Z20, Z18, Z8
	VFMADD231PD Z20, Z19, Z10
	VMOVUPD (R13)(AX*1), Z21
	VFMADD231PD Z21, Z16, Z4
	VFMADD231PD Z21, Z17, Z6
	VFMADD231PD Z21, Z18, Z12
	VFMADD231PD Z21, Z19, Z14
	VMOVUPD (BX)(AX*1), Z22
	VFMADD231PD Z22, Z16, Z1
	VFMADD231PD Z22, Z17, Z3
	VFMADD231PD Z22, Z18, Z9
	VFMADD231PD Z22, Z19, Z11
	VMOVUPD (SI)(AX*1), Z23
	VFMADD231PD Z23, Z16, Z5
	VFMADD231PD Z23, Z17, Z7
	VFMADD231PD Z23, Z18, Z13
	VFMADD231PD Z23, Z19, Z15
	ADDQ $64, AX
	DECQ CX
	JNE  dloop

dtail:
	MOVQ k+0(FP), CX
	ANDQ $7, CX
	JEQ  dreduce
	MOVL $1, DX
	SHLL CX, DX
	DECL DX
	KMOVW DX, K1
	VMOVUPD.Z (R8)(AX*1), K1, Z16
	VMOVUPD.Z (R9)(AX*1), K1, Z17
	VMOVUPD.Z (R10)(AX*1), K1, Z18
	VMOVUPD.Z (R11)(AX*1), K1, Z19
	VMOVUPD.Z (R12)(AX*1), K1, Z20
	VFMADD231PD Z20, Z16, Z0
	VFMADD231PD Z20, Z17, Z2
	VFMADD231PD Z20, Z18, Z8
	VFMADD231PD Z20, Z19, Z10
	VMOVUPD.Z (R13)(AX*1), K1, Z21
	VFMADD231PD Z21, Z16, Z4
	VFMADD231PD Z21, Z17, Z6
	VFMADD231PD Z21, Z18, Z12
	VFMADD231PD Z21, Z19, Z14
	VMOVUPD.Z (BX)(AX*1), K1, Z22
	VFMADD231PD Z22, Z16, Z1
	VFMADD231PD Z22, Z17, Z3
	VFMADD231PD Z22, Z18, Z9
	VFMADD231PD Z22, Z19, Z11
	VMOVUPD.Z (SI)(AX*1), K1, Z23
	VFMADD231PD Z23, Z16, Z5
	VFMADD231PD Z23, Z17, Z7
	VFMADD231PD Z23, Z18, Z13
	VFMADD231PD Z23, Z19, Z15

dreduce:
	VSHUFF64X2 $0x44, Z1, Z0, Z24
	VSHUFF64X2 $0xEE, Z1, Z0, Z25
	VADDPD Z25, Z24, Z16
	VSHUFF64X2 $0x44, Z3, Z2, Z24
	VSHUFF64X2 $0xEE, Z3, Z2, Z25
	VADDPD Z25, Z24, Z17
	VSHUFF64X2 $0x44, Z5, Z4, Z24
	VSHUFF64X2 $0xEE, Z5, Z4, Z25
	VADDPD Z25, Z24, Z18
	VSHUFF64X2 $0x44, Z7, Z6, Z24
	VSHUFF64X2 $0xEE, Z7, Z6, Z25
	VADDPD Z25, Z24, Z19
	VSHUFF64X2 $0x44, Z9, Z8, Z24
	VSHUFF64X2 $0xEE, Z9, Z8, Z25
	VADDPD Z25, Z24, Z20
	VSHUFF64X2 $0x44, Z11, Z10, Z24
	VSHUFF64X2 $0xEE, Z11, Z10, Z25
	VADDPD Z25, Z24, Z21
	VSHUFF64X2 $0x44, Z13, Z12, Z24
	VSHUFF64X2 $0xEE, Z13, Z12, Z25
	VADDPD Z25, Z24, Z22
	VSHUFF64X2 $0x44, Z15, Z14, Z24
	VSHUFF64X2 $0xEE, Z15, Z14, Z25
	VADDPD Z25, Z24, Z23
	VSHUFF64X2 $0x88, Z17, Z16, Z24
	VSHUFF64X2 $0xDD, Z17, Z16, Z25
	VADDPD Z25, Z24, Z0
	VSHUFF64X2 $0x88, Z19, Z18, Z24
	VSHUFF64X2 $0xDD, Z19, Z18, Z25
	VADDPD Z25, Z24, Z1
	VSHUFF64X2 $0x88, Z21, Z20, Z24
	VSHUFF64X2 $0xDD, Z21, Z20, Z25
	VADDPD Z25, Z24, Z2
	VSHUFF64X2 $0x88, Z23, Z22, Z24
	VSHUFF64X2 $0xDD, Z23, Z22, Z25
	VADDPD Z25, Z24, Z3
	VUNPCKLPD Z1, Z0, Z24
	VUNPCKHPD Z1, Z0, Z25
	VADDPD Z25, Z24, Z16
	VUNPCKLPD Z3, Z2, Z24
	VUNPCKHPD Z3, Z2, Z25
	VADDPD Z25, Z24, Z17
	VBROADCASTSD alpha+80(FP), Z2
	VMULPD Z2, Z16, Z0
	VMULPD Z2, Z17, Z1

	// Y1.. rows: row 0 = low half of Z0, row 1 = its high half, rows 2, 3 of Z1.
	VEXTRACTF64X4 $1, Z0, Y5
	VEXTRACTF64X4 $1, Z1, Y6
	MOVQ c+56(FP), DI
	MOVQ ldc+64(FP), DX
	SHLQ $3, DX
	MOVQ rows+24(FP), CX
	MOVQ flags+88(FP), R8
	// Y3 = bias[0..cols) (AddBias), Y4 = 0 (ReLU)
	TESTQ $2, R8 // AddBias
	JEQ  dnobias
	MOVQ bias+72(FP), R9
	VMOVUPD.Z (R9), K2, Y3
dnobias:
	VXORPD Y4, Y4, Y4
	TESTQ $1, R8 // Accumulate
	JEQ  dbias0
	VMOVUPD.Z (DI), K2, Y7
	VADDPD Y7, Y0, Y0
dbias0:
	TESTQ $2, R8 // AddBias
	JEQ  drelu0
	VADDPD Y3, Y0, Y0
drelu0:
	TESTQ $4, R8 // ReLU
	JEQ  dstore0
	VMAXPD Y4, Y0, Y0
dstore0:
	VMOVUPD Y0, K2, (DI)
	CMPQ CX, $2
	JLT  ddone
	ADDQ DX, DI
	TESTQ $1, R8 // Accumulate
	JEQ  dbias1
	VMOVUPD.Z (DI), K2, Y7
	VADDPD Y7, Y5, Y5
dbias1:
	TESTQ $2, R8 // AddBias
	JEQ  drelu1
	VADDPD Y3, Y5, Y5
drelu1:
	TESTQ $4, R8 // ReLU
	JEQ  dstore1
	VMAXPD Y4, Y5, Y5
dstore1:
	VMOVUPD Y5, K2, (DI)
	CMPQ CX, $3
	JLT  ddone
	ADDQ DX, DI
	TESTQ $1, R8 // Accumulate
	JEQ  dbias2
	VMOVUPD.Z (DI), K2, Y7
	VADDPD Y7, Y1, Y1
dbias2:
	TESTQ $2, R8 // AddBias
	JEQ  drelu2
	VADDPD Y3, Y1, Y1
drelu2:
	TESTQ $4, R8 // ReLU
	JEQ  dstore2
	VMAXPD Y4, Y1, Y1
dstore2:
	VMOVUPD Y1, K2, (DI)
	CMPQ CX, $4
	JLT  ddone
	ADDQ DX, DI
	TESTQ $1, R8 // Accumulate
	JEQ  dbias3
	VMOVUPD.Z (DI), K2, Y7
	VADDPD Y7, Y6, Y6
dbias3:
	TESTQ $2, R8 // AddBias
	JEQ  drelu3
	VADDPD Y3, Y6, Y6
drelu3:
	TESTQ $4, R8 // ReLU
	JEQ  dstore3
	VMAXPD Y4, Y6, Y6
dstore3:
	VMOVUPD Y6, K2, (DI)

ddone:
	VZEROUPPER
	RET
