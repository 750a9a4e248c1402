//go:build !purego && !noasm

#include "textflag.h"

// The normalization layers' elementwise kernels on NEON: 16 floats per
// iteration, then 4, then one at a time. fmla (vector, by element lanes of
// matching registers) is written as WORD: fmla Vd.4s, Vn.4s, Vm.4s is
// 0x4E20CC00 | m<<16 | n<<5 | d, Vd += Vn*Vm with one rounding.

// func scaleShiftNEONAsm(dst, x, scale, shift []float32)
// R0 = dst, R1 = x, R2 = scale, R3 = shift, R9 = elements left.
// V16..V19 start as shift and accumulate x*scale.
TEXT ·scaleShiftNEONAsm(SB), NOSPLIT, $0-96
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R9
	MOVD x_base+24(FP), R1
	MOVD scale_base+48(FP), R2
	MOVD shift_base+72(FP), R3
	LSR  $4, R9, R10
	CBZ  R10, blk4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(R3), [V16.S4, V17.S4, V18.S4, V19.S4]
	WORD   $0x4E24CC10                              // fmla v16.4s, v0.4s, v4.4s
	WORD   $0x4E25CC31                              // fmla v17.4s, v1.4s, v5.4s
	WORD   $0x4E26CC52                              // fmla v18.4s, v2.4s, v6.4s
	WORD   $0x4E27CC73                              // fmla v19.4s, v3.4s, v7.4s
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R0)
	SUBS   $1, R10, R10
	BNE    loop16

blk4:
	AND $15, R9, R9
	LSR $2, R9, R10
	CBZ R10, tail

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	VLD1.P 16(R3), [V16.S4]
	WORD   $0x4E24CC10      // fmla v16.4s, v0.4s, v4.4s
	VST1.P [V16.S4], 16(R0)
	SUBS   $1, R10, R10
	BNE    loop4

tail:
	AND $3, R9, R9
	CBZ R9, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F4
	FMOVS.P 4(R3), F16
	WORD    $0x4E24CC10 // fmla v16.4s, v0.4s, v4.4s
	FMOVS.P F16, 4(R0)
	SUBS    $1, R9, R9
	BNE     loop1

done:
	RET

// func mulAddNEONAsm(dst, x, y []float32)
// R0 = dst (loads), R4 = dst (stores), R1 = x, R2 = y, R9 = elements left.
TEXT ·mulAddNEONAsm(SB), NOSPLIT, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R9
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R2
	MOVD R0, R4
	LSR  $4, R9, R10
	CBZ  R10, madd_blk4

madd_loop16:
	VLD1.P 64(R0), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD   $0x4E24CC10                              // fmla v16.4s, v0.4s, v4.4s
	WORD   $0x4E25CC31                              // fmla v17.4s, v1.4s, v5.4s
	WORD   $0x4E26CC52                              // fmla v18.4s, v2.4s, v6.4s
	WORD   $0x4E27CC73                              // fmla v19.4s, v3.4s, v7.4s
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R4)
	SUBS   $1, R10, R10
	BNE    madd_loop16

madd_blk4:
	AND $15, R9, R9
	LSR $2, R9, R10
	CBZ R10, madd_tail

madd_loop4:
	VLD1.P 16(R0), [V16.S4]
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	WORD   $0x4E24CC10      // fmla v16.4s, v0.4s, v4.4s
	VST1.P [V16.S4], 16(R4)
	SUBS   $1, R10, R10
	BNE    madd_loop4

madd_tail:
	AND $3, R9, R9
	CBZ R9, madd_done

madd_loop1:
	FMOVS.P 4(R0), F16
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F4
	WORD    $0x4E24CC10 // fmla v16.4s, v0.4s, v4.4s
	FMOVS.P F16, 4(R4)
	SUBS    $1, R9, R9
	BNE     madd_loop1

madd_done:
	RET
