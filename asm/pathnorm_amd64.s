//go:build !purego && !noasm

#include "textflag.h"

// tailmask<>: four all-ones dwords then four zero dwords. Loading 16 bytes at
// offset 4*(4-r) gives a mask selecting the first r (0..4) float32 lanes.
DATA tailmask<>+0(SB)/4, $0xffffffff
DATA tailmask<>+4(SB)/4, $0xffffffff
DATA tailmask<>+8(SB)/4, $0xffffffff
DATA tailmask<>+12(SB)/4, $0xffffffff
DATA tailmask<>+16(SB)/4, $0
DATA tailmask<>+20(SB)/4, $0
DATA tailmask<>+24(SB)/4, $0
DATA tailmask<>+28(SB)/4, $0
GLOBL tailmask<>(SB), RODATA|NOPTR, $32

// One row's contribution of 4 columns at index AX: acc += w[row][AX:AX+4]² * xv.
#define MV4(row, off, xv, tmp, acc) \
	VCVTPS2PD   off(row)(AX*4), tmp \
	VMULPD      tmp, tmp, tmp       \
	VFMADD231PD xv, tmp, acc

// func pathMVAsm(y []float64, w []float32, ldw int, x []float64)
//
// DI = y (advances by row blocks), SI, R9, R10, R11 = rows i..i+3 of W,
// DX = row stride in bytes, R8 = x, CX = cols, BX = rows left,
// R12 = cols rounded down to 8, R13 = cols rounded down to 4, AX = column.
// Y0-Y7 accumulators (two per row), Y8-Y9 x, Y10-Y13 w, X14 and Y15 the
// float32 and float64 masks of the last cols%4 columns.
TEXT ·pathMVAsm(SB), NOSPLIT, $0-80
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), BX
	MOVQ w_base+24(FP), SI
	MOVQ ldw+48(FP), DX
	SHLQ $2, DX
	MOVQ x_base+56(FP), R8
	MOVQ x_len+64(FP), CX
	MOVQ CX, R12
	ANDQ $-8, R12
	MOVQ CX, R13
	ANDQ $-4, R13

	// Masks for the last r = cols%4 columns.
	MOVQ      CX, AX
	ANDQ      $3, AX
	NEGQ      AX
	LEAQ      tailmask<>+16(SB), R14
	VMOVDQU   (R14)(AX*4), X14
	VPMOVSXDQ X14, Y15

rows4:
	CMPQ   BX, $4
	JB     rows1
	LEAQ   (SI)(DX*1), R9
	LEAQ   (R9)(DX*1), R10
	LEAQ   (R10)(DX*1), R11
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ   AX, AX
	CMPQ   R12, $0
	JE     mv4col4

mv4col8:
	VMOVUPD (R8)(AX*8), Y8
	VMOVUPD 32(R8)(AX*8), Y9
	MV4(SI, 0, Y8, Y10, Y0)
	MV4(SI, 16, Y9, Y11, Y1)
	MV4(R9, 0, Y8, Y12, Y2)
	MV4(R9, 16, Y9, Y13, Y3)
	MV4(R10, 0, Y8, Y10, Y4)
	MV4(R10, 16, Y9, Y11, Y5)
	MV4(R11, 0, Y8, Y12, Y6)
	MV4(R11, 16, Y9, Y13, Y7)
	ADDQ    $8, AX
	CMPQ    AX, R12
	JB      mv4col8

mv4col4:
	CMPQ    AX, R13
	JAE     mv4tail
	VMOVUPD (R8)(AX*8), Y8
	MV4(SI, 0, Y8, Y10, Y0)
	MV4(R9, 0, Y8, Y11, Y2)
	MV4(R10, 0, Y8, Y12, Y4)
	MV4(R11, 0, Y8, Y13, Y6)
	ADDQ    $4, AX

mv4tail:
	CMPQ        AX, CX
	JAE         mv4reduce
	VMASKMOVPD  (R8)(AX*8), Y15, Y8
	VMASKMOVPS  (SI)(AX*4), X14, X10
	VMASKMOVPS  (R9)(AX*4), X14, X11
	VMASKMOVPS  (R10)(AX*4), X14, X12
	VMASKMOVPS  (R11)(AX*4), X14, X13
	VCVTPS2PD   X10, Y10
	VCVTPS2PD   X11, Y11
	VCVTPS2PD   X12, Y12
	VCVTPS2PD   X13, Y13
	VMULPD      Y10, Y10, Y10
	VMULPD      Y11, Y11, Y11
	VMULPD      Y12, Y12, Y12
	VMULPD      Y13, Y13, Y13
	VFMADD231PD Y8, Y10, Y1
	VFMADD231PD Y8, Y11, Y3
	VFMADD231PD Y8, Y12, Y5
	VFMADD231PD Y8, Y13, Y7

mv4reduce:
	VADDPD     Y1, Y0, Y0          // row i:   a0 a1 a2 a3
	VADDPD     Y3, Y2, Y2          // row i+1: b0 b1 b2 b3
	VADDPD     Y5, Y4, Y4          // row i+2: c...
	VADDPD     Y7, Y6, Y6          // row i+3: d...
	VHADDPD    Y2, Y0, Y0          // a0+a1 b0+b1 a2+a3 b2+b3
	VHADDPD    Y6, Y4, Y4          // c0+c1 d0+d1 c2+c3 d2+d3
	VPERM2F128 $0x20, Y4, Y0, Y1   // a0+a1 b0+b1 c0+c1 d0+d1
	VPERM2F128 $0x31, Y4, Y0, Y0   // a2+a3 b2+b3 c2+c3 d2+d3
	VADDPD     Y1, Y0, Y0
	VMOVUPD    Y0, (DI)
	ADDQ       $32, DI
	LEAQ       (SI)(DX*4), SI
	SUBQ       $4, BX
	JMP        rows4

rows1:
	TESTQ  BX, BX
	JZ     done
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	XORQ   AX, AX
	CMPQ   R12, $0
	JE     mv1col4

mv1col8:
	VMOVUPD (R8)(AX*8), Y8
	VMOVUPD 32(R8)(AX*8), Y9
	MV4(SI, 0, Y8, Y10, Y0)
	MV4(SI, 16, Y9, Y11, Y1)
	ADDQ    $8, AX
	CMPQ    AX, R12
	JB      mv1col8

mv1col4:
	CMPQ    AX, R13
	JAE     mv1tail
	VMOVUPD (R8)(AX*8), Y8
	MV4(SI, 0, Y8, Y10, Y0)
	ADDQ    $4, AX

mv1tail:
	CMPQ        AX, CX
	JAE         mv1reduce
	VMASKMOVPD  (R8)(AX*8), Y15, Y8
	VMASKMOVPS  (SI)(AX*4), X14, X10
	VCVTPS2PD   X10, Y10
	VMULPD      Y10, Y10, Y10
	VFMADD231PD Y8, Y10, Y1

mv1reduce:
	VADDPD       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VUNPCKHPD    X0, X0, X1
	VADDSD       X1, X0, X0
	VMOVSD       X0, (DI)
	ADDQ         $8, DI
	ADDQ         DX, SI
	DECQ         BX
	JMP          rows1

done:
	VZEROUPPER
	RET

// y[AX:AX+4] (in acc) += w[row][AX+off/4 : ...]² * xv
#define MTV4(row, off, xv, tmp, acc) \
	VCVTPS2PD   off(row)(AX*4), tmp \
	VMULPD      tmp, tmp, tmp       \
	VFMADD231PD xv, tmp, acc

// Scalar: X0 += w[row][AX]² * xv[0]
#define MTV1(row, xv, tmp) \
	VCVTSS2SD   (row)(AX*4), tmp, tmp \
	VMULSD      tmp, tmp, tmp         \
	VFMADD231SD xv, tmp, X0

// func pathMTVAsm(y []float64, w []float32, ldw int, x []float64)
//
// DI = y, SI, R9, R10, R11 = rows i..i+3 of W, DX = row stride in bytes,
// R8 = x (advances by row blocks), CX = cols, BX = rows left,
// R12 = cols rounded down to 16, R13 = cols rounded down to 4, AX = column.
// Y0-Y3 y, Y4-Y7 and Y12-Y15 w, Y8-Y11 x[i..i+3] broadcast.
TEXT ·pathMTVAsm(SB), NOSPLIT, $0-80
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	MOVQ w_base+24(FP), SI
	MOVQ ldw+48(FP), DX
	SHLQ $2, DX
	MOVQ x_base+56(FP), R8
	MOVQ x_len+64(FP), BX
	MOVQ CX, R12
	ANDQ $-16, R12
	MOVQ CX, R13
	ANDQ $-4, R13

	// y = 0
	VXORPD Y0, Y0, Y0
	XORQ   AX, AX
	CMPQ   R13, $0
	JE     zero1

zero4:
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	CMPQ    AX, R13
	JB      zero4

zero1:
	CMPQ   AX, CX
	JAE    rows4
	VMOVSD X0, (DI)(AX*8)
	INCQ   AX
	JMP    zero1

rows4:
	CMPQ         BX, $4
	JB           rows1
	LEAQ         (SI)(DX*1), R9
	LEAQ         (R9)(DX*1), R10
	LEAQ         (R10)(DX*1), R11
	VBROADCASTSD (R8), Y8
	VBROADCASTSD 8(R8), Y9
	VBROADCASTSD 16(R8), Y10
	VBROADCASTSD 24(R8), Y11
	XORQ         AX, AX
	CMPQ         R12, $0
	JE           mtv4col4

mtv4col16:
	VMOVUPD (DI)(AX*8), Y0
	VMOVUPD 32(DI)(AX*8), Y1
	VMOVUPD 64(DI)(AX*8), Y2
	VMOVUPD 96(DI)(AX*8), Y3
	MTV4(SI, 0, Y8, Y4, Y0)
	MTV4(SI, 16, Y8, Y5, Y1)
	MTV4(SI, 32, Y8, Y6, Y2)
	MTV4(SI, 48, Y8, Y7, Y3)
	MTV4(R9, 0, Y9, Y12, Y0)
	MTV4(R9, 16, Y9, Y13, Y1)
	MTV4(R9, 32, Y9, Y14, Y2)
	MTV4(R9, 48, Y9, Y15, Y3)
	MTV4(R10, 0, Y10, Y4, Y0)
	MTV4(R10, 16, Y10, Y5, Y1)
	MTV4(R10, 32, Y10, Y6, Y2)
	MTV4(R10, 48, Y10, Y7, Y3)
	MTV4(R11, 0, Y11, Y12, Y0)
	MTV4(R11, 16, Y11, Y13, Y1)
	MTV4(R11, 32, Y11, Y14, Y2)
	MTV4(R11, 48, Y11, Y15, Y3)
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	VMOVUPD Y2, 64(DI)(AX*8)
	VMOVUPD Y3, 96(DI)(AX*8)
	ADDQ    $16, AX
	CMPQ    AX, R12
	JB      mtv4col16

mtv4col4:
	CMPQ    AX, R13
	JAE     mtv4col1
	VMOVUPD (DI)(AX*8), Y0
	MTV4(SI, 0, Y8, Y4, Y0)
	MTV4(R9, 0, Y9, Y5, Y0)
	MTV4(R10, 0, Y10, Y6, Y0)
	MTV4(R11, 0, Y11, Y7, Y0)
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     mtv4col4

mtv4col1:
	CMPQ   AX, CX
	JAE    mtv4next
	VMOVSD (DI)(AX*8), X0
	MTV1(SI, X8, X4)
	MTV1(R9, X9, X5)
	MTV1(R10, X10, X6)
	MTV1(R11, X11, X7)
	VMOVSD X0, (DI)(AX*8)
	INCQ   AX
	JMP    mtv4col1

mtv4next:
	ADDQ $32, R8
	LEAQ (SI)(DX*4), SI
	SUBQ $4, BX
	JMP  rows4

rows1:
	TESTQ        BX, BX
	JZ           done
	VBROADCASTSD (R8), Y8
	XORQ         AX, AX
	CMPQ         R12, $0
	JE           mtv1col4

mtv1col16:
	VMOVUPD (DI)(AX*8), Y0
	VMOVUPD 32(DI)(AX*8), Y1
	VMOVUPD 64(DI)(AX*8), Y2
	VMOVUPD 96(DI)(AX*8), Y3
	MTV4(SI, 0, Y8, Y4, Y0)
	MTV4(SI, 16, Y8, Y5, Y1)
	MTV4(SI, 32, Y8, Y6, Y2)
	MTV4(SI, 48, Y8, Y7, Y3)
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	VMOVUPD Y2, 64(DI)(AX*8)
	VMOVUPD Y3, 96(DI)(AX*8)
	ADDQ    $16, AX
	CMPQ    AX, R12
	JB      mtv1col16

mtv1col4:
	CMPQ    AX, R13
	JAE     mtv1col1
	VMOVUPD (DI)(AX*8), Y0
	MTV4(SI, 0, Y8, Y4, Y0)
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     mtv1col4

mtv1col1:
	CMPQ   AX, CX
	JAE    mtv1next
	VMOVSD (DI)(AX*8), X0
	MTV1(SI, X8, X4)
	VMOVSD X0, (DI)(AX*8)
	INCQ   AX
	JMP    mtv1col1

mtv1next:
	ADDQ $8, R8
	ADDQ DX, SI
	DECQ BX
	JMP  rows1

done:
	VZEROUPPER
	RET
