//go:build !purego && !noasm

#include "textflag.h"

// The direct fp32 kernel: up to 8 rows x 32 columns of C from A and B read
// in place (see gemmdirect.go).
//
// Register plan:
//   Z0..Z15   accumulators: row r in Z(2r) (columns 0..15) and Z(2r+1)
//             (columns 16..31); with at most 16 columns Z(2r+1) holds the
//             odd depth steps of row r instead, added in after the loop
//   Z20,Z21   the current row of B (masked: K1 columns 0..15, K2 16..31)
//   Z22..Z25  broadcasts of A (rotating, to break false dependences)
//   AX,BX,SI,DX,R8..R11  the eight row pointers of A (rows past the last
//             repeat it, and their results are never stored)
//   R15 = byte offset of the current depth step in every row of A,
//   R13 = its increment (aks in bytes); DI = b, R12 = ldb in bytes, CX = k
//
// Per depth step: 2 loads of B, 8 broadcasts, 16 FMAs (8 with at most 16
// columns); a tile of at most four rows runs steps of its four rows.

// The broadcast of one row's A value and its FMAs into the row's two
// accumulators.
#define DBC2(R, ACC0, ACC1, T) \
	VBROADCASTSS (R)(R15*1), T; \
	VFMADD231PS Z20, T, ACC0; \
	VFMADD231PS Z21, T, ACC1

// One depth step with more than 16 columns.
#define DWSTEP \
	PREFETCHT0 (DI)(R12*8); \
	PREFETCHT0 64(DI)(R12*8); \
	VMOVUPS (DI), Z20; \
	VMOVUPS.Z 64(DI), K2, Z21; \
	DBC2(AX, Z0, Z1, Z22); \
	DBC2(BX, Z2, Z3, Z23); \
	DBC2(SI, Z4, Z5, Z24); \
	DBC2(DX, Z6, Z7, Z25); \
	DBC2(R8, Z8, Z9, Z22); \
	DBC2(R9, Z10, Z11, Z23); \
	DBC2(R10, Z12, Z13, Z24); \
	DBC2(R11, Z14, Z15, Z25); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define DBC1(R, ACC, T) \
	VBROADCASTSS (R)(R15*1), T; \
	VFMADD231PS Z20, T, ACC

// One depth step with at most 16 columns into the accumulators A0..A7.
#define DNSTEP(A0, A1, A2, A3, A4, A5, A6, A7) \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPS.Z (DI), K1, Z20; \
	DBC1(AX, A0, Z22); \
	DBC1(BX, A1, Z23); \
	DBC1(SI, A2, Z24); \
	DBC1(DX, A3, Z25); \
	DBC1(R8, A4, Z22); \
	DBC1(R9, A5, Z23); \
	DBC1(R10, A6, Z24); \
	DBC1(R11, A7, Z25); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define DEVEN DNSTEP(Z0, Z2, Z4, Z6, Z8, Z10, Z12, Z14)
#define DODD DNSTEP(Z1, Z3, Z5, Z7, Z9, Z11, Z13, Z15)

// The same steps for a tile of at most four rows (a last row tile that
// the eight-row steps would mostly waste): rows 0..3 only.
#define DWSTEP4 \
	PREFETCHT0 (DI)(R12*8); \
	PREFETCHT0 64(DI)(R12*8); \
	VMOVUPS (DI), Z20; \
	VMOVUPS.Z 64(DI), K2, Z21; \
	DBC2(AX, Z0, Z1, Z22); \
	DBC2(BX, Z2, Z3, Z23); \
	DBC2(SI, Z4, Z5, Z24); \
	DBC2(DX, Z6, Z7, Z25); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define DNSTEP4(A0, A1, A2, A3) \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPS.Z (DI), K1, Z20; \
	DBC1(AX, A0, Z22); \
	DBC1(BX, A1, Z23); \
	DBC1(SI, A2, Z24); \
	DBC1(DX, A3, Z25); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define DEVEN4 DNSTEP4(Z0, Z2, Z4, Z6)
#define DODD4 DNSTEP4(Z1, Z3, Z5, Z7)

// Row epilogues at R11: C = alpha*acc + C (DACC) or C = alpha*acc (DSTORE),
// masked to the tile's columns; Z26 = alpha.
#define DACC(R0, R1) \
	VMOVUPS.Z (R11), K1, Z27; \
	VMOVUPS.Z 64(R11), K2, Z28; \
	VFMADD213PS Z27, Z26, R0; \
	VFMADD213PS Z28, Z26, R1; \
	VMOVUPS R0, K1, (R11); \
	VMOVUPS R1, K2, 64(R11)

#define DSTORE(R0, R1) \
	VMULPS Z26, R0, R0; \
	VMULPS Z26, R1, R1; \
	VMOVUPS R0, K1, (R11); \
	VMOVUPS R1, K2, 64(R11)

#define ZERO16 \
	VPXORQ Z0, Z0, Z0; \
	VPXORQ Z1, Z1, Z1; \
	VPXORQ Z2, Z2, Z2; \
	VPXORQ Z3, Z3, Z3; \
	VPXORQ Z4, Z4, Z4; \
	VPXORQ Z5, Z5, Z5; \
	VPXORQ Z6, Z6, Z6; \
	VPXORQ Z7, Z7, Z7; \
	VPXORQ Z8, Z8, Z8; \
	VPXORQ Z9, Z9, Z9; \
	VPXORQ Z10, Z10, Z10; \
	VPXORQ Z11, Z11, Z11; \
	VPXORQ Z12, Z12, Z12; \
	VPXORQ Z13, Z13, Z13; \
	VPXORQ Z14, Z14, Z14; \
	VPXORQ Z15, Z15, Z15

// func sgemmDirectAVX512Asm(k int, a *float32, ars, aks, rows int, b *float32, ldb int, c *float32, ldc, cols int, alpha float32, flags GemmFlags)
TEXT ·sgemmDirectAVX512Asm(SB), NOSPLIT, $0-96
	// Row pointers: row r at a + min(r, rows-1)*ars.
	MOVQ    a+8(FP), AX
	MOVQ    ars+16(FP), R14
	SHLQ    $2, R14
	MOVQ    rows+32(FP), CX
	LEAQ    (AX)(R14*1), BX
	CMPQ    CX, $2
	CMOVQLT AX, BX
	LEAQ    (BX)(R14*1), SI
	CMPQ    CX, $3
	CMOVQLT BX, SI
	LEAQ    (SI)(R14*1), DX
	CMPQ    CX, $4
	CMOVQLT SI, DX
	LEAQ    (DX)(R14*1), R8
	CMPQ    CX, $5
	CMOVQLT DX, R8
	LEAQ    (R8)(R14*1), R9
	CMPQ    CX, $6
	CMOVQLT R8, R9
	LEAQ    (R9)(R14*1), R10
	CMPQ    CX, $7
	CMOVQLT R9, R10
	LEAQ    (R10)(R14*1), R11
	CMPQ    CX, $8
	CMOVQLT R10, R11

	MOVQ b+40(FP), DI
	MOVQ ldb+48(FP), R12
	SHLQ $2, R12
	MOVQ aks+24(FP), R13
	SHLQ $2, R13
	XORQ R15, R15
	ZERO16

	// Column masks, and the loop for the tile's width.
	MOVQ cols+72(FP), CX
	CMPQ CX, $16
	JLE  dnarrow
	SUBQ  $16, CX
	MOVL  $1, R14
	SHLL  CX, R14
	DECL  R14
	KMOVW R14, K2
	MOVL  $0xffff, R14
	KMOVW R14, K1
	MOVQ  k+0(FP), CX
	CMPQ  rows+32(FP), $4
	JLE   dw4
	CMPQ  CX, $4
	JLT   dwtail

dwloop:
	DWSTEP
	DWSTEP
	DWSTEP
	DWSTEP
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  dwloop

dwtail:
	TESTQ CX, CX
	JE    depilogue

dwloop1:
	DWSTEP
	DECQ CX
	JNE  dwloop1
	JMP  depilogue

dw4:
	CMPQ CX, $4
	JLT  dw4tail

dw4loop:
	DWSTEP4
	DWSTEP4
	DWSTEP4
	DWSTEP4
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  dw4loop

dw4tail:
	TESTQ CX, CX
	JE    depilogue

dw4loop1:
	DWSTEP4
	DECQ CX
	JNE  dw4loop1
	JMP  depilogue

dnarrow:
	MOVL  $1, R14
	SHLL  CX, R14
	DECL  R14
	KMOVW R14, K1
	KXORW K2, K2, K2
	MOVQ  k+0(FP), CX
	CMPQ  rows+32(FP), $4
	JLE   dn4
	CMPQ  CX, $2
	JLT   dntail

dnloop:
	DEVEN
	DODD
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  dnloop

dntail:
	TESTQ CX, CX
	JE    dnsum
	DEVEN

dnsum:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z5, Z4, Z4
	VADDPS Z7, Z6, Z6
	VADDPS Z9, Z8, Z8
	VADDPS Z11, Z10, Z10
	VADDPS Z13, Z12, Z12
	VADDPS Z15, Z14, Z14
	JMP    depilogue

dn4:
	CMPQ CX, $2
	JLT  dn4tail

dn4loop:
	DEVEN4
	DODD4
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  dn4loop

dn4tail:
	TESTQ CX, CX
	JE    dn4sum
	DEVEN4

dn4sum:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z5, Z4, Z4
	VADDPS Z7, Z6, Z6

depilogue:
	MOVQ         c+56(FP), R11
	MOVQ         ldc+64(FP), R8
	SHLQ         $2, R8
	MOVQ         rows+32(FP), CX
	VBROADCASTSS alpha+80(FP), Z26
	MOVQ         flags+88(FP), R10
	TESTQ        $1, R10 // Accumulate
	JE           dstore

	DACC(Z0, Z1)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DACC(Z2, Z3)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DACC(Z4, Z5)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DACC(Z6, Z7)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DACC(Z8, Z9)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DACC(Z10, Z11)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DACC(Z12, Z13)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DACC(Z14, Z15)
	JMP  ddone

dstore:
	DSTORE(Z0, Z1)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DSTORE(Z2, Z3)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DSTORE(Z4, Z5)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DSTORE(Z6, Z7)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DSTORE(Z8, Z9)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DSTORE(Z10, Z11)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DSTORE(Z12, Z13)
	DECQ CX
	JEQ  ddone
	ADDQ R8, R11
	DSTORE(Z14, Z15)

ddone:
	VZEROUPPER
	RET


// The direct fp64 kernel: up to 8 rows x 16 columns, the fp32 kernel's
// register plan with 8 lanes per vector (row r in Z(2r): columns 0..7,
// Z(2r+1): 8..15; with at most 8 columns Z(2r+1) holds the odd depth
// steps), the same row pointers, four-row steps and epilogue.

// The broadcast of one row's A value and its FMAs into the row's two
// accumulators.
#define QBC2(R, ACC0, ACC1, T) \
	VBROADCASTSD (R)(R15*1), T; \
	VFMADD231PD Z20, T, ACC0; \
	VFMADD231PD Z21, T, ACC1

// One depth step with more than 8 columns.
#define QWSTEP \
	PREFETCHT0 (DI)(R12*8); \
	PREFETCHT0 64(DI)(R12*8); \
	VMOVUPD (DI), Z20; \
	VMOVUPD.Z 64(DI), K2, Z21; \
	QBC2(AX, Z0, Z1, Z22); \
	QBC2(BX, Z2, Z3, Z23); \
	QBC2(SI, Z4, Z5, Z24); \
	QBC2(DX, Z6, Z7, Z25); \
	QBC2(R8, Z8, Z9, Z22); \
	QBC2(R9, Z10, Z11, Z23); \
	QBC2(R10, Z12, Z13, Z24); \
	QBC2(R11, Z14, Z15, Z25); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define QBC1(R, ACC, T) \
	VBROADCASTSD (R)(R15*1), T; \
	VFMADD231PD Z20, T, ACC

// One depth step with at most 8 columns into the accumulators A0..A7.
#define QNSTEP(A0, A1, A2, A3, A4, A5, A6, A7) \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPD.Z (DI), K1, Z20; \
	QBC1(AX, A0, Z22); \
	QBC1(BX, A1, Z23); \
	QBC1(SI, A2, Z24); \
	QBC1(DX, A3, Z25); \
	QBC1(R8, A4, Z22); \
	QBC1(R9, A5, Z23); \
	QBC1(R10, A6, Z24); \
	QBC1(R11, A7, Z25); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define QEVEN QNSTEP(Z0, Z2, Z4, Z6, Z8, Z10, Z12, Z14)
#define QODD QNSTEP(Z1, Z3, Z5, Z7, Z9, Z11, Z13, Z15)

// The same steps for a tile of at most four rows (a last row tile that
// the eight-row steps would mostly waste): rows 0..3 only.
#define QWSTEP4 \
	PREFETCHT0 (DI)(R12*8); \
	PREFETCHT0 64(DI)(R12*8); \
	VMOVUPD (DI), Z20; \
	VMOVUPD.Z 64(DI), K2, Z21; \
	QBC2(AX, Z0, Z1, Z22); \
	QBC2(BX, Z2, Z3, Z23); \
	QBC2(SI, Z4, Z5, Z24); \
	QBC2(DX, Z6, Z7, Z25); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define QNSTEP4(A0, A1, A2, A3) \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPD.Z (DI), K1, Z20; \
	QBC1(AX, A0, Z22); \
	QBC1(BX, A1, Z23); \
	QBC1(SI, A2, Z24); \
	QBC1(DX, A3, Z25); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define QEVEN4 QNSTEP4(Z0, Z2, Z4, Z6)
#define QODD4 QNSTEP4(Z1, Z3, Z5, Z7)

// Row epilogues at R11: C = alpha*acc + C (QACC) or C = alpha*acc (QSTORE),
// masked to the tile's columns; Z26 = alpha.
#define QACC(R0, R1) \
	VMOVUPD.Z (R11), K1, Z27; \
	VMOVUPD.Z 64(R11), K2, Z28; \
	VFMADD213PD Z27, Z26, R0; \
	VFMADD213PD Z28, Z26, R1; \
	VMOVUPD R0, K1, (R11); \
	VMOVUPD R1, K2, 64(R11)

#define QSTORE(R0, R1) \
	VMULPD Z26, R0, R0; \
	VMULPD Z26, R1, R1; \
	VMOVUPD R0, K1, (R11); \
	VMOVUPD R1, K2, 64(R11)

#define QZERO16 \
	VPXORQ Z0, Z0, Z0; \
	VPXORQ Z1, Z1, Z1; \
	VPXORQ Z2, Z2, Z2; \
	VPXORQ Z3, Z3, Z3; \
	VPXORQ Z4, Z4, Z4; \
	VPXORQ Z5, Z5, Z5; \
	VPXORQ Z6, Z6, Z6; \
	VPXORQ Z7, Z7, Z7; \
	VPXORQ Z8, Z8, Z8; \
	VPXORQ Z9, Z9, Z9; \
	VPXORQ Z10, Z10, Z10; \
	VPXORQ Z11, Z11, Z11; \
	VPXORQ Z12, Z12, Z12; \
	VPXORQ Z13, Z13, Z13; \
	VPXORQ Z14, Z14, Z14; \
	VPXORQ Z15, Z15, Z15

// func dgemmDirectAVX512Asm(k int, a *float64, ars, aks, rows int, b *float64, ldb int, c *float64, ldc, cols int, alpha float64, flags GemmFlags)
TEXT ·dgemmDirectAVX512Asm(SB), NOSPLIT, $0-96
	// Row pointers: row r at a + min(r, rows-1)*ars.
	MOVQ    a+8(FP), AX
	MOVQ    ars+16(FP), R14
	SHLQ    $3, R14
	MOVQ    rows+32(FP), CX
	LEAQ    (AX)(R14*1), BX
	CMPQ    CX, $2
	CMOVQLT AX, BX
	LEAQ    (BX)(R14*1), SI
	CMPQ    CX, $3
	CMOVQLT BX, SI
	LEAQ    (SI)(R14*1), DX
	CMPQ    CX, $4
	CMOVQLT SI, DX
	LEAQ    (DX)(R14*1), R8
	CMPQ    CX, $5
	CMOVQLT DX, R8
	LEAQ    (R8)(R14*1), R9
	CMPQ    CX, $6
	CMOVQLT R8, R9
	LEAQ    (R9)(R14*1), R10
	CMPQ    CX, $7
	CMOVQLT R9, R10
	LEAQ    (R10)(R14*1), R11
	CMPQ    CX, $8
	CMOVQLT R10, R11

	MOVQ b+40(FP), DI
	MOVQ ldb+48(FP), R12
	SHLQ $3, R12
	MOVQ aks+24(FP), R13
	SHLQ $3, R13
	XORQ R15, R15
	QZERO16

	// Column masks, and the loop for the tile's width.
	MOVQ cols+72(FP), CX
	CMPQ CX, $8
	JLE  qnarrow
	SUBQ  $8, CX
	MOVL  $1, R14
	SHLL  CX, R14
	DECL  R14
	KMOVW R14, K2
	MOVL  $0xff, R14
	KMOVW R14, K1
	MOVQ  k+0(FP), CX
	CMPQ  rows+32(FP), $4
	JLE   qw4
	CMPQ  CX, $4
	JLT   qwtail

qwloop:
	QWSTEP
	QWSTEP
	QWSTEP
	QWSTEP
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  qwloop

qwtail:
	TESTQ CX, CX
	JE    qepilogue

qwloop1:
	QWSTEP
	DECQ CX
	JNE  qwloop1
	JMP  qepilogue

qw4:
	CMPQ CX, $4
	JLT  qw4tail

qw4loop:
	QWSTEP4
	QWSTEP4
	QWSTEP4
	QWSTEP4
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  qw4loop

qw4tail:
	TESTQ CX, CX
	JE    qepilogue

qw4loop1:
	QWSTEP4
	DECQ CX
	JNE  qw4loop1
	JMP  qepilogue

qnarrow:
	MOVL  $1, R14
	SHLL  CX, R14
	DECL  R14
	KMOVW R14, K1
	KXORW K2, K2, K2
	MOVQ  k+0(FP), CX
	CMPQ  rows+32(FP), $4
	JLE   qn4
	CMPQ  CX, $2
	JLT   qntail

qnloop:
	QEVEN
	QODD
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  qnloop

qntail:
	TESTQ CX, CX
	JE    qnsum
	QEVEN

qnsum:
	VADDPD Z1, Z0, Z0
	VADDPD Z3, Z2, Z2
	VADDPD Z5, Z4, Z4
	VADDPD Z7, Z6, Z6
	VADDPD Z9, Z8, Z8
	VADDPD Z11, Z10, Z10
	VADDPD Z13, Z12, Z12
	VADDPD Z15, Z14, Z14
	JMP    qepilogue

qn4:
	CMPQ CX, $2
	JLT  qn4tail

qn4loop:
	QEVEN4
	QODD4
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  qn4loop

qn4tail:
	TESTQ CX, CX
	JE    qn4sum
	QEVEN4

qn4sum:
	VADDPD Z1, Z0, Z0
	VADDPD Z3, Z2, Z2
	VADDPD Z5, Z4, Z4
	VADDPD Z7, Z6, Z6

qepilogue:
	MOVQ         c+56(FP), R11
	MOVQ         ldc+64(FP), R8
	SHLQ         $3, R8
	MOVQ         rows+32(FP), CX
	VBROADCASTSD alpha+80(FP), Z26
	MOVQ         flags+88(FP), R10
	TESTQ        $1, R10 // Accumulate
	JE           qstore

	QACC(Z0, Z1)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QACC(Z2, Z3)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QACC(Z4, Z5)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QACC(Z6, Z7)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QACC(Z8, Z9)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QACC(Z10, Z11)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QACC(Z12, Z13)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QACC(Z14, Z15)
	JMP  qdone

qstore:
	QSTORE(Z0, Z1)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QSTORE(Z2, Z3)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QSTORE(Z4, Z5)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QSTORE(Z6, Z7)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QSTORE(Z8, Z9)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QSTORE(Z10, Z11)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QSTORE(Z12, Z13)
	DECQ CX
	JEQ  qdone
	ADDQ R8, R11
	QSTORE(Z14, Z15)

qdone:
	VZEROUPPER
	RET

