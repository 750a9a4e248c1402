package main

import "fmt"

func genRot() *asmFile {
	f := newFile(`
Swaps and plane rotations on unit-stride vectors behind Impl.SSwap, DSwap,
SRot and DRot: see rot.go for the reference loops (sswapGeneric,
dswapGeneric, srotGeneric, drotGeneric). The Go wrappers have checked that
len(x) == len(y) and pass n > 0.`)
	genSwap(f)
	genRotKernel(f, "srotNEONAsm", s4)
	genRotKernel(f, "drotNEONAsm", d2)
	return f
}

// genSwap emits the swap of n bytes (a multiple of four) at x and y: 128
// bytes per iteration (x in V0-V7, y in V8-V15), then 16, then 4 in general
// registers. Every block is loaded from both vectors before either is
// stored, so x == y leaves them unchanged, as the reference does.
func genSwap(f *asmFile) {
	a := s4
	f.text("swapNEONAsm", 24, `
func swapNEONAsm(x, y unsafe.Pointer, n int)
R0 x, R1 y, R2 bytes, R3 counter.`)
	f.in("MOVD x+0(FP), R0")
	f.in("MOVD y+8(FP), R1")
	f.in("MOVD n+16(FP), R2")
	f.in("LSR $7, R2, R3")
	f.in("CBZ R3, vec1")
	f.label("loop8")
	f.in("VLD1 (R0), %s", vlist(0, 4, a))
	f.in("ADD $64, R0, R4")
	f.in("VLD1 (R4), %s", vlist(4, 4, a))
	f.in("VLD1 (R1), %s", vlist(8, 4, a))
	f.in("ADD $64, R1, R5")
	f.in("VLD1 (R5), %s", vlist(12, 4, a))
	f.in("VST1.P %s, 64(R0)", vlist(8, 4, a))
	f.in("VST1.P %s, 64(R0)", vlist(12, 4, a))
	f.in("VST1.P %s, 64(R1)", vlist(0, 4, a))
	f.in("VST1.P %s, 64(R1)", vlist(4, 4, a))
	f.in("SUBS $1, R3, R3")
	f.in("BNE loop8")
	f.label("vec1")
	f.in("AND $127, R2, R2")
	f.in("LSR $4, R2, R3")
	f.in("CBZ R3, tail")
	f.label("loop1v")
	f.in("VLD1 (R0), %s", vlist(0, 1, a))
	f.in("VLD1 (R1), %s", vlist(8, 1, a))
	f.in("VST1.P %s, 16(R0)", vlist(8, 1, a))
	f.in("VST1.P %s, 16(R1)", vlist(0, 1, a))
	f.in("SUBS $1, R3, R3")
	f.in("BNE loop1v")
	f.label("tail")
	f.in("AND $15, R2, R2")
	f.in("LSR $2, R2, R3")
	f.in("CBZ R3, done")
	f.label("word")
	f.in("MOVWU (R0), R4")
	f.in("MOVWU (R1), R5")
	f.in("MOVW.P R5, 4(R0)")
	f.in("MOVW.P R4, 4(R1)")
	f.in("SUBS $1, R3, R3")
	f.in("BNE word")
	f.label("done")
	f.in("RET")
}

// genRotKernel emits the plane rotation x, y = c*x + s*y, c*y - s*x over
// n > 0 elements, one fused multiply-add per output as the AVX2 kernels:
// x = c*x + (s*y) and y = c*y + ((-s)*x), the negation exact, so the
// product s*x is rounded once and the subtraction once, as in
// c*y - (s*x).
//
// c, s and -s are broadcast in V30, V31 and V29 (their low lanes F30, F31
// and F29 serve the scalar tail); x is in V0-V3, y in V4-V7, the new x in
// V8-V11 and the new y in V12-V15; four vectors per iteration, then one,
// then single elements.
func genRotKernel(f *asmFile, name string, a arr) {
	p := info(a)
	block := 4 * p.lanes
	args := 32
	if a == d2 {
		args = 40
	}
	f.text(name, args, fmt.Sprintf(`
func %s(x, y *%s, n int, c, s %s)
R0 x, R1 y, R2 elements, R3 counter; %d elements per iteration.`, name, p.goType, p.goType, block))
	f.in("MOVD x+0(FP), R0")
	f.in("MOVD y+8(FP), R1")
	f.in("MOVD n+16(FP), R2")
	f.in("%s c+24(FP), F30", p.fmov)
	f.in("%s s+%d(FP), F31", p.fmov, 24+p.esize)
	neg := "FNEGS"
	if a == d2 {
		neg = "FNEGD"
	}
	f.in("%s F31, F29", neg)
	for _, r := range []int{29, 30, 31} {
		f.in("VDUP V%d.%s, %s", r, p.lane0, v(r, a))
	}
	f.in("LSR $%d, R2, R3", log2(block))
	f.in("CBZ R3, vec1")
	f.label("loop4")
	f.in("VLD1 (R0), %s", vlist(0, 4, a))
	f.in("VLD1 (R1), %s", vlist(4, 4, a))
	for t := 0; t < 4; t++ {
		f.w(fmul(a, 8+t, 4+t, 31))
	}
	for t := 0; t < 4; t++ {
		f.w(fmul(a, 12+t, t, 29))
	}
	for t := 0; t < 4; t++ {
		f.in("VFMLA %s, %s, %s", v(30, a), v(t, a), v(8+t, a))
	}
	for t := 0; t < 4; t++ {
		f.in("VFMLA %s, %s, %s", v(30, a), v(4+t, a), v(12+t, a))
	}
	f.in("VST1.P %s, 64(R0)", vlist(8, 4, a))
	f.in("VST1.P %s, 64(R1)", vlist(12, 4, a))
	f.in("SUBS $1, R3, R3")
	f.in("BNE loop4")

	f.label("vec1")
	f.in("AND $%d, R2, R2", block-1)
	f.in("LSR $%d, R2, R3", p.log)
	f.in("CBZ R3, tail")
	f.label("loop1v")
	f.in("VLD1 (R0), %s", vlist(0, 1, a))
	f.in("VLD1 (R1), %s", vlist(4, 1, a))
	f.w(fmul(a, 8, 4, 31), fmul(a, 12, 0, 29))
	f.in("VFMLA %s, %s, %s", v(30, a), v(0, a), v(8, a))
	f.in("VFMLA %s, %s, %s", v(30, a), v(4, a), v(12, a))
	f.in("VST1.P %s, 16(R0)", vlist(8, 1, a))
	f.in("VST1.P %s, 16(R1)", vlist(12, 1, a))
	f.in("SUBS $1, R3, R3")
	f.in("BNE loop1v")

	f.label("tail")
	f.in("AND $%d, R2, R2", p.lanes-1)
	f.in("CBZ R2, done")
	mul := "FMULS"
	if a == d2 {
		mul = "FMULD"
	}
	f.label("scalar")
	f.in("%s (R0), F0", p.fmov)
	f.in("%s (R1), F4", p.fmov)
	f.in("%s F31, F4, F8", mul)
	f.in("%s F29, F0, F12", mul)
	f.in("%s F30, F8, F0, F8", p.fmadd)
	f.in("%s F30, F12, F4, F12", p.fmadd)
	f.in("%s.P F8, %d(R0)", p.fmov, p.esize)
	f.in("%s.P F12, %d(R1)", p.fmov, p.esize)
	f.in("SUBS $1, R2, R2")
	f.in("BNE scalar")
	f.label("done")
	f.in("RET")
}
