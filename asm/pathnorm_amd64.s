//go:build !purego && !noasm

#include "textflag.h"

// lanes<>: the dword lane numbers 0, 1, 2, 3. Comparing r > lanes gives a
// mask of the first r float32 lanes.
DATA lanes<>+0(SB)/4, $0
DATA lanes<>+4(SB)/4, $1
DATA lanes<>+8(SB)/4, $2
DATA lanes<>+12(SB)/4, $3
GLOBL lanes<>(SB), RODATA|NOPTR, $16

// TAILMASK sets X14 (float32 lanes) and Y15 (float64 lanes) to select the
// first cols%4 lanes; cols is in CX, R13 is clobbered.
#define TAILMASK \
	MOVQ         CX, R13        \
	ANDQ         $3, R13        \
	VMOVD        R13, X14       \
	VPBROADCASTD X14, X14       \
	VPCMPGTD     lanes<>(SB), X14, X14 \
	VPMOVSXDQ    X14, Y15

// PREFETCH4 asks for the lines R14 bytes past the current 64-byte stretch of
// each of the four rows (AX = column), into L2; R13 is clobbered.
#define PREFETCH4 \
	LEAQ       (SI)(AX*4), R13  \
	PREFETCHT1 (R13)(R14*1)     \
	LEAQ       (R9)(AX*4), R13  \
	PREFETCHT1 (R13)(R14*1)     \
	LEAQ       (R10)(AX*4), R13 \
	PREFETCHT1 (R13)(R14*1)     \
	LEAQ       (R11)(AX*4), R13 \
	PREFETCHT1 (R13)(R14*1)

// MV4: acc += w[row][AX+off/4 : +4]² * xv, in float64.
#define MV4(row, off, xv, tmp, acc) \
	VCVTPS2PD   off(row)(AX*4), tmp \
	VMULPD      tmp, tmp, tmp       \
	VFMADD231PD xv, tmp, acc

// func pathMVAVX2Asm(y []float64, w []float32, ldw int, x []float64, pf int)
//
// DI = y (advances by row blocks), SI, R9, R10, R11 = rows i..i+3 of W,
// DX = row stride in bytes, R8 = x, CX = cols, BX = rows left,
// R12 = cols rounded down to 16, AX = column, R13 scratch, R14 = pf.
// Y0-Y7 accumulators (two per row), Y8-Y11 x, Y12-Y15 w; in the tails,
// X14 and Y15 hold the masks of the last cols%4 columns.
TEXT ·pathMVAVX2Asm(SB), NOSPLIT, $0-88
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

mv4col16:
	PREFETCH4
	VMOVUPD (R8)(AX*8), Y8
	VMOVUPD 32(R8)(AX*8), Y9
	VMOVUPD 64(R8)(AX*8), Y10
	VMOVUPD 96(R8)(AX*8), Y11
	MV4(SI, 0, Y8, Y12, Y0)
	MV4(SI, 16, Y9, Y13, Y1)
	MV4(SI, 32, Y10, Y14, Y0)
	MV4(SI, 48, Y11, Y15, Y1)
	MV4(R9, 0, Y8, Y12, Y2)
	MV4(R9, 16, Y9, Y13, Y3)
	MV4(R9, 32, Y10, Y14, Y2)
	MV4(R9, 48, Y11, Y15, Y3)
	MV4(R10, 0, Y8, Y12, Y4)
	MV4(R10, 16, Y9, Y13, Y5)
	MV4(R10, 32, Y10, Y14, Y4)
	MV4(R10, 48, Y11, Y15, Y5)
	MV4(R11, 0, Y8, Y12, Y6)
	MV4(R11, 16, Y9, Y13, Y7)
	MV4(R11, 32, Y10, Y14, Y6)
	MV4(R11, 48, Y11, Y15, Y7)
	ADDQ    $16, AX
	CMPQ    AX, R12
	JB      mv4col16

mv4col4:
	LEAQ    4(AX), R13
	CMPQ    R13, CX
	JA      mv4tail
	VMOVUPD (R8)(AX*8), Y8
	MV4(SI, 0, Y8, Y12, Y0)
	MV4(R9, 0, Y8, Y13, Y2)
	MV4(R10, 0, Y8, Y14, Y4)
	MV4(R11, 0, Y8, Y15, Y6)
	MOVQ    R13, AX
	JMP     mv4col4

mv4tail:
	CMPQ        AX, CX
	JAE         mv4reduce
	TAILMASK
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
	VADDPD     Y1, Y0, Y0        // row i:   a0 a1 a2 a3
	VADDPD     Y3, Y2, Y2        // row i+1: b0 b1 b2 b3
	VADDPD     Y5, Y4, Y4        // row i+2: c0 c1 c2 c3
	VADDPD     Y7, Y6, Y6        // row i+3: d0 d1 d2 d3
	VHADDPD    Y2, Y0, Y0        // a0+a1 b0+b1 a2+a3 b2+b3
	VHADDPD    Y6, Y4, Y4        // c0+c1 d0+d1 c2+c3 d2+d3
	VPERM2F128 $0x20, Y4, Y0, Y1 // a0+a1 b0+b1 c0+c1 d0+d1
	VPERM2F128 $0x31, Y4, Y0, Y0 // a2+a3 b2+b3 c2+c3 d2+d3
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
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	XORQ   AX, AX
	CMPQ   R12, $0
	JE     mv1col4

mv1col16:
	VMOVUPD (R8)(AX*8), Y8
	VMOVUPD 32(R8)(AX*8), Y9
	VMOVUPD 64(R8)(AX*8), Y10
	VMOVUPD 96(R8)(AX*8), Y11
	MV4(SI, 0, Y8, Y12, Y0)
	MV4(SI, 16, Y9, Y13, Y1)
	MV4(SI, 32, Y10, Y14, Y2)
	MV4(SI, 48, Y11, Y15, Y3)
	ADDQ    $16, AX
	CMPQ    AX, R12
	JB      mv1col16

mv1col4:
	LEAQ    4(AX), R13
	CMPQ    R13, CX
	JA      mv1tail
	VMOVUPD (R8)(AX*8), Y8
	MV4(SI, 0, Y8, Y12, Y0)
	MOVQ    R13, AX
	JMP     mv1col4

mv1tail:
	CMPQ        AX, CX
	JAE         mv1reduce
	TAILMASK
	VMASKMOVPD  (R8)(AX*8), Y15, Y8
	VMASKMOVPS  (SI)(AX*4), X14, X10
	VCVTPS2PD   X10, Y10
	VMULPD      Y10, Y10, Y10
	VFMADD231PD Y8, Y10, Y1

mv1reduce:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
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

// MTV1: X0 += w[row][AX]² * xv[0], in float64 (scalar).
#define MTV1(row, xv, tmp) \
	VCVTSS2SD   (row)(AX*4), tmp, tmp \
	VMULSD      tmp, tmp, tmp         \
	VFMADD231SD xv, tmp, X0

// func pathMTVAVX2Asm(y []float64, w []float32, ldw int, x []float64, pf int)
//
// DI = y, SI, R9, R10, R11 = rows i..i+3 of W, DX = row stride in bytes,
// R8 = x (advances by row blocks), CX = cols, BX = rows left,
// R12 = cols rounded down to 16, AX = column, R13 scratch, R14 = pf.
// Y0-Y3 y, Y4-Y7 and Y12-Y15 w, Y8-Y11 x[i..i+3] broadcast.
TEXT ·pathMTVAVX2Asm(SB), NOSPLIT, $0-88
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	MOVQ w_base+24(FP), SI
	MOVQ ldw+48(FP), DX
	SHLQ $2, DX
	MOVQ x_base+56(FP), R8
	MOVQ x_len+64(FP), BX
	MOVQ pf+80(FP), R14
	MOVQ CX, R12
	ANDQ $-16, R12

	// y = 0
	VXORPD Y0, Y0, Y0
	XORQ   AX, AX

zero4:
	LEAQ    4(AX), R13
	CMPQ    R13, CX
	JA      zero1
	VMOVUPD Y0, (DI)(AX*8)
	MOVQ    R13, AX
	JMP     zero4

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
	PREFETCH4
	VMOVUPD (DI)(AX*8), Y0
	VMOVUPD 32(DI)(AX*8), Y1
	VMOVUPD 64(DI)(AX*8), Y2
	VMOVUPD 96(DI)(AX*8), Y3
	MV4(SI, 0, Y8, Y4, Y0)
	MV4(SI, 16, Y8, Y5, Y1)
	MV4(SI, 32, Y8, Y6, Y2)
	MV4(SI, 48, Y8, Y7, Y3)
	MV4(R9, 0, Y9, Y12, Y0)
	MV4(R9, 16, Y9, Y13, Y1)
	MV4(R9, 32, Y9, Y14, Y2)
	MV4(R9, 48, Y9, Y15, Y3)
	MV4(R10, 0, Y10, Y4, Y0)
	MV4(R10, 16, Y10, Y5, Y1)
	MV4(R10, 32, Y10, Y6, Y2)
	MV4(R10, 48, Y10, Y7, Y3)
	MV4(R11, 0, Y11, Y12, Y0)
	MV4(R11, 16, Y11, Y13, Y1)
	MV4(R11, 32, Y11, Y14, Y2)
	MV4(R11, 48, Y11, Y15, Y3)
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	VMOVUPD Y2, 64(DI)(AX*8)
	VMOVUPD Y3, 96(DI)(AX*8)
	ADDQ    $16, AX
	CMPQ    AX, R12
	JB      mtv4col16

mtv4col4:
	LEAQ    4(AX), R13
	CMPQ    R13, CX
	JA      mtv4col1
	VMOVUPD (DI)(AX*8), Y0
	MV4(SI, 0, Y8, Y4, Y0)
	MV4(R9, 0, Y9, Y5, Y0)
	MV4(R10, 0, Y10, Y6, Y0)
	MV4(R11, 0, Y11, Y7, Y0)
	VMOVUPD Y0, (DI)(AX*8)
	MOVQ    R13, AX
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
	MV4(SI, 0, Y8, Y4, Y0)
	MV4(SI, 16, Y8, Y5, Y1)
	MV4(SI, 32, Y8, Y6, Y2)
	MV4(SI, 48, Y8, Y7, Y3)
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	VMOVUPD Y2, 64(DI)(AX*8)
	VMOVUPD Y3, 96(DI)(AX*8)
	ADDQ    $16, AX
	CMPQ    AX, R12
	JB      mtv1col16

mtv1col4:
	LEAQ    4(AX), R13
	CMPQ    R13, CX
	JA      mtv1col1
	VMOVUPD (DI)(AX*8), Y0
	MV4(SI, 0, Y8, Y4, Y0)
	VMOVUPD Y0, (DI)(AX*8)
	MOVQ    R13, AX
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
