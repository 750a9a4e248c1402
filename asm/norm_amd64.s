//go:build !purego && !noasm

#include "textflag.h"

// The normalization layers' elementwise kernels on AVX2+FMA: an unrolled
// loop of four ymm registers (32 floats), then one register at a time, then
// a scalar tail, so any length and alignment is accepted.

// func scaleShiftAVX2Asm(dst, x, scale, shift []float32)
// DI = dst, SI = x, DX = scale, R8 = shift, CX = elements left.
TEXT ·scaleShiftAVX2Asm(SB), NOSPLIT, $0-96
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ scale_base+48(FP), DX
	MOVQ shift_base+72(FP), R8
	CMPQ CX, $32
	JB   tail8

loop32:
	VMOVUPS     (SI), Y0
	VMOVUPS     32(SI), Y1
	VMOVUPS     64(SI), Y2
	VMOVUPS     96(SI), Y3
	VMOVUPS     (DX), Y4
	VMOVUPS     32(DX), Y5
	VMOVUPS     64(DX), Y6
	VMOVUPS     96(DX), Y7
	VFMADD213PS (R8), Y4, Y0 // Y0 = scale*x + shift
	VFMADD213PS 32(R8), Y5, Y1
	VFMADD213PS 64(R8), Y6, Y2
	VFMADD213PS 96(R8), Y7, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	ADDQ        $128, DX
	ADDQ        $128, R8
	SUBQ        $32, CX
	CMPQ        CX, $32
	JAE         loop32

tail8:
	CMPQ CX, $8
	JB   tail1

loop8:
	VMOVUPS     (SI), Y0
	VMOVUPS     (DX), Y4
	VFMADD213PS (R8), Y4, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	ADDQ        $32, R8
	SUBQ        $8, CX
	CMPQ        CX, $8
	JAE         loop8

tail1:
	TESTQ CX, CX
	JZ    done

loop1:
	VMOVSS      (SI), X0
	VMOVSS      (DX), X4
	VFMADD213SS (R8), X4, X0
	VMOVSS      X0, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	ADDQ        $4, DX
	ADDQ        $4, R8
	DECQ        CX
	JNZ         loop1

done:
	VZEROUPPER
	RET

// func mulAddAVX2Asm(dst, x, y []float32)
// DI = dst, SI = x, DX = y, CX = elements left.
TEXT ·mulAddAVX2Asm(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	CMPQ CX, $32
	JB   madd_tail8

madd_loop32:
	VMOVUPS     (DI), Y0
	VMOVUPS     32(DI), Y1
	VMOVUPS     64(DI), Y2
	VMOVUPS     96(DI), Y3
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VFMADD231PS (DX), Y4, Y0 // Y0 += x*y
	VFMADD231PS 32(DX), Y5, Y1
	VFMADD231PS 64(DX), Y6, Y2
	VFMADD231PS 96(DX), Y7, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	ADDQ        $128, DX
	SUBQ        $32, CX
	CMPQ        CX, $32
	JAE         madd_loop32

madd_tail8:
	CMPQ CX, $8
	JB   madd_tail1

madd_loop8:
	VMOVUPS     (DI), Y0
	VMOVUPS     (SI), Y4
	VFMADD231PS (DX), Y4, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	SUBQ        $8, CX
	CMPQ        CX, $8
	JAE         madd_loop8

madd_tail1:
	TESTQ CX, CX
	JZ    madd_done

madd_loop1:
	VMOVSS      (DI), X0
	VMOVSS      (SI), X4
	VFMADD231SS (DX), X4, X0
	VMOVSS      X0, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	ADDQ        $4, DX
	DECQ        CX
	JNZ         madd_loop1

madd_done:
	VZEROUPPER
	RET
