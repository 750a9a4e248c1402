//go:build !purego && !noasm

#include "textflag.h"

// PF4Z asks for the line R14 bytes past byte off of the current 16-column
// stretch of each of the four rows (AX = column), into L2; R13 is clobbered.
#define PF4Z(off) \
	LEAQ       off(SI)(AX*4), R13  \
	PREFETCHT1 (R13)(R14*1)        \
	LEAQ       off(R9)(AX*4), R13  \
	PREFETCHT1 (R13)(R14*1)        \
	LEAQ       off(R10)(AX*4), R13 \
	PREFETCHT1 (R13)(R14*1)        \
	LEAQ       off(R11)(AX*4), R13 \
	PREFETCHT1 (R13)(R14*1)

// MV8: acc += w[row][AX+off/4 : +8]² * xv, in float64 (eight lanes).
#define MV8(row, off, xv, tmp, acc) \
	VCVTPS2PD   off(row)(AX*4), tmp \
	VMULPD      tmp, tmp, tmp       \
	VFMADD231PD xv, tmp, acc

// MV8M: MV8 on the lanes K1 selects (the others add zero; masked-off
// weights are not read).
#define MV8M(row, xv, tmp, acc) \
	VCVTPS2PD.Z (row)(AX*4), K1, tmp \
	VMULPD      tmp, tmp, tmp        \
	VFMADD231PD xv, tmp, acc

// tail8<>: the 16-bit masks (1 << r) - 1 of the first r lanes, r = 0..7.
DATA tail8<>+0(SB)/2, $0x00
DATA tail8<>+2(SB)/2, $0x01
DATA tail8<>+4(SB)/2, $0x03
DATA tail8<>+6(SB)/2, $0x07
DATA tail8<>+8(SB)/2, $0x0f
DATA tail8<>+10(SB)/2, $0x1f
DATA tail8<>+12(SB)/2, $0x3f
DATA tail8<>+14(SB)/2, $0x7f
GLOBL tail8<>(SB), RODATA|NOPTR, $16

// TAILK sets K1 to the first CX-AX (< 8) lanes; R13 is clobbered, and
// R12 (the column count rounded down to the main loop's step) is used as
// scratch and set again to CX rounded down by the mask round.
#define TAILK(round) \
	MOVQ  CX, R13            \
	SUBQ  AX, R13            \
	LEAQ  tail8<>(SB), R12   \
	KMOVW (R12)(R13*2), K1   \
	MOVQ  CX, R12            \
	ANDQ  $round, R12

// func pathMVAVX512Asm(y []float64, w []float32, ldw int, x []float64, pf int)
//
// DI = y (advances by row blocks), SI, R9, R10, R11 = rows i..i+3 of W,
// DX = row stride in bytes, R8 = x, CX = cols, BX = rows left,
// R12 = cols rounded down to 16, AX = column, R13 scratch, R14 = pf.
// Z0-Z7 accumulators (two per row), Z8-Z9 x, Z12-Z15 w.
TEXT ·pathMVAVX512Asm(SB), NOSPLIT, $0-88
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), BX
	MOVQ w_base+24(FP), SI
	MOVQ ldw+48(FP), DX
	SHLQ $2, DX
	MOVQ x_base+56(FP), R8
	MOVQ x_len+64(FP), CX
	MOVQ pf+80(FP), R14
	MOVQ CX, R12
	ANDQ $-16, R12

rows4:
	CMPQ   BX, $4
	JB     rows1
	LEAQ   (SI)(DX*1), R9
	LEAQ   (R9)(DX*1), R10
	LEAQ   (R10)(DX*1), R11
	VXORPD Z0, Z0, Z0
	VXORPD Z1, Z1, Z1
	VXORPD Z2, Z2, Z2
	VXORPD Z3, Z3, Z3
	VXORPD Z4, Z4, Z4
	VXORPD Z5, Z5, Z5
	VXORPD Z6, Z6, Z6
	VXORPD Z7, Z7, Z7
	XORQ   AX, AX
	CMPQ   R12, $0
	JE     mv4col8

mv4col16:
	PF4Z(0)
	VMOVUPD (R8)(AX*8), Z8
	VMOVUPD 64(R8)(AX*8), Z9
	MV8(SI, 0, Z8, Z12, Z0)
	MV8(SI, 32, Z9, Z13, Z1)
	MV8(R9, 0, Z8, Z14, Z2)
	MV8(R9, 32, Z9, Z15, Z3)
	MV8(R10, 0, Z8, Z12, Z4)
	MV8(R10, 32, Z9, Z13, Z5)
	MV8(R11, 0, Z8, Z14, Z6)
	MV8(R11, 32, Z9, Z15, Z7)
	ADDQ    $16, AX
	CMPQ    AX, R12
	JB      mv4col16

mv4col8:
	LEAQ    8(AX), R13
	CMPQ    R13, CX
	JA      mv4tail
	VMOVUPD (R8)(AX*8), Z8
	MV8(SI, 0, Z8, Z12, Z0)
	MV8(R9, 0, Z8, Z13, Z2)
	MV8(R10, 0, Z8, Z14, Z4)
	MV8(R11, 0, Z8, Z15, Z6)
	MOVQ    R13, AX

mv4tail:
	CMPQ      AX, CX
	JAE       mv4reduce
	TAILK(-16)
	VMOVUPD.Z (R8)(AX*8), K1, Z8
	MV8M(SI, Z8, Z12, Z1)
	MV8M(R9, Z8, Z13, Z3)
	MV8M(R10, Z8, Z14, Z5)
	MV8M(R11, Z8, Z15, Z7)

mv4reduce:
	VADDPD        Z1, Z0, Z0
	VADDPD        Z3, Z2, Z2
	VADDPD        Z5, Z4, Z4
	VADDPD        Z7, Z6, Z6
	VEXTRACTF64X4 $1, Z0, Y1
	VEXTRACTF64X4 $1, Z2, Y3
	VEXTRACTF64X4 $1, Z4, Y5
	VEXTRACTF64X4 $1, Z6, Y7
	VADDPD        Y1, Y0, Y0      // row i:   a0 a1 a2 a3
	VADDPD        Y3, Y2, Y2      // row i+1: b0 b1 b2 b3
	VADDPD        Y5, Y4, Y4      // row i+2: c0 c1 c2 c3
	VADDPD        Y7, Y6, Y6      // row i+3: d0 d1 d2 d3
	VHADDPD       Y2, Y0, Y0      // a0+a1 b0+b1 a2+a3 b2+b3
	VHADDPD       Y6, Y4, Y4      // c0+c1 d0+d1 c2+c3 d2+d3
	VPERM2F128    $0x20, Y4, Y0, Y1
	VPERM2F128    $0x31, Y4, Y0, Y0
	VADDPD        Y1, Y0, Y0
	VMOVUPD       Y0, (DI)
	ADDQ          $32, DI
	LEAQ          (SI)(DX*4), SI
	SUBQ          $4, BX
	JMP           rows4

rows1:
	TESTQ  BX, BX
	JZ     done
	VXORPD Z0, Z0, Z0
	VXORPD Z1, Z1, Z1
	XORQ   AX, AX
	CMPQ   R12, $0
	JE     mv1col8

mv1col16:
	VMOVUPD (R8)(AX*8), Z8
	VMOVUPD 64(R8)(AX*8), Z9
	MV8(SI, 0, Z8, Z12, Z0)
	MV8(SI, 32, Z9, Z13, Z1)
	ADDQ    $16, AX
	CMPQ    AX, R12
	JB      mv1col16

mv1col8:
	LEAQ    8(AX), R13
	CMPQ    R13, CX
	JA      mv1tail
	VMOVUPD (R8)(AX*8), Z8
	MV8(SI, 0, Z8, Z12, Z0)
	MOVQ    R13, AX

mv1tail:
	CMPQ      AX, CX
	JAE       mv1reduce
	TAILK(-16)
	VMOVUPD.Z (R8)(AX*8), K1, Z8
	MV8M(SI, Z8, Z12, Z1)

mv1reduce:
	VADDPD        Z1, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VUNPCKHPD     X0, X0, X1
	VADDSD        X1, X0, X0
	VMOVSD        X0, (DI)
	ADDQ          $8, DI
	ADDQ          DX, SI
	DECQ          BX
	JMP           rows1

done:
	VZEROUPPER
	RET


// func pathMTVAVX512Asm(y []float64, w []float32, ldw int, x []float64, pf int)
//
// DI = y, SI, R9, R10, R11 = rows i..i+3 of W, DX = row stride in bytes,
// R8 = x (advances by row blocks), CX = cols, BX = rows left,
// R12 = cols rounded down to 32, AX = column, R13 scratch, R14 = pf.
// Z0-Z3 y (32 columns), Z8-Z11 x[i..i+3] broadcast, Z4-Z7 and Z12-Z19 w.
// Each row adds into the four y registers one after the other, so the
// four dependency chains of a step are four multiply-adds long while the
// sixteen conversions of the step run ahead of them.
TEXT ·pathMTVAVX512Asm(SB), NOSPLIT, $0-88
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	MOVQ w_base+24(FP), SI
	MOVQ ldw+48(FP), DX
	SHLQ $2, DX
	MOVQ x_base+56(FP), R8
	MOVQ x_len+64(FP), BX
	MOVQ pf+80(FP), R14
	MOVQ CX, R12
	ANDQ $-32, R12

	// y = 0
	VXORPD Z0, Z0, Z0
	XORQ   AX, AX

zero8:
	LEAQ    8(AX), R13
	CMPQ    R13, CX
	JA      zerotail
	VMOVUPD Z0, (DI)(AX*8)
	MOVQ    R13, AX
	JMP     zero8

zerotail:
	CMPQ    AX, CX
	JAE     rows4
	TAILK(-32)
	VMOVUPD Z0, K1, (DI)(AX*8)

rows4:
	CMPQ         BX, $4
	JB           rows1
	LEAQ         (SI)(DX*1), R9
	LEAQ         (R9)(DX*1), R10
	LEAQ         (R10)(DX*1), R11
	VBROADCASTSD (R8), Z8
	VBROADCASTSD 8(R8), Z9
	VBROADCASTSD 16(R8), Z10
	VBROADCASTSD 24(R8), Z11
	XORQ         AX, AX
	CMPQ         R12, $0
	JE           mtv4col8

mtv4col32:
	PF4Z(0)
	PF4Z(64)
	VMOVUPD (DI)(AX*8), Z0
	VMOVUPD 64(DI)(AX*8), Z1
	VMOVUPD 128(DI)(AX*8), Z2
	VMOVUPD 192(DI)(AX*8), Z3
	MV8(SI, 0, Z8, Z4, Z0)
	MV8(SI, 32, Z8, Z5, Z1)
	MV8(SI, 64, Z8, Z6, Z2)
	MV8(SI, 96, Z8, Z7, Z3)
	MV8(R9, 0, Z9, Z12, Z0)
	MV8(R9, 32, Z9, Z13, Z1)
	MV8(R9, 64, Z9, Z14, Z2)
	MV8(R9, 96, Z9, Z15, Z3)
	MV8(R10, 0, Z10, Z16, Z0)
	MV8(R10, 32, Z10, Z17, Z1)
	MV8(R10, 64, Z10, Z18, Z2)
	MV8(R10, 96, Z10, Z19, Z3)
	MV8(R11, 0, Z11, Z4, Z0)
	MV8(R11, 32, Z11, Z5, Z1)
	MV8(R11, 64, Z11, Z6, Z2)
	MV8(R11, 96, Z11, Z7, Z3)
	VMOVUPD Z0, (DI)(AX*8)
	VMOVUPD Z1, 64(DI)(AX*8)
	VMOVUPD Z2, 128(DI)(AX*8)
	VMOVUPD Z3, 192(DI)(AX*8)
	ADDQ    $32, AX
	CMPQ    AX, R12
	JB      mtv4col32

mtv4col8:
	LEAQ    8(AX), R13
	CMPQ    R13, CX
	JA      mtv4tail
	VMOVUPD (DI)(AX*8), Z0
	MV8(SI, 0, Z8, Z4, Z0)
	MV8(R9, 0, Z9, Z5, Z0)
	MV8(R10, 0, Z10, Z6, Z0)
	MV8(R11, 0, Z11, Z7, Z0)
	VMOVUPD Z0, (DI)(AX*8)
	MOVQ    R13, AX
	JMP     mtv4col8

mtv4tail:
	CMPQ      AX, CX
	JAE       mtv4next
	TAILK(-32)
	VMOVUPD.Z (DI)(AX*8), K1, Z0
	MV8M(SI, Z8, Z4, Z0)
	MV8M(R9, Z9, Z5, Z0)
	MV8M(R10, Z10, Z6, Z0)
	MV8M(R11, Z11, Z7, Z0)
	VMOVUPD   Z0, K1, (DI)(AX*8)

mtv4next:
	ADDQ $32, R8
	LEAQ (SI)(DX*4), SI
	SUBQ $4, BX
	JMP  rows4

rows1:
	TESTQ        BX, BX
	JZ           done
	VBROADCASTSD (R8), Z8
	XORQ         AX, AX

mtv1col8:
	LEAQ    8(AX), R13
	CMPQ    R13, CX
	JA      mtv1tail
	VMOVUPD (DI)(AX*8), Z0
	MV8(SI, 0, Z8, Z4, Z0)
	VMOVUPD Z0, (DI)(AX*8)
	MOVQ    R13, AX
	JMP     mtv1col8

mtv1tail:
	CMPQ      AX, CX
	JAE       mtv1next
	TAILK(-32)
	VMOVUPD.Z (DI)(AX*8), K1, Z0
	MV8M(SI, Z8, Z4, Z0)
	VMOVUPD   Z0, K1, (DI)(AX*8)

mtv1next:
	ADDQ $8, R8
	ADDQ DX, SI
	DECQ BX
	JMP  rows1

done:
	VZEROUPPER
	RET
