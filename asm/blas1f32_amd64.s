//go:build !purego && !noasm

#include "textflag.h"

// func sscalAVX2Asm(alpha float32, x *float32, n int)
// SI = x, CX = elements left, Y15 = alpha in every lane.
TEXT ·sscalAVX2Asm(SB), NOSPLIT, $0-24
	VBROADCASTSS alpha+0(FP), Y15
	MOVQ         x+8(FP), SI
	MOVQ         n+16(FP), CX

ss_loop32:
	CMPQ    CX, $32
	JB      ss_loop8
	VMULPS  (SI), Y15, Y0
	VMULPS  32(SI), Y15, Y1
	VMULPS  64(SI), Y15, Y2
	VMULPS  96(SI), Y15, Y3
	VMOVUPS Y0, (SI)
	VMOVUPS Y1, 32(SI)
	VMOVUPS Y2, 64(SI)
	VMOVUPS Y3, 96(SI)
	ADDQ    $128, SI
	SUBQ    $32, CX
	JMP     ss_loop32

ss_loop8:
	CMPQ    CX, $8
	JB      ss_loop1
	VMULPS  (SI), Y15, Y0
	VMOVUPS Y0, (SI)
	ADDQ    $32, SI
	SUBQ    $8, CX
	JMP     ss_loop8

ss_loop1:
	TESTQ  CX, CX
	JZ     ss_done
	VMULSS (SI), X15, X0
	VMOVSS X0, (SI)
	ADDQ   $4, SI
	DECQ   CX
	JMP    ss_loop1

ss_done:
	VZEROUPPER
	RET

// func sasumAVX2Asm(x *float32, n int) float32
// Y15 = mask clearing the sign bit, Y0-Y3 accumulators.
TEXT ·sasumAVX2Asm(SB), NOSPLIT, $0-20
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	MOVL         $0x7fffffff, AX
	MOVQ         AX, X15
	VPBROADCASTD X15, Y15
	VXORPS       Y0, Y0, Y0
	VXORPS       Y1, Y1, Y1
	VXORPS       Y2, Y2, Y2
	VXORPS       Y3, Y3, Y3

sa_loop32:
	CMPQ   CX, $32
	JB     sa_loop8
	VANDPS (SI), Y15, Y4
	VANDPS 32(SI), Y15, Y5
	VANDPS 64(SI), Y15, Y6
	VANDPS 96(SI), Y15, Y7
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	ADDQ   $128, SI
	SUBQ   $32, CX
	JMP    sa_loop32

sa_loop8:
	CMPQ   CX, $8
	JB     sa_reduce
	VANDPS (SI), Y15, Y4
	VADDPS Y4, Y0, Y0
	ADDQ   $32, SI
	SUBQ   $8, CX
	JMP    sa_loop8

sa_reduce:
	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0x4e, X0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VADDSS       X1, X0, X0

sa_loop1:
	TESTQ  CX, CX
	JZ     sa_done
	VMOVSS (SI), X4
	VANDPS X15, X4, X4
	VADDSS X4, X0, X0
	ADDQ   $4, SI
	DECQ   CX
	JMP    sa_loop1

sa_done:
	VMOVSS X0, ret+16(FP)
	VZEROUPPER
	RET

// func ssumSqAVX2Asm(x *float32, n int) float64
// Y0-Y3 float64 accumulators, four elements widened per vector.
TEXT ·ssumSqAVX2Asm(SB), NOSPLIT, $0-24
	MOVQ   x+0(FP), SI
	MOVQ   n+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

sq_loop16:
	CMPQ        CX, $16
	JB          sq_loop4
	VCVTPS2PD   (SI), Y4
	VCVTPS2PD   16(SI), Y5
	VCVTPS2PD   32(SI), Y6
	VCVTPS2PD   48(SI), Y7
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	VFMADD231PD Y6, Y6, Y2
	VFMADD231PD Y7, Y7, Y3
	ADDQ        $64, SI
	SUBQ        $16, CX
	JMP         sq_loop16

sq_loop4:
	CMPQ        CX, $4
	JB          sq_reduce
	VCVTPS2PD   (SI), Y4
	VFMADD231PD Y4, Y4, Y0
	ADDQ        $16, SI
	SUBQ        $4, CX
	JMP         sq_loop4

sq_reduce:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0

sq_loop1:
	TESTQ       CX, CX
	JZ          sq_done
	VCVTSS2SD   (SI), X4, X4
	VFMADD231SD X4, X4, X0
	ADDQ        $4, SI
	DECQ        CX
	JMP         sq_loop1

sq_done:
	VMOVSD X0, ret+16(FP)
	VZEROUPPER
	RET

// func isamaxAVX2Asm(x *float32, n int) int
TEXT ·isamaxAVX2Asm(SB), NOSPLIT, $0-24
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	// Y15: mask clearing the sign bit; Y0..Y3: running maxima, from -1.
	MOVL         $0x7fffffff, AX
	MOVQ         AX, X15
	VPBROADCASTD X15, Y15
	MOVL         $0xbf800000, AX
	MOVQ         AX, X0
	VPBROADCASTD X0, Y0
	VMOVAPS      Y0, Y1
	VMOVAPS      Y0, Y2
	VMOVAPS      Y0, Y3
	XORQ         DX, DX
	MOVQ         CX, BX
	ANDQ         $-32, BX

im_loop32:
	CMPQ   DX, BX
	JAE    im_tail
	VANDPS (SI)(DX*4), Y15, Y4
	VANDPS 32(SI)(DX*4), Y15, Y5
	VANDPS 64(SI)(DX*4), Y15, Y6
	VANDPS 96(SI)(DX*4), Y15, Y7
	VMAXPS Y0, Y4, Y0
	VMAXPS Y1, Y5, Y1
	VMAXPS Y2, Y6, Y2
	VMAXPS Y3, Y7, Y3
	ADDQ   $32, DX
	JMP    im_loop32

im_tail:
	// Scalar elements left, into the low lane of Y0.
	CMPQ     DX, CX
	JAE      im_reduce
	VMOVSS   (SI)(DX*4), X4
	VANDPS   X15, X4, X4
	VMAXSS   X0, X4, X5
	VBLENDPS $1, Y5, Y0, Y0
	INCQ     DX
	JMP      im_tail

im_reduce:
	VMAXPS       Y1, Y0, Y0
	VMAXPS       Y3, Y2, Y2
	VMAXPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0x4e, X0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VMAXSS       X1, X0, X0
	// Second pass: the first index whose absolute value equals the max.
	VBROADCASTSS X0, Y0
	XORQ         DX, DX
	MOVQ         CX, BX
	ANDQ         $-8, BX

im_find8:
	CMPQ      DX, BX
	JAE       im_find1
	VANDPS    (SI)(DX*4), Y15, Y4
	VCMPPS    $0, Y0, Y4, Y4
	VMOVMSKPS Y4, AX
	TESTQ     AX, AX
	JNZ       im_found8
	ADDQ      $8, DX
	JMP       im_find8

im_found8:
	BSFQ AX, AX
	ADDQ DX, AX
	MOVQ AX, ret+16(FP)
	VZEROUPPER
	RET

im_find1:
	CMPQ     DX, CX
	JAE      im_none
	VMOVSS   (SI)(DX*4), X4
	VANDPS   X15, X4, X4
	VUCOMISS X0, X4
	JNE      im_next1
	JPS      im_next1 // unordered: x[DX] is NaN
	JMP      im_found1

im_next1:
	INCQ DX
	JMP  im_find1

im_found1:
	MOVQ DX, ret+16(FP)
	VZEROUPPER
	RET

im_none:
	MOVQ $0, ret+16(FP)
	VZEROUPPER
	RET
