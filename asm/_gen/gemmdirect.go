package main

import (
	"regexp"
	"strings"
)

// The amd64 direct GEMM kernels (gemmdirect_avx512_amd64.s and
// gemmdirect_avx2_amd64.s): each file holds a float32 kernel, written
// below, and its float64 twin, derived from it by substituting the
// double-precision instructions, the element size, the column thresholds
// and the mask constants, and renaming its macros and labels. One template
// per instruction set keeps the two precisions from drifting apart.

// direct512Doc and direct512F32 are the AVX-512 file's preamble and float32
// kernel; direct512F64Doc introduces the derived float64 kernel.
const direct512Doc = `
// The direct fp32 kernel: any number of rows (in tiles of 8, one after
// another) x up to 32 columns of C from A and B read in place (see
// gemmdirect.go).
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
// columns, 256 bits wide with at most 8: Y0..Y15, Y20, Y22..Y25); a tile
// of at most four rows runs steps of its four rows.

`

const direct512F32 = `// The broadcast of one row's A value and its FMAs into the row's two
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

// The broadcast of one row's A value into T and its FMA with the row of B
// in B into ACC (512-bit registers, or 256-bit ones throughout).
#define DBC1(R, B, ACC, T) \
	VBROADCASTSS (R)(R15*1), T; \
	VFMADD231PS B, T, ACC

// One depth step with at most 16 columns into the accumulators A0..A7,
// with B = Z20 and T0..T3 = Z22..Z25; with at most 8 columns the same on
// Y20, Y22..Y25 and Y accumulators: half the lanes, at twice the rate
// where a 512-bit FMA issues as two 256-bit halves (Zen 4), the upper
// halves of the accumulators left zero.
#define DNSTEP(B, T0, T1, T2, T3, A0, A1, A2, A3, A4, A5, A6, A7) \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPS.Z (DI), K1, B; \
	DBC1(AX, B, A0, T0); \
	DBC1(BX, B, A1, T1); \
	DBC1(SI, B, A2, T2); \
	DBC1(DX, B, A3, T3); \
	DBC1(R8, B, A4, T0); \
	DBC1(R9, B, A5, T1); \
	DBC1(R10, B, A6, T2); \
	DBC1(R11, B, A7, T3); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define DEVEN DNSTEP(Z20, Z22, Z23, Z24, Z25, Z0, Z2, Z4, Z6, Z8, Z10, Z12, Z14)
#define DODD DNSTEP(Z20, Z22, Z23, Z24, Z25, Z1, Z3, Z5, Z7, Z9, Z11, Z13, Z15)
#define DYEVEN DNSTEP(Y20, Y22, Y23, Y24, Y25, Y0, Y2, Y4, Y6, Y8, Y10, Y12, Y14)
#define DYODD DNSTEP(Y20, Y22, Y23, Y24, Y25, Y1, Y3, Y5, Y7, Y9, Y11, Y13, Y15)

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

#define DNSTEP4(B, T0, T1, T2, T3, A0, A1, A2, A3) \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPS.Z (DI), K1, B; \
	DBC1(AX, B, A0, T0); \
	DBC1(BX, B, A1, T1); \
	DBC1(SI, B, A2, T2); \
	DBC1(DX, B, A3, T3); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define DEVEN4 DNSTEP4(Z20, Z22, Z23, Z24, Z25, Z0, Z2, Z4, Z6)
#define DODD4 DNSTEP4(Z20, Z22, Z23, Z24, Z25, Z1, Z3, Z5, Z7)
#define DYEVEN4 DNSTEP4(Y20, Y22, Y23, Y24, Y25, Y0, Y2, Y4, Y6)
#define DYODD4 DNSTEP4(Y20, Y22, Y23, Y24, Y25, Y1, Y3, Y5, Y7)

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

#define DZERO16 \
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

// DPREFC: prefetch eight rows of a C tile, two lines each (a row of the
// tile is at most 128 bytes), from AX, R14 bytes apart (AX and R14 are
// free before the row pointers are set). Zen 5, C = C - A·B (beta = 1) on
// the direct path, old and new binaries alternated five times, medians of
// the ratios, one thread / two: float32 128x1000x2000 1.08 / 1.02,
// 1000x64x1000 1.05 / 1.04, 500x256x2000 1.29 / 1.18, 64x1000x4000 1.06
// / 1.02; float64 1000x64x1000 1.00 / 0.99, 500x128x1000 1.27 / 1.08,
// 64x1000x2000 1.03 / 1.05.
#define DPREFROW \
	PREFETCHT0 (AX); \
	PREFETCHT0 64(AX); \
	ADDQ R14, AX

#define DPREFC \
	DPREFROW; \
	DPREFROW; \
	DPREFROW; \
	DPREFROW; \
	DPREFROW; \
	DPREFROW; \
	DPREFROW; \
	DPREFROW

// func sgemmDirectAVX512Asm(k int, a *float32, ars, aks, rows int, b *float32, ldb int, c *float32, ldc, cols int, alpha float32, flags GemmFlags)
TEXT ·sgemmDirectAVX512Asm(SB), NOSPLIT, $0-96
	// One row tile after another: a, rows and c (the argument slots)
	// advance by 8 rows after each.
dtile:
	// With Accumulate, prefetch the tile's eight rows of C: the epilogue
	// reads them after the whole depth.
	MOVQ  flags+88(FP), AX
	TESTQ $1, AX
	JE    dnopf
	MOVQ  c+56(FP), AX
	MOVQ  ldc+64(FP), R14
	SHLQ $2, R14
	DPREFC

dnopf:
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
	DZERO16

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
	CMPL  CX, $8
	MOVQ  k+0(FP), CX
	JLE   dyn
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
	JMP    depilogue

	// At most 8 columns: the same loops on 256-bit vectors, summed by
	// dnsum and dn4sum (the upper halves add zeros).
dyn:
	CMPQ rows+32(FP), $4
	JLE  dyn4
	CMPQ CX, $2
	JLT  dyntail

dynloop:
	DYEVEN
	DYODD
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  dynloop

dyntail:
	TESTQ CX, CX
	JE    dnsum
	DYEVEN
	JMP   dnsum

dyn4:
	CMPQ CX, $2
	JLT  dyn4tail

dyn4loop:
	DYEVEN4
	DYODD4
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  dyn4loop

dyn4tail:
	TESTQ CX, CX
	JE    dn4sum
	DYEVEN4
	JMP   dn4sum

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
	MOVQ   rows+32(FP), CX
	SUBQ   $8, CX
	JLE    dret
	MOVQ   CX, rows+32(FP)
	MOVQ   ars+16(FP), R14
	IMUL3Q $32, R14, R14
	ADDQ   R14, a+8(FP)
	MOVQ   ldc+64(FP), R14
	IMUL3Q $32, R14, R14
	ADDQ   R14, c+56(FP)
	JMP    dtile

dret:
	VZEROUPPER
	RET


`

const direct512F64Doc = `// The direct fp64 kernel: rows in tiles of 8 x up to 16 columns, the fp32 kernel's
// register plan with 8 lanes per vector (row r in Z(2r): columns 0..7,
// Z(2r+1): 8..15; with at most 8 columns Z(2r+1) holds the odd depth
// steps, on 256-bit vectors with at most 4), the same row pointers,
// four-row steps and epilogue.

`

// direct2Doc and direct2F32 are the AVX2 file's preamble and float32 kernel.
const direct2Doc = `
// The AVX2 direct kernels: any number of rows (in tiles of 6, one after
// another) x up to 16 columns (fp32) or 8 (fp64) of C from A and B read in
// place (see gemmdirect.go), the AVX-512 kernels' plan on sixteen ymm
// registers.
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

`

const direct2F32 = `// The broadcast of one row's A value and its FMAs into the row's two
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

// The same steps for a tile of at most four rows (rows 0..3 only): the
// last tile of 16 rows (6 + 6 + 4) then costs four rows' steps, not six.
#define AWSTEP4 \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPS (DI), Y12; \
	VMASKMOVPS 32(DI), Y15, Y13; \
	ABC2(AX, Y0, Y1); \
	ABC2(BX, Y2, Y3); \
	ABC2(SI, Y4, Y5); \
	ABC2(DX, Y6, Y7); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define ANSTEP4(A0, A1, A2, A3) \
	PREFETCHT0 (DI)(R12*8); \
	VMASKMOVPS (DI), Y15, Y12; \
	ABC1(AX, A0); \
	ABC1(BX, A1); \
	ABC1(SI, A2); \
	ABC1(DX, A3); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define AEVEN4 ANSTEP4(Y0, Y2, Y4, Y6)
#define AODD4 ANSTEP4(Y1, Y3, Y5, Y7)

// The steps of a tile of all 16 columns (of six rows, and of at most
// four), loading the second half of B's row plainly: the masked load cost
// 5-10% of the kernel's time on Zen 4 (AVX2, one thread, 64x192x192 95 ->
// 104 GFLOP/s, 128x96x96 90 -> 98, 16x96x96 86 -> 95).
#define AWSTEPF \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPS (DI), Y12; \
	VMOVUPS 32(DI), Y13; \
	ABC2(AX, Y0, Y1); \
	ABC2(BX, Y2, Y3); \
	ABC2(SI, Y4, Y5); \
	ABC2(DX, Y6, Y7); \
	ABC2(R8, Y8, Y9); \
	ABC2(R9, Y10, Y11); \
	ADDQ R12, DI; \
	ADDQ R13, R15

#define AWSTEP4F \
	PREFETCHT0 (DI)(R12*8); \
	VMOVUPS (DI), Y12; \
	VMOVUPS 32(DI), Y13; \
	ABC2(AX, Y0, Y1); \
	ABC2(BX, Y2, Y3); \
	ABC2(SI, Y4, Y5); \
	ABC2(DX, Y6, Y7); \
	ADDQ R12, DI; \
	ADDQ R13, R15

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

// The same for a tile of all 16 columns, unmasked: a masked store
// (VMASKMOVPS to memory) is microcoded on AMD's cores; on Zen 4 the
// masked epilogue of a full tile cost a fifth of the kernel's time at
// depth 100 (128x100x100, AVX2, one thread: 72 -> 88 GFLOP/s without
// it). The same FMA and multiply, so the same bits.
#define AACCF(R0, R1) \
	VFMADD213PS (R11), Y14, R0; \
	VFMADD213PS 32(R11), Y14, R1; \
	VMOVUPS R0, (R11); \
	VMOVUPS R1, 32(R11)

#define ASTOREF(R0, R1) \
	VMULPS Y14, R0, R0; \
	VMULPS Y14, R1, R1; \
	VMOVUPS R0, (R11); \
	VMOVUPS R1, 32(R11)

// A narrow tile (at most 8 columns, the sums in R0) touches only the
// first half: masked (AACCN, ASTOREN; Y12 the mask), or with exactly 8
// columns unmasked (AACCH, ASTOREH).
#define AACCN(R0) \
	VMASKMOVPS (R11), Y12, Y15; \
	VFMADD213PS Y15, Y14, R0; \
	VMASKMOVPS R0, Y12, (R11)

#define ASTOREN(R0) \
	VMULPS Y14, R0, R0; \
	VMASKMOVPS R0, Y12, (R11)

#define AACCH(R0) \
	VFMADD213PS (R11), Y14, R0; \
	VMOVUPS R0, (R11)

#define ASTOREH(R0) \
	VMULPS Y14, R0, R0; \
	VMOVUPS R0, (R11)

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
	// One row tile after another: a, rows and c (the argument slots)
	// advance by 6 rows after each.
atile:
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
	CMPQ R14, $8
	JEQ  awf
	CMPQ rows+32(FP), $4
	JLE  aw4
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

aw4:
	CMPQ CX, $4
	JLT  aw4tail

aw4loop:
	AWSTEP4
	AWSTEP4
	AWSTEP4
	AWSTEP4
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  aw4loop

aw4tail:
	TESTQ CX, CX
	JE    aepilogue

aw4loop1:
	AWSTEP4
	DECQ CX
	JNE  aw4loop1
	JMP  aepilogue

awf:
	CMPQ rows+32(FP), $4
	JLE  aw4f
	CMPQ CX, $4
	JLT  awftail

awfloop:
	AWSTEPF
	AWSTEPF
	AWSTEPF
	AWSTEPF
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  awfloop

awftail:
	TESTQ CX, CX
	JE    aepilogue

awfloop1:
	AWSTEPF
	DECQ CX
	JNE  awfloop1
	JMP  aepilogue

aw4f:
	CMPQ CX, $4
	JLT  aw4ftail

aw4floop:
	AWSTEP4F
	AWSTEP4F
	AWSTEP4F
	AWSTEP4F
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  aw4floop

aw4ftail:
	TESTQ CX, CX
	JE    aepilogue

aw4floop1:
	AWSTEP4F
	DECQ CX
	JNE  aw4floop1
	JMP  aepilogue

anarrow:
	AMASK(R14, Y15)
	MOVQ k+0(FP), CX
	CMPQ rows+32(FP), $4
	JLE  an4
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
	JMP    aepilogue

an4:
	CMPQ CX, $2
	JLT  an4tail

an4loop:
	AEVEN4
	AODD4
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  an4loop

an4tail:
	TESTQ CX, CX
	JE    an4sum
	AEVEN4

an4sum:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y5, Y4, Y4
	VADDPS Y7, Y6, Y6

aepilogue:
	// Y12, Y13: the masks of the two halves; none for a full tile.
	MOVQ cols+72(FP), R10
	CMPQ R10, $16
	JEQ  afull
	CMPQ R10, $8
	JLE  anarrowmask
	SUBQ $8, R10
	AMASK(R10, Y13)
	VPCMPEQD Y12, Y12, Y12
	JMP  amasked

anarrowmask:
	AMASK(R10, Y12)
	JMP  anepi

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
	JMP  adone

afull:
	MOVQ         c+56(FP), R11
	MOVQ         ldc+64(FP), R8
	SHLQ         $2, R8
	MOVQ         rows+32(FP), CX
	VBROADCASTSS alpha+80(FP), Y14
	MOVQ         flags+88(FP), R10
	TESTQ        $1, R10 // Accumulate
	JE           afstore

	AACCF(Y0, Y1)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCF(Y2, Y3)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCF(Y4, Y5)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCF(Y6, Y7)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCF(Y8, Y9)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCF(Y10, Y11)
	JMP  adone

afstore:
	ASTOREF(Y0, Y1)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREF(Y2, Y3)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREF(Y4, Y5)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREF(Y6, Y7)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREF(Y8, Y9)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREF(Y10, Y11)
	JMP  adone

	// Narrow tiles: the first half only, Y12 its mask (unused with
	// exactly 8 columns, R10 = cols).
anepi:
	MOVQ         c+56(FP), R11
	MOVQ         ldc+64(FP), R8
	SHLQ         $2, R8
	MOVQ         rows+32(FP), CX
	VBROADCASTSS alpha+80(FP), Y14
	MOVQ         flags+88(FP), AX
	CMPQ         R10, $8
	JEQ          ahalf
	TESTQ        $1, AX // Accumulate
	JE           anstore
	AACCN(Y0)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCN(Y2)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCN(Y4)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCN(Y6)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCN(Y8)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCN(Y10)
	JMP  adone

anstore:
	ASTOREN(Y0)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREN(Y2)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREN(Y4)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREN(Y6)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREN(Y8)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREN(Y10)
	JMP  adone

ahalf:
	TESTQ $1, AX // Accumulate
	JE    ahstore
	AACCH(Y0)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCH(Y2)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCH(Y4)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCH(Y6)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCH(Y8)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	AACCH(Y10)
	JMP  adone

ahstore:
	ASTOREH(Y0)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREH(Y2)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREH(Y4)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREH(Y6)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREH(Y8)
	DECQ CX
	JEQ  adone
	ADDQ R8, R11
	ASTOREH(Y10)

adone:
	MOVQ   rows+32(FP), CX
	SUBQ   $6, CX
	JLE    aret
	MOVQ   CX, rows+32(FP)
	MOVQ   ars+16(FP), R14
	IMUL3Q $24, R14, R14
	ADDQ   R14, a+8(FP)
	MOVQ   ldc+64(FP), R14
	IMUL3Q $24, R14, R14
	ADDQ   R14, c+56(FP)
	JMP    atile

aret:
	VZEROUPPER
	RET

`

const direct2F64Doc = `
// The fp64 kernel: the fp32 kernel with 4 lanes per vector.

`

// derive64 turns a float32 direct kernel into its float64 twin: the
// replacements rep (old, new pairs, in order), then the macro names
// renamed by replacing their first letter with macroPrefix and the labels
// by replacing theirs with labelPrefix.
func derive64(src string, rep []string, macros, labels []string, macroPrefix, labelPrefix string) string {
	for i := 0; i < len(rep); i += 2 {
		if !strings.Contains(src, rep[i]) {
			panic("_gen: derive64: " + rep[i] + " not in the template")
		}
		src = strings.ReplaceAll(src, rep[i], rep[i+1])
	}
	for _, m := range macros {
		src = regexp.MustCompile(`\b`+m+`\b`).ReplaceAllString(src, macroPrefix+m[1:])
	}
	for _, l := range labels {
		src = regexp.MustCompile(`\b`+l+`\b`).ReplaceAllString(src, labelPrefix+l[1:])
	}
	return src
}

// rawFile is an assembly file whose text is given whole: the generated
// header, then body.
func rawFile(body string) *asmFile {
	f := new(asmFile)
	f.b.WriteString("// Code generated by go run ./_gen; DO NOT EDIT.\n\n//go:build !purego && !noasm\n\n#include \"textflag.h\"\n")
	f.b.WriteString(strings.TrimRight(body, "\n") + "\n")
	return f
}

func genDirectAVX512() *asmFile {
	f64 := derive64(direct512F32, []string{
		"VBROADCASTSS", "VBROADCASTSD", "VFMADD231PS", "VFMADD231PD", "VFMADD213PS", "VFMADD213PD",
		"VMOVUPS", "VMOVUPD", "VMULPS", "VMULPD", "VADDPS", "VADDPD",
		"SHLQ    $2", "SHLQ    $3", "SHLQ $2", "SHLQ $3", "SHLQ         $2", "SHLQ         $3",
		"CMPL  CX, $8", "CMPL  CX, $4", "CMPQ CX, $16", "CMPQ CX, $8", "SUBQ  $16", "SUBQ  $8", "$0xffff", "$0xff",
		"sgemmDirectAVX512Asm", "dgemmDirectAVX512Asm", "a *float32", "a *float64", "b *float32", "b *float64",
		"c *float32", "c *float64", "alpha float32", "alpha float64",
		"// One depth step with more than 16 columns.", "// One depth step with more than 8 columns.",
		"// One depth step with at most 16 columns into the accumulators A0..A7,", "// One depth step with at most 8 columns into the accumulators A0..A7,",
		"// with B = Z20 and T0..T3 = Z22..Z25; with at most 8 columns the same on", "// with B = Z20 and T0..T3 = Z22..Z25; with at most 4 columns the same on",
		"IMUL3Q $32", "IMUL3Q $64",
	}, []string{"DBC2", "DWSTEP4", "DWSTEP", "DBC1", "DNSTEP4", "DNSTEP", "DEVEN4", "DODD4", "DEVEN", "DODD", "DACC", "DSTORE", "DZERO16", "DYEVEN4", "DYODD4", "DYEVEN", "DYODD", "DPREFROW", "DPREFC"},
		[]string{"dnopf", "dnarrow", "dwloop1", "dwloop", "dwtail", "dw4loop1", "dw4loop", "dw4tail", "dw4", "depilogue", "dntail", "dnloop", "dnsum", "dn4loop", "dn4tail", "dn4sum", "dn4", "dstore", "ddone", "dyn", "dynloop", "dyntail", "dyn4", "dyn4loop", "dyn4tail", "dtile", "dret"},
		"Q", "q")
	return rawFile(direct512Doc + direct512F32 + direct512F64Doc + f64)
}

func genDirectAVX2() *asmFile {
	f64 := derive64(direct2F32, []string{
		"VBROADCASTSS", "VBROADCASTSD", "VFMADD231PS", "VFMADD231PD", "VFMADD213PS", "VFMADD213PD",
		"VMASKMOVPS", "VMASKMOVPD", "VMOVUPS", "VMOVUPD", "VMULPS", "VMULPD", "VADDPS", "VADDPD",
		"SHLQ    $2", "SHLQ    $3", "SHLQ $2", "SHLQ $3", "SHLQ         $2", "SHLQ         $3",
		"CMPQ R14, $8", "CMPQ R14, $4", "SUBQ $8, R14", "SUBQ $4, R14", "CMPQ R10, $8", "CMPQ R10, $4", "SUBQ $8, R10", "SUBQ $4, R10", "CMPQ R10, $16", "CMPQ R10, $8", "CMPQ         R10, $8", "CMPQ         R10, $4",
		"// columns unmasked (AACCH, ASTOREH).", "// columns unmasked (BACCH, BSTOREH).", "// exactly 8 columns, R10 = cols).", "// exactly 4 columns, R10 = cols).",
		"// A narrow tile (at most 8 columns", "// A narrow tile (at most 4 columns", "// first half: masked (AACCN, ASTOREN; Y12 the mask), or with exactly 8", "// first half: masked (BACCN, BSTOREN; Y12 the mask), or with exactly 4",
		"// The same for a tile of all 16 columns", "// The same for a tile of all 8 columns",
		"VPBROADCASTD X14, Y14", "VPBROADCASTQ X14, Y14", "aiota<>(SB)", "qiota<>(SB)", "VPCMPGTD", "VPCMPGTQ",
		"sgemmDirectAVX2Asm", "dgemmDirectAVX2Asm", "a *float32", "a *float64", "b *float32", "b *float64",
		"c *float32", "c *float64", "alpha float32", "alpha float64",
		"// One depth step with more than 8 columns", "// One depth step with more than 4 columns",
		"// One depth step with at most 8 columns", "// One depth step with at most 4 columns",
		"IMUL3Q $24", "IMUL3Q $48",
	}, []string{"ABC2", "AWSTEP4F", "AWSTEPF", "AWSTEP4", "AWSTEP", "ABC1", "ANSTEP4", "ANSTEP", "AEVEN4", "AODD4", "AEVEN", "AODD", "AACCF", "ASTOREF", "AACCN", "ASTOREN", "AACCH", "ASTOREH", "AACC", "ASTORE", "AMASK", "AZERO"},
		[]string{"anarrowmask", "anarrow", "awfloop1", "awfloop", "awftail", "aw4floop1", "aw4floop", "aw4ftail", "aw4f", "awf", "awloop1", "awloop", "awtail", "aepilogue", "antail", "anloop", "ansum", "amasked", "afstore", "afull", "anepi", "anstore", "ahalf", "ahstore", "astore", "adone", "atile", "aret", "aw4loop1", "aw4loop", "aw4tail", "aw4", "an4loop", "an4tail", "an4sum", "an4"},
		"B", "b")
	return rawFile(direct2Doc + direct2F32 + direct2F64Doc + f64)
}
