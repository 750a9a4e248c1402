//go:build !purego && !noasm

#include "textflag.h"

// Path-SGD layer updates: see pathsgd.go for the reference loops and
// pathsgd_amd64.go for the layout. Registers: BX = y, DI = row of w, SI = row
// of g, R8 = row of v, DX = row stride in bytes, R9 = rs, R10 = cs, R11 = x,
// R12 = rows left, R13 = cols, CX = cols rounded down to 16, R14 = cols
// rounded down to 8, AX = column. Y15 = rs[r], Y14 = lr, Y13 = mu;
// Y8-Y11 float64 accumulators of the row's sum, X12 that of the scalar
// tail. The column-sum variants add R14 = z, R15 = &u[r] and Y12 = u[r]
// (X12 is zeroed for the scalar tail after the vector steps) and compute
// CX (cols rounded down to 16, then to 8) in each row.

// PFDIST is how far ahead (in bytes) each stream is prefetched: without
// it the conversions delay the demand loads that train the hardware
// prefetchers (as in the path-norm kernels). The momentum kernel prefetches
// its velocity stream too (8.0 -> 6.3 ms for a 4000x4000 layer).
#define PFDIST 4096

// PREFETCHWDI and PREFETCHWR8: PREFETCHW PFDIST(DI)(AX*4) and
// PFDIST(R8)(AX*4), as bytes (the Go assembler has no mnemonic; the
// displacement is PFDIST, 4096): every kernel asks for the lines of w (and
// the momentum kernels for those of v) it will write for ownership, as the
// SGD-momentum kernel does (see optim_amd64.s): in a training step on two
// threads the other core has usually read the weights last. For the
// kernels without momentum (Zen 5, old and new binaries alternated three
// times, BenchmarkOverhead, Path-SGD over SGD on two threads):
// 784-1000-1000-10 1.113-1.136x -> 1.061-1.075x, 784-4000-4000-10 level
// (1.010-1.046 against 1.007-1.044), one thread level (1.03-1.04); the
// update of 784-4000-4000-10 alone, from memory, level (3.87-4.33 ms).
// The same prefetch in the plain SGD kernel (optim_amd64.s) made its
// update from memory 20-30% slower (4000-unit layers: 1.8-1.9 -> 2.2-2.4
// ms, 1 and 4 KiB ahead alike) and was not kept.
#define PREFETCHWDI BYTE $0x0F; BYTE $0x0D; BYTE $0x8C; BYTE $0x87; LONG $0x00001000
#define PREFETCHWR8 BYTE $0x41; BYTE $0x0F; BYTE $0x0D; BYTE $0x8C; BYTE $0x80; LONG $0x00001000

// SQW16: acc += float64(w)² * x for the 16 columns at AX whose weights are
// in Y2 (first 8) and Y3: the weights are widened from the registers, so
// each weight is loaded once.
#define SQW16 \
	VCVTPS2PD    X2, Y4                  \
	VEXTRACTF128 $1, Y2, X5              \
	VCVTPS2PD    X5, Y5                  \
	VCVTPS2PD    X3, Y6                  \
	VEXTRACTF128 $1, Y3, X7              \
	VCVTPS2PD    X7, Y7                  \
	VMULPD       Y4, Y4, Y4              \
	VMULPD       Y5, Y5, Y5              \
	VMULPD       Y6, Y6, Y6              \
	VMULPD       Y7, Y7, Y7              \
	VFMADD231PD  (R11)(AX*8), Y4, Y8     \
	VFMADD231PD  32(R11)(AX*8), Y5, Y9   \
	VFMADD231PD  64(R11)(AX*8), Y6, Y10  \
	VFMADD231PD  96(R11)(AX*8), Y7, Y11

// SQW8(wx, wy, t0x, t0y, t1x, t1y, off, acc0, acc1): acc0 += float64(w)² * x
// for the 4 columns at AX+off/8 and acc1 for the next 4, the 8 weights in
// wy (wx its low half): widened from the register, so that the momentum
// kernels load each weight once, before any store of the iteration (see
// LOADW8).
#define SQW8(wx, wy, t0x, t0y, t1x, t1y, off, acc0, acc1) \
	VCVTPS2PD    wx, t0y                    \
	VEXTRACTF128 $1, wy, t1x                \
	VCVTPS2PD    t1x, t1y                   \
	VMULPD       t0y, t0y, t0y              \
	VMULPD       t1y, t1y, t1y              \
	VFMADD231PD  off(R11)(AX*8), t0y, acc0  \
	VFMADD231PD  (off+32)(R11)(AX*8), t1y, acc1

// SQ4: acc += float64(w[AX+off/4 : +4])² * x[AX+off/4 : +4].
#define SQ4(off, tmp, acc) \
	VCVTPS2PD   off(DI)(AX*4), tmp   \
	VMULPD      tmp, tmp, tmp        \
	VFMADD231PD (off*2)(R11)(AX*8), tmp, acc

// STEP8(off, t): t = rs[r] * (g * cs) for the 8 columns at AX+off/4.
#define STEP8(off, t) \
	VMOVUPS off(SI)(AX*4), t    \
	VMULPS  off(R10)(AX*4), t, t \
	VMULPS  t, Y15, t

// LOADW8(off, wv): wv = the 8 weights at AX+off/4. Every load of an
// iteration comes before its stores: w, g and v lie at the same offsets
// modulo 4 KiB in large allocations, and a load issued after a store to an
// address with the same low 12 bits waits on it (4K aliasing).
#define LOADW8(off, wv) \
	VMOVUPS off(DI)(AX*4), wv

// STORE8(off, t, wv): w = wv - t for the 8 columns at AX+off/4.
#define STORE8(off, t, wv) \
	VSUBPS  t, wv, wv \
	VMOVUPS wv, off(DI)(AX*4)

// MOMV8(off, t, tmp): tmp = mu*v + t, then t = lr*tmp, for the 8 columns at
// AX+off/4 (v is stored by STOREV8).
#define MOMV8(off, t, tmp) \
	VMULPS off(R8)(AX*4), Y13, tmp \
	VADDPS t, tmp, tmp             \
	VMULPS tmp, Y14, t

#define STOREV8(off, tmp) \
	VMOVUPS tmp, off(R8)(AX*4)

// SUB8(off, t, tmp): w = w - t for the 8 columns at AX+off/4.
#define SUB8(off, t, tmp) \
	VMOVUPS off(DI)(AX*4), tmp \
	VSUBPS  t, tmp, tmp        \
	VMOVUPS tmp, off(DI)(AX*4)

// MOM8(off, t): v = mu*v + t, then t = lr*v, for the 8 columns at AX+off/4.
#define MOM8(off, t, tmp) \
	VMULPS  off(R8)(AX*4), Y13, tmp \
	VADDPS  t, tmp, tmp             \
	VMOVUPS tmp, off(R8)(AX*4)      \
	VMULPS  tmp, Y14, t

// SCALAR1 does column AX alone: the sum into X12 and t = rs[r]*(g*cs) in X0.
#define SCALAR1 \
	VCVTSS2SD   (DI)(AX*4), X4, X4  \
	VMULSD      X4, X4, X4          \
	VFMADD231SD (R11)(AX*8), X4, X12 \
	VMOVSS      (SI)(AX*4), X0      \
	VMULSS      (R10)(AX*4), X0, X0 \
	VMULSS      X0, X15, X0

// REDUCE stores the row's sum Y8+Y9+Y10+Y11+X12 at (BX).
#define REDUCE \
	VADDPD       Y9, Y8, Y8    \
	VADDPD       Y11, Y10, Y10 \
	VADDPD       Y10, Y8, Y8   \
	VEXTRACTF128 $1, Y8, X9    \
	VADDPD       X9, X8, X8    \
	VPERMILPD    $1, X8, X9    \
	VADDSD       X9, X8, X8    \
	VADDSD       X12, X8, X8   \
	VMOVSD       X8, (BX)

// ZCOL4(off, sq): z += sq*u[r] (multiply, then add: the reference's
// rounding) for the 4 columns at AX+off/32*4 whose squared old weights are
// in sq (off in bytes of z).
#define ZCOL4(off, sq) \
	VMULPD  Y12, sq, sq            \
	VADDPD  off(R14)(AX*8), sq, sq \
	VMOVUPD sq, off(R14)(AX*8)

// ZCOL1 does column AX alone, X4 holding its squared old weight.
#define ZCOL1 \
	VMULSD  (R15), X4, X4        \
	VADDSD  (R14)(AX*8), X4, X4  \
	VMOVSD  X4, (R14)(AX*8)

#define ZEROACC4 \
	VXORPD Y8, Y8, Y8    \
	VXORPD Y9, Y9, Y9    \
	VXORPD Y10, Y10, Y10 \
	VXORPD Y11, Y11, Y11

#define ZEROACC \
	VXORPD Y8, Y8, Y8    \
	VXORPD Y9, Y9, Y9    \
	VXORPD Y10, Y10, Y10 \
	VXORPD Y11, Y11, Y11 \
	VXORPD X12, X12, X12

// func pathSGDAVX2Asm(y []float64, w, g []float32, ld int, rs, cs []float32, x []float64)
TEXT ·pathSGDAVX2Asm(SB), NOSPLIT, $0-152
	MOVQ y_base+0(FP), BX
	MOVQ y_len+8(FP), R12
	MOVQ w_base+24(FP), DI
	MOVQ g_base+48(FP), SI
	MOVQ ld+72(FP), DX
	SHLQ $2, DX
	MOVQ rs_base+80(FP), R9
	MOVQ cs_base+104(FP), R10
	MOVQ cs_len+112(FP), R13
	MOVQ x_base+128(FP), R11
	MOVQ R13, CX
	ANDQ $-16, CX
	MOVQ R13, R14
	ANDQ $-8, R14

row:
	VBROADCASTSS (R9), Y15
	ZEROACC
	XORQ AX, AX
	CMPQ AX, CX
	JAE  tail8

loop16:
	PREFETCHWDI
	PREFETCHT0 PFDIST(SI)(AX*4)
	LOADW8(0, Y2)
	LOADW8(32, Y3)
	SQW16
	STEP8(0, Y0)
	STEP8(32, Y1)
	STORE8(0, Y0, Y2)
	STORE8(32, Y1, Y3)
	ADDQ $16, AX
	CMPQ AX, CX
	JB   loop16

tail8:
	CMPQ AX, R14
	JAE  tail1
	STEP8(0, Y0)
	SQ4(0, Y4, Y8)
	SQ4(16, Y5, Y9)
	SUB8(0, Y0, Y2)
	ADDQ $8, AX

tail1:
	CMPQ AX, R13
	JAE  reduce

loop1:
	SCALAR1
	VMOVSS (DI)(AX*4), X2
	VSUBSS X0, X2, X2
	VMOVSS X2, (DI)(AX*4)
	INCQ   AX
	CMPQ   AX, R13
	JB     loop1

reduce:
	REDUCE
	ADDQ $8, BX
	ADDQ $4, R9
	ADDQ DX, DI
	ADDQ DX, SI
	DECQ R12
	JNZ  row
	VZEROUPPER
	RET

// func pathSGDMomentumAVX2Asm(y []float64, w, g, v []float32, ld int, rs, cs []float32, x []float64, lr, mu float32)
TEXT ·pathSGDMomentumAVX2Asm(SB), NOSPLIT, $0-184
	MOVQ         y_base+0(FP), BX
	MOVQ         y_len+8(FP), R12
	MOVQ         w_base+24(FP), DI
	MOVQ         g_base+48(FP), SI
	MOVQ         v_base+72(FP), R8
	MOVQ         ld+96(FP), DX
	SHLQ         $2, DX
	MOVQ         rs_base+104(FP), R9
	MOVQ         cs_base+128(FP), R10
	MOVQ         cs_len+136(FP), R13
	MOVQ         x_base+152(FP), R11
	VBROADCASTSS lr+176(FP), Y14
	VBROADCASTSS mu+180(FP), Y13
	MOVQ         R13, CX
	ANDQ         $-16, CX
	MOVQ         R13, R14
	ANDQ         $-8, R14

row:
	VBROADCASTSS (R9), Y15
	ZEROACC
	XORQ AX, AX
	CMPQ AX, CX
	JAE  tail8

loop16:
	PREFETCHWDI
	PREFETCHT0 PFDIST(SI)(AX*4)
	PREFETCHWR8
	STEP8(0, Y0)
	STEP8(32, Y1)
	LOADW8(0, Y2)
	LOADW8(32, Y3)
	MOMV8(0, Y0, Y4)
	MOMV8(32, Y1, Y5)
	SQW8(X2, Y2, X6, Y6, X7, Y7, 0, Y8, Y9)
	SQW8(X3, Y3, X6, Y6, X7, Y7, 64, Y10, Y11)
	STOREV8(0, Y4)
	STOREV8(32, Y5)
	STORE8(0, Y0, Y2)
	STORE8(32, Y1, Y3)
	ADDQ $16, AX
	CMPQ AX, CX
	JB   loop16

tail8:
	CMPQ AX, R14
	JAE  tail1
	STEP8(0, Y0)
	MOM8(0, Y0, Y2)
	SQ4(0, Y4, Y8)
	SQ4(16, Y5, Y9)
	SUB8(0, Y0, Y2)
	ADDQ $8, AX

tail1:
	CMPQ AX, R13
	JAE  reduce

loop1:
	SCALAR1
	VMULSS (R8)(AX*4), X13, X2
	VADDSS X0, X2, X2
	VMOVSS X2, (R8)(AX*4)
	VMULSS X2, X14, X0
	VMOVSS (DI)(AX*4), X2
	VSUBSS X0, X2, X2
	VMOVSS X2, (DI)(AX*4)
	INCQ   AX
	CMPQ   AX, R13
	JB     loop1

reduce:
	REDUCE
	ADDQ $8, BX
	ADDQ $4, R9
	ADDQ DX, DI
	ADDQ DX, SI
	ADDQ DX, R8
	DECQ R12
	JNZ  row
	VZEROUPPER
	RET

// func pathSGDColsAVX2Asm(y, z []float64, w, g []float32, ld int, rs, cs []float32, x, u []float64)
TEXT ·pathSGDColsAVX2Asm(SB), NOSPLIT, $0-200
	MOVQ y_base+0(FP), BX
	MOVQ y_len+8(FP), R12
	MOVQ z_base+24(FP), R14
	MOVQ w_base+48(FP), DI
	MOVQ g_base+72(FP), SI
	MOVQ ld+96(FP), DX
	SHLQ $2, DX
	MOVQ rs_base+104(FP), R9
	MOVQ cs_base+128(FP), R10
	MOVQ cs_len+136(FP), R13
	MOVQ x_base+152(FP), R11
	MOVQ u_base+176(FP), R15

row:
	VBROADCASTSS (R9), Y15
	VBROADCASTSD (R15), Y12
	ZEROACC4
	MOVQ R13, CX
	ANDQ $-16, CX
	XORQ AX, AX
	CMPQ AX, CX
	JAE  tail8

loop16:
	PREFETCHWDI
	PREFETCHT0 PFDIST(SI)(AX*4)
	LOADW8(0, Y2)
	LOADW8(32, Y3)
	SQW16
	STEP8(0, Y0)
	STEP8(32, Y1)
	ZCOL4(0, Y4)
	ZCOL4(32, Y5)
	ZCOL4(64, Y6)
	ZCOL4(96, Y7)
	STORE8(0, Y0, Y2)
	STORE8(32, Y1, Y3)
	ADDQ $16, AX
	CMPQ AX, CX
	JB   loop16

tail8:
	MOVQ R13, CX
	ANDQ $-8, CX
	CMPQ AX, CX
	JAE  tail1
	STEP8(0, Y0)
	SQ4(0, Y4, Y8)
	SQ4(16, Y5, Y9)
	ZCOL4(0, Y4)
	ZCOL4(32, Y5)
	SUB8(0, Y0, Y2)
	ADDQ $8, AX

tail1:
	VXORPD X12, X12, X12
	CMPQ   AX, R13
	JAE    reduce

loop1:
	SCALAR1
	ZCOL1
	VMOVSS (DI)(AX*4), X2
	VSUBSS X0, X2, X2
	VMOVSS X2, (DI)(AX*4)
	INCQ   AX
	CMPQ   AX, R13
	JB     loop1

reduce:
	REDUCE
	ADDQ $8, BX
	ADDQ $8, R15
	ADDQ $4, R9
	ADDQ DX, DI
	ADDQ DX, SI
	DECQ R12
	JNZ  row
	VZEROUPPER
	RET

// func pathSGDMomentumColsAVX2Asm(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, lr, mu float32)
TEXT ·pathSGDMomentumColsAVX2Asm(SB), NOSPLIT, $0-232
	MOVQ         y_base+0(FP), BX
	MOVQ         y_len+8(FP), R12
	MOVQ         z_base+24(FP), R14
	MOVQ         w_base+48(FP), DI
	MOVQ         g_base+72(FP), SI
	MOVQ         v_base+96(FP), R8
	MOVQ         ld+120(FP), DX
	SHLQ         $2, DX
	MOVQ         rs_base+128(FP), R9
	MOVQ         cs_base+152(FP), R10
	MOVQ         cs_len+160(FP), R13
	MOVQ         x_base+176(FP), R11
	MOVQ         u_base+200(FP), R15
	VBROADCASTSS lr+224(FP), Y14
	VBROADCASTSS mu+228(FP), Y13

row:
	VBROADCASTSS (R9), Y15
	VBROADCASTSD (R15), Y12
	ZEROACC4
	MOVQ R13, CX
	ANDQ $-16, CX
	XORQ AX, AX
	CMPQ AX, CX
	JAE  tail8

loop16:
	PREFETCHWDI
	PREFETCHT0 PFDIST(SI)(AX*4)
	PREFETCHWR8
	STEP8(0, Y0)
	STEP8(32, Y1)
	LOADW8(0, Y2)
	LOADW8(32, Y3)
	MOMV8(0, Y0, Y4)
	MOMV8(32, Y1, Y5)
	SQW8(X2, Y2, X6, Y6, X7, Y7, 0, Y8, Y9)
	ZCOL4(0, Y6)
	ZCOL4(32, Y7)
	SQW8(X3, Y3, X6, Y6, X7, Y7, 64, Y10, Y11)
	ZCOL4(64, Y6)
	ZCOL4(96, Y7)
	STOREV8(0, Y4)
	STOREV8(32, Y5)
	STORE8(0, Y0, Y2)
	STORE8(32, Y1, Y3)
	ADDQ $16, AX
	CMPQ AX, CX
	JB   loop16

tail8:
	MOVQ R13, CX
	ANDQ $-8, CX
	CMPQ AX, CX
	JAE  tail1
	STEP8(0, Y0)
	MOM8(0, Y0, Y2)
	SQ4(0, Y4, Y8)
	SQ4(16, Y5, Y9)
	ZCOL4(0, Y4)
	ZCOL4(32, Y5)
	SUB8(0, Y0, Y2)
	ADDQ $8, AX

tail1:
	VXORPD X12, X12, X12
	CMPQ   AX, R13
	JAE    reduce

loop1:
	SCALAR1
	ZCOL1
	VMULSS (R8)(AX*4), X13, X2
	VADDSS X0, X2, X2
	VMOVSS X2, (R8)(AX*4)
	VMULSS X2, X14, X0
	VMOVSS (DI)(AX*4), X2
	VSUBSS X0, X2, X2
	VMOVSS X2, (DI)(AX*4)
	INCQ   AX
	CMPQ   AX, R13
	JB     loop1

reduce:
	REDUCE
	ADDQ $8, BX
	ADDQ $8, R15
	ADDQ $4, R9
	ADDQ DX, DI
	ADDQ DX, SI
	ADDQ DX, R8
	DECQ R12
	JNZ  row
	VZEROUPPER
	RET

// func pathSGDPlainAVX2Asm(w, g []float32, ld int, rs, cs []float32)
TEXT ·pathSGDPlainAVX2Asm(SB), NOSPLIT, $0-104
	MOVQ w_base+0(FP), DI
	MOVQ g_base+24(FP), SI
	MOVQ ld+48(FP), DX
	SHLQ $2, DX
	MOVQ rs_base+56(FP), R9
	MOVQ rs_len+64(FP), R12
	MOVQ cs_base+80(FP), R10
	MOVQ cs_len+88(FP), R13
	MOVQ R13, CX
	ANDQ $-16, CX
	MOVQ R13, R14
	ANDQ $-8, R14

row:
	VBROADCASTSS (R9), Y15
	XORQ AX, AX
	CMPQ AX, CX
	JAE  tail8

loop16:
	PREFETCHWDI
	PREFETCHT0 PFDIST(SI)(AX*4)
	LOADW8(0, Y2)
	LOADW8(32, Y3)
	STEP8(0, Y0)
	STEP8(32, Y1)
	STORE8(0, Y0, Y2)
	STORE8(32, Y1, Y3)
	ADDQ $16, AX
	CMPQ AX, CX
	JB   loop16

tail8:
	CMPQ AX, R14
	JAE  tail1
	STEP8(0, Y0)
	SUB8(0, Y0, Y2)
	ADDQ $8, AX

tail1:
	CMPQ AX, R13
	JAE  next

loop1:
	VMOVSS (SI)(AX*4), X0
	VMULSS (R10)(AX*4), X0, X0
	VMULSS X0, X15, X0
	VMOVSS (DI)(AX*4), X2
	VSUBSS X0, X2, X2
	VMOVSS X2, (DI)(AX*4)
	INCQ   AX
	CMPQ   AX, R13
	JB     loop1

next:
	ADDQ $4, R9
	ADDQ DX, DI
	ADDQ DX, SI
	DECQ R12
	JNZ  row
	VZEROUPPER
	RET

// func pathSGDMomentumPlainAVX2Asm(w, g, v []float32, ld int, rs, cs []float32, lr, mu float32)
TEXT ·pathSGDMomentumPlainAVX2Asm(SB), NOSPLIT, $0-136
	MOVQ         w_base+0(FP), DI
	MOVQ         g_base+24(FP), SI
	MOVQ         v_base+48(FP), R8
	MOVQ         ld+72(FP), DX
	SHLQ         $2, DX
	MOVQ         rs_base+80(FP), R9
	MOVQ         rs_len+88(FP), R12
	MOVQ         cs_base+104(FP), R10
	MOVQ         cs_len+112(FP), R13
	VBROADCASTSS lr+128(FP), Y14
	VBROADCASTSS mu+132(FP), Y13
	MOVQ         R13, CX
	ANDQ         $-16, CX
	MOVQ         R13, R14
	ANDQ         $-8, R14

row:
	VBROADCASTSS (R9), Y15
	XORQ AX, AX
	CMPQ AX, CX
	JAE  tail8

loop16:
	PREFETCHWDI
	PREFETCHT0 PFDIST(SI)(AX*4)
	PREFETCHWR8
	STEP8(0, Y0)
	STEP8(32, Y1)
	LOADW8(0, Y2)
	LOADW8(32, Y3)
	MOMV8(0, Y0, Y4)
	MOMV8(32, Y1, Y5)
	STOREV8(0, Y4)
	STOREV8(32, Y5)
	STORE8(0, Y0, Y2)
	STORE8(32, Y1, Y3)
	ADDQ $16, AX
	CMPQ AX, CX
	JB   loop16

tail8:
	CMPQ AX, R14
	JAE  tail1
	STEP8(0, Y0)
	MOM8(0, Y0, Y2)
	SUB8(0, Y0, Y2)
	ADDQ $8, AX

tail1:
	CMPQ AX, R13
	JAE  next

loop1:
	VMOVSS (SI)(AX*4), X0
	VMULSS (R10)(AX*4), X0, X0
	VMULSS X0, X15, X0
	VMULSS (R8)(AX*4), X13, X2
	VADDSS X0, X2, X2
	VMOVSS X2, (R8)(AX*4)
	VMULSS X2, X14, X0
	VMOVSS (DI)(AX*4), X2
	VSUBSS X0, X2, X2
	VMOVSS X2, (DI)(AX*4)
	INCQ   AX
	CMPQ   AX, R13
	JB     loop1

next:
	ADDQ $4, R9
	ADDQ DX, DI
	ADDQ DX, SI
	ADDQ DX, R8
	DECQ R12
	JNZ  row
	VZEROUPPER
	RET

// func pathSumsAVX2Asm(y, z []float64, w []float32, ld int, x, u []float64)
// pathSGDColsAVX2Asm without the update: the same sums in the same order.
TEXT ·pathSumsAVX2Asm(SB), NOSPLIT, $0-128
	MOVQ y_base+0(FP), BX
	MOVQ y_len+8(FP), R12
	MOVQ z_base+24(FP), R14
	MOVQ w_base+48(FP), DI
	MOVQ ld+72(FP), DX
	SHLQ $2, DX
	MOVQ x_base+80(FP), R11
	MOVQ x_len+88(FP), R13
	MOVQ u_base+104(FP), R15

sumsrow:
	VBROADCASTSD (R15), Y12
	ZEROACC4
	MOVQ R13, CX
	ANDQ $-16, CX
	XORQ AX, AX
	CMPQ AX, CX
	JAE  sumstail8

sumsloop16:
	PREFETCHT0 PFDIST(DI)(AX*4)
	LOADW8(0, Y2)
	LOADW8(32, Y3)
	SQW16
	ZCOL4(0, Y4)
	ZCOL4(32, Y5)
	ZCOL4(64, Y6)
	ZCOL4(96, Y7)
	ADDQ $16, AX
	CMPQ AX, CX
	JB   sumsloop16

sumstail8:
	MOVQ R13, CX
	ANDQ $-8, CX
	CMPQ AX, CX
	JAE  sumstail1
	SQ4(0, Y4, Y8)
	SQ4(16, Y5, Y9)
	ZCOL4(0, Y4)
	ZCOL4(32, Y5)
	ADDQ $8, AX

sumstail1:
	VXORPD X12, X12, X12
	CMPQ   AX, R13
	JAE    sumsreduce

sumsloop1:
	VCVTSS2SD   (DI)(AX*4), X4, X4
	VMULSD      X4, X4, X4
	VFMADD231SD (R11)(AX*8), X4, X12
	ZCOL1
	INCQ        AX
	CMPQ        AX, R13
	JB          sumsloop1

sumsreduce:
	REDUCE
	ADDQ $8, BX
	ADDQ $8, R15
	ADDQ DX, DI
	DECQ R12
	JNZ  sumsrow
	VZEROUPPER
	RET
