//go:build !purego && !noasm

#include "textflag.h"

// Register use: SI, R9, R10, R11 point at the four rows, DI at x (N) or y
// (T), AX is the byte offset along the rows, CX the elements left.

#define ROWS(elem) \
	MOVQ lda+16(FP), DX \
	SHLQ $elem, DX      \
	LEAQ (SI)(DX*1), R9 \
	LEAQ (R9)(DX*1), R10 \
	LEAQ (R10)(DX*1), R11 \
	XORQ AX, AX

// func dgemvN4AVX2Asm(n int, a *float64, lda int, x *float64, y *[4]float64)
TEXT ·dgemvN4AVX2Asm(SB), NOSPLIT, $0-40
	MOVQ   n+0(FP), CX
	MOVQ   a+8(FP), SI
	MOVQ   x+24(FP), DI
	MOVQ   y+32(FP), R8
	ROWS(3)
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	CMPQ   CX, $8
	JB     dn_tail4

dn_loop8:
	VMOVUPD     (DI)(AX*1), Y8
	VMOVUPD     32(DI)(AX*1), Y9
	VFMADD231PD (SI)(AX*1), Y8, Y0
	VFMADD231PD 32(SI)(AX*1), Y9, Y4
	VFMADD231PD (R9)(AX*1), Y8, Y1
	VFMADD231PD 32(R9)(AX*1), Y9, Y5
	VFMADD231PD (R10)(AX*1), Y8, Y2
	VFMADD231PD 32(R10)(AX*1), Y9, Y6
	VFMADD231PD (R11)(AX*1), Y8, Y3
	VFMADD231PD 32(R11)(AX*1), Y9, Y7
	ADDQ        $64, AX
	SUBQ        $8, CX
	CMPQ        CX, $8
	JAE         dn_loop8

dn_tail4:
	CMPQ        CX, $4
	JB          dn_reduce
	VMOVUPD     (DI)(AX*1), Y8
	VFMADD231PD (SI)(AX*1), Y8, Y0
	VFMADD231PD (R9)(AX*1), Y8, Y1
	VFMADD231PD (R10)(AX*1), Y8, Y2
	VFMADD231PD (R11)(AX*1), Y8, Y3
	ADDQ        $32, AX
	SUBQ        $4, CX

dn_reduce:
	// Y0..Y3 hold four partial sums per row; Y0 becomes the four rows'
	// sums [s0, s1, s2, s3].
	VADDPD     Y4, Y0, Y0
	VADDPD     Y5, Y1, Y1
	VADDPD     Y6, Y2, Y2
	VADDPD     Y7, Y3, Y3
	VHADDPD    Y1, Y0, Y0
	VHADDPD    Y3, Y2, Y2
	VPERM2F128 $0x20, Y2, Y0, Y1
	VPERM2F128 $0x31, Y2, Y0, Y3
	VADDPD     Y3, Y1, Y0
	TESTQ      CX, CX
	JZ         dn_store

dn_loop1:
	// One column: [a0j, a1j, a2j, a3j] times x[j].
	VBROADCASTSD (DI)(AX*1), Y8
	VMOVSD       (SI)(AX*1), X9
	VMOVHPD      (R9)(AX*1), X9, X9
	VMOVSD       (R10)(AX*1), X10
	VMOVHPD      (R11)(AX*1), X10, X10
	VINSERTF128  $1, X10, Y9, Y9
	VFMADD231PD  Y9, Y8, Y0
	ADDQ         $8, AX
	DECQ         CX
	JNZ          dn_loop1

dn_store:
	VMOVUPD Y0, (R8)
	VZEROUPPER
	RET

// func sgemvN4AVX2Asm(n int, a *float32, lda int, x *float32, y *[4]float32)
TEXT ·sgemvN4AVX2Asm(SB), NOSPLIT, $0-40
	MOVQ   n+0(FP), CX
	MOVQ   a+8(FP), SI
	MOVQ   x+24(FP), DI
	MOVQ   y+32(FP), R8
	ROWS(2)
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	CMPQ   CX, $16
	JB     sn_tail8

sn_loop16:
	VMOVUPS     (DI)(AX*1), Y8
	VMOVUPS     32(DI)(AX*1), Y9
	VFMADD231PS (SI)(AX*1), Y8, Y0
	VFMADD231PS 32(SI)(AX*1), Y9, Y4
	VFMADD231PS (R9)(AX*1), Y8, Y1
	VFMADD231PS 32(R9)(AX*1), Y9, Y5
	VFMADD231PS (R10)(AX*1), Y8, Y2
	VFMADD231PS 32(R10)(AX*1), Y9, Y6
	VFMADD231PS (R11)(AX*1), Y8, Y3
	VFMADD231PS 32(R11)(AX*1), Y9, Y7
	ADDQ        $64, AX
	SUBQ        $16, CX
	CMPQ        CX, $16
	JAE         sn_loop16

sn_tail8:
	CMPQ        CX, $8
	JB          sn_reduce
	VMOVUPS     (DI)(AX*1), Y8
	VFMADD231PS (SI)(AX*1), Y8, Y0
	VFMADD231PS (R9)(AX*1), Y8, Y1
	VFMADD231PS (R10)(AX*1), Y8, Y2
	VFMADD231PS (R11)(AX*1), Y8, Y3
	ADDQ        $32, AX
	SUBQ        $8, CX

sn_reduce:
	// X0 becomes the four rows' sums [s0, s1, s2, s3].
	VADDPS       Y4, Y0, Y0
	VADDPS       Y5, Y1, Y1
	VADDPS       Y6, Y2, Y2
	VADDPS       Y7, Y3, Y3
	VHADDPS      Y1, Y0, Y0
	VHADDPS      Y3, Y2, Y2
	VHADDPS      Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	TESTQ        CX, CX
	JZ           sn_store

sn_loop1:
	VBROADCASTSS (DI)(AX*1), X8
	VMOVSS       (SI)(AX*1), X9
	VINSERTPS    $0x10, (R9)(AX*1), X9, X9
	VINSERTPS    $0x20, (R10)(AX*1), X9, X9
	VINSERTPS    $0x30, (R11)(AX*1), X9, X9
	VFMADD231PS  X9, X8, X0
	ADDQ         $4, AX
	DECQ         CX
	JNZ          sn_loop1

sn_store:
	VMOVUPS X0, (R8)
	VZEROUPPER
	RET

// func dgemvT4AVX2Asm(n int, a *float64, lda int, alpha *[4]float64, y *float64)
TEXT ·dgemvT4AVX2Asm(SB), NOSPLIT, $0-40
	MOVQ         n+0(FP), CX
	MOVQ         a+8(FP), SI
	MOVQ         alpha+24(FP), R8
	MOVQ         y+32(FP), DI
	ROWS(3)
	VBROADCASTSD (R8), Y12
	VBROADCASTSD 8(R8), Y13
	VBROADCASTSD 16(R8), Y14
	VBROADCASTSD 24(R8), Y15
	CMPQ         CX, $8
	JB           dt_tail4

dt_loop8:
	VMOVUPD     (DI)(AX*1), Y0
	VMOVUPD     32(DI)(AX*1), Y1
	VFMADD231PD (SI)(AX*1), Y12, Y0
	VFMADD231PD 32(SI)(AX*1), Y12, Y1
	VFMADD231PD (R9)(AX*1), Y13, Y0
	VFMADD231PD 32(R9)(AX*1), Y13, Y1
	VFMADD231PD (R10)(AX*1), Y14, Y0
	VFMADD231PD 32(R10)(AX*1), Y14, Y1
	VFMADD231PD (R11)(AX*1), Y15, Y0
	VFMADD231PD 32(R11)(AX*1), Y15, Y1
	VMOVUPD     Y0, (DI)(AX*1)
	VMOVUPD     Y1, 32(DI)(AX*1)
	ADDQ        $64, AX
	SUBQ        $8, CX
	CMPQ        CX, $8
	JAE         dt_loop8

dt_tail4:
	CMPQ        CX, $4
	JB          dt_tail1
	VMOVUPD     (DI)(AX*1), Y0
	VFMADD231PD (SI)(AX*1), Y12, Y0
	VFMADD231PD (R9)(AX*1), Y13, Y0
	VFMADD231PD (R10)(AX*1), Y14, Y0
	VFMADD231PD (R11)(AX*1), Y15, Y0
	VMOVUPD     Y0, (DI)(AX*1)
	ADDQ        $32, AX
	SUBQ        $4, CX

dt_tail1:
	TESTQ CX, CX
	JZ    dt_done

dt_loop1:
	VMOVSD      (DI)(AX*1), X0
	VFMADD231SD (SI)(AX*1), X12, X0
	VFMADD231SD (R9)(AX*1), X13, X0
	VFMADD231SD (R10)(AX*1), X14, X0
	VFMADD231SD (R11)(AX*1), X15, X0
	VMOVSD      X0, (DI)(AX*1)
	ADDQ        $8, AX
	DECQ        CX
	JNZ         dt_loop1

dt_done:
	VZEROUPPER
	RET

// func sgemvT4AVX2Asm(n int, a *float32, lda int, alpha *[4]float32, y *float32)
TEXT ·sgemvT4AVX2Asm(SB), NOSPLIT, $0-40
	MOVQ         n+0(FP), CX
	MOVQ         a+8(FP), SI
	MOVQ         alpha+24(FP), R8
	MOVQ         y+32(FP), DI
	ROWS(2)
	VBROADCASTSS (R8), Y12
	VBROADCASTSS 4(R8), Y13
	VBROADCASTSS 8(R8), Y14
	VBROADCASTSS 12(R8), Y15
	CMPQ         CX, $16
	JB           st_tail8

st_loop16:
	VMOVUPS     (DI)(AX*1), Y0
	VMOVUPS     32(DI)(AX*1), Y1
	VFMADD231PS (SI)(AX*1), Y12, Y0
	VFMADD231PS 32(SI)(AX*1), Y12, Y1
	VFMADD231PS (R9)(AX*1), Y13, Y0
	VFMADD231PS 32(R9)(AX*1), Y13, Y1
	VFMADD231PS (R10)(AX*1), Y14, Y0
	VFMADD231PS 32(R10)(AX*1), Y14, Y1
	VFMADD231PS (R11)(AX*1), Y15, Y0
	VFMADD231PS 32(R11)(AX*1), Y15, Y1
	VMOVUPS     Y0, (DI)(AX*1)
	VMOVUPS     Y1, 32(DI)(AX*1)
	ADDQ        $64, AX
	SUBQ        $16, CX
	CMPQ        CX, $16
	JAE         st_loop16

st_tail8:
	CMPQ        CX, $8
	JB          st_tail1
	VMOVUPS     (DI)(AX*1), Y0
	VFMADD231PS (SI)(AX*1), Y12, Y0
	VFMADD231PS (R9)(AX*1), Y13, Y0
	VFMADD231PS (R10)(AX*1), Y14, Y0
	VFMADD231PS (R11)(AX*1), Y15, Y0
	VMOVUPS     Y0, (DI)(AX*1)
	ADDQ        $32, AX
	SUBQ        $8, CX

st_tail1:
	TESTQ CX, CX
	JZ    st_done

st_loop1:
	VMOVSS      (DI)(AX*1), X0
	VFMADD231SS (SI)(AX*1), X12, X0
	VFMADD231SS (R9)(AX*1), X13, X0
	VFMADD231SS (R10)(AX*1), X14, X0
	VFMADD231SS (R11)(AX*1), X15, X0
	VMOVSS      X0, (DI)(AX*1)
	ADDQ        $4, AX
	DECQ        CX
	JNZ         st_loop1

st_done:
	VZEROUPPER
	RET

// Symmetric four-row kernels: BX points at z, R8 at alpha then dot; Y12-Y15
// hold the four alphas, Y0-Y7 the dot-product accumulators.

// SYMV_AHEAD is how many bytes ahead of the loads the loops prefetch each
// of the four rows while that much of them is left. The hardware prefetcher
// alone needs each row's first kilobytes to ramp up, and a symmetric
// product starts four new row streams every four rows: on a Zen 5 core,
// prefetching 2 KB ahead raised DSYMV on a 4000 x 4000 matrix from 31 to
// 39-41 GB/s on one thread (1 KB: 35-37, 4 KB: 35-37).
#define SYMV_AHEAD 2048

#define SYMV_PREFETCH \
	PREFETCHT0 SYMV_AHEAD(SI)(AX*1)  \
	PREFETCHT0 SYMV_AHEAD(R9)(AX*1)  \
	PREFETCHT0 SYMV_AHEAD(R10)(AX*1) \
	PREFETCHT0 SYMV_AHEAD(R11)(AX*1)

#define DS_ROW(row, alpha, acc0, acc1) \
	VFMADD231PD (row)(AX*1), alpha, Y10   \
	VFMADD231PD 32(row)(AX*1), alpha, Y11 \
	VFMADD231PD (row)(AX*1), Y8, acc0     \
	VFMADD231PD 32(row)(AX*1), Y9, acc1

#define DS_ROW4(row, alpha, acc) \
	VFMADD231PD (row)(AX*1), alpha, Y10 \
	VFMADD231PD (row)(AX*1), Y8, acc

// DS_BODY8 is one iteration of the eight-column loop.
#define DS_BODY8 \
	VMOVUPD (DI)(AX*1), Y8       \
	VMOVUPD 32(DI)(AX*1), Y9     \
	VMOVUPD (BX)(AX*1), Y10      \
	VMOVUPD 32(BX)(AX*1), Y11    \
	DS_ROW(SI, Y12, Y0, Y4)      \
	DS_ROW(R9, Y13, Y1, Y5)      \
	DS_ROW(R10, Y14, Y2, Y6)     \
	DS_ROW(R11, Y15, Y3, Y7)     \
	VMOVUPD Y10, (BX)(AX*1)      \
	VMOVUPD Y11, 32(BX)(AX*1)    \
	ADDQ    $64, AX              \
	SUBQ    $8, CX

// func dsymv4AVX2Asm(n int, a *float64, lda int, x, z *float64, alpha, dot *[4]float64)
TEXT ·dsymv4AVX2Asm(SB), NOSPLIT, $0-56
	MOVQ         n+0(FP), CX
	MOVQ         a+8(FP), SI
	MOVQ         x+24(FP), DI
	MOVQ         z+32(FP), BX
	MOVQ         alpha+40(FP), R8
	ROWS(3)
	VBROADCASTSD (R8), Y12
	VBROADCASTSD 8(R8), Y13
	VBROADCASTSD 16(R8), Y14
	VBROADCASTSD 24(R8), Y15
	VXORPD       Y0, Y0, Y0
	VXORPD       Y1, Y1, Y1
	VXORPD       Y2, Y2, Y2
	VXORPD       Y3, Y3, Y3
	VXORPD       Y4, Y4, Y4
	VXORPD       Y5, Y5, Y5
	VXORPD       Y6, Y6, Y6
	VXORPD       Y7, Y7, Y7
	CMPQ         CX, $8
	JB           ds_tail4
	CMPQ         CX, $(8+SYMV_AHEAD/8)
	JB           ds_loop8

ds_loop8pf:
	SYMV_PREFETCH
	DS_BODY8
	CMPQ CX, $(8+SYMV_AHEAD/8)
	JAE  ds_loop8pf

ds_loop8:
	DS_BODY8
	CMPQ CX, $8
	JAE  ds_loop8

ds_tail4:
	CMPQ    CX, $4
	JB      ds_reduce
	VMOVUPD (DI)(AX*1), Y8
	VMOVUPD (BX)(AX*1), Y10
	DS_ROW4(SI, Y12, Y0)
	DS_ROW4(R9, Y13, Y1)
	DS_ROW4(R10, Y14, Y2)
	DS_ROW4(R11, Y15, Y3)
	VMOVUPD Y10, (BX)(AX*1)
	ADDQ    $32, AX
	SUBQ    $4, CX

ds_reduce:
	VADDPD     Y4, Y0, Y0
	VADDPD     Y5, Y1, Y1
	VADDPD     Y6, Y2, Y2
	VADDPD     Y7, Y3, Y3
	VHADDPD    Y1, Y0, Y0
	VHADDPD    Y3, Y2, Y2
	VPERM2F128 $0x20, Y2, Y0, Y1
	VPERM2F128 $0x31, Y2, Y0, Y3
	VADDPD     Y3, Y1, Y0
	TESTQ      CX, CX
	JZ         ds_store

ds_loop1:
	VBROADCASTSD (DI)(AX*1), Y8
	VMOVSD       (SI)(AX*1), X9
	VMOVHPD      (R9)(AX*1), X9, X9
	VMOVSD       (R10)(AX*1), X10
	VMOVHPD      (R11)(AX*1), X10, X10
	VINSERTF128  $1, X10, Y9, Y9
	VFMADD231PD  Y9, Y8, Y0
	VMOVSD       (BX)(AX*1), X10
	VFMADD231SD  (SI)(AX*1), X12, X10
	VFMADD231SD  (R9)(AX*1), X13, X10
	VFMADD231SD  (R10)(AX*1), X14, X10
	VFMADD231SD  (R11)(AX*1), X15, X10
	VMOVSD       X10, (BX)(AX*1)
	ADDQ         $8, AX
	DECQ         CX
	JNZ          ds_loop1

ds_store:
	MOVQ    dot+48(FP), R8
	VMOVUPD Y0, (R8)
	VZEROUPPER
	RET

#define SS_ROW(row, alpha, acc0, acc1) \
	VFMADD231PS (row)(AX*1), alpha, Y10   \
	VFMADD231PS 32(row)(AX*1), alpha, Y11 \
	VFMADD231PS (row)(AX*1), Y8, acc0     \
	VFMADD231PS 32(row)(AX*1), Y9, acc1

#define SS_ROW8(row, alpha, acc) \
	VFMADD231PS (row)(AX*1), alpha, Y10 \
	VFMADD231PS (row)(AX*1), Y8, acc

// SS_BODY16 is one iteration of the sixteen-column loop.
#define SS_BODY16 \
	VMOVUPS (DI)(AX*1), Y8       \
	VMOVUPS 32(DI)(AX*1), Y9     \
	VMOVUPS (BX)(AX*1), Y10      \
	VMOVUPS 32(BX)(AX*1), Y11    \
	SS_ROW(SI, Y12, Y0, Y4)      \
	SS_ROW(R9, Y13, Y1, Y5)      \
	SS_ROW(R10, Y14, Y2, Y6)     \
	SS_ROW(R11, Y15, Y3, Y7)     \
	VMOVUPS Y10, (BX)(AX*1)      \
	VMOVUPS Y11, 32(BX)(AX*1)    \
	ADDQ    $64, AX              \
	SUBQ    $16, CX

// func ssymv4AVX2Asm(n int, a *float32, lda int, x, z *float32, alpha, dot *[4]float32)
TEXT ·ssymv4AVX2Asm(SB), NOSPLIT, $0-56
	MOVQ         n+0(FP), CX
	MOVQ         a+8(FP), SI
	MOVQ         x+24(FP), DI
	MOVQ         z+32(FP), BX
	MOVQ         alpha+40(FP), R8
	ROWS(2)
	VBROADCASTSS (R8), Y12
	VBROADCASTSS 4(R8), Y13
	VBROADCASTSS 8(R8), Y14
	VBROADCASTSS 12(R8), Y15
	VXORPS       Y0, Y0, Y0
	VXORPS       Y1, Y1, Y1
	VXORPS       Y2, Y2, Y2
	VXORPS       Y3, Y3, Y3
	VXORPS       Y4, Y4, Y4
	VXORPS       Y5, Y5, Y5
	VXORPS       Y6, Y6, Y6
	VXORPS       Y7, Y7, Y7
	CMPQ         CX, $16
	JB           ss_tail8

	CMPQ         CX, $(16+SYMV_AHEAD/4)
	JB           ss_loop16

ss_loop16pf:
	SYMV_PREFETCH
	SS_BODY16
	CMPQ CX, $(16+SYMV_AHEAD/4)
	JAE  ss_loop16pf

ss_loop16:
	SS_BODY16
	CMPQ CX, $16
	JAE  ss_loop16

ss_tail8:
	CMPQ    CX, $8
	JB      ss_reduce
	VMOVUPS (DI)(AX*1), Y8
	VMOVUPS (BX)(AX*1), Y10
	SS_ROW8(SI, Y12, Y0)
	SS_ROW8(R9, Y13, Y1)
	SS_ROW8(R10, Y14, Y2)
	SS_ROW8(R11, Y15, Y3)
	VMOVUPS Y10, (BX)(AX*1)
	ADDQ    $32, AX
	SUBQ    $8, CX

ss_reduce:
	VADDPS       Y4, Y0, Y0
	VADDPS       Y5, Y1, Y1
	VADDPS       Y6, Y2, Y2
	VADDPS       Y7, Y3, Y3
	VHADDPS      Y1, Y0, Y0
	VHADDPS      Y3, Y2, Y2
	VHADDPS      Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	TESTQ        CX, CX
	JZ           ss_store

ss_loop1:
	VBROADCASTSS (DI)(AX*1), X8
	VMOVSS       (SI)(AX*1), X9
	VINSERTPS    $0x10, (R9)(AX*1), X9, X9
	VINSERTPS    $0x20, (R10)(AX*1), X9, X9
	VINSERTPS    $0x30, (R11)(AX*1), X9, X9
	VFMADD231PS  X9, X8, X0
	VMOVSS       (BX)(AX*1), X10
	VFMADD231SS  (SI)(AX*1), X12, X10
	VFMADD231SS  (R9)(AX*1), X13, X10
	VFMADD231SS  (R10)(AX*1), X14, X10
	VFMADD231SS  (R11)(AX*1), X15, X10
	VMOVSS       X10, (BX)(AX*1)
	ADDQ         $4, AX
	DECQ         CX
	JNZ          ss_loop1

ss_store:
	MOVQ    dot+48(FP), R8
	VMOVUPS X0, (R8)
	VZEROUPPER
	RET
