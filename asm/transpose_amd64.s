//go:build !purego && !noasm

#include "textflag.h"

// LOAD8 loads eight rows (8 floats each) starting at BASE into Y0..Y7:
// row j is at BASE + j*lds (R8 = lds, R9 = 3*lds, R10 = 5*lds, R11 = 7*lds
// bytes).
#define LOAD8(BASE) \
	VMOVUPS (BASE), Y0; \
	VMOVUPS (BASE)(R8*1), Y1; \
	VMOVUPS (BASE)(R8*2), Y2; \
	VMOVUPS (BASE)(R9*1), Y3; \
	VMOVUPS (BASE)(R8*4), Y4; \
	VMOVUPS (BASE)(R10*1), Y5; \
	VMOVUPS (BASE)(R9*2), Y6; \
	VMOVUPS (BASE)(R11*1), Y7

// TRANSPOSE8 transposes Y0..Y7 in place: afterwards Yq holds column q.
#define TRANSPOSE8 \
	VUNPCKLPS Y1, Y0, Y8; \
	VUNPCKHPS Y1, Y0, Y9; \
	VUNPCKLPS Y3, Y2, Y10; \
	VUNPCKHPS Y3, Y2, Y11; \
	VUNPCKLPS Y5, Y4, Y12; \
	VUNPCKHPS Y5, Y4, Y13; \
	VUNPCKLPS Y7, Y6, Y14; \
	VUNPCKHPS Y7, Y6, Y15; \
	VSHUFPS $0x44, Y10, Y8, Y0; \
	VSHUFPS $0xEE, Y10, Y8, Y1; \
	VSHUFPS $0x44, Y11, Y9, Y2; \
	VSHUFPS $0xEE, Y11, Y9, Y3; \
	VSHUFPS $0x44, Y14, Y12, Y4; \
	VSHUFPS $0xEE, Y14, Y12, Y5; \
	VSHUFPS $0x44, Y15, Y13, Y6; \
	VSHUFPS $0xEE, Y15, Y13, Y7; \
	VPERM2F128 $0x20, Y4, Y0, Y8; \
	VPERM2F128 $0x20, Y5, Y1, Y9; \
	VPERM2F128 $0x20, Y6, Y2, Y10; \
	VPERM2F128 $0x20, Y7, Y3, Y11; \
	VPERM2F128 $0x31, Y4, Y0, Y12; \
	VPERM2F128 $0x31, Y5, Y1, Y13; \
	VPERM2F128 $0x31, Y6, Y2, Y14; \
	VPERM2F128 $0x31, Y7, Y3, Y15

// STORE8 stores the eight columns (Y8..Y11 = columns 0..3, Y12..Y15 =
// columns 4..7) at DST + q*DX bytes, offset OFF.
#define STORE8(OFF) \
	MOVQ DI, AX; \
	VMOVUPS Y8, OFF(AX); \
	ADDQ DX, AX; \
	VMOVUPS Y9, OFF(AX); \
	ADDQ DX, AX; \
	VMOVUPS Y10, OFF(AX); \
	ADDQ DX, AX; \
	VMOVUPS Y11, OFF(AX); \
	ADDQ DX, AX; \
	VMOVUPS Y12, OFF(AX); \
	ADDQ DX, AX; \
	VMOVUPS Y13, OFF(AX); \
	ADDQ DX, AX; \
	VMOVUPS Y14, OFF(AX); \
	ADDQ DX, AX; \
	VMOVUPS Y15, OFF(AX)

// func transpose8AVX2Asm(dst, src *float32, lds, ldd, kc int)
TEXT ·transpose8AVX2Asm(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	SHLQ $2, R8                 // lds in bytes
	LEAQ (R8)(R8*2), R9         // 3*lds
	LEAQ (R8)(R8*4), R10        // 5*lds
	LEAQ (R9)(R8*4), R11        // 7*lds
	MOVQ ldd+24(FP), DX
	SHLQ $2, DX                 // bytes per row of dst (ldd floats)
	LEAQ (SI)(R8*8), BX         // row 8
	MOVQ kc+32(FP), CX
	SHRQ $3, CX                 // blocks of 8 columns
	JEQ  done
	CMPQ DX, $64
	JEQ  loop16

loop8:
	LOAD8(SI)
	TRANSPOSE8
	STORE8(0)
	ADDQ $32, SI
	LEAQ (DI)(DX*8), DI
	DECQ CX
	JNE  loop8
	JMP  done

loop16:
	LOAD8(SI)
	TRANSPOSE8
	STORE8(0)
	LOAD8(BX)
	TRANSPOSE8
	STORE8(32)
	ADDQ $32, SI
	ADDQ $32, BX
	LEAQ (DI)(DX*8), DI
	DECQ CX
	JNE  loop16

done:
	VZEROUPPER
	RET

// func transpose2AVX2Asm(dst, src *float32, lds, ldd, kc int)
//
// Two rows (src, src + lds floats) into elements 0 and 1 of each row of
// dst (ldd floats apart), eight columns a step: the rows are interleaved
// into pairs (VUNPCKLPS/VUNPCKHPS) and each pair stored as 8 bytes.
TEXT ·transpose2AVX2Asm(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	SHLQ $2, R8                 // lds in bytes
	MOVQ ldd+24(FP), DX
	SHLQ $2, DX                 // bytes per row of dst
	LEAQ (DX)(DX*2), R9         // 3 rows of dst
	MOVQ kc+32(FP), CX
	SHRQ $3, CX                 // blocks of 8 columns
	JEQ  done2

loop2:
	VMOVUPS (SI), Y0            // row 0, columns 0..7
	VMOVUPS (SI)(R8*1), Y1      // row 1
	VUNPCKLPS Y1, Y0, Y2        // pairs of columns 0, 1 | 4, 5
	VUNPCKHPS Y1, Y0, Y3        // pairs of columns 2, 3 | 6, 7
	VEXTRACTF128 $1, Y2, X4
	VEXTRACTF128 $1, Y3, X5
	VMOVLPS X2, (DI)
	VMOVHPS X2, (DI)(DX*1)
	VMOVLPS X3, (DI)(DX*2)
	VMOVHPS X3, (DI)(R9*1)
	LEAQ (DI)(DX*4), AX
	VMOVLPS X4, (AX)
	VMOVHPS X4, (AX)(DX*1)
	VMOVLPS X5, (AX)(DX*2)
	VMOVHPS X5, (AX)(R9*1)
	ADDQ $32, SI
	LEAQ (DI)(DX*8), DI
	DECQ CX
	JNE  loop2

done2:
	VZEROUPPER
	RET
