//go:build !purego && !noasm

#include "textflag.h"

// func swapAVX2Asm(x, y unsafe.Pointer, n int)
// SI = x, DI = y, CX = bytes left.
TEXT ·swapAVX2Asm(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX

sw_loop128:
	CMPQ    CX, $128
	JB      sw_loop32
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VMOVUPS (DI), Y4
	VMOVUPS 32(DI), Y5
	VMOVUPS 64(DI), Y6
	VMOVUPS 96(DI), Y7
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, (SI)
	VMOVUPS Y5, 32(SI)
	VMOVUPS Y6, 64(SI)
	VMOVUPS Y7, 96(SI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $128, CX
	JMP     sw_loop128

sw_loop32:
	CMPQ    CX, $32
	JB      sw_loop4
	VMOVUPS (SI), Y0
	VMOVUPS (DI), Y4
	VMOVUPS Y0, (DI)
	VMOVUPS Y4, (SI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $32, CX
	JMP     sw_loop32

sw_loop4:
	TESTQ CX, CX
	JZ    sw_done
	MOVL  (SI), AX
	MOVL  (DI), BX
	MOVL  BX, (SI)
	MOVL  AX, (DI)
	ADDQ  $4, SI
	ADDQ  $4, DI
	SUBQ  $4, CX
	JMP   sw_loop4

sw_done:
	VZEROUPPER
	RET

// func srotAVX2Asm(x, y *float32, n int, c, s float32)
// SI = x, DI = y, CX = elements left, Y14 = c, Y15 = s.
TEXT ·srotAVX2Asm(SB), NOSPLIT, $0-32
	MOVQ         x+0(FP), SI
	MOVQ         y+8(FP), DI
	MOVQ         n+16(FP), CX
	VBROADCASTSS c+24(FP), Y14
	VBROADCASTSS s+28(FP), Y15

sr_loop16:
	CMPQ        CX, $16
	JB          sr_loop8
	VMOVUPS     (SI), Y0
	VMOVUPS     32(SI), Y4
	VMOVUPS     (DI), Y1
	VMOVUPS     32(DI), Y5
	VMULPS      Y1, Y15, Y2
	VMULPS      Y5, Y15, Y6
	VMULPS      Y0, Y15, Y3
	VMULPS      Y4, Y15, Y7
	VFMADD231PS Y0, Y14, Y2
	VFMADD231PS Y4, Y14, Y6
	VFMSUB231PS Y1, Y14, Y3
	VFMSUB231PS Y5, Y14, Y7
	VMOVUPS     Y2, (SI)
	VMOVUPS     Y6, 32(SI)
	VMOVUPS     Y3, (DI)
	VMOVUPS     Y7, 32(DI)
	ADDQ        $64, SI
	ADDQ        $64, DI
	SUBQ        $16, CX
	JMP         sr_loop16

sr_loop8:
	CMPQ        CX, $8
	JB          sr_loop1
	VMOVUPS     (SI), Y0
	VMOVUPS     (DI), Y1
	VMULPS      Y1, Y15, Y2
	VMULPS      Y0, Y15, Y3
	VFMADD231PS Y0, Y14, Y2
	VFMSUB231PS Y1, Y14, Y3
	VMOVUPS     Y2, (SI)
	VMOVUPS     Y3, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         sr_loop8

sr_loop1:
	TESTQ       CX, CX
	JZ          sr_done
	VMOVSS      (SI), X0
	VMOVSS      (DI), X1
	VMULSS      X1, X15, X2
	VMULSS      X0, X15, X3
	VFMADD231SS X0, X14, X2
	VFMSUB231SS X1, X14, X3
	VMOVSS      X2, (SI)
	VMOVSS      X3, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JMP         sr_loop1

sr_done:
	VZEROUPPER
	RET

// func drotAVX2Asm(x, y *float64, n int, c, s float64)
// SI = x, DI = y, CX = elements left, Y14 = c, Y15 = s.
TEXT ·drotAVX2Asm(SB), NOSPLIT, $0-40
	MOVQ         x+0(FP), SI
	MOVQ         y+8(FP), DI
	MOVQ         n+16(FP), CX
	VBROADCASTSD c+24(FP), Y14
	VBROADCASTSD s+32(FP), Y15

dr_loop8:
	CMPQ        CX, $8
	JB          dr_loop4
	VMOVUPD     (SI), Y0
	VMOVUPD     32(SI), Y4
	VMOVUPD     (DI), Y1
	VMOVUPD     32(DI), Y5
	VMULPD      Y1, Y15, Y2
	VMULPD      Y5, Y15, Y6
	VMULPD      Y0, Y15, Y3
	VMULPD      Y4, Y15, Y7
	VFMADD231PD Y0, Y14, Y2
	VFMADD231PD Y4, Y14, Y6
	VFMSUB231PD Y1, Y14, Y3
	VFMSUB231PD Y5, Y14, Y7
	VMOVUPD     Y2, (SI)
	VMOVUPD     Y6, 32(SI)
	VMOVUPD     Y3, (DI)
	VMOVUPD     Y7, 32(DI)
	ADDQ        $64, SI
	ADDQ        $64, DI
	SUBQ        $8, CX
	JMP         dr_loop8

dr_loop4:
	CMPQ        CX, $4
	JB          dr_loop1
	VMOVUPD     (SI), Y0
	VMOVUPD     (DI), Y1
	VMULPD      Y1, Y15, Y2
	VMULPD      Y0, Y15, Y3
	VFMADD231PD Y0, Y14, Y2
	VFMSUB231PD Y1, Y14, Y3
	VMOVUPD     Y2, (SI)
	VMOVUPD     Y3, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $4, CX
	JMP         dr_loop4

dr_loop1:
	TESTQ       CX, CX
	JZ          dr_done
	VMOVSD      (SI), X0
	VMOVSD      (DI), X1
	VMULSD      X1, X15, X2
	VMULSD      X0, X15, X3
	VFMADD231SD X0, X14, X2
	VFMSUB231SD X1, X14, X3
	VMOVSD      X2, (SI)
	VMOVSD      X3, (DI)
	ADDQ        $8, SI
	ADDQ        $8, DI
	DECQ        CX
	JMP         dr_loop1

dr_done:
	VZEROUPPER
	RET
