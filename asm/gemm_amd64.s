//go:build !purego && !noasm

#include "textflag.h"

// Register plan (both kernels):
//   Y0..Y11  accumulators: row r in Y(2r) (columns 0..7 / 0..3) and Y(2r+1)
//   Y12,Y13  the current row of packed B
//   Y14,Y15  broadcasts of packed A (alternating, to break false dependences)
//   SI = a, DI = b, CX = k, DX = c, R8 = ldc in bytes, R9 = bias, R10 = flags

// One k step of the 4-row fp32 kernels: the first four rows of a 6-row
// packed A panel (AO/BO as in SSTEP), into Y0..Y7.
#define LSTEP(AO, BO) \
	VMOVUPS BO(DI), Y12; \
	VMOVUPS BO+32(DI), Y13; \
	VBROADCASTSS AO(SI), Y14; \
	VFMADD231PS Y12, Y14, Y0; \
	VFMADD231PS Y13, Y14, Y1; \
	VBROADCASTSS AO+4(SI), Y15; \
	VFMADD231PS Y12, Y15, Y2; \
	VFMADD231PS Y13, Y15, Y3; \
	VBROADCASTSS AO+8(SI), Y14; \
	VFMADD231PS Y12, Y14, Y4; \
	VFMADD231PS Y13, Y14, Y5; \
	VBROADCASTSS AO+12(SI), Y15; \
	VFMADD231PS Y12, Y15, Y6; \
	VFMADD231PS Y13, Y15, Y7

// One k step of the fp32 kernel; AO/BO are byte offsets into a and b:
// the 4-row step, then rows 4 and 5.
#define SSTEP(AO, BO) \
	LSTEP(AO, BO); \
	VBROADCASTSS AO+16(SI), Y14; \
	VFMADD231PS Y12, Y14, Y8; \
	VFMADD231PS Y13, Y14, Y9; \
	VBROADCASTSS AO+20(SI), Y15; \
	VFMADD231PS Y12, Y15, Y10; \
	VFMADD231PS Y13, Y15, Y11

// Epilogue helpers: add the two vectors at (R11) to an accumulator pair,
// then step R11 to the next row.
#define SADDROW(R0, R1) \
	VADDPS (R11), R0, R0; \
	VADDPS 32(R11), R1, R1; \
	ADDQ R8, R11

#define SSTOREROW(R0, R1) \
	VMOVUPS R0, (R11); \
	VMOVUPS R1, 32(R11); \
	ADDQ R8, R11

// One k step of an in-place kernel: prefetch the B row eight steps ahead,
// run STEP on the current row at DI, step DI to the next row (R12 = ldb in
// bytes). STEP is SSTEP or DSTEP.
#define BROW(STEP, AO) \
	PREFETCHT0 (DI)(R12*8); \
	STEP(AO, 0); \
	ADDQ R12, DI

// BROW that also prefetches one line of the caller's stream into L2 (R13,
// stepped by R12): the next slice of B the GEMM engine's narrow path will
// read, interleaved with the multiply-adds instead of issued in bursts.
#define BROWPF(STEP, AO) \
	PREFETCHT1 (R13); \
	BROW(STEP, AO); \
	ADDQ R12, R13

// The count of 4-step rounds that also prefetch the caller's stream
// (R13 = pf, rows R12 apart): BX = min(pfRows, k) / 4, ZF set when none.
#define PFCOUNT \
	CMPQ BX, CX; \
	CMOVQGT CX, BX; \
	SHRQ $2, BX

// Prefetch the C tile at DX (stride R8): six rows, first and last byte of
// each, so that the epilogue does not wait on it.
#define PREFC \
	MOVQ DX, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 63(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 63(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 63(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 63(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 63(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 63(R11)

// Zero the twelve accumulators (either precision).
#define ZERO \
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

// Accumulate: add the C tile at DX to the accumulators.
#define SACC \
	MOVQ  DX, R11; \
	SADDROW(Y0, Y1); \
	SADDROW(Y2, Y3); \
	SADDROW(Y4, Y5); \
	SADDROW(Y6, Y7); \
	SADDROW(Y8, Y9); \
	SADDROW(Y10, Y11)

// ScaleC: add beta*C, beta at R9, to the accumulators (the product
// rounded, then the sum, as the reference does).
#define SSCALEROW(R0, R1) \
	VMULPS (R11), Y14, Y12; \
	VMULPS 32(R11), Y14, Y13; \
	VADDPS Y12, R0, R0; \
	VADDPS Y13, R1, R1; \
	ADDQ R8, R11

#define SSCALE \
	VBROADCASTSS (R9), Y14; \
	MOVQ DX, R11; \
	SSCALEROW(Y0, Y1); \
	SSCALEROW(Y2, Y3); \
	SSCALEROW(Y4, Y5); \
	SSCALEROW(Y6, Y7); \
	SSCALEROW(Y8, Y9); \
	SSCALEROW(Y10, Y11)

// AddBias: add the 16 bias values at R9 to every row.
#define SBIAS \
	VMOVUPS (R9), Y12; \
	VMOVUPS 32(R9), Y13; \
	VADDPS Y12, Y0, Y0; \
	VADDPS Y13, Y1, Y1; \
	VADDPS Y12, Y2, Y2; \
	VADDPS Y13, Y3, Y3; \
	VADDPS Y12, Y4, Y4; \
	VADDPS Y13, Y5, Y5; \
	VADDPS Y12, Y6, Y6; \
	VADDPS Y13, Y7, Y7; \
	VADDPS Y12, Y8, Y8; \
	VADDPS Y13, Y9, Y9; \
	VADDPS Y12, Y10, Y10; \
	VADDPS Y13, Y11, Y11

// ReLU: max(x, +0) returns +0 for NaN and -0.
#define SRELU \
	VXORPS Y14, Y14, Y14; \
	VMAXPS Y14, Y0, Y0; \
	VMAXPS Y14, Y1, Y1; \
	VMAXPS Y14, Y2, Y2; \
	VMAXPS Y14, Y3, Y3; \
	VMAXPS Y14, Y4, Y4; \
	VMAXPS Y14, Y5, Y5; \
	VMAXPS Y14, Y6, Y6; \
	VMAXPS Y14, Y7, Y7; \
	VMAXPS Y14, Y8, Y8; \
	VMAXPS Y14, Y9, Y9; \
	VMAXPS Y14, Y10, Y10; \
	VMAXPS Y14, Y11, Y11

// Store Y0..Y7 to the four rows of C at DX (stride R8).
#define LSTORE \
	MOVQ DX, R11; \
	SSTOREROW(Y0, Y1); \
	SSTOREROW(Y2, Y3); \
	SSTOREROW(Y4, Y5); \
	SSTOREROW(Y6, Y7)

// Store the accumulators to the C tile at DX.
#define SSTORE \
	LSTORE; \
	SSTOREROW(Y8, Y9); \
	SSTOREROW(Y10, Y11)

// The k loop of the packed 6x16 fp32 kernels (SI = a, DI = b, CX = k):
// four steps a round with A and B prefetched ahead, then single steps;
// falls through to DONE. LOOP, TAIL and ONE are the kernel's own label
// names.
#define SKLOOP(LOOP, TAIL, ONE, DONE) \
	CMPQ CX, $4; \
	JLT  TAIL; \
LOOP: \
	PREFETCHT0 768(SI); \
	SSTEP(0, 0); \
	SSTEP(24, 64); \
	PREFETCHT0 1024(DI); \
	SSTEP(48, 128); \
	SSTEP(72, 192); \
	ADDQ $96, SI; \
	ADDQ $256, DI; \
	SUBQ $4, CX; \
	CMPQ CX, $4; \
	JGE  LOOP; \
TAIL: \
	TESTQ CX, CX; \
	JE    DONE; \
ONE: \
	SSTEP(0, 0); \
	ADDQ $24, SI; \
	ADDQ $64, DI; \
	DECQ CX; \
	JNE  ONE

// func sgemmAVX2Asm(k int, a, b, c *float32, ldc int, bias *float32, flags GemmFlags)
TEXT ·sgemmAVX2Asm(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	MOVQ bias+40(FP), R9
	MOVQ flags+48(FP), R10
	PREFC
	ZERO

	SKLOOP(sloop4, stail, sloop1, sepilogue)

sepilogue:
	TESTQ $1, R10 // Accumulate
	JE    sbias
	TESTQ $8, R10 // ScaleC
	JNE   sscale
	SACC
	JMP   sbias

sscale:
	SSCALE

sbias:
	TESTQ $2, R10 // AddBias
	JE    srelu
	SBIAS

srelu:
	TESTQ $4, R10 // ReLU
	JE    sstore
	SRELU

sstore:
	SSTORE
	VZEROUPPER
	RET

// The descent epilogue (sgemmDescendAVX2Asm) on one row: store the row's
// two accumulators (v) to C at R12, then take the SGD step on the row of
// W at R11 with v as the gradient: t = v + float32(wd*w), w = w -
// float32(lr*t) (lr broadcast in Y14, wd in Y15). W's row is loaded before
// C's is stored (see SDESCROW512).
#define SDESCROW(R0, R1) \
	VMOVUPS (R11), Y12; \
	VMOVUPS 32(R11), Y13; \
	VMOVUPS R0, (R12); \
	VMOVUPS R1, 32(R12); \
	VMULPS Y12, Y15, R0; \
	VADDPS (R12), R0, R0; \
	VMULPS Y13, Y15, R1; \
	VADDPS 32(R12), R1, R1; \
	VMULPS R0, Y14, R0; \
	VMULPS R1, Y14, R1; \
	VSUBPS R0, Y12, Y12; \
	VSUBPS R1, Y13, Y13; \
	VMOVUPS Y12, (R11); \
	VMOVUPS Y13, 32(R11); \
	ADDQ R8, R11; \
	ADDQ R8, R12

// Prefetch, for writing, the six rows of the W tile at R13 (stride R8):
// the two lines a 64-byte row touches (PREFETCHW, encoded as bytes).
#define PREFWROW \
	BYTE $0x41; BYTE $0x0F; BYTE $0x0D; BYTE $0x0B; \
	BYTE $0x41; BYTE $0x0F; BYTE $0x0D; BYTE $0x4B; BYTE $0x3F

#define PREFW \
	MOVQ R13, R11; \
	PREFWROW; \
	ADDQ R8, R11; \
	PREFWROW; \
	ADDQ R8, R11; \
	PREFWROW; \
	ADDQ R8, R11; \
	PREFWROW; \
	ADDQ R8, R11; \
	PREFWROW; \
	ADDQ R8, R11; \
	PREFWROW

// func sgemmDescendAVX2Asm(k int, a, b, c *float32, ldc int, coef *float32, flags GemmFlags, w *float32)
//
// The 6x16 kernel (Accumulate and ScaleC as sgemmAVX2Asm, beta in
// coef[0]), then the SGD step on the W tile at w (leading dimension ldc)
// with the stored tile as the gradient: lr = coef[1], wd = coef[2].
TEXT ·sgemmDescendAVX2Asm(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	MOVQ coef+40(FP), R9
	MOVQ flags+48(FP), R10
	MOVQ w+56(FP), R13
	PREFC
	PREFW
	ZERO

	SKLOOP(sdloop4, sdtail, sdloop1, sdepilogue)

sdepilogue:
	TESTQ $1, R10 // Accumulate
	JE    sdstep
	TESTQ $8, R10 // ScaleC
	JNE   sdscale
	SACC
	JMP   sdstep

sdscale:
	SSCALE

sdstep:
	VBROADCASTSS 4(R9), Y14
	VBROADCASTSS 8(R9), Y15
	MOVQ R13, R11
	MOVQ DX, R12
	SDESCROW(Y0, Y1)
	SDESCROW(Y2, Y3)
	SDESCROW(Y4, Y5)
	SDESCROW(Y6, Y7)
	SDESCROW(Y8, Y9)
	SDESCROW(Y10, Y11)
	VZEROUPPER
	RET

// func sgemmStridedAVX2Asm(k int, a, b *float32, ldb int, c *float32, ldc int, bias *float32, flags GemmFlags, pf *float32, pfRows int)
//
// The first min(pfRows, k) steps, rounded down to a multiple of four,
// also prefetch one line each of the rows pf, pf+ldb, ... into L2.
// The 6x16 kernel reading B in place: row p of the B micro-panel is the 16
// values at b + p*ldb (R12 = ldb in bytes). Each k step also prefetches the
// row eight steps ahead, so that the first call on a panel streams it from
// memory; the calls after it find the panel in L1.
TEXT ·sgemmStridedAVX2Asm(SB), NOSPLIT, $0-80
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R12
	SHLQ $2, R12
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	MOVQ bias+48(FP), R9
	MOVQ flags+56(FP), R10
	MOVQ pf+64(FP), R13
	MOVQ pfRows+72(FP), BX
	PREFC
	ZERO

	PFCOUNT
	JEQ  ssloop4pfdone

ssloop4pf:
	PREFETCHT0 768(SI)
	BROWPF(SSTEP, 0)
	BROWPF(SSTEP, 24)
	BROWPF(SSTEP, 48)
	BROWPF(SSTEP, 72)
	ADDQ $96, SI
	SUBQ $4, CX
	DECQ BX
	JNE  ssloop4pf

ssloop4pfdone:
	CMPQ CX, $4
	JLT  sstail

ssloop4:
	PREFETCHT0 768(SI)
	BROW(SSTEP, 0)
	BROW(SSTEP, 24)
	BROW(SSTEP, 48)
	BROW(SSTEP, 72)
	ADDQ $96, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  ssloop4

sstail:
	TESTQ CX, CX
	JE    ssepilogue

ssloop1:
	SSTEP(0, 0)
	ADDQ $24, SI
	ADDQ R12, DI
	DECQ CX
	JNE  ssloop1

ssepilogue:
	TESTQ $1, R10 // Accumulate
	JE    ssbias
	SACC

ssbias:
	TESTQ $2, R10 // AddBias
	JE    ssrelu
	SBIAS

ssrelu:
	TESTQ $4, R10 // ReLU
	JE    ssstore
	SRELU

ssstore:
	SSTORE
	VZEROUPPER
	RET

// func sgemmLowAVX2Asm(k int, a, b, c *float32, ldc int)
//
// The first four rows of the 6x16 kernel's tile, no epilogue: a holds k
// steps of six values (rows 4 and 5 are not read), b k rows of 16.
TEXT ·sgemmLowAVX2Asm(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	ZERO

	CMPQ CX, $4
	JLT  ltail

lloop4:
	PREFETCHT0 768(SI)
	LSTEP(0, 0)
	LSTEP(24, 64)
	PREFETCHT0 1024(DI)
	LSTEP(48, 128)
	LSTEP(72, 192)
	ADDQ $96, SI
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  lloop4

ltail:
	TESTQ CX, CX
	JE    lstore

lloop1:
	LSTEP(0, 0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNE  lloop1

lstore:
	LSTORE
	VZEROUPPER
	RET

// func sgemmStridedLowAVX2Asm(k int, a, b *float32, ldb int, c *float32, ldc int, pf *float32, pfRows int)
//
// sgemmLowAVX2Asm reading B in place, rows ldb apart, with
// sgemmStridedAVX2Asm's row prefetches and prefetch stream.
TEXT ·sgemmStridedLowAVX2Asm(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R12
	SHLQ $2, R12
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	MOVQ pf+48(FP), R13
	MOVQ pfRows+56(FP), BX
	ZERO

	PFCOUNT
	JEQ  lsloop4pfdone

lsloop4pf:
	PREFETCHT0 768(SI)
	BROWPF(LSTEP, 0)
	BROWPF(LSTEP, 24)
	BROWPF(LSTEP, 48)
	BROWPF(LSTEP, 72)
	ADDQ $96, SI
	SUBQ $4, CX
	DECQ BX
	JNE  lsloop4pf

lsloop4pfdone:
	CMPQ CX, $4
	JLT  lstail

lsloop4:
	PREFETCHT0 768(SI)
	BROW(LSTEP, 0)
	BROW(LSTEP, 24)
	BROW(LSTEP, 48)
	BROW(LSTEP, 72)
	ADDQ $96, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  lsloop4

lstail:
	TESTQ CX, CX
	JE    lsstore

lsloop1:
	LSTEP(0, 0)
	ADDQ $24, SI
	ADDQ R12, DI
	DECQ CX
	JNE  lsloop1

lsstore:
	LSTORE
	VZEROUPPER
	RET

// One k step of the fp64 kernel.
#define DSTEP(AO, BO) \
	VMOVUPD BO(DI), Y12; \
	VMOVUPD BO+32(DI), Y13; \
	VBROADCASTSD AO(SI), Y14; \
	VFMADD231PD Y12, Y14, Y0; \
	VFMADD231PD Y13, Y14, Y1; \
	VBROADCASTSD AO+8(SI), Y15; \
	VFMADD231PD Y12, Y15, Y2; \
	VFMADD231PD Y13, Y15, Y3; \
	VBROADCASTSD AO+16(SI), Y14; \
	VFMADD231PD Y12, Y14, Y4; \
	VFMADD231PD Y13, Y14, Y5; \
	VBROADCASTSD AO+24(SI), Y15; \
	VFMADD231PD Y12, Y15, Y6; \
	VFMADD231PD Y13, Y15, Y7; \
	VBROADCASTSD AO+32(SI), Y14; \
	VFMADD231PD Y12, Y14, Y8; \
	VFMADD231PD Y13, Y14, Y9; \
	VBROADCASTSD AO+40(SI), Y15; \
	VFMADD231PD Y12, Y15, Y10; \
	VFMADD231PD Y13, Y15, Y11

#define DADDROW(R0, R1) \
	VADDPD (R11), R0, R0; \
	VADDPD 32(R11), R1, R1; \
	ADDQ R8, R11

#define DSTOREROW(R0, R1) \
	VMOVUPD R0, (R11); \
	VMOVUPD R1, 32(R11); \
	ADDQ R8, R11

// Accumulate: add the C tile at DX to the fp64 accumulators.
#define DACC \
	MOVQ  DX, R11; \
	DADDROW(Y0, Y1); \
	DADDROW(Y2, Y3); \
	DADDROW(Y4, Y5); \
	DADDROW(Y6, Y7); \
	DADDROW(Y8, Y9); \
	DADDROW(Y10, Y11)

// AddBias: add the 8 fp64 bias values at R9 to every row.
#define DBIAS \
	VMOVUPD (R9), Y12; \
	VMOVUPD 32(R9), Y13; \
	VADDPD Y12, Y0, Y0; \
	VADDPD Y13, Y1, Y1; \
	VADDPD Y12, Y2, Y2; \
	VADDPD Y13, Y3, Y3; \
	VADDPD Y12, Y4, Y4; \
	VADDPD Y13, Y5, Y5; \
	VADDPD Y12, Y6, Y6; \
	VADDPD Y13, Y7, Y7; \
	VADDPD Y12, Y8, Y8; \
	VADDPD Y13, Y9, Y9; \
	VADDPD Y12, Y10, Y10; \
	VADDPD Y13, Y11, Y11

// ReLU on the fp64 accumulators: max(x, +0) returns +0 for NaN and -0.
#define DRELU \
	VXORPD Y14, Y14, Y14; \
	VMAXPD Y14, Y0, Y0; \
	VMAXPD Y14, Y1, Y1; \
	VMAXPD Y14, Y2, Y2; \
	VMAXPD Y14, Y3, Y3; \
	VMAXPD Y14, Y4, Y4; \
	VMAXPD Y14, Y5, Y5; \
	VMAXPD Y14, Y6, Y6; \
	VMAXPD Y14, Y7, Y7; \
	VMAXPD Y14, Y8, Y8; \
	VMAXPD Y14, Y9, Y9; \
	VMAXPD Y14, Y10, Y10; \
	VMAXPD Y14, Y11, Y11

// Store the fp64 accumulators to the C tile at DX.
#define DSTORE \
	MOVQ DX, R11; \
	DSTOREROW(Y0, Y1); \
	DSTOREROW(Y2, Y3); \
	DSTOREROW(Y4, Y5); \
	DSTOREROW(Y6, Y7); \
	DSTOREROW(Y8, Y9); \
	DSTOREROW(Y10, Y11)

// func dgemmAVX2Asm(k int, a, b, c *float64, ldc int, bias *float64, flags GemmFlags)
TEXT ·dgemmAVX2Asm(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8
	MOVQ bias+40(FP), R9
	MOVQ flags+48(FP), R10
	PREFC
	ZERO

	CMPQ CX, $4
	JLT  dtail

dloop4:
	PREFETCHT0 384(SI)
	DSTEP(0, 0)
	DSTEP(48, 64)
	PREFETCHT0 512(DI)
	DSTEP(96, 128)
	DSTEP(144, 192)
	ADDQ $192, SI
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  dloop4

dtail:
	TESTQ CX, CX
	JE    depilogue

dloop1:
	DSTEP(0, 0)
	ADDQ $48, SI
	ADDQ $64, DI
	DECQ CX
	JNE  dloop1

depilogue:
	TESTQ $1, R10 // Accumulate
	JE    dbias
	DACC

dbias:
	TESTQ $2, R10 // AddBias
	JE    drelu
	DBIAS

drelu:
	TESTQ $4, R10 // ReLU
	JE    dstore
	DRELU

dstore:
	DSTORE
	VZEROUPPER
	RET

// func dgemmStridedAVX2Asm(k int, a, b *float64, ldb int, c *float64, ldc int, bias *float64, flags GemmFlags, pf *float64, pfRows int)
//
// The first min(pfRows, k) steps, rounded down to a multiple of four,
// also prefetch one line each of the rows pf, pf+ldb, ... into L2.
// The 6x8 kernel reading B in place: row p of the B micro-panel is the 8
// values at b + p*ldb (R12 = ldb in bytes), prefetching the row eight steps
// ahead.
TEXT ·dgemmStridedAVX2Asm(SB), NOSPLIT, $0-80
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R12
	SHLQ $3, R12
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $3, R8
	MOVQ bias+48(FP), R9
	MOVQ flags+56(FP), R10
	MOVQ pf+64(FP), R13
	MOVQ pfRows+72(FP), BX
	PREFC
	ZERO

	PFCOUNT
	JEQ  sdloop4pfdone

sdloop4pf:
	PREFETCHT0 384(SI)
	BROWPF(DSTEP, 0)
	BROWPF(DSTEP, 48)
	BROWPF(DSTEP, 96)
	BROWPF(DSTEP, 144)
	ADDQ $192, SI
	SUBQ $4, CX
	DECQ BX
	JNE  sdloop4pf

sdloop4pfdone:
	CMPQ CX, $4
	JLT  sdtail

sdloop4:
	PREFETCHT0 384(SI)
	BROW(DSTEP, 0)
	BROW(DSTEP, 48)
	BROW(DSTEP, 96)
	BROW(DSTEP, 144)
	ADDQ $192, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  sdloop4

sdtail:
	TESTQ CX, CX
	JE    sdepilogue

sdloop1:
	DSTEP(0, 0)
	ADDQ $48, SI
	ADDQ R12, DI
	DECQ CX
	JNE  sdloop1

sdepilogue:
	TESTQ $1, R10 // Accumulate
	JE    sdbias
	DACC

sdbias:
	TESTQ $2, R10 // AddBias
	JE    sdrelu
	DBIAS

sdrelu:
	TESTQ $4, R10 // ReLU
	JE    sdstore
	DRELU

sdstore:
	DSTORE
	VZEROUPPER
	RET

// The half-width fp32 edge kernel (6x8): the first 8 columns of the 6x16
// tile, for a last micro-panel of at most 8 columns. Accumulators Y0..Y5
// (row r in Yr), the B half-row in Y12, broadcasts alternating in Y14 and
// Y15; no epilogue. Per k step: 1 load of B, 6 broadcasts, 6 FMAs.
#define HSTEP6(AO, BO) \
	VMOVUPS BO(DI), Y12; \
	VBROADCASTSS AO(SI), Y14; \
	VFMADD231PS Y12, Y14, Y0; \
	VBROADCASTSS AO+4(SI), Y15; \
	VFMADD231PS Y12, Y15, Y1; \
	VBROADCASTSS AO+8(SI), Y14; \
	VFMADD231PS Y12, Y14, Y2; \
	VBROADCASTSS AO+12(SI), Y15; \
	VFMADD231PS Y12, Y15, Y3; \
	VBROADCASTSS AO+16(SI), Y14; \
	VFMADD231PS Y12, Y14, Y4; \
	VBROADCASTSS AO+20(SI), Y15; \
	VFMADD231PS Y12, Y15, Y5

// Store the six half-row accumulators Y0..Y5 to the tile at DX (R8 = ldc
// in bytes).
#define HSTORE6 \
	MOVQ DX, R11; \
	VMOVUPS Y0, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Y1, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Y2, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Y3, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Y4, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Y5, (R11)

// func sgemmHalfAVX2Asm(k int, a, b, c *float32, ldc int)
TEXT ·sgemmHalfAVX2Asm(SB), NOSPLIT, $0-40
	MOVQ   k+0(FP), CX
	MOVQ   a+8(FP), SI
	MOVQ   b+16(FP), DI
	MOVQ   c+24(FP), DX
	MOVQ   ldc+32(FP), R8
	SHLQ   $2, R8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	CMPQ   CX, $4
	JLT    h6tail

h6loop:
	HSTEP6(0, 0)
	HSTEP6(24, 64)
	HSTEP6(48, 128)
	HSTEP6(72, 192)
	ADDQ $96, SI
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  h6loop

h6tail:
	TESTQ CX, CX
	JE    h6store

h6loop1:
	HSTEP6(0, 0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNE  h6loop1

h6store:
	HSTORE6
	VZEROUPPER
	RET

// iota8 holds 0..7, for building column masks.
DATA iota8<>+0(SB)/4, $0
DATA iota8<>+4(SB)/4, $1
DATA iota8<>+8(SB)/4, $2
DATA iota8<>+12(SB)/4, $3
DATA iota8<>+16(SB)/4, $4
DATA iota8<>+20(SB)/4, $5
DATA iota8<>+24(SB)/4, $6
DATA iota8<>+28(SB)/4, $7
GLOBL iota8<>(SB), RODATA|NOPTR, $32

// One k step of the masked in-place 6x8 kernel: the first columns of the
// B row at DI that Y10 selects (VMASKMOVPS: the others read as zero and are
// not accessed, so the row may end there), six FMAs, DI to the next row
// (R12 = ldb in bytes).
#define HMSTEP6(AO) \
	VMASKMOVPS (DI), Y10, Y12; \
	VBROADCASTSS AO(SI), Y14; \
	VFMADD231PS Y12, Y14, Y0; \
	VBROADCASTSS AO+4(SI), Y15; \
	VFMADD231PS Y12, Y15, Y1; \
	VBROADCASTSS AO+8(SI), Y14; \
	VFMADD231PS Y12, Y14, Y2; \
	VBROADCASTSS AO+12(SI), Y15; \
	VFMADD231PS Y12, Y15, Y3; \
	VBROADCASTSS AO+16(SI), Y14; \
	VFMADD231PS Y12, Y14, Y4; \
	VBROADCASTSS AO+20(SI), Y15; \
	VFMADD231PS Y12, Y15, Y5; \
	ADDQ R12, DI

// func sgemmHalfMaskAVX2Asm(k int, a, b *float32, ldb int, c *float32, ldc int, cols int)
//
// The 6x8 half-width kernel reading the first cols (1..8) columns of B in
// place, rows ldb apart; columns cols..7 of the tile come out zero.
TEXT ·sgemmHalfMaskAVX2Asm(SB), NOSPLIT, $0-56
	// Y10: lane j all ones when j < cols.
	MOVQ         cols+48(FP), AX
	MOVQ         AX, X13
	VPBROADCASTD X13, Y13
	VMOVDQU      iota8<>(SB), Y11
	VPCMPGTD     Y11, Y13, Y10
	MOVQ         k+0(FP), CX
	MOVQ         a+8(FP), SI
	MOVQ         b+16(FP), DI
	MOVQ         ldb+24(FP), R12
	SHLQ         $2, R12
	MOVQ         c+32(FP), DX
	MOVQ         ldc+40(FP), R8
	SHLQ         $2, R8
	VXORPS       Y0, Y0, Y0
	VXORPS       Y1, Y1, Y1
	VXORPS       Y2, Y2, Y2
	VXORPS       Y3, Y3, Y3
	VXORPS       Y4, Y4, Y4
	VXORPS       Y5, Y5, Y5
	CMPQ         CX, $4
	JLT          hm6tail

hm6loop:
	HMSTEP6(0)
	HMSTEP6(24)
	HMSTEP6(48)
	HMSTEP6(72)
	ADDQ $96, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  hm6loop

hm6tail:
	TESTQ CX, CX
	JE    hm6store

hm6loop1:
	HMSTEP6(0)
	ADDQ $24, SI
	DECQ CX
	JNE  hm6loop1

hm6store:
	HSTORE6
	VZEROUPPER
	RET
