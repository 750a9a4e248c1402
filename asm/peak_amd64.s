//go:build !purego && !noasm

#include "textflag.h"

// func peak32AVX2Asm(iters int)
// Y0-Y11 accumulators, Y12 = m = 0.999999 (0x3f7fffef), Y13 = c = 1e-7
// (0x33d6bf95). One iteration: 12 FMAs x 8 lanes x 2 = 192 flops.
TEXT ·peak32AVX2Asm(SB), NOSPLIT, $0-8
	MOVQ         iters+0(FP), CX
	TESTQ        CX, CX
	JLE          done
	MOVL         $0x3f7fffef, AX
	VMOVD        AX, X12
	VBROADCASTSS X12, Y12
	MOVL         $0x33d6bf95, AX
	VMOVD        AX, X13
	VBROADCASTSS X13, Y13
	VXORPS       Y0, Y0, Y0
	VXORPS       Y1, Y1, Y1
	VXORPS       Y2, Y2, Y2
	VXORPS       Y3, Y3, Y3
	VXORPS       Y4, Y4, Y4
	VXORPS       Y5, Y5, Y5
	VXORPS       Y6, Y6, Y6
	VXORPS       Y7, Y7, Y7
	VXORPS       Y8, Y8, Y8
	VXORPS       Y9, Y9, Y9
	VXORPS       Y10, Y10, Y10
	VXORPS       Y11, Y11, Y11

loop:
	VFMADD213PS Y13, Y12, Y0 // Y0 = Y0*m + c
	VFMADD213PS Y13, Y12, Y1
	VFMADD213PS Y13, Y12, Y2
	VFMADD213PS Y13, Y12, Y3
	VFMADD213PS Y13, Y12, Y4
	VFMADD213PS Y13, Y12, Y5
	VFMADD213PS Y13, Y12, Y6
	VFMADD213PS Y13, Y12, Y7
	VFMADD213PS Y13, Y12, Y8
	VFMADD213PS Y13, Y12, Y9
	VFMADD213PS Y13, Y12, Y10
	VFMADD213PS Y13, Y12, Y11
	DECQ        CX
	JNZ         loop
	VZEROUPPER

done:
	RET

// func peak64AVX2Asm(iters int)
// As peak32AVX2Asm with m = 0.999999999 (0x3fefffffff768fa1) and c = 1e-9
// (0x3e112e0be826d695). One iteration: 12 FMAs x 4 lanes x 2 = 96 flops.
TEXT ·peak64AVX2Asm(SB), NOSPLIT, $0-8
	MOVQ         iters+0(FP), CX
	TESTQ        CX, CX
	JLE          done
	MOVQ         $0x3fefffffff768fa1, AX
	VMOVQ        AX, X12
	VBROADCASTSD X12, Y12
	MOVQ         $0x3e112e0be826d695, AX
	VMOVQ        AX, X13
	VBROADCASTSD X13, Y13
	VXORPD       Y0, Y0, Y0
	VXORPD       Y1, Y1, Y1
	VXORPD       Y2, Y2, Y2
	VXORPD       Y3, Y3, Y3
	VXORPD       Y4, Y4, Y4
	VXORPD       Y5, Y5, Y5
	VXORPD       Y6, Y6, Y6
	VXORPD       Y7, Y7, Y7
	VXORPD       Y8, Y8, Y8
	VXORPD       Y9, Y9, Y9
	VXORPD       Y10, Y10, Y10
	VXORPD       Y11, Y11, Y11

loop:
	VFMADD213PD Y13, Y12, Y0
	VFMADD213PD Y13, Y12, Y1
	VFMADD213PD Y13, Y12, Y2
	VFMADD213PD Y13, Y12, Y3
	VFMADD213PD Y13, Y12, Y4
	VFMADD213PD Y13, Y12, Y5
	VFMADD213PD Y13, Y12, Y6
	VFMADD213PD Y13, Y12, Y7
	VFMADD213PD Y13, Y12, Y8
	VFMADD213PD Y13, Y12, Y9
	VFMADD213PD Y13, Y12, Y10
	VFMADD213PD Y13, Y12, Y11
	DECQ        CX
	JNZ         loop
	VZEROUPPER

done:
	RET

// func peak32AVX512Asm(iters int)
// As peak32AVX2Asm on zmm registers: Z0-Z11 accumulators, Z12 = m, Z13 = c.
// One iteration: 12 FMAs x 16 lanes x 2 = 384 flops.
TEXT ·peak32AVX512Asm(SB), NOSPLIT, $0-8
	MOVQ          iters+0(FP), CX
	TESTQ         CX, CX
	JLE           done
	MOVL          $0x3f7fffef, AX
	VPBROADCASTD  AX, Z12
	MOVL          $0x33d6bf95, AX
	VPBROADCASTD  AX, Z13
	VPXORQ        Z0, Z0, Z0
	VPXORQ        Z1, Z1, Z1
	VPXORQ        Z2, Z2, Z2
	VPXORQ        Z3, Z3, Z3
	VPXORQ        Z4, Z4, Z4
	VPXORQ        Z5, Z5, Z5
	VPXORQ        Z6, Z6, Z6
	VPXORQ        Z7, Z7, Z7
	VPXORQ        Z8, Z8, Z8
	VPXORQ        Z9, Z9, Z9
	VPXORQ        Z10, Z10, Z10
	VPXORQ        Z11, Z11, Z11

loop:
	VFMADD213PS Z13, Z12, Z0
	VFMADD213PS Z13, Z12, Z1
	VFMADD213PS Z13, Z12, Z2
	VFMADD213PS Z13, Z12, Z3
	VFMADD213PS Z13, Z12, Z4
	VFMADD213PS Z13, Z12, Z5
	VFMADD213PS Z13, Z12, Z6
	VFMADD213PS Z13, Z12, Z7
	VFMADD213PS Z13, Z12, Z8
	VFMADD213PS Z13, Z12, Z9
	VFMADD213PS Z13, Z12, Z10
	VFMADD213PS Z13, Z12, Z11
	DECQ        CX
	JNZ         loop
	VZEROUPPER

done:
	RET

// func peak64AVX512Asm(iters int)
// As peak64AVX2Asm on zmm registers: Z0-Z11 accumulators, Z12 = m, Z13 = c.
// One iteration: 12 FMAs x 8 lanes x 2 = 192 flops.
TEXT ·peak64AVX512Asm(SB), NOSPLIT, $0-8
	MOVQ          iters+0(FP), CX
	TESTQ         CX, CX
	JLE           done
	MOVQ          $0x3fefffffff768fa1, AX
	VPBROADCASTQ  AX, Z12
	MOVQ          $0x3e112e0be826d695, AX
	VPBROADCASTQ  AX, Z13
	VPXORQ        Z0, Z0, Z0
	VPXORQ        Z1, Z1, Z1
	VPXORQ        Z2, Z2, Z2
	VPXORQ        Z3, Z3, Z3
	VPXORQ        Z4, Z4, Z4
	VPXORQ        Z5, Z5, Z5
	VPXORQ        Z6, Z6, Z6
	VPXORQ        Z7, Z7, Z7
	VPXORQ        Z8, Z8, Z8
	VPXORQ        Z9, Z9, Z9
	VPXORQ        Z10, Z10, Z10
	VPXORQ        Z11, Z11, Z11

loop:
	VFMADD213PD Z13, Z12, Z0
	VFMADD213PD Z13, Z12, Z1
	VFMADD213PD Z13, Z12, Z2
	VFMADD213PD Z13, Z12, Z3
	VFMADD213PD Z13, Z12, Z4
	VFMADD213PD Z13, Z12, Z5
	VFMADD213PD Z13, Z12, Z6
	VFMADD213PD Z13, Z12, Z7
	VFMADD213PD Z13, Z12, Z8
	VFMADD213PD Z13, Z12, Z9
	VFMADD213PD Z13, Z12, Z10
	VFMADD213PD Z13, Z12, Z11
	DECQ        CX
	JNZ         loop
	VZEROUPPER

done:
	RET
