//go:build !purego && !noasm

#include "textflag.h"

// AVX-512F micro-kernels: fp32 10x32 and fp64 10x16, and their 8-row
// variants (8x32, 8x16).
//
// Register plan (both kernels):
//   Z0..Z19   accumulators: row r in Z(2r) (columns 0..15 / 0..7) and Z(2r+1)
//   Z20,Z21   the current row of packed B
//   Z22..Z25  broadcasts of packed A (rotating, to break false dependences)
//   SI = a, DI = b, CX = k, DX = c, R8 = ldc in bytes, R9 = bias, R10 = flags
//
// Per k step: 2 loads of B, 10 broadcasts, 20 FMAs (10 cycles on two 512-bit
// FMA pipes); twenty independent accumulator chains cover the FMA latency.

// One k step of the fp32 kernel; AO/BO are byte offsets into a and b: the
// 8-row step (below) and rows 8 and 9.
#define SSTEP512(AO, BO) \
	SSTEP8(AO, BO); \
	VBROADCASTSS AO+32(SI), Z22; \
	VFMADD231PS Z20, Z22, Z16; \
	VFMADD231PS Z21, Z22, Z17; \
	VBROADCASTSS AO+36(SI), Z23; \
	VFMADD231PS Z20, Z23, Z18; \
	VFMADD231PS Z21, Z23, Z19

#define SADDROW512(R0, R1) \
	VADDPS (R11), R0, R0; \
	VADDPS 64(R11), R1, R1; \
	ADDQ R8, R11

// ScaleC: add beta*C to one row's two accumulators (beta broadcast in
// Z26; the product rounded, then the sum, as the reference does).
#define SSCALEROW512(R0, R1) \
	VMULPS (R11), Z26, Z27; \
	VMULPS 64(R11), Z26, Z28; \
	VADDPS Z27, R0, R0; \
	VADDPS Z28, R1, R1; \
	ADDQ R8, R11

#define SSTOREROW512(R0, R1) \
	VMOVUPS R0, (R11); \
	VMOVUPS R1, 64(R11); \
	ADDQ R8, R11

// One k step of an in-place kernel: prefetch the B row eight steps ahead
// (two lines), run STEP on the current row at DI, step DI to the next row
// (R12 = ldb in bytes). STEP is SSTEP512, SSTEP8, DSTEP512 or DSTEP8.
#define BROW512(STEP, AO) \
	PREFETCHT0 (DI)(R12*8); \
	PREFETCHT0 64(DI)(R12*8); \
	STEP(AO, 0); \
	ADDQ R12, DI

// BROW512 that also prefetches one line of the caller's stream into L2
// (R13, stepped by R12): the next slice of B the GEMM engine's narrow path
// will read, interleaved with the multiply-adds instead of issued in bursts.
#define BROWPF512(STEP, AO) \
	PREFETCHT1 (R13); \
	BROW512(STEP, AO); \
	ADDQ R12, R13

// The count of 4-step rounds that also prefetch the caller's stream
// (R13 = pf, rows R12 apart): BX = min(pfRows, k) / 4, ZF set when none.
#define PFCOUNT \
	CMPQ BX, CX; \
	CMOVQGT CX, BX; \
	SHRQ $2, BX

// The 8x32 fp32 kernels: the 10x32 register plan with rows 8 and 9 left out
// (Z0..Z15 accumulators), for products whose row count is a multiple of 8
// but not of 10 (a batch of 16: the 10-row kernel would compute 20 rows).
// Per k step: 2 loads of B, 8 broadcasts, 16 FMAs.

// One k step of the 8x32 fp32 kernel; AO/BO are byte offsets into a and b.
#define SSTEP8(AO, BO) \
	VMOVUPS BO(DI), Z20; \
	VMOVUPS BO+64(DI), Z21; \
	VBROADCASTSS AO(SI), Z22; \
	VFMADD231PS Z20, Z22, Z0; \
	VFMADD231PS Z21, Z22, Z1; \
	VBROADCASTSS AO+4(SI), Z23; \
	VFMADD231PS Z20, Z23, Z2; \
	VFMADD231PS Z21, Z23, Z3; \
	VBROADCASTSS AO+8(SI), Z24; \
	VFMADD231PS Z20, Z24, Z4; \
	VFMADD231PS Z21, Z24, Z5; \
	VBROADCASTSS AO+12(SI), Z25; \
	VFMADD231PS Z20, Z25, Z6; \
	VFMADD231PS Z21, Z25, Z7; \
	VBROADCASTSS AO+16(SI), Z22; \
	VFMADD231PS Z20, Z22, Z8; \
	VFMADD231PS Z21, Z22, Z9; \
	VBROADCASTSS AO+20(SI), Z23; \
	VFMADD231PS Z20, Z23, Z10; \
	VFMADD231PS Z21, Z23, Z11; \
	VBROADCASTSS AO+24(SI), Z24; \
	VFMADD231PS Z20, Z24, Z12; \
	VFMADD231PS Z21, Z24, Z13; \
	VBROADCASTSS AO+28(SI), Z25; \
	VFMADD231PS Z20, Z25, Z14; \
	VFMADD231PS Z21, Z25, Z15

// Prefetch the eight rows of the C tile at DX (stride R8).
#define PREFC8 \
	MOVQ DX, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11)

// Zero the sixteen accumulators.
#define ZERO8 \
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

// Accumulate: add the C tile at DX.
#define SACC8 \
	MOVQ DX, R11; \
	SADDROW512(Z0, Z1); \
	SADDROW512(Z2, Z3); \
	SADDROW512(Z4, Z5); \
	SADDROW512(Z6, Z7); \
	SADDROW512(Z8, Z9); \
	SADDROW512(Z10, Z11); \
	SADDROW512(Z12, Z13); \
	SADDROW512(Z14, Z15)

// Accumulate with ScaleC: add beta*C, beta at R9, to the accumulators.
#define SSCALE8 \
	VBROADCASTSS (R9), Z26; \
	MOVQ DX, R11; \
	SSCALEROW512(Z0, Z1); \
	SSCALEROW512(Z2, Z3); \
	SSCALEROW512(Z4, Z5); \
	SSCALEROW512(Z6, Z7); \
	SSCALEROW512(Z8, Z9); \
	SSCALEROW512(Z10, Z11); \
	SSCALEROW512(Z12, Z13); \
	SSCALEROW512(Z14, Z15)

// AddBias: add the 32 bias values at R9 to every row.
#define SBIAS8 \
	VMOVUPS (R9), Z20; \
	VMOVUPS 64(R9), Z21; \
	VADDPS Z20, Z0, Z0; \
	VADDPS Z21, Z1, Z1; \
	VADDPS Z20, Z2, Z2; \
	VADDPS Z21, Z3, Z3; \
	VADDPS Z20, Z4, Z4; \
	VADDPS Z21, Z5, Z5; \
	VADDPS Z20, Z6, Z6; \
	VADDPS Z21, Z7, Z7; \
	VADDPS Z20, Z8, Z8; \
	VADDPS Z21, Z9, Z9; \
	VADDPS Z20, Z10, Z10; \
	VADDPS Z21, Z11, Z11; \
	VADDPS Z20, Z12, Z12; \
	VADDPS Z21, Z13, Z13; \
	VADDPS Z20, Z14, Z14; \
	VADDPS Z21, Z15, Z15

// ReLU: max(x, +0) returns +0 for NaN and -0.
#define SRELU8 \
	VPXORQ Z22, Z22, Z22; \
	VMAXPS Z22, Z0, Z0; \
	VMAXPS Z22, Z1, Z1; \
	VMAXPS Z22, Z2, Z2; \
	VMAXPS Z22, Z3, Z3; \
	VMAXPS Z22, Z4, Z4; \
	VMAXPS Z22, Z5, Z5; \
	VMAXPS Z22, Z6, Z6; \
	VMAXPS Z22, Z7, Z7; \
	VMAXPS Z22, Z8, Z8; \
	VMAXPS Z22, Z9, Z9; \
	VMAXPS Z22, Z10, Z10; \
	VMAXPS Z22, Z11, Z11; \
	VMAXPS Z22, Z12, Z12; \
	VMAXPS Z22, Z13, Z13; \
	VMAXPS Z22, Z14, Z14; \
	VMAXPS Z22, Z15, Z15

// Store the accumulators to the C tile at DX.
#define SSTORE8 \
	MOVQ DX, R11; \
	SSTOREROW512(Z0, Z1); \
	SSTOREROW512(Z2, Z3); \
	SSTOREROW512(Z4, Z5); \
	SSTOREROW512(Z6, Z7); \
	SSTOREROW512(Z8, Z9); \
	SSTOREROW512(Z10, Z11); \
	SSTOREROW512(Z12, Z13); \
	SSTOREROW512(Z14, Z15)


// The 10-row epilogue pieces are the 8-row ones (below the 8x32 step) and
// two rows more.

// Prefetch the C tile at DX (stride R8): ten rows of 128 bytes, which
// touch up to three cache lines each.
#define PREFC512 \
	PREFC8; \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11); \
	ADDQ R8, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 127(R11)

// Zero the twenty accumulators (either precision).
#define ZERO512 \
	ZERO8; \
	VPXORQ Z16, Z16, Z16; \
	VPXORQ Z17, Z17, Z17; \
	VPXORQ Z18, Z18, Z18; \
	VPXORQ Z19, Z19, Z19

// Accumulate: add the C tile at DX to the accumulators.
#define SACC512 \
	SACC8; \
	SADDROW512(Z16, Z17); \
	SADDROW512(Z18, Z19)

// Accumulate with ScaleC, ten rows.
#define SSCALE512 \
	SSCALE8; \
	SSCALEROW512(Z16, Z17); \
	SSCALEROW512(Z18, Z19)

// AddBias: add the 32 bias values at R9 to every row.
#define SBIAS512 \
	SBIAS8; \
	VADDPS Z20, Z16, Z16; \
	VADDPS Z21, Z17, Z17; \
	VADDPS Z20, Z18, Z18; \
	VADDPS Z21, Z19, Z19

// ReLU: max(x, +0) returns +0 for NaN and -0.
#define SRELU512 \
	SRELU8; \
	VMAXPS Z22, Z16, Z16; \
	VMAXPS Z22, Z17, Z17; \
	VMAXPS Z22, Z18, Z18; \
	VMAXPS Z22, Z19, Z19

// Store the accumulators to the C tile at DX.
#define SSTORE512 \
	SSTORE8; \
	SSTOREROW512(Z16, Z17); \
	SSTOREROW512(Z18, Z19)

// The k loop of the packed 10x32 fp32 kernels (SI = a, DI = b, CX = k):
// four steps a round with A and B prefetched 1 KiB ahead, then single
// steps; falls through to DONE. LOOP, TAIL and ONE are the kernel's own
// label names.
#define SKLOOP512(LOOP, TAIL, ONE, DONE) \
	CMPQ CX, $4; \
	JLT  TAIL; \
LOOP: \
	PREFETCHT0 1024(SI); \
	PREFETCHT0 1088(SI); \
	SSTEP512(0, 0); \
	PREFETCHT0 1024(DI); \
	SSTEP512(40, 128); \
	PREFETCHT0 1152(SI); \
	SSTEP512(80, 256); \
	PREFETCHT0 1152(DI); \
	SSTEP512(120, 384); \
	ADDQ $160, SI; \
	ADDQ $512, DI; \
	SUBQ $4, CX; \
	CMPQ CX, $4; \
	JGE  LOOP; \
TAIL: \
	TESTQ CX, CX; \
	JE    DONE; \
ONE: \
	SSTEP512(0, 0); \
	ADDQ $40, SI; \
	ADDQ $128, DI; \
	DECQ CX; \
	JNE  ONE

// func sgemmAVX512Asm(k int, a, b, c *float32, ldc int, bias *float32, flags GemmFlags)
TEXT ·sgemmAVX512Asm(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	MOVQ bias+40(FP), R9
	MOVQ flags+48(FP), R10
	PREFC512
	ZERO512

	SKLOOP512(sloop512, stail512, sloop1512, sepilogue512)

sepilogue512:
	TESTQ $1, R10 // Accumulate
	JE    sbias512
	TESTQ $8, R10 // ScaleC
	JNE   sscale512
	SACC512
	JMP   sbias512

sscale512:
	SSCALE512

sbias512:
	TESTQ $2, R10 // AddBias
	JE    srelu512
	SBIAS512

srelu512:
	TESTQ $4, R10 // ReLU
	JE    sstore512
	SRELU512

sstore512:
	SSTORE512
	VZEROUPPER
	RET

// The descent epilogue (sgemmDescendAVX512Asm) on one row: store the
// row's two accumulators (v) to C at R12, then take the SGD step on the
// row of W at R11 with v as the gradient: t = v + float32(wd*w), w = w -
// float32(lr*t), each product and sum rounded as sgdGeneric rounds them
// (lr broadcast in Z26, wd in Z29). W's row is loaded before C's is
// stored: C and W are often a multiple of 4 KiB apart, and a load behind
// a store to the same offset in another page waits for the store.
#define SDESCROW512(R0, R1) \
	VMOVUPS (R11), Z20; \
	VMOVUPS 64(R11), Z21; \
	VMOVUPS R0, (R12); \
	VMOVUPS R1, 64(R12); \
	VMULPS Z20, Z29, Z22; \
	VMULPS Z21, Z29, Z23; \
	VADDPS Z22, R0, Z22; \
	VADDPS Z23, R1, Z23; \
	VMULPS Z22, Z26, Z22; \
	VMULPS Z23, Z26, Z23; \
	VSUBPS Z22, Z20, Z20; \
	VSUBPS Z23, Z21, Z21; \
	VMOVUPS Z20, (R11); \
	VMOVUPS Z21, 64(R11); \
	ADDQ R8, R11; \
	ADDQ R8, R12

// Prefetch for writing (PREFETCHW, encoded as bytes: the Go assembler
// has no mnemonic for it) the three lines a 128-byte row at R11 touches.
#define PREFWROW \
	BYTE $0x41; BYTE $0x0F; BYTE $0x0D; BYTE $0x0B; \
	BYTE $0x41; BYTE $0x0F; BYTE $0x0D; BYTE $0x4B; BYTE $0x40; \
	BYTE $0x41; BYTE $0x0F; BYTE $0x0D; BYTE $0x4B; BYTE $0x7F

// Prefetch, for writing, the ten rows of the W tile at R13 (stride R8).
#define PREFW512 \
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
	PREFWROW; \
	ADDQ R8, R11; \
	PREFWROW; \
	ADDQ R8, R11; \
	PREFWROW; \
	ADDQ R8, R11; \
	PREFWROW; \
	ADDQ R8, R11; \
	PREFWROW

// func sgemmDescendAVX512Asm(k int, a, b, c *float32, ldc int, coef *float32, flags GemmFlags, w *float32)
//
// The 10x32 kernel (Accumulate and ScaleC as sgemmAVX512Asm, beta in
// coef[0]), then the SGD step on the W tile at w (leading dimension ldc)
// with the stored tile as the gradient: lr = coef[1], wd = coef[2].
TEXT ·sgemmDescendAVX512Asm(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	MOVQ coef+40(FP), R9
	MOVQ flags+48(FP), R10
	MOVQ w+56(FP), R13
	PREFC512
	PREFW512
	ZERO512

	SKLOOP512(sdloop512, sdtail512, sdloop1512, sdepilogue512)

sdepilogue512:
	TESTQ $1, R10 // Accumulate
	JE    sdstore512
	TESTQ $8, R10 // ScaleC
	JNE   sdscale512
	SACC512
	JMP   sdstore512

sdscale512:
	SSCALE512

sdstore512:
	VBROADCASTSS 4(R9), Z26
	VBROADCASTSS 8(R9), Z29
	MOVQ R13, R11
	MOVQ DX, R12
	SDESCROW512(Z0, Z1)
	SDESCROW512(Z2, Z3)
	SDESCROW512(Z4, Z5)
	SDESCROW512(Z6, Z7)
	SDESCROW512(Z8, Z9)
	SDESCROW512(Z10, Z11)
	SDESCROW512(Z12, Z13)
	SDESCROW512(Z14, Z15)
	SDESCROW512(Z16, Z17)
	SDESCROW512(Z18, Z19)
	VZEROUPPER
	RET

// func sgemmStridedAVX512Asm(k int, a, b *float32, ldb int, c *float32, ldc int, bias *float32, flags GemmFlags, pf *float32, pfRows int)
//
// The first min(pfRows, k) steps, rounded down to a multiple of four,
// also prefetch one line each of the rows pf, pf+ldb, ... into L2.
// The 10x32 kernel reading B in place: row p of the B micro-panel is the 32
// values at b + p*ldb (R12 = ldb in bytes). Each k step also prefetches the
// row eight steps ahead, so that the first call on a panel streams it from
// memory; the calls after it find the panel in L1.
TEXT ·sgemmStridedAVX512Asm(SB), NOSPLIT, $0-80
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
	PREFC512
	ZERO512

	PFCOUNT
	JEQ  ssloop512pfdone

ssloop512pf:
	PREFETCHT0 1024(SI)
	BROWPF512(SSTEP512, 0)
	PREFETCHT0 1088(SI)
	BROWPF512(SSTEP512, 40)
	PREFETCHT0 1152(SI)
	BROWPF512(SSTEP512, 80)
	BROWPF512(SSTEP512, 120)
	ADDQ $160, SI
	SUBQ $4, CX
	DECQ BX
	JNE  ssloop512pf

ssloop512pfdone:
	CMPQ CX, $4
	JLT  sstail512

ssloop512:
	PREFETCHT0 1024(SI)
	BROW512(SSTEP512, 0)
	PREFETCHT0 1088(SI)
	BROW512(SSTEP512, 40)
	PREFETCHT0 1152(SI)
	BROW512(SSTEP512, 80)
	BROW512(SSTEP512, 120)
	ADDQ $160, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  ssloop512

sstail512:
	TESTQ CX, CX
	JE    ssepilogue512

ssloop1512:
	SSTEP512(0, 0)
	ADDQ $40, SI
	ADDQ R12, DI
	DECQ CX
	JNE  ssloop1512

ssepilogue512:
	TESTQ $1, R10 // Accumulate
	JE    ssbias512
	SACC512

ssbias512:
	TESTQ $2, R10 // AddBias
	JE    ssrelu512
	SBIAS512

ssrelu512:
	TESTQ $4, R10 // ReLU
	JE    ssstore512
	SRELU512

ssstore512:
	SSTORE512
	VZEROUPPER
	RET

// One k step of the fp64 kernels; AO/BO are byte offsets into a and b: the
// 8-row step (DSTEP8, the 8x16 kernels) and rows 8 and 9.
#define DSTEP8(AO, BO) \
	VMOVUPD BO(DI), Z20; \
	VMOVUPD BO+64(DI), Z21; \
	VBROADCASTSD AO(SI), Z22; \
	VFMADD231PD Z20, Z22, Z0; \
	VFMADD231PD Z21, Z22, Z1; \
	VBROADCASTSD AO+8(SI), Z23; \
	VFMADD231PD Z20, Z23, Z2; \
	VFMADD231PD Z21, Z23, Z3; \
	VBROADCASTSD AO+16(SI), Z24; \
	VFMADD231PD Z20, Z24, Z4; \
	VFMADD231PD Z21, Z24, Z5; \
	VBROADCASTSD AO+24(SI), Z25; \
	VFMADD231PD Z20, Z25, Z6; \
	VFMADD231PD Z21, Z25, Z7; \
	VBROADCASTSD AO+32(SI), Z22; \
	VFMADD231PD Z20, Z22, Z8; \
	VFMADD231PD Z21, Z22, Z9; \
	VBROADCASTSD AO+40(SI), Z23; \
	VFMADD231PD Z20, Z23, Z10; \
	VFMADD231PD Z21, Z23, Z11; \
	VBROADCASTSD AO+48(SI), Z24; \
	VFMADD231PD Z20, Z24, Z12; \
	VFMADD231PD Z21, Z24, Z13; \
	VBROADCASTSD AO+56(SI), Z25; \
	VFMADD231PD Z20, Z25, Z14; \
	VFMADD231PD Z21, Z25, Z15

#define DSTEP512(AO, BO) \
	DSTEP8(AO, BO); \
	VBROADCASTSD AO+64(SI), Z22; \
	VFMADD231PD Z20, Z22, Z16; \
	VFMADD231PD Z21, Z22, Z17; \
	VBROADCASTSD AO+72(SI), Z23; \
	VFMADD231PD Z20, Z23, Z18; \
	VFMADD231PD Z21, Z23, Z19

#define DADDROW512(R0, R1) \
	VADDPD (R11), R0, R0; \
	VADDPD 64(R11), R1, R1; \
	ADDQ R8, R11

#define DSTOREROW512(R0, R1) \
	VMOVUPD R0, (R11); \
	VMOVUPD R1, 64(R11); \
	ADDQ R8, R11

// Accumulate: add the C tile at DX to the fp64 accumulators (8 rows, 10).
#define DACC8 \
	MOVQ  DX, R11; \
	DADDROW512(Z0, Z1); \
	DADDROW512(Z2, Z3); \
	DADDROW512(Z4, Z5); \
	DADDROW512(Z6, Z7); \
	DADDROW512(Z8, Z9); \
	DADDROW512(Z10, Z11); \
	DADDROW512(Z12, Z13); \
	DADDROW512(Z14, Z15)

#define DACC512 \
	DACC8; \
	DADDROW512(Z16, Z17); \
	DADDROW512(Z18, Z19)

// AddBias: add the 16 fp64 bias values at R9 to every row (8 rows, 10).
#define DBIAS8 \
	VMOVUPD (R9), Z20; \
	VMOVUPD 64(R9), Z21; \
	VADDPD Z20, Z0, Z0; \
	VADDPD Z21, Z1, Z1; \
	VADDPD Z20, Z2, Z2; \
	VADDPD Z21, Z3, Z3; \
	VADDPD Z20, Z4, Z4; \
	VADDPD Z21, Z5, Z5; \
	VADDPD Z20, Z6, Z6; \
	VADDPD Z21, Z7, Z7; \
	VADDPD Z20, Z8, Z8; \
	VADDPD Z21, Z9, Z9; \
	VADDPD Z20, Z10, Z10; \
	VADDPD Z21, Z11, Z11; \
	VADDPD Z20, Z12, Z12; \
	VADDPD Z21, Z13, Z13; \
	VADDPD Z20, Z14, Z14; \
	VADDPD Z21, Z15, Z15

#define DBIAS512 \
	DBIAS8; \
	VADDPD Z20, Z16, Z16; \
	VADDPD Z21, Z17, Z17; \
	VADDPD Z20, Z18, Z18; \
	VADDPD Z21, Z19, Z19

// ReLU on the fp64 accumulators: max(x, +0) returns +0 for NaN and -0 (8
// rows, 10).
#define DRELU8 \
	VPXORQ Z22, Z22, Z22; \
	VMAXPD Z22, Z0, Z0; \
	VMAXPD Z22, Z1, Z1; \
	VMAXPD Z22, Z2, Z2; \
	VMAXPD Z22, Z3, Z3; \
	VMAXPD Z22, Z4, Z4; \
	VMAXPD Z22, Z5, Z5; \
	VMAXPD Z22, Z6, Z6; \
	VMAXPD Z22, Z7, Z7; \
	VMAXPD Z22, Z8, Z8; \
	VMAXPD Z22, Z9, Z9; \
	VMAXPD Z22, Z10, Z10; \
	VMAXPD Z22, Z11, Z11; \
	VMAXPD Z22, Z12, Z12; \
	VMAXPD Z22, Z13, Z13; \
	VMAXPD Z22, Z14, Z14; \
	VMAXPD Z22, Z15, Z15

#define DRELU512 \
	DRELU8; \
	VMAXPD Z22, Z16, Z16; \
	VMAXPD Z22, Z17, Z17; \
	VMAXPD Z22, Z18, Z18; \
	VMAXPD Z22, Z19, Z19

// Store the fp64 accumulators to the C tile at DX (8 rows, 10).
#define DSTORE8 \
	MOVQ DX, R11; \
	DSTOREROW512(Z0, Z1); \
	DSTOREROW512(Z2, Z3); \
	DSTOREROW512(Z4, Z5); \
	DSTOREROW512(Z6, Z7); \
	DSTOREROW512(Z8, Z9); \
	DSTOREROW512(Z10, Z11); \
	DSTOREROW512(Z12, Z13); \
	DSTOREROW512(Z14, Z15)

#define DSTORE512 \
	DSTORE8; \
	DSTOREROW512(Z16, Z17); \
	DSTOREROW512(Z18, Z19)

// func dgemmAVX512Asm(k int, a, b, c *float64, ldc int, bias *float64, flags GemmFlags)
TEXT ·dgemmAVX512Asm(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8
	MOVQ bias+40(FP), R9
	MOVQ flags+48(FP), R10
	PREFC512
	ZERO512

	CMPQ CX, $4
	JLT  dtail512

dloop512:
	PREFETCHT0 2048(SI)
	PREFETCHT0 2112(SI)
	DSTEP512(0, 0)
	PREFETCHT0 1024(DI)
	PREFETCHT0 2176(SI)
	DSTEP512(80, 128)
	PREFETCHT0 2240(SI)
	DSTEP512(160, 256)
	PREFETCHT0 1152(DI)
	PREFETCHT0 2304(SI)
	DSTEP512(240, 384)
	ADDQ $320, SI
	ADDQ $512, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  dloop512

dtail512:
	TESTQ CX, CX
	JE    depilogue512

dloop1512:
	DSTEP512(0, 0)
	ADDQ $80, SI
	ADDQ $128, DI
	DECQ CX
	JNE  dloop1512

depilogue512:
	TESTQ $1, R10 // Accumulate
	JE    dbias512
	DACC512

dbias512:
	TESTQ $2, R10 // AddBias
	JE    drelu512
	DBIAS512

drelu512:
	TESTQ $4, R10 // ReLU
	JE    dstore512
	DRELU512

dstore512:
	DSTORE512
	VZEROUPPER
	RET

// func dgemmStridedAVX512Asm(k int, a, b *float64, ldb int, c *float64, ldc int, bias *float64, flags GemmFlags, pf *float64, pfRows int)
//
// The first min(pfRows, k) steps, rounded down to a multiple of four,
// also prefetch one line each of the rows pf, pf+ldb, ... into L2.
// The 10x16 kernel reading B in place: row p of the B micro-panel is the 16
// values at b + p*ldb (R12 = ldb in bytes), prefetching the row eight steps
// ahead.
TEXT ·dgemmStridedAVX512Asm(SB), NOSPLIT, $0-80
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
	PREFC512
	ZERO512

	PFCOUNT
	JEQ  sdloop512pfdone

sdloop512pf:
	PREFETCHT0 2048(SI)
	BROWPF512(DSTEP512, 0)
	PREFETCHT0 2112(SI)
	BROWPF512(DSTEP512, 80)
	PREFETCHT0 2176(SI)
	BROWPF512(DSTEP512, 160)
	PREFETCHT0 2240(SI)
	BROWPF512(DSTEP512, 240)
	ADDQ $320, SI
	SUBQ $4, CX
	DECQ BX
	JNE  sdloop512pf

sdloop512pfdone:
	CMPQ CX, $4
	JLT  sdtail512

sdloop512:
	PREFETCHT0 2048(SI)
	BROW512(DSTEP512, 0)
	PREFETCHT0 2112(SI)
	BROW512(DSTEP512, 80)
	PREFETCHT0 2176(SI)
	BROW512(DSTEP512, 160)
	PREFETCHT0 2240(SI)
	BROW512(DSTEP512, 240)
	ADDQ $320, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  sdloop512

sdtail512:
	TESTQ CX, CX
	JE    sdepilogue512

sdloop1512:
	DSTEP512(0, 0)
	ADDQ $80, SI
	ADDQ R12, DI
	DECQ CX
	JNE  sdloop1512

sdepilogue512:
	TESTQ $1, R10 // Accumulate
	JE    sdbias512
	DACC512

sdbias512:
	TESTQ $2, R10 // AddBias
	JE    sdrelu512
	DBIAS512

sdrelu512:
	TESTQ $4, R10 // ReLU
	JE    sdstore512
	DRELU512

sdstore512:
	DSTORE512
	VZEROUPPER
	RET

// func dgemm8AVX512Asm(k int, a, b, c *float64, ldc int, bias *float64, flags GemmFlags)
//
// The 8x16 fp64 kernel: the 10x16 register plan with rows 8 and 9 left out
// (Z0..Z15), for products whose row count is a multiple of 8 but not of 10
// (LAPACK's 64-row panels: the 10-row kernel would compute 70 rows). Per k
// step: 2 loads of B, 8 broadcasts, 16 FMAs.
TEXT ·dgemm8AVX512Asm(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8
	MOVQ bias+40(FP), R9
	MOVQ flags+48(FP), R10
	PREFC8
	ZERO8

	CMPQ CX, $4
	JLT  d8tail

d8loop:
	PREFETCHT0 1024(SI)
	DSTEP8(0, 0)
	PREFETCHT0 1024(DI)
	PREFETCHT0 1088(SI)
	DSTEP8(64, 128)
	PREFETCHT0 1152(SI)
	DSTEP8(128, 256)
	PREFETCHT0 1152(DI)
	PREFETCHT0 1216(SI)
	DSTEP8(192, 384)
	ADDQ $256, SI
	ADDQ $512, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  d8loop

d8tail:
	TESTQ CX, CX
	JE    d8epilogue

d8loop1:
	DSTEP8(0, 0)
	ADDQ $64, SI
	ADDQ $128, DI
	DECQ CX
	JNE  d8loop1

d8epilogue:
	TESTQ $1, R10 // Accumulate
	JE    d8bias
	DACC8

d8bias:
	TESTQ $2, R10 // AddBias
	JE    d8relu
	DBIAS8

d8relu:
	TESTQ $4, R10 // ReLU
	JE    d8store
	DRELU8

d8store:
	DSTORE8
	VZEROUPPER
	RET

// func dgemmStrided8AVX512Asm(k int, a, b *float64, ldb int, c *float64, ldc int, bias *float64, flags GemmFlags, pf *float64, pfRows int)
//
// The first min(pfRows, k) steps, rounded down to a multiple of four,
// also prefetch one line each of the rows pf, pf+ldb, ... into L2.
// The 8x16 fp64 kernel reading B in place, rows ldb apart (R12 = ldb in
// bytes), prefetching the row eight steps ahead.
TEXT ·dgemmStrided8AVX512Asm(SB), NOSPLIT, $0-80
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
	PREFC8
	ZERO8

	PFCOUNT
	JEQ  sd8looppfdone

sd8looppf:
	PREFETCHT0 1024(SI)
	BROWPF512(DSTEP8, 0)
	PREFETCHT0 1088(SI)
	BROWPF512(DSTEP8, 64)
	PREFETCHT0 1152(SI)
	BROWPF512(DSTEP8, 128)
	PREFETCHT0 1216(SI)
	BROWPF512(DSTEP8, 192)
	ADDQ $256, SI
	SUBQ $4, CX
	DECQ BX
	JNE  sd8looppf

sd8looppfdone:
	CMPQ CX, $4
	JLT  sd8tail

sd8loop:
	PREFETCHT0 1024(SI)
	BROW512(DSTEP8, 0)
	PREFETCHT0 1088(SI)
	BROW512(DSTEP8, 64)
	PREFETCHT0 1152(SI)
	BROW512(DSTEP8, 128)
	PREFETCHT0 1216(SI)
	BROW512(DSTEP8, 192)
	ADDQ $256, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  sd8loop

sd8tail:
	TESTQ CX, CX
	JE    sd8epilogue

sd8loop1:
	DSTEP8(0, 0)
	ADDQ $64, SI
	ADDQ R12, DI
	DECQ CX
	JNE  sd8loop1

sd8epilogue:
	TESTQ $1, R10 // Accumulate
	JE    sd8bias
	DACC8

sd8bias:
	TESTQ $2, R10 // AddBias
	JE    sd8relu
	DBIAS8

sd8relu:
	TESTQ $4, R10 // ReLU
	JE    sd8store
	DRELU8

sd8store:
	DSTORE8
	VZEROUPPER
	RET

// func sgemm8AVX512Asm(k int, a, b, c *float32, ldc int, bias *float32, flags GemmFlags)
TEXT ·sgemm8AVX512Asm(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	MOVQ bias+40(FP), R9
	MOVQ flags+48(FP), R10
	PREFC8
	ZERO8

	CMPQ CX, $4
	JLT  s8tail

s8loop:
	PREFETCHT0 1024(SI)
	SSTEP8(0, 0)
	PREFETCHT0 1024(DI)
	SSTEP8(32, 128)
	SSTEP8(64, 256)
	PREFETCHT0 1152(DI)
	SSTEP8(96, 384)
	ADDQ $128, SI
	ADDQ $512, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  s8loop

s8tail:
	TESTQ CX, CX
	JE    s8epilogue8

s8loop1:
	SSTEP8(0, 0)
	ADDQ $32, SI
	ADDQ $128, DI
	DECQ CX
	JNE  s8loop1

s8epilogue8:
	TESTQ $1, R10 // Accumulate
	JE    s8bias8
	TESTQ $8, R10 // ScaleC
	JNE   s8scale8
	SACC8
	JMP   s8bias8

s8scale8:
	SSCALE8

s8bias8:
	TESTQ $2, R10 // AddBias
	JE    s8relu8
	SBIAS8

s8relu8:
	TESTQ $4, R10 // ReLU
	JE    s8store8
	SRELU8

s8store8:
	SSTORE8
	VZEROUPPER
	RET

// func sgemmStrided8AVX512Asm(k int, a, b *float32, ldb int, c *float32, ldc int, bias *float32, flags GemmFlags, pf *float32, pfRows int)
//
// The first min(pfRows, k) steps, rounded down to a multiple of four,
// also prefetch one line each of the rows pf, pf+ldb, ... into L2.
// The 8x32 kernel reading B in place, rows ldb apart (R12 = ldb in bytes),
// prefetching the row eight steps ahead.
TEXT ·sgemmStrided8AVX512Asm(SB), NOSPLIT, $0-80
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
	PREFC8
	ZERO8

	PFCOUNT
	JEQ  ss8looppfdone

ss8looppf:
	PREFETCHT0 1024(SI)
	BROWPF512(SSTEP8, 0)
	BROWPF512(SSTEP8, 32)
	BROWPF512(SSTEP8, 64)
	BROWPF512(SSTEP8, 96)
	ADDQ $128, SI
	SUBQ $4, CX
	DECQ BX
	JNE  ss8looppf

ss8looppfdone:
	CMPQ CX, $4
	JLT  ss8tail

ss8loop:
	PREFETCHT0 1024(SI)
	BROW512(SSTEP8, 0)
	BROW512(SSTEP8, 32)
	BROW512(SSTEP8, 64)
	BROW512(SSTEP8, 96)
	ADDQ $128, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  ss8loop

ss8tail:
	TESTQ CX, CX
	JE    ss8epilogue8

ss8loop1:
	SSTEP8(0, 0)
	ADDQ $32, SI
	ADDQ R12, DI
	DECQ CX
	JNE  ss8loop1

ss8epilogue8:
	TESTQ $1, R10 // Accumulate
	JE    ss8bias8
	SACC8

ss8bias8:
	TESTQ $2, R10 // AddBias
	JE    ss8relu8
	SBIAS8

ss8relu8:
	TESTQ $4, R10 // ReLU
	JE    ss8store8
	SRELU8

ss8store8:
	SSTORE8
	VZEROUPPER
	RET

// The half-width fp32 edge kernels (10x16 and 8x16): the first 16 columns
// of the 10x32 (8x32) tile, for a last micro-panel of at most 16 columns.
// Accumulators Z0..Z9 (row r in Zr), the B half-row in Z20, broadcasts of
// A rotating through Z22..Z25; no epilogue (the caller's edge tile adds,
// biases and clamps). Per k step: 1 load of B, 10 (8) broadcasts, 10 (8)
// FMAs.

// The broadcasts and FMAs of one k step of the 8x16 kernel with the B
// half-row in Z20; AO is the byte offset into a.
#define HFMA8(AO) \
	VBROADCASTSS AO(SI), Z22; \
	VFMADD231PS Z20, Z22, Z0; \
	VBROADCASTSS AO+4(SI), Z23; \
	VFMADD231PS Z20, Z23, Z1; \
	VBROADCASTSS AO+8(SI), Z24; \
	VFMADD231PS Z20, Z24, Z2; \
	VBROADCASTSS AO+12(SI), Z25; \
	VFMADD231PS Z20, Z25, Z3; \
	VBROADCASTSS AO+16(SI), Z22; \
	VFMADD231PS Z20, Z22, Z4; \
	VBROADCASTSS AO+20(SI), Z23; \
	VFMADD231PS Z20, Z23, Z5; \
	VBROADCASTSS AO+24(SI), Z24; \
	VFMADD231PS Z20, Z24, Z6; \
	VBROADCASTSS AO+28(SI), Z25; \
	VFMADD231PS Z20, Z25, Z7

// Rows 8 and 9 of a 10x16 k step.
#define HFMA10(AO) \
	HFMA8(AO); \
	VBROADCASTSS AO+32(SI), Z22; \
	VFMADD231PS Z20, Z22, Z8; \
	VBROADCASTSS AO+36(SI), Z23; \
	VFMADD231PS Z20, Z23, Z9

// One k step of the 8x16 kernel; AO/BO are byte offsets into a and b.
#define HSTEP8(AO, BO) \
	VMOVUPS BO(DI), Z20; \
	HFMA8(AO)

// One k step of the 10x16 kernel.
#define HSTEP10(AO, BO) \
	VMOVUPS BO(DI), Z20; \
	HFMA10(AO)

// One k step of a masked in-place kernel: the first columns of the B row
// at DI that K1 selects (the others zero; masked-off lanes are not read,
// so the row may end there), the FMAs, then DI to the next row (R12 = ldb
// in bytes). FMA is HFMA8 or HFMA10.
#define HMROW(FMA, AO) \
	VMOVUPS.Z (DI), K1, Z20; \
	FMA(AO); \
	ADDQ R12, DI

#define HZERO8 \
	VPXORQ Z0, Z0, Z0; \
	VPXORQ Z1, Z1, Z1; \
	VPXORQ Z2, Z2, Z2; \
	VPXORQ Z3, Z3, Z3; \
	VPXORQ Z4, Z4, Z4; \
	VPXORQ Z5, Z5, Z5; \
	VPXORQ Z6, Z6, Z6; \
	VPXORQ Z7, Z7, Z7

#define HSTORE8 \
	MOVQ DX, R11; \
	VMOVUPS Z0, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Z1, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Z2, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Z3, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Z4, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Z5, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Z6, (R11); \
	ADDQ R8, R11; \
	VMOVUPS Z7, (R11)

// func sgemmHalfAVX512Asm(k int, a, b, c *float32, ldc int)
TEXT ·sgemmHalfAVX512Asm(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	HZERO8
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	CMPQ CX, $4
	JLT  h10tail

h10loop:
	HSTEP10(0, 0)
	HSTEP10(40, 128)
	HSTEP10(80, 256)
	HSTEP10(120, 384)
	ADDQ $160, SI
	ADDQ $512, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  h10loop

h10tail:
	TESTQ CX, CX
	JE    h10store

h10loop1:
	HSTEP10(0, 0)
	ADDQ $40, SI
	ADDQ $128, DI
	DECQ CX
	JNE  h10loop1

h10store:
	HSTORE8
	ADDQ    R8, R11
	VMOVUPS Z8, (R11)
	ADDQ    R8, R11
	VMOVUPS Z9, (R11)
	VZEROUPPER
	RET

// func sgemmHalf8AVX512Asm(k int, a, b, c *float32, ldc int)
TEXT ·sgemmHalf8AVX512Asm(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	HZERO8
	CMPQ CX, $4
	JLT  h8tail

h8loop:
	HSTEP8(0, 0)
	HSTEP8(32, 128)
	HSTEP8(64, 256)
	HSTEP8(96, 384)
	ADDQ $128, SI
	ADDQ $512, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  h8loop

h8tail:
	TESTQ CX, CX
	JE    h8store

h8loop1:
	HSTEP8(0, 0)
	ADDQ $32, SI
	ADDQ $128, DI
	DECQ CX
	JNE  h8loop1

h8store:
	HSTORE8
	VZEROUPPER
	RET

// func sgemmHalfMaskAVX512Asm(k int, a, b *float32, ldb int, c *float32, ldc int, cols int)
//
// The 10x16 half-width kernel reading the first cols (1..16) columns of B
// in place, rows ldb apart, through a masked load: for the last, partial
// micro-panel of a product whose B is read in place, which then needs no
// packing. Columns cols..15 of the tile come out zero.
TEXT ·sgemmHalfMaskAVX512Asm(SB), NOSPLIT, $0-56
	// K1 = (1 << cols) - 1 selects the columns read.
	MOVQ  cols+48(FP), CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K1
	MOVQ  k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R12
	SHLQ $2, R12
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	HZERO8
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	CMPQ CX, $4
	JLT  hm10tail

hm10loop:
	HMROW(HFMA10, 0)
	HMROW(HFMA10, 40)
	HMROW(HFMA10, 80)
	HMROW(HFMA10, 120)
	ADDQ $160, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  hm10loop

hm10tail:
	TESTQ CX, CX
	JE    hm10store

hm10loop1:
	HMROW(HFMA10, 0)
	ADDQ $40, SI
	DECQ CX
	JNE  hm10loop1

hm10store:
	HSTORE8
	ADDQ    R8, R11
	VMOVUPS Z8, (R11)
	ADDQ    R8, R11
	VMOVUPS Z9, (R11)
	VZEROUPPER
	RET

// func sgemmHalfMask8AVX512Asm(k int, a, b *float32, ldb int, c *float32, ldc int, cols int)
TEXT ·sgemmHalfMask8AVX512Asm(SB), NOSPLIT, $0-56
	// K1 = (1 << cols) - 1 selects the columns read.
	MOVQ  cols+48(FP), CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K1
	MOVQ  k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R12
	SHLQ $2, R12
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	HZERO8
	CMPQ CX, $4
	JLT  hm8tail

hm8loop:
	HMROW(HFMA8, 0)
	HMROW(HFMA8, 32)
	HMROW(HFMA8, 64)
	HMROW(HFMA8, 96)
	ADDQ $128, SI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  hm8loop

hm8tail:
	TESTQ CX, CX
	JE    hm8store

hm8loop1:
	HMROW(HFMA8, 0)
	ADDQ $32, SI
	DECQ CX
	JNE  hm8loop1

hm8store:
	HSTORE8
	VZEROUPPER
	RET

// The ten rows of a row-reading kernel's step: ROW(address of row r's
// value at byte offset AO along the depth, broadcast register, the full
// kernel's two accumulators of row r, the half kernel's one). Row r lies
// at SI + r*lda (R12 = lda in bytes, BX = 3*lda in bytes, R13 = SI +
// 3*lda): rows 0-4, 6 and 8 from SI, rows 5, 7 and 9 from R13.
#define ROWS10(ROW, AO) \
	ROW(AO(SI), Z22, Z0, Z1, Z0); \
	ROW(AO(SI)(R12*1), Z23, Z2, Z3, Z1); \
	ROW(AO(SI)(R12*2), Z24, Z4, Z5, Z2); \
	ROW(AO(SI)(BX*1), Z25, Z6, Z7, Z3); \
	ROW(AO(SI)(R12*4), Z22, Z8, Z9, Z4); \
	ROW(AO(R13)(R12*2), Z23, Z10, Z11, Z5); \
	ROW(AO(SI)(BX*2), Z24, Z12, Z13, Z6); \
	ROW(AO(R13)(R12*4), Z25, Z14, Z15, Z7); \
	ROW(AO(SI)(R12*8), Z22, Z16, Z17, Z8); \
	ROW(AO(R13)(BX*2), Z23, Z18, Z19, Z9)

// One row of the 10x32 row-reading step: broadcast, two FMAs.
#define ROWFULL(ADDR, ZB, A0, A1, AH) \
	VBROADCASTSS ADDR, ZB; \
	VFMADD231PS Z20, ZB, A0; \
	VFMADD231PS Z21, ZB, A1

// One row of the 10x16 row-reading step: broadcast, one FMA.
#define ROWHALF(ADDR, ZB, A0, A1, AH) \
	VBROADCASTSS ADDR, ZB; \
	VFMADD231PS Z20, ZB, AH

// One k step of the fp32 10x32 kernel whose A is read in place (AO the
// byte offset of the step along the depth, BO into the packed B).
#define SSTEPROWS(AO, BO) \
	VMOVUPS BO(DI), Z20; \
	VMOVUPS BO+64(DI), Z21; \
	ROWS10(ROWFULL, AO)

// func sgemmRowsAVX512Asm(k int, a *float32, lda int, b, c *float32, ldc int, flags GemmFlags)
//
// With Accumulate (a depth block after the first), the C tile is
// prefetched before the multiply-adds, as the packed kernels do: it is
// read only at the end, and on the rows path it is a tile of Cᵀ, beyond
// L2 for wide products. Zen 5, old and new binaries alternated, one
// thread (6 runs): 100x4000x4000:NT 186 -> 197 GFLOP/s, 100x2000x2000:NT
// 196 -> 200, 100x3000x1000:NT 199 -> 204; two threads (10 runs, paired
// medians): 1.003, 1.043, 1.012.
TEXT ·sgemmRowsAVX512Asm(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R12
	SHLQ $2, R12
	MOVQ b+24(FP), DI
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	MOVQ flags+48(FP), R10
	LEAQ (R12)(R12*2), BX
	LEAQ (SI)(BX*1), R13
	TESTQ $1, R10 // Accumulate: C is read at the end; fetch it now
	JE    rzero
	PREFC512

rzero:
	ZERO512

	CMPQ CX, $4
	JLT  rtail

rloop:
	SSTEPROWS(0, 0)
	SSTEPROWS(4, 128)
	SSTEPROWS(8, 256)
	SSTEPROWS(12, 384)
	ADDQ $16, SI
	ADDQ $16, R13
	ADDQ $512, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  rloop

rtail:
	TESTQ CX, CX
	JE    repilogue

rloop1:
	SSTEPROWS(0, 0)
	ADDQ $4, SI
	ADDQ $4, R13
	ADDQ $128, DI
	DECQ CX
	JNE  rloop1

repilogue:
	TESTQ $1, R10 // Accumulate
	JE    rstore
	SACC512

rstore:
	SSTORE512
	VZEROUPPER
	RET

// One k step of the half-width (10x16) row-reading kernel: one vector of
// B, accumulators Z0..Z9.
#define SSTEPROWSH(AO, BO) \
	VMOVUPS BO(DI), Z20; \
	ROWS10(ROWHALF, AO)

// One row of the half-width tile: add the C row at R11 (Accumulate), then
// step R11.
#define SADDROWH(R0) \
	VADDPS (R11), R0, R0; \
	ADDQ R8, R11

#define SSTOREROWH(R0) \
	VMOVUPS R0, (R11); \
	ADDQ R8, R11

// func sgemmRowsHalfAVX512Asm(k int, a *float32, lda int, b, c *float32, ldc int, flags GemmFlags)
TEXT ·sgemmRowsHalfAVX512Asm(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R12
	SHLQ $2, R12
	MOVQ b+24(FP), DI
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	MOVQ flags+48(FP), R10
	LEAQ (R12)(R12*2), BX
	LEAQ (SI)(BX*1), R13
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

	CMPQ CX, $4
	JLT  htail

hloop:
	SSTEPROWSH(0, 0)
	SSTEPROWSH(4, 64)
	SSTEPROWSH(8, 128)
	SSTEPROWSH(12, 192)
	ADDQ $16, SI
	ADDQ $16, R13
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  hloop

htail:
	TESTQ CX, CX
	JE    hepilogue

hloop1:
	SSTEPROWSH(0, 0)
	ADDQ $4, SI
	ADDQ $4, R13
	ADDQ $64, DI
	DECQ CX
	JNE  hloop1

hepilogue:
	TESTQ $1, R10 // Accumulate
	JE    hstore
	MOVQ  DX, R11
	SADDROWH(Z0)
	SADDROWH(Z1)
	SADDROWH(Z2)
	SADDROWH(Z3)
	SADDROWH(Z4)
	SADDROWH(Z5)
	SADDROWH(Z6)
	SADDROWH(Z7)
	SADDROWH(Z8)
	SADDROWH(Z9)

hstore:
	MOVQ DX, R11
	SSTOREROWH(Z0)
	SSTOREROWH(Z1)
	SSTOREROWH(Z2)
	SSTOREROWH(Z3)
	SSTOREROWH(Z4)
	SSTOREROWH(Z5)
	SSTOREROWH(Z6)
	SSTOREROWH(Z7)
	SSTOREROWH(Z8)
	SSTOREROWH(Z9)
	VZEROUPPER
	RET
