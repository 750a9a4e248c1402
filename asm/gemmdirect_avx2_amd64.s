//go:build !purego && !noasm

#include "textflag.h"

// The AVX2 direct kernels: up to 6 rows x 16 columns (fp32) or 6 x 8
// (fp64) of C from A and B read in place (see gemmdirect.go), the AVX-512
// kernels' plan on sixteen ymm registers.
//
// Register plan (fp32; fp64 the same with 4 lanes per vector):
//   Y0..Y11   accumulators: row r in Y(2r) (columns 0..7) and Y(2r+1)
//             (columns 8..15); with at most 8 columns Y(2r+1) holds the
//             odd depth steps of row r instead, added in after the loop
//   Y12,Y13   the current row of B; Y14 the broadcast of A; Y15 the mask
//             of the masked half of B (VMASKMOVPS: masked lanes read as
//             zero and are not accessed)
//   AX,BX,SI,DX,R8,R9  the six row pointers of A (rows past the last
//             repeat it, and their results are never stored)
//   R15 = byte offset of the current depth step in every row of A,
//   R13 = its increment (aks in bytes); DI = b, R12 = ldb in bytes, CX = k
//
// Per depth step: 2 loads of B, 6 broadcasts, 12 FMAs (6 with at most 8
// columns, in two chains per row).

// aiota holds 0..7 (int32), for the fp32 column masks.
DATA aiota<>+0(SB)/4, $0
DATA aiota<>+4(SB)/4, $1
DATA aiota<>+8(SB)/4, $2
DATA aiota<>+12(SB)/4, $3
DATA aiota<>+16(SB)/4, $4
DATA aiota<>+20(SB)/4, $5
DATA aiota<>+24(SB)/4, $6
DATA aiota<>+28(SB)/4, $7
GLOBL aiota<>(SB), RODATA|NOPTR, $32

// qiota holds 0..3 (int64), for the fp64 column masks.
DATA qiota<>+0(SB)/8, $0
DATA qiota<>+8(SB)/8, $1
DATA qiota<>+16(SB)/8, $2
DATA qiota<>+24(SB)/8, $3
GLOBL qiota<>(SB), RODATA|NOPTR, $32

// The broadcast of one row's A value and its FMAs into the row's two
// accumulators.
#define ABC2(R, ACC0, ACC1) \
	VBROADCASTSS (R)(R15*1), Y14; \
	VFMADD231PS Y12, Y14, ACC0; \
	VFMADD231PS Y13, Y14, ACC1

// One depth step with more than 8 columns (Y15 masks the second half).
#define AWSTEP \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPS (DI), Y12; \
	VMASKMOVPS 32(DI), Y15, Y13; \
	ABC2(AX, Y0, Y1); \
	ABC2(BX, Y2, Y3); \
	ABC2(SI, Y4, Y5); \
	ABC2(DX, Y6, Y7); \
	ABC2(R8, Y8, Y9); \
	ABC2(R9, Y10, Y11); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define ABC1(R, ACC) \
	VBROADCASTSS (R)(R15*1), Y14; \
	VFMADD231PS Y12, Y14, ACC

// One depth step with at most 8 columns (Y15 masks them) into the
// accumulators A0..A5.
#define ANSTEP(A0, A1, A2, A3, A4, A5) \
	PREFETCHT0 (DI)(R12*8); \
	VMASKMOVPS (DI), Y15, Y12; \
	ABC1(AX, A0); \
	ABC1(BX, A1); \
	ABC1(SI, A2); \
	ABC1(DX, A3); \
	ABC1(R8, A4); \
	ABC1(R9, A5); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define AEVEN ANSTEP(Y0, Y2, Y4, Y6, Y8, Y10)
#define AODD ANSTEP(Y1, Y3, Y5, Y7, Y9, Y11)

// Row epilogues at R11: C = alpha*acc + C (AACC) or C = alpha*acc
// (ASTORE), masked to the tile's columns (Y12 the first half, Y13 the
// second); Y14 = alpha.
#define AACC(R0, R1) \
	VMASKMOVPS (R11), Y12, Y15; \
	VFMADD213PS Y15, Y14, R0; \
	VMASKMOVPS 32(R11), Y13, Y15; \
	VFMADD213PS Y15, Y14, R1; \
	VMASKMOVPS R0, Y12, (R11); \
	VMASKMOVPS R1, Y13, 32(R11)

#define ASTORE(R0, R1) \
	VMULPS Y14, R0, R0; \
	VMULPS Y14, R1, R1; \
	VMASKMOVPS R0, Y12, (R11); \
	VMASKMOVPS R1, Y13, 32(R11)

// MASK(N, DST): lane j of DST all ones when j < N (N in a register).
#define AMASK(N, DST) \
	MOVQ         N, X14; \
	VPBROADCASTD X14, Y14; \
	VMOVDQU      aiota<>(SB), DST; \
	VPCMPGTD     DST, Y14, DST

#define AZERO \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y10, Y10, Y10; \
	VXORPS Y11, Y11, Y11

// func sgemmDirectAVX2Asm(k int, a *float32, ars, aks, rows int, b *float32, ldb int, c *float32, ldc, cols int, alpha float32, flags GemmFlags)
TEXT ·sgemmDirectAVX2Asm(SB), NOSPLIT, $0-96
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

	MOVQ b+40(FP), DI
	MOVQ ldb+48(FP), R12
	SHLQ $2, R12
	MOVQ aks+24(FP), R13
	SHLQ $2, R13
	XORQ R15, R15
	AZERO

	// The column mask, and the loop for the tile's width.
	MOVQ cols+72(FP), R14
	CMPQ R14, $8
	JLE  anarrow
	SUBQ $8, R14
	AMASK(R14, Y15)
	MOVQ k+0(FP), CX
	CMPQ CX, $4
	JLT  awtail

awloop:
	AWSTEP
	AWSTEP
	AWSTEP
	AWSTEP
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  awloop

awtail:
	TESTQ CX, CX
	JE    aepilogue

awloop1:
	AWSTEP
	DECQ CX
	JNE  awloop1
	JMP  aepilogue

anarrow:
	AMASK(R14, Y15)
	MOVQ k+0(FP), CX
	CMPQ CX, $2
	JLT  antail

anloop:
	AEVEN
	AODD
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  anloop

antail:
	TESTQ CX, CX
	JE    ansum
	AEVEN

ansum:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y5, Y4, Y4
	VADDPS Y7, Y6, Y6
	VADDPS Y9, Y8, Y8
	VADDPS Y11, Y10, Y10

aepilogue:
	// Y12, Y13: the masks of the two halves.
	MOVQ cols+72(FP), R10
	CMPQ R10, $8
	JLE  anarrowmask
	SUBQ $8, R10
	AMASK(R10, Y13)
	VPCMPEQD Y12, Y12, Y12
	JMP  amasked

anarrowmask:
	AMASK(R10, Y12)
	VXORPS Y13, Y13, Y13

amasked:
	MOVQ         c+56(FP), R11
	MOVQ         ldc+64(FP), R8
	SHLQ         $2, R8
	MOVQ         rows+32(FP), CX
	VBROADCASTSS alpha+80(FP), Y14
	MOVQ         flags+88(FP), R10
	TESTQ        $1, R10 // Accumulate
	JE           astore

	AACC(Y0, Y1)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACC(Y2, Y3)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACC(Y4, Y5)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACC(Y6, Y7)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACC(Y8, Y9)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACC(Y10, Y11)
	JMP  adone

astore:
	ASTORE(Y0, Y1)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTORE(Y2, Y3)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTORE(Y4, Y5)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTORE(Y6, Y7)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTORE(Y8, Y9)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTORE(Y10, Y11)

adone:
	VZEROUPPER
	RET

// The fp64 kernel: the fp32 kernel with 4 lanes per vector.

// The broadcast of one row's A value and its FMAs into the row's two
// accumulators.
#define BBC2(R, ACC0, ACC1) \
	VBROADCASTSD (R)(R15*1), Y14; \
	VFMADD231PD Y12, Y14, ACC0; \
	VFMADD231PD Y13, Y14, ACC1

// One depth step with more than 4 columns (Y15 masks the second half).
#define BWSTEP \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPD (DI), Y12; \
	VMASKMOVPD 32(DI), Y15, Y13; \
	BBC2(AX, Y0, Y1); \
	BBC2(BX, Y2, Y3); \
	BBC2(SI, Y4, Y5); \
	BBC2(DX, Y6, Y7); \
	BBC2(R8, Y8, Y9); \
	BBC2(R9, Y10, Y11); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define BBC1(R, ACC) \
	VBROADCASTSD (R)(R15*1), Y14; \
	VFMADD231PD Y12, Y14, ACC

// One depth step with at most 4 columns (Y15 masks them) into the
// accumulators A0..A5.
#define BNSTEP(A0, A1, A2, A3, A4, A5) \
	PREFETCHT0 (DI)(R12*8); \
	VMASKMOVPD (DI), Y15, Y12; \
	BBC1(AX, A0); \
	BBC1(BX, A1); \
	BBC1(SI, A2); \
	BBC1(DX, A3); \
	BBC1(R8, A4); \
	BBC1(R9, A5); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define BEVEN BNSTEP(Y0, Y2, Y4, Y6, Y8, Y10)
#define BODD BNSTEP(Y1, Y3, Y5, Y7, Y9, Y11)

// Row epilogues at R11: C = alpha*acc + C (BACC) or C = alpha*acc
// (BSTORE), masked to the tile's columns (Y12 the first half, Y13 the
// second); Y14 = alpha.
#define BACC(R0, R1) \
	VMASKMOVPD (R11), Y12, Y15; \
	VFMADD213PD Y15, Y14, R0; \
	VMASKMOVPD 32(R11), Y13, Y15; \
	VFMADD213PD Y15, Y14, R1; \
	VMASKMOVPD R0, Y12, (R11); \
	VMASKMOVPD R1, Y13, 32(R11)

#define BSTORE(R0, R1) \
	VMULPD Y14, R0, R0; \
	VMULPD Y14, R1, R1; \
	VMASKMOVPD R0, Y12, (R11); \
	VMASKMOVPD R1, Y13, 32(R11)

// MASK(N, DST): lane j of DST all ones when j < N (N in a register).
#define BMASK(N, DST) \
	MOVQ         N, X14; \
	VPBROADCASTQ X14, Y14; \
	VMOVDQU      qiota<>(SB), DST; \
	VPCMPGTQ     DST, Y14, DST

#define BZERO \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y10, Y10, Y10; \
	VXORPS Y11, Y11, Y11

// func dgemmDirectAVX2Asm(k int, a *float64, ars, aks, rows int, b *float64, ldb int, c *float64, ldc, cols int, alpha float64, flags GemmFlags)
TEXT ·dgemmDirectAVX2Asm(SB), NOSPLIT, $0-96
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

	MOVQ b+40(FP), DI
	MOVQ ldb+48(FP), R12
	SHLQ $3, R12
	MOVQ aks+24(FP), R13
	SHLQ $3, R13
	XORQ R15, R15
	BZERO

	// The column mask, and the loop for the tile's width.
	MOVQ cols+72(FP), R14
	CMPQ R14, $4
	JLE  bnarrow
	SUBQ $4, R14
	BMASK(R14, Y15)
	MOVQ k+0(FP), CX
	CMPQ CX, $4
	JLT  bwtail

bwloop:
	BWSTEP
	BWSTEP
	BWSTEP
	BWSTEP
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  bwloop

bwtail:
	TESTQ CX, CX
	JE    bepilogue

bwloop1:
	BWSTEP
	DECQ CX
	JNE  bwloop1
	JMP  bepilogue

bnarrow:
	BMASK(R14, Y15)
	MOVQ k+0(FP), CX
	CMPQ CX, $2
	JLT  bntail

bnloop:
	BEVEN
	BODD
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  bnloop

bntail:
	TESTQ CX, CX
	JE    bnsum
	BEVEN

bnsum:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y5, Y4, Y4
	VADDPD Y7, Y6, Y6
	VADDPD Y9, Y8, Y8
	VADDPD Y11, Y10, Y10

bepilogue:
	// Y12, Y13: the masks of the two halves.
	MOVQ cols+72(FP), R10
	CMPQ R10, $4
	JLE  bnarrowmask
	SUBQ $4, R10
	BMASK(R10, Y13)
	VPCMPEQD Y12, Y12, Y12
	JMP  bmasked

bnarrowmask:
	BMASK(R10, Y12)
	VXORPS Y13, Y13, Y13

bmasked:
	MOVQ         c+56(FP), R11
	MOVQ         ldc+64(FP), R8
	SHLQ         $3, R8
	MOVQ         rows+32(FP), CX
	VBROADCASTSD alpha+80(FP), Y14
	MOVQ         flags+88(FP), R10
	TESTQ        $1, R10 // Accumulate
	JE           bstore

	BACC(Y0, Y1)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BACC(Y2, Y3)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BACC(Y4, Y5)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BACC(Y6, Y7)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BACC(Y8, Y9)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BACC(Y10, Y11)
	JMP  bdone

bstore:
	BSTORE(Y0, Y1)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BSTORE(Y2, Y3)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BSTORE(Y4, Y5)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BSTORE(Y6, Y7)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BSTORE(Y8, Y9)
	DECQ CX
	JEQ  bdone
	ADDQ R8, R11
	BSTORE(Y10, Y11)

bdone:
	VZEROUPPER
	RET
