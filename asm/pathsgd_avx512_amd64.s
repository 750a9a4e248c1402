//go:build !purego && !noasm

#include "textflag.h"

// The AVX-512 Path-SGD sums kernel (see pathsgd.go for the reference loop
// and pathsgd_avx512_amd64.go for the layout): four rows at a time, each
// 16-column stretch of z kept in registers while the four rows add to it
// in row order.

// SUMS16(row, uz, a0, a1, t0, t1): for the 16 columns at AX of a row,
// q = float64(w)² (eight lanes in t0, eight in t1), a0 += q*x (Z8), a1 +=
// q*x (Z9), then z (Z10, Z11) += float64(q*u[r]) with a separate multiply
// and add, the reference's rounding, uz holding u[r].
#define SUMS16(row, uz, a0, a1, t0, t1) \
	VCVTPS2PD   (row)(AX*4), t0   \
	VCVTPS2PD   32(row)(AX*4), t1 \
	VMULPD      t0, t0, t0        \
	VMULPD      t1, t1, t1        \
	VFMADD231PD Z8, t0, a0        \
	VFMADD231PD Z9, t1, a1        \
	VMULPD      uz, t0, t0        \
	VMULPD      uz, t1, t1        \
	VADDPD      t0, Z10, Z10      \
	VADDPD      t1, Z11, Z11

// SUMS8: SUMS16 for the 8 columns at AX (x in Z8, z in Z10).
#define SUMS8(row, uz, a0, t0) \
	VCVTPS2PD   (row)(AX*4), t0 \
	VMULPD      t0, t0, t0      \
	VFMADD231PD Z8, t0, a0      \
	VMULPD      uz, t0, t0      \
	VADDPD      t0, Z10, Z10

// SUMS1(row, uoff, acc): SUMS8 for column AX alone (x in X8, z in X10),
// the row's sum in the scalar acc, u[r] at uoff(R15).
#define SUMS1(row, uoff, acc) \
	VCVTSS2SD   (row)(AX*4), X12, X12 \
	VMULSD      X12, X12, X12         \
	VFMADD231SD X8, X12, acc          \
	VMULSD      uoff(R15), X12, X12   \
	VADDSD      X12, X10, X10

// REDUCEZ(a0, a1, ax, ay, t): the scalar ax = the sum of a0's and a1's lanes.
#define REDUCEZ(a0, a1, ax, ay, t) \
	VADDPD        a1, a0, a0 \
	VEXTRACTF64X4 $1, a0, Y12 \
	VADDPD        Y12, ay, ay \
	VEXTRACTF128  $1, ay, X12 \
	VADDPD        X12, ax, ax \
	VPERMILPD     $1, ax, X12 \
	VADDSD        X12, ax, ax

// PFROW(row): the line R14 bytes past the current 16 columns of a row,
// into L2 (R13 scratch).
#define PFROW(row) \
	LEAQ       (row)(AX*4), R13 \
	PREFETCHT1 (R13)(R14*1)

// func pathSumsAVX512Asm(y, z []float64, w []float32, ld int, x, u []float64, pf int)
//
// Four rows at a time: the z stretch stays in registers while the four
// rows add to it in row order. BX = y, R12 = rows left, SI = z, DI, R8,
// R9, R10 = the four rows of W, DX = row stride in bytes, R11 = x, R15 =
// u, CX = cols rounded down to 16 (then the column count), AX = column,
// R13 scratch, R14 = pf. Z0-Z7 the rows' accumulators (two per row), Z8-Z9
// x, Z10-Z11 z, Z16-Z19 the rows' u, Z12-Z15 and Z20-Z23 temporaries.
TEXT ·pathSumsAVX512Asm(SB), NOSPLIT, $0-136
	MOVQ y_base+0(FP), BX
	MOVQ y_len+8(FP), R12
	MOVQ z_base+24(FP), SI
	MOVQ w_base+48(FP), DI
	MOVQ ld+72(FP), DX
	SHLQ $2, DX
	MOVQ x_base+80(FP), R11
	MOVQ u_base+104(FP), R15
	MOVQ pf+128(FP), R14

srows4:
	CMPQ         R12, $4
	JB           srows1
	LEAQ         (DI)(DX*1), R8
	LEAQ         (R8)(DX*1), R9
	LEAQ         (R9)(DX*1), R10
	VBROADCASTSD (R15), Z16
	VBROADCASTSD 8(R15), Z17
	VBROADCASTSD 16(R15), Z18
	VBROADCASTSD 24(R15), Z19
	VXORPD       Z0, Z0, Z0
	VXORPD       Z1, Z1, Z1
	VXORPD       Z2, Z2, Z2
	VXORPD       Z3, Z3, Z3
	VXORPD       Z4, Z4, Z4
	VXORPD       Z5, Z5, Z5
	VXORPD       Z6, Z6, Z6
	VXORPD       Z7, Z7, Z7
	MOVQ         x_len+88(FP), CX
	ANDQ         $-16, CX
	XORQ         AX, AX
	CMPQ         AX, CX
	JAE          s4col8

s4col16:
	PFROW(DI)
	PFROW(R8)
	PFROW(R9)
	PFROW(R10)
	VMOVUPD (R11)(AX*8), Z8
	VMOVUPD 64(R11)(AX*8), Z9
	VMOVUPD (SI)(AX*8), Z10
	VMOVUPD 64(SI)(AX*8), Z11
	SUMS16(DI, Z16, Z0, Z1, Z12, Z13)
	SUMS16(R8, Z17, Z2, Z3, Z14, Z15)
	SUMS16(R9, Z18, Z4, Z5, Z20, Z21)
	SUMS16(R10, Z19, Z6, Z7, Z22, Z23)
	VMOVUPD Z10, (SI)(AX*8)
	VMOVUPD Z11, 64(SI)(AX*8)
	ADDQ    $16, AX
	CMPQ    AX, CX
	JB      s4col16

s4col8:
	MOVQ    x_len+88(FP), CX
	LEAQ    8(AX), R13
	CMPQ    R13, CX
	JA      s4reduce
	VMOVUPD (R11)(AX*8), Z8
	VMOVUPD (SI)(AX*8), Z10
	SUMS8(DI, Z16, Z0, Z12)
	SUMS8(R8, Z17, Z2, Z13)
	SUMS8(R9, Z18, Z4, Z14)
	SUMS8(R10, Z19, Z6, Z15)
	VMOVUPD Z10, (SI)(AX*8)
	MOVQ    R13, AX

s4reduce:
	REDUCEZ(Z0, Z1, X0, Y0, X12)
	REDUCEZ(Z2, Z3, X2, Y2, X12)
	REDUCEZ(Z4, Z5, X4, Y4, X12)
	REDUCEZ(Z6, Z7, X6, Y6, X12)
	CMPQ AX, CX
	JAE  s4store

s4col1:
	VMOVSD (R11)(AX*8), X8
	VMOVSD (SI)(AX*8), X10
	SUMS1(DI, 0, X0)
	SUMS1(R8, 8, X2)
	SUMS1(R9, 16, X4)
	SUMS1(R10, 24, X6)
	VMOVSD X10, (SI)(AX*8)
	INCQ   AX
	CMPQ   AX, CX
	JB     s4col1

s4store:
	VMOVSD X0, (BX)
	VMOVSD X2, 8(BX)
	VMOVSD X4, 16(BX)
	VMOVSD X6, 24(BX)
	ADDQ   $32, BX
	ADDQ   $32, R15
	LEAQ   (R10)(DX*1), DI
	SUBQ   $4, R12
	JMP    srows4

srows1:
	CMPQ         R12, $0
	JE           sdone
	VBROADCASTSD (R15), Z16
	VXORPD       Z0, Z0, Z0
	VXORPD       Z1, Z1, Z1
	MOVQ         x_len+88(FP), CX
	ANDQ         $-16, CX
	XORQ         AX, AX
	CMPQ         AX, CX
	JAE          s1col8

s1col16:
	VMOVUPD (R11)(AX*8), Z8
	VMOVUPD 64(R11)(AX*8), Z9
	VMOVUPD (SI)(AX*8), Z10
	VMOVUPD 64(SI)(AX*8), Z11
	SUMS16(DI, Z16, Z0, Z1, Z12, Z13)
	VMOVUPD Z10, (SI)(AX*8)
	VMOVUPD Z11, 64(SI)(AX*8)
	ADDQ    $16, AX
	CMPQ    AX, CX
	JB      s1col16

s1col8:
	MOVQ    x_len+88(FP), CX
	LEAQ    8(AX), R13
	CMPQ    R13, CX
	JA      s1reduce
	VMOVUPD (R11)(AX*8), Z8
	VMOVUPD (SI)(AX*8), Z10
	SUMS8(DI, Z16, Z0, Z12)
	VMOVUPD Z10, (SI)(AX*8)
	MOVQ    R13, AX

s1reduce:
	REDUCEZ(Z0, Z1, X0, Y0, X12)
	CMPQ AX, CX
	JAE  s1store

s1col1:
	VMOVSD (R11)(AX*8), X8
	VMOVSD (SI)(AX*8), X10
	SUMS1(DI, 0, X0)
	VMOVSD X10, (SI)(AX*8)
	INCQ   AX
	CMPQ   AX, CX
	JB     s1col1

s1store:
	VMOVSD X0, (BX)
	ADDQ   $8, BX
	ADDQ   $8, R15
	ADDQ   DX, DI
	DECQ   R12
	JMP    srows1

sdone:
	VZEROUPPER
	RET
