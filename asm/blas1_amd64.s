//go:build !purego && !noasm

#include "textflag.h"

// func sdotAVX2Asm(x, y []float32) float32
// SI = x, DI = y, CX = elements left; Y0-Y7 accumulators, Y8-Y15 x blocks.
TEXT ·sdotAVX2Asm(SB), NOSPLIT, $0-52
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	CMPQ   CX, $64
	JB     tail8

loop64:
	VMOVUPS     (SI), Y8
	VMOVUPS     32(SI), Y9
	VMOVUPS     64(SI), Y10
	VMOVUPS     96(SI), Y11
	VMOVUPS     128(SI), Y12
	VMOVUPS     160(SI), Y13
	VMOVUPS     192(SI), Y14
	VMOVUPS     224(SI), Y15
	VFMADD231PS (DI), Y8, Y0
	VFMADD231PS 32(DI), Y9, Y1
	VFMADD231PS 64(DI), Y10, Y2
	VFMADD231PS 96(DI), Y11, Y3
	VFMADD231PS 128(DI), Y12, Y4
	VFMADD231PS 160(DI), Y13, Y5
	VFMADD231PS 192(DI), Y14, Y6
	VFMADD231PS 224(DI), Y15, Y7
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $64, CX
	CMPQ        CX, $64
	JAE         loop64

tail8:
	CMPQ CX, $8
	JB   reduce

loop8:
	VMOVUPS     (SI), Y8
	VFMADD231PS (DI), Y8, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	CMPQ        CX, $8
	JAE         loop8

reduce:
	VADDPS       Y4, Y0, Y0
	VADDPS       Y5, Y1, Y1
	VADDPS       Y6, Y2, Y2
	VADDPS       Y7, Y3, Y3
	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0
	TESTQ        CX, CX
	JZ           done

loop1:
	VMOVSS      (SI), X1
	VFMADD231SS (DI), X1, X0
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNZ         loop1

done:
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

// func ddotAVX2Asm(x, y []float64) float64
TEXT ·ddotAVX2Asm(SB), NOSPLIT, $0-56
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	CMPQ   CX, $32
	JB     tail4

loop32:
	VMOVUPD     (SI), Y8
	VMOVUPD     32(SI), Y9
	VMOVUPD     64(SI), Y10
	VMOVUPD     96(SI), Y11
	VMOVUPD     128(SI), Y12
	VMOVUPD     160(SI), Y13
	VMOVUPD     192(SI), Y14
	VMOVUPD     224(SI), Y15
	VFMADD231PD (DI), Y8, Y0
	VFMADD231PD 32(DI), Y9, Y1
	VFMADD231PD 64(DI), Y10, Y2
	VFMADD231PD 96(DI), Y11, Y3
	VFMADD231PD 128(DI), Y12, Y4
	VFMADD231PD 160(DI), Y13, Y5
	VFMADD231PD 192(DI), Y14, Y6
	VFMADD231PD 224(DI), Y15, Y7
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JAE         loop32

tail4:
	CMPQ CX, $4
	JB   reduce

loop4:
	VMOVUPD     (SI), Y8
	VFMADD231PD (DI), Y8, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $4, CX
	CMPQ        CX, $4
	JAE         loop4

reduce:
	VADDPD       Y4, Y0, Y0
	VADDPD       Y5, Y1, Y1
	VADDPD       Y6, Y2, Y2
	VADDPD       Y7, Y3, Y3
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VUNPCKHPD    X0, X0, X1
	VADDSD       X1, X0, X0
	TESTQ        CX, CX
	JZ           done

loop1:
	VMOVSD      (SI), X1
	VFMADD231SD (DI), X1, X0
	ADDQ        $8, SI
	ADDQ        $8, DI
	DECQ        CX
	JNZ         loop1

done:
	VMOVSD X0, ret+48(FP)
	VZEROUPPER
	RET

// func saxpyAVX2Asm(alpha float32, x, y []float32)
// SI = x, DI = y, CX = elements left, Y15 = alpha in every lane.
TEXT ·saxpyAVX2Asm(SB), NOSPLIT, $0-56
	VBROADCASTSS alpha+0(FP), Y15
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	CMPQ         CX, $32
	JB           tail8

loop32:
	VMOVUPS     (SI), Y0
	VMOVUPS     32(SI), Y1
	VMOVUPS     64(SI), Y2
	VMOVUPS     96(SI), Y3
	VFMADD213PS (DI), Y15, Y0 // Y0 = alpha*x + y
	VFMADD213PS 32(DI), Y15, Y1
	VFMADD213PS 64(DI), Y15, Y2
	VFMADD213PS 96(DI), Y15, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JAE         loop32

tail8:
	CMPQ CX, $8
	JB   tail1

loop8:
	VMOVUPS     (SI), Y0
	VFMADD213PS (DI), Y15, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	CMPQ        CX, $8
	JAE         loop8

tail1:
	TESTQ CX, CX
	JZ    done

loop1:
	VMOVSS      (SI), X0
	VFMADD213SS (DI), X15, X0
	VMOVSS      X0, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNZ         loop1

done:
	VZEROUPPER
	RET

// func daxpyAVX2Asm(alpha float64, x, y []float64)
TEXT ·daxpyAVX2Asm(SB), NOSPLIT, $0-56
	VBROADCASTSD alpha+0(FP), Y15
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	CMPQ         CX, $16
	JB           tail4

loop16:
	VMOVUPD     (SI), Y0
	VMOVUPD     32(SI), Y1
	VMOVUPD     64(SI), Y2
	VMOVUPD     96(SI), Y3
	VFMADD213PD (DI), Y15, Y0
	VFMADD213PD 32(DI), Y15, Y1
	VFMADD213PD 64(DI), Y15, Y2
	VFMADD213PD 96(DI), Y15, Y3
	VMOVUPD     Y0, (DI)
	VMOVUPD     Y1, 32(DI)
	VMOVUPD     Y2, 64(DI)
	VMOVUPD     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $16, CX
	CMPQ        CX, $16
	JAE         loop16

tail4:
	CMPQ CX, $4
	JB   tail1

loop4:
	VMOVUPD     (SI), Y0
	VFMADD213PD (DI), Y15, Y0
	VMOVUPD     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $4, CX
	CMPQ        CX, $4
	JAE         loop4

tail1:
	TESTQ CX, CX
	JZ    done

loop1:
	VMOVSD      (SI), X0
	VFMADD213SD (DI), X15, X0
	VMOVSD      X0, (DI)
	ADDQ        $8, SI
	ADDQ        $8, DI
	DECQ        CX
	JNZ         loop1

done:
	VZEROUPPER
	RET

// func idamaxAVX2Asm(x *float64, n int) int
TEXT ·idamaxAVX2Asm(SB), NOSPLIT, $0-24
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	// Y15: mask clearing the sign bit; Y0..Y3: running maxima, from -1.
	MOVQ         $0x7fffffffffffffff, AX
	MOVQ         AX, X15
	VPBROADCASTQ X15, Y15
	MOVQ         $0xbff0000000000000, AX
	MOVQ         AX, X0
	VPBROADCASTQ X0, Y0
	VMOVAPD      Y0, Y1
	VMOVAPD      Y0, Y2
	VMOVAPD      Y0, Y3
	XORQ         DX, DX
	MOVQ         CX, BX
	ANDQ         $-16, BX

im_loop16:
	CMPQ    DX, BX
	JAE     im_tail
	VANDPD  (SI)(DX*8), Y15, Y4
	VANDPD  32(SI)(DX*8), Y15, Y5
	VANDPD  64(SI)(DX*8), Y15, Y6
	VANDPD  96(SI)(DX*8), Y15, Y7
	VMAXPD  Y0, Y4, Y0
	VMAXPD  Y1, Y5, Y1
	VMAXPD  Y2, Y6, Y2
	VMAXPD  Y3, Y7, Y3
	ADDQ    $16, DX
	JMP     im_loop16

im_tail:
	// Scalar elements left, into the low lane of Y0.
	CMPQ    DX, CX
	JAE     im_reduce
	VMOVSD  (SI)(DX*8), X4
	VANDPD  X15, X4, X4
	VMAXSD  X0, X4, X5
	VBLENDPD $1, Y5, Y0, Y0
	INCQ    DX
	JMP     im_tail

im_reduce:
	VMAXPD       Y1, Y0, Y0
	VMAXPD       Y3, Y2, Y2
	VMAXPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VMAXSD       X1, X0, X0
	// Second pass: the first index whose absolute value equals the max.
	VBROADCASTSD X0, Y0
	XORQ         DX, DX
	MOVQ         CX, BX
	ANDQ         $-4, BX

im_find4:
	CMPQ      DX, BX
	JAE       im_find1
	VANDPD    (SI)(DX*8), Y15, Y4
	VCMPPD    $0, Y0, Y4, Y4
	VMOVMSKPD Y4, AX
	TESTQ     AX, AX
	JNZ       im_found4
	ADDQ      $4, DX
	JMP       im_find4

im_found4:
	BSFQ AX, AX
	ADDQ DX, AX
	MOVQ AX, ret+16(FP)
	VZEROUPPER
	RET

im_find1:
	CMPQ    DX, CX
	JAE     im_none
	VMOVSD  (SI)(DX*8), X4
	VANDPD  X15, X4, X4
	VUCOMISD X0, X4
	JNE     im_next1
	JPS     im_next1 // unordered: x[DX] is NaN
	JMP     im_found1

im_next1:
	INCQ    DX
	JMP     im_find1

im_found1:
	MOVQ DX, ret+16(FP)
	VZEROUPPER
	RET

im_none:
	MOVQ $0, ret+16(FP)
	VZEROUPPER
	RET

// func ddotIncAVX2Asm(n int, x *float64, incX int, y *float64, incY int) float64
TEXT ·ddotIncAVX2Asm(SB), NOSPLIT, $0-48
	MOVQ   n+0(FP), CX
	MOVQ   x+8(FP), SI
	MOVQ   incX+16(FP), R8
	SHLQ   $3, R8
	MOVQ   y+24(FP), DI
	MOVQ   incY+32(FP), R9
	SHLQ   $3, R9
	VXORPD X0, X0, X0
	VXORPD X1, X1, X1
	VXORPD X2, X2, X2
	VXORPD X3, X3, X3
	CMPQ   CX, $4
	JB     di_tail

di_loop4:
	VMOVSD      (SI), X4
	VFMADD231SD (DI), X4, X0
	ADDQ        R8, SI
	ADDQ        R9, DI
	VMOVSD      (SI), X5
	VFMADD231SD (DI), X5, X1
	ADDQ        R8, SI
	ADDQ        R9, DI
	VMOVSD      (SI), X6
	VFMADD231SD (DI), X6, X2
	ADDQ        R8, SI
	ADDQ        R9, DI
	VMOVSD      (SI), X7
	VFMADD231SD (DI), X7, X3
	ADDQ        R8, SI
	ADDQ        R9, DI
	SUBQ        $4, CX
	CMPQ        CX, $4
	JAE         di_loop4

di_tail:
	TESTQ CX, CX
	JZ    di_done

di_loop1:
	VMOVSD      (SI), X4
	VFMADD231SD (DI), X4, X0
	ADDQ        R8, SI
	ADDQ        R9, DI
	DECQ        CX
	JNZ         di_loop1

di_done:
	VADDSD X1, X0, X0
	VADDSD X3, X2, X2
	VADDSD X2, X0, X0
	MOVSD  X0, ret+40(FP)
	RET

// func daxpyIncAVX2Asm(n int, alpha float64, x *float64, incX int, y *float64, incY int)
TEXT ·daxpyIncAVX2Asm(SB), NOSPLIT, $0-48
	MOVQ         n+0(FP), CX
	VMOVSD       alpha+8(FP), X15
	MOVQ         x+16(FP), SI
	MOVQ         incX+24(FP), R8
	SHLQ         $3, R8
	MOVQ         y+32(FP), DI
	MOVQ         incY+40(FP), R9
	SHLQ         $3, R9
	LEAQ         (R8)(R8*2), R10 // 3*incX bytes
	LEAQ         (R9)(R9*2), R11 // 3*incY bytes
	CMPQ         CX, $4
	JB           ai_tail

ai_loop4:
	VMOVSD      (DI), X0
	VMOVSD      (DI)(R9*1), X1
	VMOVSD      (DI)(R9*2), X2
	VMOVSD      (DI)(R11*1), X3
	VFMADD231SD (SI), X15, X0
	VFMADD231SD (SI)(R8*1), X15, X1
	VFMADD231SD (SI)(R8*2), X15, X2
	VFMADD231SD (SI)(R10*1), X15, X3
	VMOVSD      X0, (DI)
	VMOVSD      X1, (DI)(R9*1)
	VMOVSD      X2, (DI)(R9*2)
	VMOVSD      X3, (DI)(R11*1)
	LEAQ        (SI)(R8*4), SI
	LEAQ        (DI)(R9*4), DI
	SUBQ        $4, CX
	CMPQ        CX, $4
	JAE         ai_loop4

ai_tail:
	TESTQ CX, CX
	JZ    ai_done

ai_loop1:
	VMOVSD      (DI), X0
	VFMADD231SD (SI), X15, X0
	VMOVSD      X0, (DI)
	ADDQ        R8, SI
	ADDQ        R9, DI
	DECQ        CX
	JNZ         ai_loop1

ai_done:
	RET

// func dscalIncAVX2Asm(n int, alpha float64, x *float64, inc int)
TEXT ·dscalIncAVX2Asm(SB), NOSPLIT, $0-32
	MOVQ         n+0(FP), CX
	VBROADCASTSD alpha+8(FP), Y15
	MOVQ         x+16(FP), SI
	MOVQ         inc+24(FP), R8
	CMPQ         R8, $1
	JNE          sc_strided

sc_loop16:
	CMPQ    CX, $16
	JB      sc_unit1
	VMULPD  (SI), Y15, Y0
	VMULPD  32(SI), Y15, Y1
	VMULPD  64(SI), Y15, Y2
	VMULPD  96(SI), Y15, Y3
	VMOVUPD Y0, (SI)
	VMOVUPD Y1, 32(SI)
	VMOVUPD Y2, 64(SI)
	VMOVUPD Y3, 96(SI)
	ADDQ    $128, SI
	SUBQ    $16, CX
	JMP     sc_loop16

sc_unit1:
	TESTQ  CX, CX
	JZ     sc_done
	VMULSD (SI), X15, X0
	VMOVSD X0, (SI)
	ADDQ   $8, SI
	DECQ   CX
	JMP    sc_unit1

sc_strided:
	SHLQ $3, R8

sc_loop1:
	VMULSD (SI), X15, X0
	VMOVSD X0, (SI)
	ADDQ   R8, SI
	DECQ   CX
	JNZ    sc_loop1

sc_done:
	VZEROUPPER
	RET

// func dasumIncAVX2Asm(n int, x *float64, inc int) float64
TEXT ·dasumIncAVX2Asm(SB), NOSPLIT, $0-32
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	MOVQ         inc+16(FP), R8
	MOVQ         $0x7fffffffffffffff, AX
	MOVQ         AX, X15
	VPBROADCASTQ X15, Y15
	VXORPD       Y0, Y0, Y0
	VXORPD       Y1, Y1, Y1
	VXORPD       Y2, Y2, Y2
	VXORPD       Y3, Y3, Y3
	CMPQ         R8, $1
	JNE          as_strided

as_loop16:
	CMPQ   CX, $16
	JB     as_reduce
	VANDPD (SI), Y15, Y4
	VANDPD 32(SI), Y15, Y5
	VANDPD 64(SI), Y15, Y6
	VANDPD 96(SI), Y15, Y7
	VADDPD Y4, Y0, Y0
	VADDPD Y5, Y1, Y1
	VADDPD Y6, Y2, Y2
	VADDPD Y7, Y3, Y3
	ADDQ   $128, SI
	SUBQ   $16, CX
	JMP    as_loop16

as_strided:
	SHLQ $3, R8
	JMP  as_reduce

as_reduce:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	TESTQ        CX, CX
	JZ           as_done
	CMPQ         R8, $1
	JNE          as_loop1
	MOVQ         $8, R8

as_loop1:
	VMOVSD (SI), X4
	VANDPD X15, X4, X4
	VADDSD X4, X0, X0
	ADDQ   R8, SI
	DECQ   CX
	JNZ    as_loop1

as_done:
	VMOVSD X0, ret+24(FP)
	VZEROUPPER
	RET

// func dsumSqIncAVX2Asm(n int, x *float64, inc int) float64
TEXT ·dsumSqIncAVX2Asm(SB), NOSPLIT, $0-32
	MOVQ   n+0(FP), CX
	MOVQ   x+8(FP), SI
	MOVQ   inc+16(FP), R8
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	CMPQ   R8, $1
	JNE    sq_strided

sq_loop16:
	CMPQ        CX, $16
	JB          sq_reduce
	VMOVUPD     (SI), Y4
	VMOVUPD     32(SI), Y5
	VMOVUPD     64(SI), Y6
	VMOVUPD     96(SI), Y7
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	VFMADD231PD Y6, Y6, Y2
	VFMADD231PD Y7, Y7, Y3
	ADDQ        $128, SI
	SUBQ        $16, CX
	JMP         sq_loop16

sq_strided:
	SHLQ $3, R8
	JMP  sq_reduce

sq_reduce:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	TESTQ        CX, CX
	JZ           sq_done
	CMPQ         R8, $1
	JNE          sq_loop1
	MOVQ         $8, R8

sq_loop1:
	VMOVSD      (SI), X4
	VFMADD231SD X4, X4, X0
	ADDQ        R8, SI
	DECQ        CX
	JNZ         sq_loop1

sq_done:
	VMOVSD X0, ret+24(FP)
	VZEROUPPER
	RET
