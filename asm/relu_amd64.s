//go:build !purego && !noasm

#include "textflag.h"

// Register use in all three kernels: DI = dst, SI and DX = inputs, R8 = y,
// CX = elements left, Y0 = zero.

// func reluAVX2Asm(dst, x []float32)
TEXT ·reluAVX2Asm(SB), NOSPLIT, $0-48
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), CX
	MOVQ   x_base+24(FP), SI
	VXORPS Y0, Y0, Y0
	CMPQ   CX, $32
	JB     tail8

loop32:
	VMOVUPS (SI), Y1
	VMOVUPS 32(SI), Y2
	VMOVUPS 64(SI), Y3
	VMOVUPS 96(SI), Y4
	VMAXPS  Y0, Y1, Y1
	VMAXPS  Y0, Y2, Y2
	VMAXPS  Y0, Y3, Y3
	VMAXPS  Y0, Y4, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     loop32

tail8:
	CMPQ CX, $8
	JB   tail1

loop8:
	VMOVUPS (SI), Y1
	VMAXPS  Y0, Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	CMPQ    CX, $8
	JAE     loop8

tail1:
	TESTQ CX, CX
	JZ    done

loop1:
	VMOVSS (SI), X1
	VMAXSS X0, X1, X1
	VMOVSS X1, (DI)
	ADDQ   $4, SI
	ADDQ   $4, DI
	DECQ   CX
	JNZ    loop1

done:
	VZEROUPPER
	RET

// func reluBackwardAVX2Asm(dx, dy, y []float32)
TEXT ·reluBackwardAVX2Asm(SB), NOSPLIT, $0-72
	MOVQ   dx_base+0(FP), DI
	MOVQ   dx_len+8(FP), CX
	MOVQ   dy_base+24(FP), SI
	MOVQ   y_base+48(FP), R8
	VXORPS Y0, Y0, Y0
	CMPQ   CX, $32
	JB     tail8

loop32:
	VMOVUPS (R8), Y1
	VMOVUPS 32(R8), Y2
	VMOVUPS 64(R8), Y3
	VMOVUPS 96(R8), Y4
	VCMPPS  $0x1e, Y0, Y1, Y1 // y > 0, ordered, quiet (GT_OQ)
	VCMPPS  $0x1e, Y0, Y2, Y2
	VCMPPS  $0x1e, Y0, Y3, Y3
	VCMPPS  $0x1e, Y0, Y4, Y4
	VANDPS  (SI), Y1, Y1
	VANDPS  32(SI), Y2, Y2
	VANDPS  64(SI), Y3, Y3
	VANDPS  96(SI), Y4, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	ADDQ    $128, R8
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     loop32

tail8:
	CMPQ CX, $8
	JB   tail1

loop8:
	VMOVUPS (R8), Y1
	VCMPPS  $0x1e, Y0, Y1, Y1
	VANDPS  (SI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, R8
	SUBQ    $8, CX
	CMPQ    CX, $8
	JAE     loop8

tail1:
	TESTQ CX, CX
	JZ    done

loop1:
	VMOVSS (R8), X1
	VCMPSS $0x1e, X0, X1, X1
	VMOVSS (SI), X2          // a 4-byte load: VANDPS with memory would read 16
	VANDPS X2, X1, X1
	VMOVSS X1, (DI)
	ADDQ   $4, SI
	ADDQ   $4, DI
	ADDQ   $4, R8
	DECQ   CX
	JNZ    loop1

done:
	VZEROUPPER
	RET

// func biasReluAVX2Asm(dst, x, bias []float32)
TEXT ·biasReluAVX2Asm(SB), NOSPLIT, $0-72
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), CX
	MOVQ   x_base+24(FP), SI
	MOVQ   bias_base+48(FP), DX
	VXORPS Y0, Y0, Y0
	CMPQ   CX, $32
	JB     tail8

loop32:
	VMOVUPS (SI), Y1
	VMOVUPS 32(SI), Y2
	VMOVUPS 64(SI), Y3
	VMOVUPS 96(SI), Y4
	VADDPS  (DX), Y1, Y1
	VADDPS  32(DX), Y2, Y2
	VADDPS  64(DX), Y3, Y3
	VADDPS  96(DX), Y4, Y4
	VMAXPS  Y0, Y1, Y1
	VMAXPS  Y0, Y2, Y2
	VMAXPS  Y0, Y3, Y3
	VMAXPS  Y0, Y4, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	ADDQ    $128, DX
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     loop32

tail8:
	CMPQ CX, $8
	JB   tail1

loop8:
	VMOVUPS (SI), Y1
	VADDPS  (DX), Y1, Y1
	VMAXPS  Y0, Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	SUBQ    $8, CX
	CMPQ    CX, $8
	JAE     loop8

tail1:
	TESTQ CX, CX
	JZ    done

loop1:
	VMOVSS (SI), X1
	VADDSS (DX), X1, X1
	VMAXSS X0, X1, X1
	VMOVSS X1, (DI)
	ADDQ   $4, SI
	ADDQ   $4, DI
	ADDQ   $4, DX
	DECQ   CX
	JNZ    loop1

done:
	VZEROUPPER
	RET
