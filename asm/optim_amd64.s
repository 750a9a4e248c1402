//go:build !purego && !noasm

#include "textflag.h"

// Optimizer updates: see optim.go for the reference loops and
// optim_amd64.go for the layout. Register use: DI = w, SI = g, DX = the
// state (v or h), CX = elements left, Y13-Y15 = broadcast scalars.

// func sgdAVX2Asm(w, g []float32, lr, wd float32)
TEXT ·sgdAVX2Asm(SB), NOSPLIT, $0-56
	MOVQ         w_base+0(FP), DI
	MOVQ         w_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	VBROADCASTSS lr+48(FP), Y14
	VBROADCASTSS wd+52(FP), Y15
	CMPQ CX, $32
	JB   tail8

loop32:
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y2
	VMOVUPS 64(DI), Y4
	VMOVUPS 96(DI), Y6
	VMULPS  Y0, Y15, Y1  // t = wd*w
	VMULPS  Y2, Y15, Y3
	VMULPS  Y4, Y15, Y5
	VMULPS  Y6, Y15, Y7
	VADDPS  (SI), Y1, Y1  // t = g + t
	VADDPS  32(SI), Y3, Y3
	VADDPS  64(SI), Y5, Y5
	VADDPS  96(SI), Y7, Y7
	VMULPS  Y1, Y14, Y1  // t = lr*t
	VMULPS  Y3, Y14, Y3
	VMULPS  Y5, Y14, Y5
	VMULPS  Y7, Y14, Y7
	VSUBPS  Y1, Y0, Y0  // w = w - t
	VSUBPS  Y3, Y2, Y2
	VSUBPS  Y5, Y4, Y4
	VSUBPS  Y7, Y6, Y6
	VMOVUPS Y0, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y4, 64(DI)
	VMOVUPS Y6, 96(DI)
	ADDQ $128, DI
	ADDQ $128, SI
	SUBQ $32, CX
	CMPQ CX, $32
	JAE  loop32

tail8:
	CMPQ CX, $8
	JB   tail1

loop8:
	VMOVUPS (DI), Y0
	VMULPS  Y0, Y15, Y1  // t = wd*w
	VADDPS  (SI), Y1, Y1  // t = g + t
	VMULPS  Y1, Y14, Y1  // t = lr*t
	VSUBPS  Y1, Y0, Y0  // w = w - t
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	SUBQ $8, CX
	CMPQ CX, $8
	JAE  loop8

tail1:
	TESTQ CX, CX
	JZ    done

loop1:
	VMOVSS (DI), X0
	VMOVSS (SI), X2
	VMULSS X0, X15, X1
	VADDSS X2, X1, X1
	VMULSS X1, X14, X1
	VSUBSS X1, X0, X0
	VMOVSS X0, (DI)
	ADDQ $4, DI
	ADDQ $4, SI
	DECQ CX
	JNZ  loop1

done:
	VZEROUPPER
	RET

// The momentum kernel asks for the lines of w and v it will write 1 KiB
// ahead with PREFETCHW (encoded as bytes: the Go assembler has no
// mnemonic for it). Inside a training step on two threads the weights
// were last read by the other core too (the input-gradient product splits
// W by columns, the update by rows), so each store had to wait for the
// other core's copy to be invalidated; asking for ownership ahead overlaps
// those waits. Zen 5, the update inside 784-1000-1000-10 steps, old and
// new binaries alternated three times, medians of 400 steps: two threads
// 471-480 -> 288-295 us, one thread 488-493 -> 467-470 us;
// 784-4000-4000-10 on two threads 3798 -> 3587 us (2 KiB ahead measured
// the same).
// func sgdMomentumAVX2Asm(w, g, v []float32, lr, mu, wd float32)
TEXT ·sgdMomentumAVX2Asm(SB), NOSPLIT, $0-84
	MOVQ         w_base+0(FP), DI
	MOVQ         w_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         v_base+48(FP), DX
	VBROADCASTSS lr+72(FP), Y13
	VBROADCASTSS mu+76(FP), Y14
	VBROADCASTSS wd+80(FP), Y15
	CMPQ CX, $32
	JB   tail8

loop32:
	BYTE $0x0F; BYTE $0x0D; BYTE $0x8F; LONG $0x00000400 // PREFETCHW 1024(DI)
	BYTE $0x0F; BYTE $0x0D; BYTE $0x8F; LONG $0x00000440 // PREFETCHW 1088(DI)
	BYTE $0x0F; BYTE $0x0D; BYTE $0x8A; LONG $0x00000400 // PREFETCHW 1024(DX)
	BYTE $0x0F; BYTE $0x0D; BYTE $0x8A; LONG $0x00000440 // PREFETCHW 1088(DX)
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y3
	VMOVUPS 64(DI), Y6
	VMOVUPS 96(DI), Y9
	VMULPS  Y0, Y15, Y2  // t = wd*w
	VMULPS  Y3, Y15, Y5
	VMULPS  Y6, Y15, Y8
	VMULPS  Y9, Y15, Y11
	VADDPS  (SI), Y2, Y2  // t = g + t
	VADDPS  32(SI), Y5, Y5
	VADDPS  64(SI), Y8, Y8
	VADDPS  96(SI), Y11, Y11
	VMULPS  (DX), Y14, Y1  // v = mu*v
	VMULPS  32(DX), Y14, Y4
	VMULPS  64(DX), Y14, Y7
	VMULPS  96(DX), Y14, Y10
	VADDPS  Y2, Y1, Y1  // v = v + t
	VADDPS  Y5, Y4, Y4
	VADDPS  Y8, Y7, Y7
	VADDPS  Y11, Y10, Y10
	VMOVUPS Y1, (DX)
	VMOVUPS Y4, 32(DX)
	VMOVUPS Y7, 64(DX)
	VMOVUPS Y10, 96(DX)
	VMULPS  Y1, Y13, Y2  // t = lr*v
	VMULPS  Y4, Y13, Y5
	VMULPS  Y7, Y13, Y8
	VMULPS  Y10, Y13, Y11
	VSUBPS  Y2, Y0, Y0  // w = w - t
	VSUBPS  Y5, Y3, Y3
	VSUBPS  Y8, Y6, Y6
	VSUBPS  Y11, Y9, Y9
	VMOVUPS Y0, (DI)
	VMOVUPS Y3, 32(DI)
	VMOVUPS Y6, 64(DI)
	VMOVUPS Y9, 96(DI)
	ADDQ $128, DI
	ADDQ $128, SI
	ADDQ $128, DX
	SUBQ $32, CX
	CMPQ CX, $32
	JAE  loop32

tail8:
	CMPQ CX, $8
	JB   tail1

loop8:
	VMOVUPS (DI), Y0
	VMULPS  Y0, Y15, Y2  // t = wd*w
	VADDPS  (SI), Y2, Y2  // t = g + t
	VMULPS  (DX), Y14, Y1  // v = mu*v
	VADDPS  Y2, Y1, Y1  // v = v + t
	VMOVUPS Y1, (DX)
	VMULPS  Y1, Y13, Y2  // t = lr*v
	VSUBPS  Y2, Y0, Y0  // w = w - t
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	SUBQ $8, CX
	CMPQ CX, $8
	JAE  loop8

tail1:
	TESTQ CX, CX
	JZ    done

loop1:
	VMOVSS (DI), X0
	VMOVSS (SI), X3
	VMOVSS (DX), X1
	VMULSS X0, X15, X2
	VADDSS X3, X2, X2
	VMULSS X1, X14, X1
	VADDSS X2, X1, X1
	VMOVSS X1, (DX)
	VMULSS X1, X13, X2
	VSUBSS X2, X0, X0
	VMOVSS X0, (DI)
	ADDQ $4, DI
	ADDQ $4, SI
	ADDQ $4, DX
	DECQ CX
	JNZ  loop1

done:
	VZEROUPPER
	RET

// func adaGradAVX2Asm(w, g, h []float32, lr, eps float32)
TEXT ·adaGradAVX2Asm(SB), NOSPLIT, $0-80
	MOVQ         w_base+0(FP), DI
	MOVQ         w_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         h_base+48(FP), DX
	VBROADCASTSS lr+72(FP), Y14
	VBROADCASTSS eps+76(FP), Y15
	CMPQ CX, $16
	JB   tail8

loop16:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y4
	VMULPS  Y0, Y0, Y1  // t = g*g
	VMULPS  Y4, Y4, Y5
	VADDPS  (DX), Y1, Y1  // h = h + t
	VADDPS  32(DX), Y5, Y5
	VMOVUPS Y1, (DX)
	VMOVUPS Y5, 32(DX)
	VSQRTPS Y1, Y2  // s = sqrt(h)
	VSQRTPS Y5, Y6
	VADDPS  Y15, Y2, Y2  // s = s + eps
	VADDPS  Y15, Y6, Y6
	VMULPS  Y0, Y14, Y3  // u = lr*g
	VMULPS  Y4, Y14, Y7
	VDIVPS  Y2, Y3, Y3  // u = u / s
	VDIVPS  Y6, Y7, Y7
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y4
	VSUBPS  Y3, Y0, Y0  // w = w - u
	VSUBPS  Y7, Y4, Y4
	VMOVUPS Y0, (DI)
	VMOVUPS Y4, 32(DI)
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, DX
	SUBQ $16, CX
	CMPQ CX, $16
	JAE  loop16

tail8:
	CMPQ CX, $8
	JB   tail1

loop8:
	VMOVUPS (SI), Y0
	VMULPS  Y0, Y0, Y1  // t = g*g
	VADDPS  (DX), Y1, Y1  // h = h + t
	VMOVUPS Y1, (DX)
	VSQRTPS Y1, Y2  // s = sqrt(h)
	VADDPS  Y15, Y2, Y2  // s = s + eps
	VMULPS  Y0, Y14, Y3  // u = lr*g
	VDIVPS  Y2, Y3, Y3  // u = u / s
	VMOVUPS (DI), Y0
	VSUBPS  Y3, Y0, Y0  // w = w - u
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	SUBQ $8, CX
	CMPQ CX, $8
	JAE  loop8

tail1:
	TESTQ CX, CX
	JZ    done

loop1:
	VMOVSS  (SI), X0
	VMOVSS  (DX), X1
	VMULSS  X0, X0, X3
	VADDSS  X3, X1, X1
	VMOVSS  X1, (DX)
	VSQRTSS X1, X1, X2
	VADDSS  X15, X2, X2
	VMULSS  X0, X14, X3
	VDIVSS  X2, X3, X3
	VMOVSS  (DI), X0
	VSUBSS  X3, X0, X0
	VMOVSS  X0, (DI)
	ADDQ $4, DI
	ADDQ $4, SI
	ADDQ $4, DX
	DECQ CX
	JNZ  loop1

done:
	VZEROUPPER
	RET
